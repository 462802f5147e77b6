"""Run the ledger's Alembic migrations from code, backing up a SQLite ledger first.

No `alembic.ini` is needed at run time: the config is built here with `script_location`
pointing at the `migrations` folder shipped inside the package.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for a database without our tables."""
    with engine.connect().execution_options(counter_write=False) as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision` in one transaction (SQLite and PostgreSQL DDL is transactional)."""
    config = alembic_config(engine)
    with engine.connect().execution_options(counter_write=True) as connection, connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def upgrade_if_behind(engine: Engine, backup: Callable[[], object] | None) -> bool:
    """Upgrade an older ledger to head, calling `backup` first. True if it upgraded."""
    current = current_revision(engine)
    if current == head_revision():
        return False
    if backup is not None:
        backup()
    upgrade(engine)
    return True
