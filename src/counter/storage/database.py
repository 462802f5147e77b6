"""One ledger database: its engine, its units of work, its schema and its backups.

Given plain values (the URL, the busy timeout), never the settings: `counter.bootstrap`
reads those and builds this.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError

from counter.domain.errors import BackupByServer, CounterError, Fault, StorageError
from counter.i18n import _
from counter.storage import migrate
from counter.storage.engine import create_private_file, make_engine, sqlite_file
from counter.storage.faults import explain
from counter.storage.uow import SqlUnitOfWork


class LedgerDatabase:
    """The ledger at `url`. `uow()` opens one transaction; `close()` disposes the engine."""

    def __init__(self, url: str, busy_timeout_ms: int) -> None:
        self.url = url
        self.busy_timeout_ms = busy_timeout_ms
        self.file = sqlite_file(url)
        self.engine = make_engine(url, busy_timeout_ms)

    def uow(self, *, write: bool = True) -> SqlUnitOfWork:
        """A new unit of work; `write=False` for queries (no write lock on SQLite)."""
        return SqlUnitOfWork(self.engine, self.url, self.busy_timeout_ms, write=write)

    def close(self) -> None:
        self.engine.dispose()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def exists(self) -> bool:
        """False when the ledger is a SQLite file that is not there yet."""
        return self.file is None or self.file.exists()

    def has_shop(self) -> bool:
        """True when the shop is set up; a server that cannot be reached is a StorageError."""
        if not self.exists():
            return False
        try:
            if not inspect(self.engine).has_table("shop"):
                return False
        except SQLAlchemyError as exc:
            raise self._fault(exc) from exc
        with self.uow(write=False) as uow:
            return uow.shop.info("", 0) is not None

    def create(self) -> None:
        """A new ledger: the file (mode 0600) and every table, in one transaction."""
        if self.file is not None:
            create_private_file(self.file)
        self._migrate(lambda: migrate.upgrade(self.engine))

    def upgrade_if_behind(self, backup: Callable[[], object] | None) -> bool:
        """Bring an older ledger to the current schema, calling `backup` first."""
        upgraded: list[bool] = []
        self._migrate(lambda: upgraded.append(migrate.upgrade_if_behind(self.engine, backup)))
        return upgraded[0]

    def _migrate(self, step: Callable[[], object]) -> None:
        try:
            step()
        except SQLAlchemyError as exc:
            raise self._fault(exc, writing=True) from exc

    def _fault(self, exc: SQLAlchemyError, *, writing: bool = False) -> StorageError:
        return explain(exc, self.url, busy_timeout_ms=self.busy_timeout_ms, writing=writing)

    def backup(self, to: Path) -> Path:
        """Copy a SQLite ledger to `to` with the online backup API, then check the copy."""
        if self.file is None:
            raise BackupByServer()
        return backup_sqlite(self.file, to, self.busy_timeout_ms)


def backup_sqlite(file: Path, to: Path, busy_timeout_ms: int) -> Path:
    """A consistent, integrity-checked copy of the SQLite ledger `file` at `to` (never over
    an existing file)."""
    if to.exists():
        raise CounterError(
            _("{path} already exists: choose another file, a backup never overwrites.").format(
                path=to
            )
        )
    try:
        create_private_file(to)
        source = sqlite3.connect(f"file:{file}?mode=ro", uri=True, timeout=busy_timeout_ms / 1000)
        try:
            target = sqlite3.connect(to)
            try:
                source.backup(target)
                result = target.execute("PRAGMA integrity_check").fetchall()
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        to.unlink(missing_ok=True)
        raise StorageError(
            _("The backup to {path} failed ({reason}); the ledger itself is unchanged.").format(
                path=to, reason=exc
            ),
            fault=Fault.BACKUP,
        ) from None
    except OSError as exc:
        to.unlink(missing_ok=True)
        raise StorageError(
            _("Cannot write the backup {path}: {reason}.").format(path=to, reason=exc.strerror),
            fault=Fault.BACKUP,
        ) from None
    if result != [("ok",)]:
        raise StorageError(
            _("The backup {path} fails its integrity check: {result}.").format(
                path=to, result=result[:3]
            ),
            fault=Fault.DAMAGED,
        )
    return to
