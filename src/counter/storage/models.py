"""The ledger's tables as SQLAlchemy 2.0 typed models.

Money is always an integer of minor units (cents, whole riel), never Numeric or Float.
Sales, voids and audit rows are only ever inserted; each carries the hash of the row
before it in its chain, so an edit made outside the app shows up in `counter doctor`.
Migrations (storage/migrations) create these tables; `create_all` is for tests only.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

# Re-exported: the rest of the app imports them from here.
from counter.storage.models_base import GENESIS_HASH as GENESIS_HASH
from counter.storage.models_base import HASH_LEN as HASH_LEN
from counter.storage.models_base import Base as Base
from counter.storage.models_base import BigId as BigId
from counter.storage.models_base import UtcTime as UtcTime

# The KHQR tables (migration 0009), in their own module too.
from counter.storage.models_khqr import KhqrChangeRow as KhqrChangeRow
from counter.storage.models_khqr import KhqrRequestRow as KhqrRequestRow

# The shifts' tables (migration 0007), in their own module, part of the same `Base`.
from counter.storage.models_shifts import DayReopenRow as DayReopenRow
from counter.storage.models_shifts import ShiftCloseRow as ShiftCloseRow
from counter.storage.models_shifts import ShiftRow as ShiftRow


class ShopRow(Base):
    __tablename__ = "shop"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(200), default="")
    created: Mapped[datetime] = mapped_column(UtcTime)

    __table_args__ = (CheckConstraint("id = 1", name="one_shop"),)


class CounterRow(Base):
    """One till. Its row is locked and updated in the same transaction as each sale."""

    __tablename__ = "counters"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    next_receipt: Mapped[int] = mapped_column(BigInteger, default=1)
    last_sale_hash: Mapped[str] = mapped_column(String(HASH_LEN), default=GENESIS_HASH)
    created: Mapped[datetime] = mapped_column(UtcTime)
    # Migration 0006: the last closed business day (a sale of that day or before is
    # refused even if its close row is deleted), and the keyed seal over the numbering.
    last_closed_day: Mapped[date | None] = mapped_column(Date, nullable=True)
    seal: Mapped[str | None] = mapped_column(String(HASH_LEN), nullable=True)


class LedgerSettingRow(Base):
    """Settings that belong to the shop's books, such as the exchange rate in force."""

    __tablename__ = "ledger_settings"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class ChainHeadRow(Base):
    """The last hash and length of every chain but the sales (those are on `counters`);
    locked while a row is appended. `seal` (migration 0006) is the keyed MAC of the head
    (`storage.anchors`): recomputing a chain from public data cannot make it."""

    __tablename__ = "chain_heads"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_hash: Mapped[str] = mapped_column(String(HASH_LEN), default=GENESIS_HASH)
    length: Mapped[int] = mapped_column(BigInteger, default=0)
    seal: Mapped[str | None] = mapped_column(String(HASH_LEN), nullable=True)


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    # Migration 0006: the name NFKC-folded and case-folded, so `Ｏｗｎｅｒ` is `Owner`
    # (always written; nullable only because SQLite cannot add a NOT NULL column in place).
    name_key: Mapped[str | None] = mapped_column(String(40), nullable=True)
    role: Mapped[str] = mapped_column(String(12))
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcTime, nullable=True)
    language: Mapped[str | None] = mapped_column(String(10), nullable=True)
    theme: Mapped[str | None] = mapped_column(String(12), nullable=True)
    created: Mapped[datetime] = mapped_column(UtcTime)

    __table_args__ = (
        CheckConstraint("role IN ('clerk', 'supervisor', 'admin')", name="role"),
        Index("uq_users_name_lower", func.lower(name), unique=True),
        Index("uq_users_name_key", "name_key", unique=True),
    )


