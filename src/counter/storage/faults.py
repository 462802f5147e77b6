"""Database faults turned into our own errors, in one place.

The engine (`storage.engine`) hands every SQLAlchemy/DBAPI failure here: a unique-key
clash becomes KeyTaken (which use cases understand), anything else a StorageError whose
sentence says what happened (a full disk, a read-only file, a lock held too long by
another counter, a PostgreSQL server that is down) and that nothing was recorded. What to
do about it is the front end's to say (`StorageError.fault` tells it which kind).
"""

from __future__ import annotations

import os

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from counter.domain.errors import Fault, StorageError
from counter.i18n import _

# PostgreSQL SQLSTATE codes we explain.
_PG_DISK_FULL = "53100"
_PG_READ_ONLY = "25006"
_PG_LOCK_TIMEOUT = "55P03"
_PG_QUERY_CANCELED = "57014"
_PG_SERIALIZATION = "40001"
_PG_DEADLOCK = "40P01"
_PG_UNIQUE = "23505"
_PG_GONE = ("57P01", "57P02", "57P03")  # admin shutdown, crash shutdown, cannot connect now

# Which record a unique constraint guards (PostgreSQL names it, SQLite lists its columns).
_UNIQUE_KEYS = (
    (("uq_sales_idempotency_key", "sales.idempotency_key"), "sale"),
    (
        ("uq_sales_receipt_no", "uq_sales_counter_seq", "sales.receipt_no", "sales.counter_code"),
        "receipt",
    ),
    (("uq_voids_sale_id", "voids.sale_id"), "void"),
    (("uq_users_name", "users.name"), "user"),
    (("pk_users", "users.id"), "user_id"),
    (("pk_counters", "counters.code"), "counter"),
    (("uq_opening_floats_counter_day", "opening_floats."), "opening_cash"),
    (("uq_day_closes_counter_day", "day_closes."), "day_close"),
    (("uq_shifts_counter_day_no", "shifts."), "shift"),
    (("uq_shift_closes_shift_id", "shift_closes."), "shift_close"),
    (("uq_day_reopens_counter_day_no", "day_reopens."), "day_reopen"),
    (("uq_sale_payments_sale_line", "sale_payments."), "payment_line"),
    (("pk_chain_heads", "chain_heads."), "chain"),
    (("uq_deliveries_provider_ref", "deliveries.provider_ref"), "delivery_ref"),
    (("uq_deliveries_sale_id", "uq_deliveries_reference", "deliveries."), "delivery"),
    (("uq_refunds_sale_id", "uq_refunds_delivery_id", "refunds."), "refund"),
)


