"""Engines for the ledger: a SQLite file set up for a till, or a shared PostgreSQL server.

SQLite: WAL (readers never wait for the writer), `synchronous=FULL` (a committed sale
survives a power cut), foreign keys on, a busy timeout, and every write transaction
opened with `BEGIN IMMEDIATE` so two counters never deadlock upgrading a read lock.
The file is created with mode 0600 (SQLite gives its -wal and -shm files the same mode),
because PIN hashes are in it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import IntegrityError

from counter.domain.errors import KeyTaken
from counter.storage.faults import explain, unique_key

# Connection execution option: True opens the transaction with BEGIN IMMEDIATE on SQLite.
WRITE_OPTION = "counter_write"
PG_CONNECT_TIMEOUT_S = 5


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL, or None (memory, URI filenames, other databases)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return None
    database = parsed.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only (no-op when it exists)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def make_engine(url: str, busy_timeout_ms: int, *, create: bool = False) -> Engine:
    """An engine for the ledger at `url`; `create` makes a missing SQLite file (0600).

    Every database failure leaves it as one of our errors (`_explain_failures`): a
    unique-key clash as KeyTaken, anything else as a StorageError sentence.
    """
    if url.startswith("sqlite"):
        file = sqlite_file(url)
        if file is not None and create:
            create_private_file(file)
        engine = _sqlite_engine(url, busy_timeout_ms)
    else:
        connect_args: dict[str, Any] = {}
        if make_url(url).drivername.startswith("postgresql"):
            connect_args = {
                "connect_timeout": PG_CONNECT_TIMEOUT_S,
                # A lock held by another counter longer than this is an error, not a hang.
                "options": f"-c lock_timeout={busy_timeout_ms}",
            }
        engine = create_engine(url, connect_args=connect_args, pool_pre_ping=True)
    _explain_failures(engine, url, busy_timeout_ms)
    return engine


def _explain_failures(engine: Engine, url: str, busy_timeout_ms: int) -> None:
    """Turn each failure of a statement, a commit or a connect into our own error, at the
    source: no use case ever sees a SQLAlchemy or driver exception."""

    @event.listens_for(engine, "handle_error")
    def _ours(context: ExceptionContext) -> Exception | None:
        error = context.sqlalchemy_exception
        if error is None:
            return None  # not a database failure (a bug in our code): left as it is
        if isinstance(error, IntegrityError):
            key = unique_key(error)
            if key is not None:
                return KeyTaken(key)
        return explain(error, url, busy_timeout_ms=busy_timeout_ms, writing=_writing(context))


def _writing(context: ExceptionContext) -> bool:
    """Whether the failed work was a write (its sentence then says nothing was recorded)."""
    source = context.connection if context.connection is not None else context.engine
    return bool(source is not None and source.get_execution_options().get(WRITE_OPTION))


def _sqlite_engine(url: str, busy_timeout_ms: int) -> Engine:
    # The driver's own transaction handling is switched off (isolation_level=None) and
    # BEGIN is emitted by us, as the SQLAlchemy pysqlite docs recommend.
    engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Reads (the default, e.g. an Inspector) must not take the write lock.
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def snapshot_engine(file: Path, url: str, busy_timeout_ms: int) -> Engine:
    """A read-only engine on a SQLite ledger opened `immutable`: no lock, no shared-memory
    file, so it reads even when the disk is too full for SQLite to make one. Only for a
    ledger with no pending WAL (its every commit is in the file itself)."""
    import sqlite3

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(f"file:{file}?immutable=1", uri=True, check_same_thread=False)

    engine = create_engine("sqlite://", creator=connect)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    _explain_failures(engine, url, busy_timeout_ms)
    return engine
