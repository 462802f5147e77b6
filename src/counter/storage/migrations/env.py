"""Alembic environment: runs on the connection `counter.storage.migrate` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from counter.storage.models import Base

config = context.config
target_metadata = Base.metadata

# Any number; the same on every counter so two counters never upgrade at once.
_PG_MIGRATION_LOCK = 7_240_311


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through counter.storage.migrate")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
            )
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
