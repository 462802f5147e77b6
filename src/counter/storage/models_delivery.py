"""The delivery tables (migration 0008): a sale's delivery, its appended changes, refunds.

`deliveries` holds the request as written in the sale's transaction (our reference, unique
for ever) and, beside it, what the worker needs to know fast: the last state (a copy of the
last change, checked by `counter doctor`), the provider's reference (unique in the ledger),
how many sends were recorded before sending, and who holds the claim. The facts are the
rows of `delivery_changes` (hash-chained per counter, chain `deliveries:<code>`) and
`refunds` (chain `refunds`): only ever inserted.
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

from counter.storage.models import HASH_LEN, Base, BigId, UtcTime

_STATES = "'pending', 'delivered', 'failed', 'reversed', 'needs_review'"


class DeliveryRow(Base):
    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), unique=True)
    counter_code: Mapped[str] = mapped_column(String(8), index=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    channel: Mapped[str] = mapped_column(String(10))
    operator_id: Mapped[str] = mapped_column(String(20))
    msisdn: Mapped[str] = mapped_column(String(20))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcTime)
    state: Mapped[str] = mapped_column(String(12), index=True)
    provider_ref: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    changed_at: Mapped[datetime] = mapped_column(UtcTime)
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    sends: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcTime, nullable=True)

    __table_args__ = (
        CheckConstraint(f"state IN ({_STATES})", name="state"),
        CheckConstraint("channel IN ('assumed', 'manual', 'modem', 'api')", name="channel"),
    )


class DeliveryChangeRow(Base):
    __tablename__ = "delivery_changes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id"), index=True)
    counter_code: Mapped[str] = mapped_column(String(8))
    reference: Mapped[str] = mapped_column(String(40))
    seq: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12))
    previous: Mapped[str | None] = mapped_column(String(12), nullable=True)
    at: Mapped[datetime] = mapped_column(UtcTime)
    actor: Mapped[str] = mapped_column(String(40))
    provider_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    evidence: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    row_hash: Mapped[str] = mapped_column(String(HASH_LEN))

    __table_args__ = (
        UniqueConstraint("delivery_id", "seq", name="uq_delivery_changes_delivery_seq"),
        CheckConstraint(f"state IN ({_STATES})", name="state"),
    )


class RefundRow(Base):
    __tablename__ = "refunds"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), unique=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id"), unique=True)
    business_date: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcTime)
    usd_cents: Mapped[int] = mapped_column(BigInteger)
    khr: Mapped[int] = mapped_column(BigInteger)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(String(200))
    by_name: Mapped[str] = mapped_column(String(40))
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    row_hash: Mapped[str] = mapped_column(String(HASH_LEN))

    __table_args__ = (CheckConstraint("state IN ('failed', 'reversed')", name="state"),)
