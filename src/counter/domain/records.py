"""What the ledger records, as plain values: sales, voids, users, audit entries.

The storage layer turns database rows into these and back, so services, the CLI and the
screen work with the shop's words and never with SQLAlchemy rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from counter.domain.money import Currency


class Role(StrEnum):
    """Who may do what: clerk sells, supervisor voids and unlocks, admin manages users."""

    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return {Role.CLERK: 0, Role.SUPERVISOR: 1, Role.ADMIN: 2}[self]

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank


def receipt_label(counter_code: str, seq: int) -> str:
    """`A-000042`: the counter code, then at least six digits."""
    return f"{counter_code}-{seq:06d}"


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role
    active: bool
    failed_attempts: int = 0
    locked_until: datetime | None = None
    language: str | None = None
    theme: str | None = (
        None  # the screen's colours: `default`, `light`, `contrast`; None: the shop's
    )


@dataclass(frozen=True)
class Sale:
    """One recorded top-up. Never edited: a correction is a Void naming it."""

    id: int
    receipt_no: str
    counter_code: str
    clerk_id: int
    clerk_name: str
    created_at: datetime  # UTC
    business_date: date
    operator_id: str
    msisdn: str  # E.164
    amount_cents: int
    validity_days: int | None
    paid_currency: Currency
    paid_minor: int
    riel_per_usd: int
    change_usd_cents: int
    change_khr: int
    rounding_khr: int
    operator_ref: str | None
    idempotency_key: str
    voided: bool = False

    @property
    def status(self) -> str:
        return "voided" if self.voided else "sold"


@dataclass(frozen=True)
class Void:
    id: int
    sale_id: int
    receipt_no: str
    requested_by: str
    approved_by: str
    created_at: datetime
    reason: str


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    detail: str  # JSON text


@dataclass(frozen=True)
class ShopInfo:
    """The shop as this counter sees it: printed on receipts, shown on the screen."""

    name: str
    address: str
    counter_code: str
    riel_per_usd: int
    created: datetime


@dataclass(frozen=True)
class OperatorTotal:
    """One line of a day's totals: sales not voided, per operator."""

    operator_id: str
    count: int
    amount_cents: int