class SaleRow(Base):
    __tablename__ = "sales"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    receipt_no: Mapped[str] = mapped_column(String(24), unique=True)
    counter_code: Mapped[str] = mapped_column(ForeignKey("counters.code"))
    receipt_seq: Mapped[int] = mapped_column(BigInteger)
    clerk_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcTime)
    business_date: Mapped[date] = mapped_column(Date)
    operator_id: Mapped[str] = mapped_column(String(20))
    msisdn: Mapped[str] = mapped_column(String(16))
    # The number reversed, so "ends with 5678" is an indexed prefix search.
    msisdn_rev: Mapped[str] = mapped_column(String(16))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    validity_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    paid_currency: Mapped[str] = mapped_column(String(3))
    paid_minor: Mapped[int] = mapped_column(BigInteger)
    riel_per_usd: Mapped[int] = mapped_column(Integer)
    change_usd_cents: Mapped[int] = mapped_column(BigInteger)
    change_khr: Mapped[int] = mapped_column(BigInteger)
    rounding_khr: Mapped[int] = mapped_column(Integer)
    operator_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    row_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    # Migration 0007. The shift the sale was recorded in (None: before shifts, shift 1 of
    # its day); no foreign key, so adding it never rebuilt the table on SQLite.
    shift_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    # 1: hashed as before 0007 (its one payment in paid_currency/paid_minor); 2: the hash
    # covers the shift and the payment lines. paid_currency/paid_minor then repeat the
    # first line, for tools that read them; `sale_payments` holds every line.
    hash_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __table_args__ = (
        UniqueConstraint("counter_code", "receipt_seq", name="uq_sales_counter_seq"),
        Index("ix_sales_shift_id", "shift_id"),
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint("paid_currency IN ('USD', 'KHR')", name="paid_currency"),
        Index("ix_sales_counter_day", "counter_code", "business_date"),
        Index("ix_sales_msisdn_created", "msisdn", "created_at"),
        Index("ix_sales_business_date", "business_date"),
        # pattern_ops: PostgreSQL uses the index for `LIKE 'prefix%'` in any collation.
        Index(
            "ix_sales_msisdn_rev",
            "msisdn_rev",
            postgresql_ops={"msisdn_rev": "varchar_pattern_ops"},
        ),
    )


class SalePaymentRow(Base):
    """One line of a sale's payment (migration 0007): its tender, currency and amount.

    Written with the sale, never changed; a sale of 0006 or before has one line, carried
    over from its `paid_currency` and `paid_minor`. `reference` is the bank's reference of
    a KHQR line (the next tender); empty for cash.
    """

    __tablename__ = "sale_payments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"))
    line_no: Mapped[int] = mapped_column(Integer)
    tender: Mapped[str] = mapped_column(String(8))
    currency: Mapped[str] = mapped_column(String(3))
    minor: Mapped[int] = mapped_column(BigInteger)
    reference: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (
        UniqueConstraint("sale_id", "line_no", name="uq_sale_payments_sale_line"),
        CheckConstraint("minor > 0", name="minor_positive"),
        CheckConstraint("tender IN ('cash', 'khqr')", name="tender"),
        CheckConstraint("currency IN ('USD', 'KHR')", name="currency"),
    )


class VoidRow(Base):
    __tablename__ = "voids"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), unique=True)
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcTime)
    reason: Mapped[str] = mapped_column(String(200))
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    row_hash: Mapped[str] = mapped_column(String(HASH_LEN))

    __table_args__ = (CheckConstraint("length(trim(reason)) > 0", name="reason_given"),)


class AuditRow(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcTime, index=True)
    actor: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    row_hash: Mapped[str] = mapped_column(String(HASH_LEN))


class PrintJobRow(Base):
    """A receipt waiting for the printer; the printing issue works this queue."""

    __tablename__ = "print_queue"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    copy: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcTime)
    # Migration 0004: who is printing it now (a lease), and when the printer took it.
    claimed_at: Mapped[datetime | None] = mapped_column(UtcTime, nullable=True)
    printed_at: Mapped[datetime | None] = mapped_column(UtcTime, nullable=True)
    # Migration 0006: which process holds the claim (`host:pid`), so a claim of a process
    # that died is released when this machine starts again.
    claimed_by: Mapped[str | None] = mapped_column(String(80), nullable=True)

    __table_args__ = (CheckConstraint("status IN ('pending', 'printed', 'failed')", name="status"),)


class DayCloseRow(Base):
    """A closed business day of one counter (Z report): no more sales or voids for it.

    Append-only and hash-chained (chain `day_closes`): the cash expected and counted in
    each currency, the opening cash, and who closed it. Columns from migration 0003.
    """

    __tablename__ = "day_closes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    counter_code: Mapped[str] = mapped_column(ForeignKey("counters.code"))
    business_date: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[datetime] = mapped_column(UtcTime)
    closed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    counted_by: Mapped[str] = mapped_column(String(40), default="")
    opening_usd_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    opening_khr: Mapped[int] = mapped_column(BigInteger, default=0)
    expected_usd_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    expected_khr: Mapped[int] = mapped_column(BigInteger, default=0)
    counted_usd_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    counted_khr: Mapped[int] = mapped_column(BigInteger, default=0)
    sales_count: Mapped[int] = mapped_column(BigInteger, default=0)
    sales_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN), default=GENESIS_HASH)
    row_hash: Mapped[str] = mapped_column(String(HASH_LEN), default=GENESIS_HASH)
    # Migration 0007: the day's second close (after a reopening) is number 2, and so on.
    close_no: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __table_args__ = (
        UniqueConstraint(
            "counter_code", "business_date", "close_no", name="uq_day_closes_counter_day_no"
        ),
    )


