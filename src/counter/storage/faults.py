"""Database faults turned into sentences a shop owner can act on, in one place.

The unit of work calls `explain` on any SQLAlchemy/DBAPI error: a full disk, a
read-only file, a lock held too long by another counter, a PostgreSQL server that
is down. Each sentence says what happened and that nothing was recorded.
"""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from counter.domain.errors import CounterError
from counter.i18n import _


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
        return _("the ledger file {file}").format(file=parsed.database)
    host = parsed.host or "localhost"
    port = f":{parsed.port}" if parsed.port else ""
    return _("the PostgreSQL server at {server} (database {database})").format(
        server=f"{host}{port}", database=parsed.database
    )


def explain(exc: SQLAlchemyError, url: str, *, busy_timeout_ms: int, writing: bool) -> StorageError:
    """One clear StorageError for a database failure."""
    outcome = " " + _("Nothing was recorded.") if writing else ""
    place = where(url)
    original = exc.orig if isinstance(exc, DBAPIError) else None
    text = str(original or exc).lower()
    sqlstate = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    seconds = max(busy_timeout_ms / 1000, 0)
    if "database or disk is full" in text or sqlstate == _PG_DISK_FULL or "no space left" in text:
        return StorageError(
            _(
                "The ledger is full: the disk holding {place} has no space left. "
                "Free some space, then try again."
            ).format(place=place)
            + outcome
        )
    if "readonly database" in text or "read-only" in text or sqlstate == _PG_READ_ONLY:
        return StorageError(
            _(
                "The ledger is read-only: {place} cannot be written. Check the file's permissions "
                "and that the disk is not mounted read-only."
            ).format(place=place)
            + outcome
        )
    if (
        "database is locked" in text
        or "database is busy" in text
        or sqlstate in (_PG_LOCK_TIMEOUT, _PG_QUERY_CANCELED)
    ):
        return StorageError(
            _(
                "The ledger is busy: another counter held it for more than {seconds:g} seconds. "
                "Try again in a moment."
            ).format(seconds=seconds)
            + outcome
        )
    if sqlstate in (_PG_SERIALIZATION, _PG_DEADLOCK):
        return StorageError(_("Two counters wrote at the same moment. Try again.") + outcome)
    if "unable to open database file" in text:
        return StorageError(
            _("Cannot open {place}: the folder is missing or not writable.").format(place=place)
            + outcome
        )
    if "file is not a database" in text or "malformed" in text:
        return StorageError(
            _(
                "{place} is damaged (not a valid database). Restore the latest "
                "backup and run `counter doctor`."
            ).format(place=f"{place[0].upper()}{place[1:]}")
            + outcome
        )
    if _is_connect_failure(text):
        return StorageError(
            _(
                "Cannot reach {place}: check that the server is running and the network is up, "
                "then try again."
            ).format(place=place)
            + outcome
        )
    return StorageError(
        _("The ledger refused the operation ({error}: {detail}). Run `counter doctor`.").format(
            error=type(original or exc).__name__, detail=str(original or exc).splitlines()[0][:200]
        )
        + outcome
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
