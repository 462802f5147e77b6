"""Run the ledger's Alembic migrations from code, backing up a SQLite ledger first.

No `alembic.ini` is needed at run time: the config is built here with `script_location`
pointing at the `migrations` folder shipped inside the package.

Opening a ledger that is already at the current schema (every start of every command)
only reads `alembic_version`: Alembic itself (a third of a second to import) loads only
when there is something to upgrade. `HEAD_REVISION` names the newest migration; a test
checks it against the migrations folder, so a new migration cannot forget it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
HEAD_REVISION = "0008"


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def head_revision() -> str:
    """The newest revision, as the migrations folder says (Alembic reads it)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for a database without our tables."""
    with engine.connect().execution_options(counter_write=False) as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        versions = [
            row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))
        ]
    return versions[0] if len(versions) == 1 else None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision` in one transaction (SQLite and PostgreSQL DDL is transactional)."""
    from alembic import command

    config = alembic_config(engine)
    with engine.connect().execution_options(counter_write=True) as connection, connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def upgrade_if_behind(engine: Engine, backup: Callable[[], object] | None) -> bool:
    """Upgrade an older ledger to head, calling `backup` first. True if it upgraded."""
    if current_revision(engine) == HEAD_REVISION:
        return False
    if backup is not None:
        backup()
    upgrade(engine)
    return True
