"""One ledger database: its engine, its units of work, its schema, its seals and backups.

Given plain values (the URL, the busy timeout, the witness key), never the settings:
`counter.bootstrap` reads those and builds this.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, inspect, select, text, update
from sqlalchemy.exc import SQLAlchemyError

from counter.domain.errors import (
    BackupByServer,
    CounterError,
    Fault,
    NewerLedger,
    StorageError,
)
from counter.files import new_partial, publish
from counter.i18n import _
from counter.storage import migrate
from counter.storage.anchors import Sealer
from counter.storage.engine import (
    create_private_file,
    make_engine,
    snapshot_engine,
    sqlite_file,
)
from counter.storage.faults import explain, short_of_space, where
from counter.storage.repositories.common import COUNTERS, HEADS
from counter.storage.repositories.dayend import ensure_float_rows
from counter.storage.uow import SqlUnitOfWork
from counter.storage.witness import WitnessLog

# The advisory lock key of a set-up (`setting_up`): "counter init" as a 64-bit number.
SETUP_LOCK = int.from_bytes(b"ctrinit\x00", "big") >> 1


class LedgerDatabase:
    """The ledger at `url`. `uow()` opens one transaction; `close()` disposes the engine."""

    def __init__(self, url: str, busy_timeout_ms: int, witness_key: bytes | None = None) -> None:
        self.url = url
        self.busy_timeout_ms = busy_timeout_ms
        self.file = sqlite_file(url)
        self.engine = make_engine(url, busy_timeout_ms)
        self.sealer = Sealer(witness_key)
        self.witness: WitnessLog | None = None
        self._snapshot: Engine | None = None

    def uow(self, *, write: bool = True) -> SqlUnitOfWork:
        """A new unit of work; `write=False` for queries (no write lock on SQLite)."""
        return SqlUnitOfWork(
            self.engine if write else self.reader(),
            self.url,
            self.busy_timeout_ms,
            write=write,
            sealer=self.sealer,
            witness=self.witness,
        )

    def reader(self) -> Engine:
        """The engine for reads: the ledger's own, or, on a SQLite disk too full for the
        shared-memory file (below 64 KiB free) and with no pending WAL, a snapshot engine
        that still reads the file (writes then say the disk is full)."""
        file = self.file
        if file is None or not short_of_space(self.url) or _pending_wal(file):
            return self.engine
        if self._snapshot is None:
            self._snapshot = snapshot_engine(file, self.url, self.busy_timeout_ms)
        return self._snapshot

    def close(self) -> None:
        self.engine.dispose()
        if self._snapshot is not None:
            self._snapshot.dispose()

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
            if not inspect(self.reader()).has_table("shop"):
                return False
        except SQLAlchemyError as exc:
            raise self._fault(exc) from exc
        with self.uow(write=False) as uow:
            return uow.shop.info("", 0) is not None

    @contextmanager
    def setting_up(self) -> Iterator[None]:
        """One set-up at a time on a shared PostgreSQL ledger: a transaction-scoped advisory
        lock held (on a connection of its own) around the check for a shop, the schema and
        the shop's first rows, so two machines running `init` at once never build the
        schema together; the second waits, then finds the shop set up. Released when the
        set-up ends or its process dies. A SQLite file needs none (its file is made
        exclusively)."""
        if self.is_sqlite:
            yield
            return
        try:
            connection = self.engine.connect()
            transaction = connection.begin()
            connection.execute(text("SET LOCAL lock_timeout = '60s'"))
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SETUP_LOCK})
        except SQLAlchemyError as exc:
            raise self._fault(exc, writing=True) from exc
        try:
            yield
        finally:
            try:
                transaction.rollback()
            finally:
                connection.close()

    def create(self, operators: Iterable[str] = ()) -> None:
        """A new ledger: the file (mode 0600), every table and chain head (sealed), and the
        operators' balance rows, so the first sales at several counters never race."""
        if self.file is not None:
            create_private_file(self.file)
        self._migrate(lambda: migrate.upgrade(self.engine))
        self.seal_unsealed()
        self.ensure_rows(operators)

    def ensure_rows(self, operators: Iterable[str]) -> None:
        """The operators' balance rows, made before their first sale and never twice
        (`INSERT ... ON CONFLICT DO NOTHING`): at set-up, and at start for an operator new
        in the rules file. Only read when every row is there (no write lock at start)."""
        wanted = set(operators)
        if not wanted:
            return
        with self.uow(write=False) as look:
            missing = wanted - set(look.floats.balances())
        if not missing:
            return
        with self.uow() as uow:
            ensure_float_rows(uow.connection, sorted(missing))
            uow.commit()

    def revision(self) -> str | None:
        try:
            return migrate.current_revision(self.reader())
        except SQLAlchemyError as exc:
            raise self._fault(exc) from exc

    def check_schema_version(self) -> None:
        """A ledger made by a newer Counter: NewerLedger, with no copy and no change."""
        try:
            migrate.check_known(self.revision())
        except migrate.NewerLedger as newer:
            raise NewerLedger(
                where(self.url)[:1].upper() + where(self.url)[1:],
                newer.revision,
                migrate.HEAD_REVISION,
            ) from None

    def upgrade_if_behind(self, backup: Callable[[str], object] | None) -> bool:
        """Bring an older ledger to the current schema, calling `backup(revision)` first;
        a ledger that gains the seals (0006) or new chains (0008) has its heads sealed as found."""
        self.check_schema_version()
        if self.revision() == migrate.HEAD_REVISION:
            return False  # read only: a start on a full disk still reads
        upgraded: list[str | None] = []
        self._migrate(lambda: upgraded.append(migrate.upgrade_if_behind(self.engine, backup)))
        if upgraded[0] is None:
            return False
        self.seal_unsealed()
        return True

    def seal_unsealed(self) -> int:
        """Seal every chain head and counter that has no seal yet: only right after the
        migration that adds seals (the heads are taken as found), never on a normal start,
        so a seal removed by hand stays missing. The number of seals written."""
        sealer = self.sealer
        written = 0
        with self.uow() as uow:
            conn = uow.connection
            for name, length, last_hash in conn.execute(
                select(HEADS.c.name, HEADS.c.length, HEADS.c.last_hash).where(
                    HEADS.c.seal.is_(None)
                )
            ).all():
                seal = sealer.head(name, int(length), last_hash)
                conn.execute(update(HEADS).where(HEADS.c.name == name).values(seal=seal))
                written += 1
            for code, next_receipt, last_hash, closed in conn.execute(
                select(
                    COUNTERS.c.code,
                    COUNTERS.c.next_receipt,
                    COUNTERS.c.last_sale_hash,
                    COUNTERS.c.last_closed_day,
                ).where(COUNTERS.c.seal.is_(None))
            ).all():
                seal = sealer.counter(code, int(next_receipt), last_hash, closed)
                conn.execute(update(COUNTERS).where(COUNTERS.c.code == code).values(seal=seal))
                written += 1
            uow.commit()
        return written

    def _migrate(self, step: Callable[[], object]) -> None:
        try:
            step()
        except SQLAlchemyError as exc:
            raise self._fault(exc, writing=True) from exc

    def _fault(self, exc: SQLAlchemyError, *, writing: bool = False) -> StorageError:
        return explain(exc, self.url, busy_timeout_ms=self.busy_timeout_ms, writing=writing)

    def backup(self, to: Path, check: Callable[[Path], list[str]] | None = None) -> Path:
        """Copy a SQLite ledger to `to` with the online backup API, check the copy, publish it."""
        if self.file is None:
            raise BackupByServer()
        return backup_sqlite(self.file, to, self.busy_timeout_ms, check)