class OpeningCashRow(Base):
    """The cash in a counter's drawer at the start of a business day: once per day.

    Hash-chained (chain `opening_cash`) from migration 0006.
    """

    __tablename__ = "opening_floats"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    counter_code: Mapped[str] = mapped_column(ForeignKey("counters.code"))
    business_date: Mapped[date] = mapped_column(Date)
    usd_cents: Mapped[int] = mapped_column(BigInteger)
    khr: Mapped[int] = mapped_column(BigInteger)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcTime)
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN), default=GENESIS_HASH)
    row_hash: Mapped[str] = mapped_column(String(HASH_LEN), default=GENESIS_HASH)

    __table_args__ = (
        UniqueConstraint("counter_code", "business_date", name="uq_opening_floats_counter_day"),
        CheckConstraint("usd_cents >= 0 AND khr >= 0", name="not_negative"),
    )


class FloatMoveRow(Base):
    """A restock of an operator's airtime stock, or a correction with its reason.

    Append-only and hash-chained (chain `float_moves`). `amount_cents` is signed: a
    restock is positive, a correction either sign.
    """

    __tablename__ = "float_moves"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    operator_id: Mapped[str] = mapped_column(String(20), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    by_user: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UtcTime)
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    row_hash: Mapped[str] = mapped_column(String(HASH_LEN))

    __table_args__ = (
        CheckConstraint("kind IN ('restock', 'correction')", name="kind"),
        CheckConstraint("kind <> 'restock' OR amount_cents > 0", name="restock_positive"),
        CheckConstraint(
            "kind <> 'correction' OR length(trim(coalesce(reason, ''))) > 0", name="reason_given"
        ),
    )


class OperatorFloatRow(Base):
    """The running airtime balance of one operator: restocks + corrections - sales + voids.

    Updated in the same transaction as each sale, void, restock and correction, so the
    sale screen reads one row; `counter doctor` checks it against the recomputed sum.
    """

    __tablename__ = "operator_floats"

    operator_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    balance_cents: Mapped[int] = mapped_column(BigInteger, default=0)


# --- migration 0006: what decides rights and numbering, chained; the anchors ---------------


class UserRecordRow(Base):
    """A user's rights as they were set (chain `users`): the `users` row must equal the
    latest record of its id, so a role, state or PIN hash changed behind the app shows.
    `pin_digest` is the SHA-256 of the stored PIN hash, never the hash itself."""

    __tablename__ = "user_records"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(12))
    active: Mapped[bool] = mapped_column(Boolean)
    pin_digest: Mapped[str] = mapped_column(String(HASH_LEN))
    action: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UtcTime)
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    row_hash: Mapped[str] = mapped_column(String(HASH_LEN))


class SettingChangeRow(Base):
    """Each value a ledger setting took (chain `settings`): the rate history, the lockout
    threshold. `ledger_settings` must equal the latest change of each key."""

    __tablename__ = "setting_changes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(40), index=True)
    value: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcTime)
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    row_hash: Mapped[str] = mapped_column(String(HASH_LEN))


class CheckpointRow(Base):
    """Every chain's head at one moment (chain `checkpoints`): written at each day close,
    backup and restore. Its keyed code is printed on the Z report; `doctor` checks each
    checkpoint's heads against the chains."""

    __tablename__ = "checkpoints"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcTime)
    counter_code: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(20))
    ref: Mapped[str] = mapped_column(String(40))
    heads: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    row_hash: Mapped[str] = mapped_column(String(HASH_LEN))

    __table_args__ = (Index("ix_checkpoints_reason_ref", "reason", "ref"),)


class ReceiptGapRow(Base):
    """Receipt numbers skipped on purpose (chain `receipt_gaps`): after a restore, the
    numbers a customer may hold from the lost part are never given out again."""

    __tablename__ = "receipt_gaps"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    counter_code: Mapped[str] = mapped_column(ForeignKey("counters.code"))
    first_seq: Mapped[int] = mapped_column(BigInteger)
    last_seq: Mapped[int] = mapped_column(BigInteger)
    business_date: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UtcTime)
    reason: Mapped[str] = mapped_column(String(200))
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    row_hash: Mapped[str] = mapped_column(String(HASH_LEN))

    __table_args__ = (CheckConstraint("first_seq <= last_seq", name="range"),)


class PrintMarkRow(Base):
    """What happened to a sale's ORIGINAL receipt (chain `print_marks`): `sending` is
    written before the printer is asked, then `printed` or `failed`. A sale whose last
    mark is `sending` or `printed` never prints another ORIGINAL: a crash mid-print
    gives a COPY."""

    __tablename__ = "print_marks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    mark: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(UtcTime)
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    row_hash: Mapped[str] = mapped_column(String(HASH_LEN))

    __table_args__ = (CheckConstraint("mark IN ('sending', 'printed', 'failed')", name="mark"),)
