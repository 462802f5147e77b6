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
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

HASH_LEN = 64  # hex SHA-256
GENESIS_HASH = "0" * HASH_LEN


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# A BIGINT primary key on PostgreSQL, but SQLite's own INTEGER rowid there.
BigId = BigInteger().with_variant(Integer(), "sqlite")
UtcTime = DateTime(timezone=True)


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


class LedgerSettingRow(Base):
    """Settings that belong to the shop's books, such as the exchange rate in force."""

    __tablename__ = "ledger_settings"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class ChainHeadRow(Base):
    """The last hash of the void and audit chains; locked while a row is appended."""

    __tablename__ = "chain_heads"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_hash: Mapped[str] = mapped_column(String(HASH_LEN), default=GENESIS_HASH)
    length: Mapped[int] = mapped_column(BigInteger, default=0)


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
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


class ShiftRow(Base):
    """A shift opened at a counter with its drawer counted (migration 0007).

    Append-only and hash-chained (chain `shifts`); its close is its own row. `number` is
    the shift's number within the counter's business day. `opening_notes` is the count by
    note as JSON (empty for a plain count). `origin`: `opened`, `migrated` (the opening
    cash of a day before 0007), `reopened` (the shift a day's reopening opened).
    """

    __tablename__ = "shifts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    counter_code: Mapped[str] = mapped_column(ForeignKey("counters.code"))
    business_date: Mapped[date] = mapped_column(Date)
    number: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(UtcTime)
    opened_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opening_usd_cents: Mapped[int] = mapped_column(BigInteger)
    opening_khr: Mapped[int] = mapped_column(BigInteger)
    opening_notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    origin: Mapped[str] = mapped_column(String(10))
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    row_hash: Mapped[str] = mapped_column(String(HASH_LEN))

    __table_args__ = (
        UniqueConstraint(
            "counter_code", "business_date", "number", name="uq_shifts_counter_day_no"
        ),
        CheckConstraint("opening_usd_cents >= 0 AND opening_khr >= 0", name="not_negative"),
        CheckConstraint("origin IN ('opened', 'migrated', 'reopened')", name="origin"),
    )


class ShiftCloseRow(Base):
    """The blind count that closed a shift, with the cash expected (chain `shift_closes`)."""

    __tablename__ = "shift_closes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"), unique=True)
    closed_at: Mapped[datetime] = mapped_column(UtcTime)
    counted_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    counted_usd_cents: Mapped[int] = mapped_column(BigInteger)
    counted_khr: Mapped[int] = mapped_column(BigInteger)
    counted_notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    expected_usd_cents: Mapped[int] = mapped_column(BigInteger)
    expected_khr: Mapped[int] = mapped_column(BigInteger)
    sales_count: Mapped[int] = mapped_column(BigInteger)
    sales_cents: Mapped[int] = mapped_column(BigInteger)
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    row_hash: Mapped[str] = mapped_column(String(HASH_LEN))

    __table_args__ = (
        CheckConstraint("counted_usd_cents >= 0 AND counted_khr >= 0", name="not_negative"),
    )


class DayReopenRow(Base):
    """A closed day opened again by a supervisor with a reason (chain `day_reopens`).

    `reopen_no` n undoes close number n of that day; `shift_id` is the shift it opened.
    """

    __tablename__ = "day_reopens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    counter_code: Mapped[str] = mapped_column(ForeignKey("counters.code"))
    business_date: Mapped[date] = mapped_column(Date)
    reopen_no: Mapped[int] = mapped_column(Integer)
    reopened_at: Mapped[datetime] = mapped_column(UtcTime)
    reopened_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(200))
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"))
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    row_hash: Mapped[str] = mapped_column(String(HASH_LEN))

    __table_args__ = (
        UniqueConstraint(
            "counter_code", "business_date", "reopen_no", name="uq_day_reopens_counter_day_no"
        ),
        CheckConstraint("length(trim(reason)) > 0", name="reason_given"),
    )


class OpeningCashRow(Base):
    """The cash in a counter's drawer at the start of a business day: once per day."""

    __tablename__ = "opening_floats"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    counter_code: Mapped[str] = mapped_column(ForeignKey("counters.code"))
    business_date: Mapped[date] = mapped_column(Date)
    usd_cents: Mapped[int] = mapped_column(BigInteger)
    khr: Mapped[int] = mapped_column(BigInteger)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcTime)

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
