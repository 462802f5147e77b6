"""The shifts' tables (migration 0007): shifts, their closes, days reopened; each chained.

Part of the one `Base`; `counter.storage.models` re-exports them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from counter.storage.models_base import HASH_LEN, Base, BigId, UtcTime


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
