"""Alembic migrations of the ledger; run in code by `counter.storage.migrate`."""
