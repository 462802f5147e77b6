"""The KHQR tables (migration 0009): payment requests and their appended changes.

`khqr_requests` holds what a code was made for, written when it is shown (chain
`khqr_requests`); `khqr_changes` each change of its state (chain `khqr_changes`), the
first `waiting`. Both are only ever inserted: a request's state is its last change's.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from counter.storage.models_base import HASH_LEN, Base, BigId, UtcTime

STATES = (
    "'waiting', 'paid', 'expired', 'cancelled', 'needs_review', 'review_sold', 'review_refunded'"
)


class KhqrRequestRow(Base):
    __tablename__ = "khqr_requests"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    counter_code: Mapped[str] = mapped_column(String(8))
    seq: Mapped[int] = mapped_column(Integer)
    bill_number: Mapped[str] = mapped_column(String(25), unique=True)
    md5: Mapped[str] = mapped_column(String(32), unique=True)
    payload: Mapped[str] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(String(3))
    minor: Mapped[int] = mapped_column(BigInteger)
    msisdn: Mapped[str] = mapped_column(String(20))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    riel_per_usd: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcTime)
    expires_at: Mapped[datetime] = mapped_column(UtcTime)
    clerk_id: Mapped[int] = mapped_column(Integer)
    clerk_name: Mapped[str] = mapped_column(String(40))
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    row_hash: Mapped[str] = mapped_column(String(HASH_LEN))

    __table_args__ = (
        UniqueConstraint("counter_code", "seq", name="uq_khqr_requests_counter_seq"),
        CheckConstraint("minor > 0", name="minor_positive"),
        CheckConstraint("currency IN ('USD', 'KHR')", name="currency"),
    )


class KhqrChangeRow(Base):
    __tablename__ = "khqr_changes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("khqr_requests.id"), index=True)
    md5: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))
    previous: Mapped[str | None] = mapped_column(String(16), nullable=True)
    at: Mapped[datetime] = mapped_column(UtcTime)
    actor: Mapped[str] = mapped_column(String(40))
    bank_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"), nullable=True)
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    row_hash: Mapped[str] = mapped_column(String(HASH_LEN))

    __table_args__ = (
        UniqueConstraint("request_id", "seq", name="uq_khqr_changes_request_seq"),
        CheckConstraint(f"state IN ({STATES})", name="state"),
    )