def where(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        return _("the ledger file {file}").format(file=parsed.database)
    host = parsed.host or "localhost"
    port = f":{parsed.port}" if parsed.port else ""
    return _("the PostgreSQL server at {server} (database {database})").format(
        server=f"{host}{port}", database=parsed.database
    )


def unique_key(error: IntegrityError) -> str | None:
    """The record a unique-key clash is about (`sale`, `void`, ...), or None for another
    integrity failure (a foreign key, a check)."""
    original = error.orig
    sqlstate = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    diag = getattr(original, "diag", None)
    text = str(original or error)
    if sqlstate == _PG_UNIQUE:
        text = f"{getattr(diag, 'constraint_name', '') or ''} {text}"
    elif "UNIQUE constraint failed" not in text:
        return None
    for names, key in _UNIQUE_KEYS:
        if any(name in text for name in names):
            return key
    return "record"


def explain(exc: SQLAlchemyError, url: str, *, busy_timeout_ms: int, writing: bool) -> StorageError:
    """One clear StorageError for a database failure."""
    original = exc.orig if isinstance(exc, DBAPIError) else None
    fault = _kind(str(original or exc).lower(), _sqlstate(original))
    place = where(url)
    if fault is Fault.FULL or (fault is Fault.REFUSED and short_of_space(url)):
        fault = Fault.FULL
        text = _(
            "The disk is full: the disk holding {place} has no space left. "
            "Free some space, then try again."
        ).format(place=place)
    elif fault is Fault.READ_ONLY:
        text = _(
            "The ledger is read-only: {place} cannot be written. Check the file's permissions "
            "and that the disk is not mounted read-only."
        ).format(place=place)
    elif fault is Fault.BUSY:
        text = _(
            "The ledger is busy: another counter held it for more than {seconds:g} seconds. "
            "Try again in a moment."
        ).format(seconds=max(busy_timeout_ms / 1000, 0))
    elif fault is Fault.CONFLICT and _sqlstate(original) == _PG_DEADLOCK:
        text = _(
            "Two counters waited for each other and the ledger stopped one of them. Try again."
        )
    elif fault is Fault.CONFLICT:
        text = _("Two counters wrote at the same moment. Try again.")
    elif fault is Fault.CANNOT_OPEN:
        text = _("Cannot open {place}: the folder is missing or not writable.").format(place=place)
    elif fault is Fault.DAMAGED:
        text = _("{place} is damaged (not a valid database).").format(
            place=f"{place[0].upper()}{place[1:]}"
        )
    elif fault is Fault.UNREACHABLE:
        text = _(
            "Cannot reach {place}: check that the server is running and the network is up, "
            "then try again."
        ).format(place=place)
    else:
        # The driver's own words stay out of the sentence: only the database's error code.
        text = _("The ledger refused the operation (database error {code}).").format(
            code=error_code(original or exc)
        )
    outcome = " " + _("Nothing was recorded.") if writing else ""
    return StorageError(text + outcome, fault=fault)


# Below this much free space SQLite cannot make its 32 KiB shared-memory file, and even
# a read fails with a "disk I/O error": that is a full disk, and is said so.
LOW_SPACE_BYTES = 64 * 1024


def short_of_space(url: str) -> bool:
    """Whether the disk holding a SQLite ledger has less than LOW_SPACE_BYTES free."""
    parsed = make_url(url)
    database = parsed.database or ""
    if not parsed.drivername.startswith("sqlite") or not database or database.startswith(":"):
        return False
    try:
        found = os.statvfs(os.path.dirname(os.path.abspath(database)) or ".")
    except OSError:
        return False
    return found.f_bavail * found.f_frsize < LOW_SPACE_BYTES


def error_code(error: object) -> str:
    """The database's code for an error (PostgreSQL's SQLSTATE, SQLite's result name), or
    the kind of error: never the driver's message, which may hold SQL or customers' data."""
    return _sqlstate(error) or getattr(error, "sqlite_errorname", None) or type(error).__name__


def _sqlstate(original: object) -> str | None:
    code = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return str(code) if code else None


def _kind(text: str, sqlstate: str | None) -> Fault:
    """Which kind of failure the driver's words (or PostgreSQL's SQLSTATE) describe."""
    if "database or disk is full" in text or sqlstate == _PG_DISK_FULL or "no space left" in text:
        return Fault.FULL
    if "readonly database" in text or "read-only" in text or sqlstate == _PG_READ_ONLY:
        return Fault.READ_ONLY
    if (
        "database is locked" in text
        or "database is busy" in text
        or sqlstate in (_PG_LOCK_TIMEOUT, _PG_QUERY_CANCELED)
    ):
        return Fault.BUSY
    if sqlstate in (_PG_SERIALIZATION, _PG_DEADLOCK):
        return Fault.CONFLICT
    if "unable to open database file" in text:
        return Fault.CANNOT_OPEN
    if "file is not a database" in text or "malformed" in text:
        return Fault.DAMAGED
    if _is_connect_failure(text) or _connection_lost(sqlstate):
        return Fault.UNREACHABLE
    return Fault.REFUSED


def _connection_lost(sqlstate: str | None) -> bool:
    """PostgreSQL's connection exceptions (class 08) and its shutting down (57P01-57P03)."""
    return sqlstate is not None and (sqlstate.startswith("08") or sqlstate in _PG_GONE)


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
            "connection is lost",
            "connection is closed",
            "consuming input failed",
            "ssl syscall error",
            "server conn crashed",
        )
    )
