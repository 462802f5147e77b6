"""Hash chains over sales, voids and audit rows: an edit behind the app's back shows.

Each row stores the previous row's hash and a SHA-256 of its own fields plus that
previous hash. Changing, deleting or inserting a row by hand breaks the chain at that
point; `counter doctor` walks the chains and names the first broken row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from counter.storage.models import (
    AuditRow,
    DayCloseRow,
    DayReopenRow,
    FloatMoveRow,
    SaleRow,
    ShiftCloseRow,
    ShiftRow,
    VoidRow,
)

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
# Version 2 (migration 0007): the shift, the version itself and every payment line.
SALE_FIELDS_V2 = (*SALE_FIELDS, "shift_id", "hash_version", "payments")
PAYMENT_LINE_FIELDS = ("line_no", "tender", "currency", "minor", "reference")
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
SHIFT_FIELDS = (
    "counter_code",
    "business_date",
    "number",
    "opened_at",
    "opened_by",
    "opening_usd_cents",
    "opening_khr",
    "opening_notes",
    "origin",
)
SHIFT_CLOSE_FIELDS = (
    "shift_id",
    "closed_at",
    "counted_by",
    "approved_by",
    "counted_usd_cents",
    "counted_khr",
    "counted_notes",
    "expected_usd_cents",
    "expected_khr",
    "sales_count",
    "sales_cents",
)
DAY_REOPEN_FIELDS = (
    "counter_code",
    "business_date",
    "reopen_no",
    "reopened_at",
    "reopened_by",
    "reason",
    "shift_id",
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


def payment_lines(lines: Sequence[Any]) -> list[list[Any]]:
    """A sale's payment lines as the hash sees them, in line order (rows or mappings)."""

    def value(line: Any, name: str) -> Any:
        return line[name] if isinstance(line, Mapping) else getattr(line, name)

    ordered = sorted(lines, key=lambda line: value(line, "line_no"))
    return [[value(line, f) for f in PAYMENT_LINE_FIELDS] for line in ordered]


def sale_hash(row: SaleRow, prev_hash: str, lines: Sequence[Any] = ()) -> str:
    """A sale's hash as recorded: version 1 over its own columns, version 2 also over its
    shift and its payment lines (`lines`: its `sale_payments` rows)."""
    if (getattr(row, "hash_version", 1) or 1) < 2:
        return _digest("sale", SALE_FIELDS, row, prev_hash)
    values = {name: getattr(row, name) for name in SALE_FIELDS_V2 if name != "payments"}
    return sale_hash_of({**values, "payments": payment_lines(lines)}, prev_hash)


def sale_hash_of(values: Mapping[str, Any], prev_hash: str) -> str:
    """`sale_hash` of a sale given as a mapping of its fields (before it is a row): version
    2 when it has `payments` (its lines, as `payment_lines` gives them)."""
    if "payments" in values:
        return _digest_values("sale", SALE_FIELDS_V2, values, prev_hash)
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


def _day_close_fields(close_no: int | None) -> tuple[str, ...]:
    """A first close is hashed as before 0007; a later one (after a reopening) also over
    its number, so changing a number either way breaks the hash."""
    return DAY_CLOSE_FIELDS if (close_no or 1) == 1 else (*DAY_CLOSE_FIELDS, "close_no")


def day_close_hash(row: DayCloseRow, prev_hash: str) -> str:
    return _digest("day_close", _day_close_fields(row.close_no), row, prev_hash)


def day_close_hash_of(values: Mapping[str, Any], prev_hash: str) -> str:
    fields = _day_close_fields(values.get("close_no"))
    return _digest_values("day_close", fields, values, prev_hash)


def shift_hash(row: ShiftRow, prev_hash: str) -> str:
    return _digest("shift", SHIFT_FIELDS, row, prev_hash)


def shift_hash_of(values: Mapping[str, Any], prev_hash: str) -> str:
    return _digest_values("shift", SHIFT_FIELDS, values, prev_hash)


def shift_close_hash(row: ShiftCloseRow, prev_hash: str) -> str:
    return _digest("shift_close", SHIFT_CLOSE_FIELDS, row, prev_hash)


def shift_close_hash_of(values: Mapping[str, Any], prev_hash: str) -> str:
    return _digest_values("shift_close", SHIFT_CLOSE_FIELDS, values, prev_hash)


def day_reopen_hash(row: DayReopenRow, prev_hash: str) -> str:
    return _digest("day_reopen", DAY_REOPEN_FIELDS, row, prev_hash)


def day_reopen_hash_of(values: Mapping[str, Any], prev_hash: str) -> str:
    return _digest_values("day_reopen", DAY_REOPEN_FIELDS, values, prev_hash)


def float_move_hash(row: FloatMoveRow, prev_hash: str) -> str:
    return _digest("float_move", FLOAT_MOVE_FIELDS, row, prev_hash)


def float_move_hash_of(values: Mapping[str, Any], prev_hash: str) -> str:
    return _digest_values("float_move", FLOAT_MOVE_FIELDS, values, prev_hash)
