"""Day-end tests reuse the ledger fixtures: each runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from tests.ledger.conftest import backend, shop, sqlite_only, sqlite_shop

__all__ = ["backend", "shop", "sqlite_only", "sqlite_shop"]
