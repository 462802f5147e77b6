"""Hash chains over sales, voids and audit rows: an edit behind the app's back shows.

Each row stores the previous row's hash and a SHA-256 of its own fields plus that
previous hash. Changing, deleting or inserting a row by hand breaks the chain at that
point; `counter doctor` walks the chains and names the first broken row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from counter.storage.models import AuditRow, DayCloseRow, FloatMoveRow, SaleRow, VoidRow

SALE_FIELDS = (
    "receipt_no",
    "counter_code",
    "receipt_seq",
    "clerk_id",
    "created_at",
    "business_date",
    "operator_id",
    "msisdn",
    "msisdn_rev",
    "amount_cents",
    "validity_days",
    "paid_currency",
    "paid_minor",
    "riel_per_usd",
    "change_usd_cents",
    "change_khr",
    "rounding_khr",
    "operator_ref",
    "idempotency_key",
)
VOID_FIELDS = ("sale_id", "requested_by", "approved_by", "created_at", "reason")
AUDIT_FIELDS = ("at", "actor", "action", "detail")
DAY_CLOSE_FIELDS = (
    "counter_code",
    "business_date",
    "closed_at",
    "closed_by",
    "counted_by",
    "opening_usd_cents",
    "opening_khr",
    "expected_usd_cents",
    "expected_khr",
    "counted_usd_cents",
    "counted_khr",
    "sales_count",
    "sales_cents",
)
FLOAT_MOVE_FIELDS = ("operator_id", "kind", "amount_cents", "ref", "reason", "by_user", "at")


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything the ledger stores is UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return as_utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _digest(kind: str, fields: tuple[str, ...], row: Any, prev_hash: str) -> str:
    return _digest_values(kind, fields, {name: getattr(row, name) for name in fields}, prev_hash)


def _digest_values(
    kind: str, fields: tuple[str, ...], values: Mapping[str, Any], prev_hash: str
) -> str:
    """The one hashing rule, over plain values: rows written with Core statements hash
    exactly like the rows `counter doctor` reads back with the same field values."""
    body = {name: _canonical(values[name]) for name in fields}
    text = json.dumps(
        [kind, prev_hash, body], sort_keys=True, ensure_ascii=True, separators=(",", ":")
    )
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def sale_hash(row: SaleRow, prev_hash: str) -> str:
    return _digest("sale", SALE_FIELDS, row, prev_hash)


def sale_hash_of(values: Mapping[str, Any], prev_hash: str) -> str:
    """`sale_hash` of a sale given as a mapping of its fields (before it is a row)."""
    return _digest_values("sale", SALE_FIELDS, values, prev_hash)


def void_hash(row: VoidRow, prev_hash: str) -> str:
    return _digest("void", VOID_FIELDS, row, prev_hash)


def void_hash_of(values: Mapping[str, Any], prev_hash: str) -> str:
    return _digest_values("void", VOID_FIELDS, values, prev_hash)


def audit_hash(row: AuditRow, prev_hash: str) -> str:
    return _digest("audit", AUDIT_FIELDS, row, prev_hash)


def audit_hash_of(values: Mapping[str, Any], prev_hash: str) -> str:
    """`audit_hash` of an audit entry given as a mapping of its fields."""
    return _digest_values("audit", AUDIT_FIELDS, values, prev_hash)


def day_close_hash(row: DayCloseRow, prev_hash: str) -> str:
    return _digest("day_close", DAY_CLOSE_FIELDS, row, prev_hash)


def day_close_hash_of(values: Mapping[str, Any], prev_hash: str) -> str:
    return _digest_values("day_close", DAY_CLOSE_FIELDS, values, prev_hash)


def float_move_hash(row: FloatMoveRow, prev_hash: str) -> str:
    return _digest("float_move", FLOAT_MOVE_FIELDS, row, prev_hash)


def float_move_hash_of(values: Mapping[str, Any], prev_hash: str) -> str:
    return _digest_values("float_move", FLOAT_MOVE_FIELDS, values, prev_hash)
