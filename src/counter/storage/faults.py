"""Database faults turned into sentences a shop owner can act on, in one place.

The unit of work calls `explain` on any SQLAlchemy/DBAPI error: a full disk, a
read-only file, a lock held too long by another counter, a PostgreSQL server that
is down. Each sentence says what happened and that nothing was recorded.
"""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from counter.domain.errors import CounterError


class StorageError(CounterError):
    """The ledger could not be read or written; the sentence says why and what to do."""


# PostgreSQL SQLSTATE codes we explain.
_PG_DISK_FULL = "53100"
_PG_READ_ONLY = "25006"
_PG_LOCK_TIMEOUT = "55P03"
_PG_QUERY_CANCELED = "57014"
_PG_SERIALIZATION = "40001"
_PG_DEADLOCK = "40P01"


def where(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        return f"the ledger file {parsed.database}"
    host = parsed.host or "localhost"
    port = f":{parsed.port}" if parsed.port else ""
    return f"the PostgreSQL server at {host}{port} (database {parsed.database})"


def explain(exc: SQLAlchemyError, url: str, *, busy_timeout_ms: int, writing: bool) -> StorageError:
    """One clear StorageError for a database failure."""
    outcome = " Nothing was recorded." if writing else ""
    place = where(url)
    original = exc.orig if isinstance(exc, DBAPIError) else None
    text = str(original or exc).lower()
    sqlstate = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    seconds = max(busy_timeout_ms / 1000, 0)
    if "database or disk is full" in text or sqlstate == _PG_DISK_FULL or "no space left" in text:
        return StorageError(
            f"The ledger is full: the disk holding {place} has no space left. "
            f"Free some space, then try again.{outcome}"
        )
    if "readonly database" in text or "read-only" in text or sqlstate == _PG_READ_ONLY:
        return StorageError(
            f"The ledger is read-only: {place} cannot be written. Check the file's permissions "
            f"and that the disk is not mounted read-only.{outcome}"
        )
    if "database is locked" in text or "database is busy" in text or sqlstate in (
        _PG_LOCK_TIMEOUT, _PG_QUERY_CANCELED
    ):
        return StorageError(
            f"The ledger is busy: another counter held it for more than {seconds:g} seconds. "
            f"Try again in a moment.{outcome}"
        )
    if sqlstate in (_PG_SERIALIZATION, _PG_DEADLOCK):
        return StorageError(f"Two counters wrote at the same moment. Try again.{outcome}")
    if "unable to open database file" in text:
        return StorageError(
            f"Cannot open {place}: the folder is missing or not writable.{outcome}"
        )
    if "file is not a database" in text or "malformed" in text:
        return StorageError(
            f"{place[0].upper()}{place[1:]} is damaged (not a valid database). Restore the latest "
            f"backup and run `counter doctor`.{outcome}"
        )
    if _is_connect_failure(text):
        return StorageError(
            f"Cannot reach {place}: check that the server is running and the network is up, "
            f"then try again.{outcome}"
        )
    return StorageError(
        f"The ledger refused the operation ({type(original or exc).__name__}: "
        f"{str(original or exc).splitlines()[0][:200]}). Run `counter doctor`.{outcome}"
    )


def _is_connect_failure(text: str) -> bool:
    return any(
        phrase in text
        for phrase in (
            "connection refused",
            "could not connect",
            "connection failed",
            "timeout expired",
            "server closed the connection",
            "could not translate host name",
            "no route to host",
            "connection timed out",
            "terminating connection",
        )
    )
