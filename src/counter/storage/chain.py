"""Hash chains: every table that decides money, rights or numbering, and its one hashing rule.

Each chained row stores the previous row's hash and a SHA-256 of its own fields plus that
previous hash; the chain's head (its length and last hash) is kept in `chain_heads`
(each counter's sales: on its `counters` row) with a keyed seal (`storage.anchors`).
Changing, deleting or inserting a row by hand breaks the chain at that point; `counter
doctor` walks every chain and names the first broken row.

The SHA-256 rule is public: anyone who can write the file and read this code can
recompute a chain. What they cannot recompute without the witness key is the heads'
seals, the codes on paper and the witness log (see docs/reliability.md).

To add a chain: give the table `prev_hash` and `row_hash` columns, add a `Chain` to
`CHAINS` below (its head name, hash kind, fields in hash order, label), create its head
row in a migration, and append rows with `ChainWriter.append` (storage.repositories.
common). `doctor` then walks it, checks its head and seal, and the witness log and
checkpoints carry it, with no other change.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from counter.i18n import N_, LazyString

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
OPENING_FIELDS = ("counter_code", "business_date", "usd_cents", "khr", "recorded_by", "recorded_at")
USER_RECORD_FIELDS = ("user_id", "name", "role", "active", "pin_digest", "action", "at")
SETTING_FIELDS = ("key", "value", "at")
CHECKPOINT_FIELDS = ("at", "counter_code", "reason", "ref", "heads")
GAP_FIELDS = ("counter_code", "first_seq", "last_seq", "business_date", "at", "reason")
PRINT_MARK_FIELDS = ("sale_id", "mark", "at")
REFUND_FIELDS = (
    "sale_id",
    "delivery_id",
    "business_date",
    "created_at",
    "usd_cents",
    "khr",
    "amount_cents",
    "state",
    "reason",
    "by_name",
)
KHQR_REQUEST_FIELDS = (
    "counter_code",
    "seq",
    "bill_number",
    "md5",
    "payload",
    "currency",
    "minor",
    "msisdn",
    "amount_cents",
    "riel_per_usd",
    "created_at",
    "expires_at",
    "clerk_id",
    "clerk_name",
)
KHQR_CHANGE_FIELDS = (
    "request_id",
    "md5",
    "seq",
    "state",
    "previous",
    "at",
    "actor",
    "bank_ref",
    "sale_id",
    "reason",
)

SALES_PREFIX = "sales:"  # the head name of a counter's sales chain: `sales:A`


def sales_chain(counter_code: str) -> str:
    return f"{SALES_PREFIX}{counter_code}"


@dataclass(frozen=True)
class Chain:
    """One chained table: where its head is kept, how its rows hash, how doctor names it."""

    name: str  # its row in `chain_heads`
    kind: str  # the hash's domain tag
    table: str
    fields: tuple[str, ...]
    label: LazyString  # a msgid: "Void 12: ..." in doctor's sentences
    # A field hashed only when above 1: a first day close is hashed as before 0007, a
    # later one (after a reopening) also over its number, so changing it breaks the hash.
    numbered: str | None = None

    def fields_for(self, value: Callable[[str], Any]) -> tuple[str, ...]:
        """The fields a row hashes over, given how to read one of its values."""
        if self.numbered is None or (value(self.numbered) or 1) == 1:
            return self.fields
        return (*self.fields, self.numbered)


VOID_CHAIN = Chain("voids", "void", "voids", VOID_FIELDS, N_("Void"))
AUDIT_CHAIN = Chain("audit", "audit", "audit_log", AUDIT_FIELDS, N_("Audit row"))
DAY_CLOSE_CHAIN = Chain(
    "day_closes", "day_close", "day_closes", DAY_CLOSE_FIELDS, N_("Day close"), "close_no"
)
FLOAT_CHAIN = Chain("float_moves", "float_move", "float_moves", FLOAT_MOVE_FIELDS, N_("Float move"))
OPENING_CHAIN = Chain(
    "opening_cash", "opening_cash", "opening_floats", OPENING_FIELDS, N_("Opening cash")
)
USER_CHAIN = Chain("users", "user", "user_records", USER_RECORD_FIELDS, N_("User record"))
SETTING_CHAIN = Chain(
    "settings", "setting", "setting_changes", SETTING_FIELDS, N_("Setting change")
)
CHECKPOINT_CHAIN = Chain(
    "checkpoints", "checkpoint", "checkpoints", CHECKPOINT_FIELDS, N_("Checkpoint")
)
GAP_CHAIN = Chain("receipt_gaps", "receipt_gap", "receipt_gaps", GAP_FIELDS, N_("Receipt gap"))
MARK_CHAIN = Chain("print_marks", "print_mark", "print_marks", PRINT_MARK_FIELDS, N_("Print mark"))
SHIFT_CHAIN = Chain("shifts", "shift", "shifts", SHIFT_FIELDS, N_("Shift"))
SHIFT_CLOSE_CHAIN = Chain(
    "shift_closes", "shift_close", "shift_closes", SHIFT_CLOSE_FIELDS, N_("Shift close")
)
REOPEN_CHAIN = Chain(
    "day_reopens", "day_reopen", "day_reopens", DAY_REOPEN_FIELDS, N_("Day reopening")
)
REFUND_CHAIN = Chain("refunds", "refund", "refunds", REFUND_FIELDS, N_("Refund"))
KHQR_REQUEST_CHAIN = Chain(
    "khqr_requests", "khqr_request", "khqr_requests", KHQR_REQUEST_FIELDS, N_("KHQR request")
)
KHQR_CHANGE_CHAIN = Chain(
    "khqr_changes", "khqr_change", "khqr_changes", KHQR_CHANGE_FIELDS, N_("KHQR change")
)

# Every chain but the per-counter ones (sales; deliveries, in `chain_delivery`), in the
# order doctor walks them.
CHAINS: tuple[Chain, ...] = (
    VOID_CHAIN,
    AUDIT_CHAIN,
    DAY_CLOSE_CHAIN,
    FLOAT_CHAIN,
    OPENING_CHAIN,
    USER_CHAIN,
    SETTING_CHAIN,
    CHECKPOINT_CHAIN,
    GAP_CHAIN,
    MARK_CHAIN,
    SHIFT_CHAIN,
    SHIFT_CLOSE_CHAIN,
    REOPEN_CHAIN,
    REFUND_CHAIN,
    KHQR_REQUEST_CHAIN,
    KHQR_CHANGE_CHAIN,
)
BY_NAME = {chain.name: chain for chain in CHAINS}


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


def digest(kind: str, fields: tuple[str, ...], values: Mapping[str, Any], prev_hash: str) -> str:
    """The one hashing rule, over plain values: rows written with Core statements hash
    exactly like the rows `counter doctor` reads back with the same field values."""
    body = {name: _canonical(values[name]) for name in fields}
    text = json.dumps(
        [kind, prev_hash, body], sort_keys=True, ensure_ascii=True, separators=(",", ":")
    )
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def row_digest(chain: Chain, row: Any, prev_hash: str) -> str:
    """The hash a row of `chain` (anything with its fields as attributes) must have."""
    fields = chain.fields_for(lambda name: getattr(row, name))
    return digest(chain.kind, fields, {name: getattr(row, name) for name in fields}, prev_hash)


def payment_lines(lines: Sequence[Any]) -> list[list[Any]]:
    """A sale's payment lines as the hash sees them, in line order (rows or mappings)."""

    def value(line: Any, name: str) -> Any:
        return line[name] if isinstance(line, Mapping) else getattr(line, name)

    ordered = sorted(lines, key=lambda line: value(line, "line_no"))
    return [[value(line, f) for f in PAYMENT_LINE_FIELDS] for line in ordered]


