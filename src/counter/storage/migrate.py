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
HEAD_REVISION = "0009"
# Every revision this Counter knows, oldest first: a ledger at any other revision was
# made by a newer Counter and is refused before anything is copied or changed.
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009")


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


class NewerLedger(Exception):
    """The ledger is at a revision this Counter does not know (a newer Counter made it)."""

    def __init__(self, revision: str) -> None:
        super().__init__(revision)
        self.revision = revision


def check_known(revision: str | None) -> None:
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise NewerLedger(revision)


def upgrade_if_behind(engine: Engine, backup: Callable[[str], object] | None) -> str | None:
    """Upgrade an older ledger to head, calling `backup(from_revision)` first; the
    revision it upgraded from, or None when it was current. A newer ledger raises
    NewerLedger before anything is done."""
    current = current_revision(engine)
    if current == HEAD_REVISION:
        return None
    check_known(current)
    if backup is not None:
        backup(current or "none")
    upgrade(engine)
    return current or "none"