def backup_sqlite(
    file: Path, to: Path, busy_timeout_ms: int, check: Callable[[Path], list[str]] | None = None
) -> Path:
    """A consistent, checked copy of the SQLite ledger `file` at `to` (never over an existing
    file): written under a temporary name beside `to`, its integrity checked (and `check`
    run on it, the copy's own doctor), flushed to disk, then renamed onto `to`. A backup
    killed half-way leaves a `.partial` file, never a file under the backup's name."""
    if to.exists() or to.is_symlink():
        raise CounterError(
            _("{path} already exists: choose another file, a backup never overwrites.").format(
                path=to
            )
        )
    partial: Path | None = None
    try:
        partial = new_partial(to)
        _copy(file, partial, busy_timeout_ms)
        problems = check(partial) if check is not None else []
        if problems:
            raise StorageError(
                _("The backup copy fails its check ({problem}); nothing was kept.").format(
                    problem=problems[0]
                ),
                fault=Fault.DAMAGED,
            )
        if to.exists():
            raise CounterError(
                _("{path} already exists: choose another file, a backup never overwrites.").format(
                    path=to
                )
            )
        publish(partial, to)
        partial = None
    except sqlite3.Error as exc:
        raise StorageError(
            _("The backup to {path} failed ({reason}); the ledger itself is unchanged.").format(
                path=to, reason=exc
            ),
            fault=Fault.BACKUP,
        ) from None
    except OSError as exc:
        raise StorageError(
            _("Cannot write the backup {path}: {reason}.").format(path=to, reason=exc.strerror),
            fault=Fault.BACKUP,
        ) from None
    finally:
        if partial is not None:
            for leftover in (partial, *_companions(partial)):
                leftover.unlink(missing_ok=True)
    return to


def _pending_wal(file: Path) -> bool:
    """Whether the ledger's WAL holds commits not yet copied into the file."""
    wal = file.with_name(file.name + "-wal")
    try:
        return wal.stat().st_size > 0
    except FileNotFoundError:
        return False


def _companions(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _copy(file: Path, partial: Path, busy_timeout_ms: int) -> None:
    """The online backup of `file` into `partial`, a single self-contained file, checked."""
    source = sqlite3.connect(f"file:{file}?mode=ro", uri=True, timeout=busy_timeout_ms / 1000)
    try:
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
            result = target.execute("PRAGMA integrity_check").fetchall()
        finally:
            target.close()
    finally:
        source.close()
    if result != [("ok",)]:
        raise StorageError(
            _("The backup copy fails its integrity check: {result}.").format(result=result[:3]),
            fault=Fault.DAMAGED,
        )