def sale_hash(row: Any, prev_hash: str, lines: Sequence[Any] = ()) -> str:
    """A sale's hash as recorded: version 1 over its own columns, version 2 also over its
    shift and its payment lines (`lines`: its `sale_payments` rows)."""
    if (getattr(row, "hash_version", 1) or 1) < 2:
        return digest(
            "sale", SALE_FIELDS, {name: getattr(row, name) for name in SALE_FIELDS}, prev_hash
        )
    values = {name: getattr(row, name) for name in SALE_FIELDS_V2 if name != "payments"}
    return sale_hash_of({**values, "payments": payment_lines(lines)}, prev_hash)


def sale_hash_of(values: Mapping[str, Any], prev_hash: str) -> str:
    """`sale_hash` of a sale given as a mapping of its fields (before it is a row): version
    2 when it has `payments` (its lines, as `payment_lines` gives them)."""
    if "payments" in values:
        return digest("sale", SALE_FIELDS_V2, values, prev_hash)
    return digest("sale", SALE_FIELDS, values, prev_hash)


def audit_hash_of(values: Mapping[str, Any], prev_hash: str) -> str:
    return digest("audit", AUDIT_FIELDS, values, prev_hash)


def pin_digest(pin_hash: str) -> str:
    """What the users chain keeps of a PIN hash: enough to see it changed, nothing to guess."""
    return hashlib.sha256(pin_hash.encode("utf-8")).hexdigest()
