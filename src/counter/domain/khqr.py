"""A KHQR payment in the ledger: the request shown to the customer, and each change of it.

A request is recorded when its code is shown (`waiting`), with everything the sale will
need, so a worker can finish it after a crash. Each change of state is its own appended,
hash-chained record; nothing is edited:

    waiting -> paid          Bakong (or the clerk, when the shop allows it) saw the payment;
                             the sale is recorded in the same transaction
    waiting -> expired       the code's time ran out unpaid
    waiting -> cancelled     the clerk took cash instead, or the customer left
    waiting | expired | cancelled -> needs_review
                             paid after all (late, or not the amount asked): for a supervisor
    needs_review -> review_sold       the supervisor recorded the sale after all
    needs_review -> review_refunded   the money went back outside the app, recorded

The bill number in the code (`A-Q000042`) is the request's own reference, kept on the
receipt: the receipt number is taken only when the sale is recorded, so a code that is
cancelled or expires leaves no gap in the receipts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from counter.domain.money import Currency, Money

MAX_BANK_REF = 64
MAX_REASON = 200
GRACE = timedelta(seconds=15)  # a payment made in a code's last seconds is still looked for
_BANK_REF = re.compile(r"^[A-Za-z0-9-]{6,64}$")


class KhqrState(StrEnum):
    WAITING = "waiting"
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    NEEDS_REVIEW = "needs_review"
    REVIEW_SOLD = "review_sold"
    REVIEW_REFUNDED = "review_refunded"


TRANSITIONS: dict[KhqrState, frozenset[KhqrState]] = {
    KhqrState.WAITING: frozenset(
        {KhqrState.PAID, KhqrState.EXPIRED, KhqrState.CANCELLED, KhqrState.NEEDS_REVIEW}
    ),
    KhqrState.EXPIRED: frozenset({KhqrState.NEEDS_REVIEW}),
    KhqrState.CANCELLED: frozenset({KhqrState.NEEDS_REVIEW}),
    KhqrState.NEEDS_REVIEW: frozenset({KhqrState.REVIEW_SOLD, KhqrState.REVIEW_REFUNDED}),
}
CLOSED_UNPAID = frozenset({KhqrState.EXPIRED, KhqrState.CANCELLED})
SOLD = frozenset({KhqrState.PAID, KhqrState.REVIEW_SOLD})


def can_change(before: KhqrState, after: KhqrState) -> bool:
    return after in TRANSITIONS.get(before, frozenset())


def bill_number(counter_code: str, seq: int) -> str:
    """The code's bill number, which the receipt keeps: `A-Q000042`."""
    return f"{counter_code}-Q{seq:06d}"


def clean_bank_ref(text: str) -> str | None:
    """A bank reference as typed (6 to 64 letters, digits or dashes), or None."""
    ref = "".join(text.split())
    return ref if _BANK_REF.match(ref) else None


def line_reference(md5: str, bank_ref: str) -> str:
    """The KHQR payment line's reference: the code's MD5 and the bank's reference
    (`<md5>:<bank ref>`, cut to the column's 64 characters; the whole bank reference is
    in the `paid` change)."""
    return f"{md5}:{bank_ref}"[:MAX_BANK_REF]


@dataclass(frozen=True)
class IssuedCode:
    """A code made for one payment, with the picture to show (half-block lines)."""

    payload: str
    md5: str
    amount: Money
    created_at: datetime
    expires_at: datetime
    lines: tuple[str, ...] = ()
    style: str = "#000000 on #ffffff"
    left_out: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewKhqrRequest:
    counter_code: str
    seq: int
    bill_number: str
    md5: str
    payload: str
    charge: Money  # what the customer pays by KHQR
    msisdn: str
    amount_cents: int  # the top-up, in US cents
    riel_per_usd: int
    created_at: datetime
    expires_at: datetime
    clerk_id: int
    clerk_name: str


@dataclass(frozen=True)
class KhqrRequest:
    id: int
    counter_code: str
    seq: int
    bill_number: str
    md5: str
    payload: str
    charge: Money
    msisdn: str
    amount_cents: int
    riel_per_usd: int
    created_at: datetime
    expires_at: datetime
    clerk_id: int
    clerk_name: str
    state: KhqrState = KhqrState.WAITING
    changes: int = 1
    bank_ref: str | None = None
    sale_id: int | None = None
    receipt_no: str | None = None


@dataclass(frozen=True)
class KhqrChange:
    """One change of a request, as appended to the `khqr_changes` chain."""

    state: KhqrState
    at: datetime
    actor: str
    bank_ref: str | None = None
    sale_id: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class BankPayment:
    """A payment the bank system reports for a code: its reference and amount."""

    md5: str
    reference: str
    amount: Money
    paid_at: datetime | None = None

    @property
    def short_ref(self) -> str:
        return self.reference[:8]


class WatchEnd(StrEnum):
    PAID = "paid"
    WRONG_AMOUNT = "wrong_amount"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    STOPPED = "stopped"  # checking cannot go on (token or machine refused): still waiting


@dataclass(frozen=True)
class WatchResult:
    """How a wait for payment ended, as the use case records it."""

    end: WatchEnd
    payment: BankPayment | None = None
    problem: str | None = None  # in words, for the clerk
    checks: int = 0


@dataclass(frozen=True)
class WatchStatus:
    """What the screen shows while waiting."""

    checks: int
    next_check_at: datetime
    problem: str | None


def khr_charge(amount_cents: int, riel_per_usd: int) -> int:
    """The riel a KHQR code asks for a dollar amount at the shop's rate: whole riel, down
    (a KHQR line may not be more than the amount due)."""
    return amount_cents * riel_per_usd // 100


def charge_for(amount_cents: int, currency: Currency, riel_per_usd: int) -> Money:
    if currency is Currency.KHR:
        return Money(khr_charge(amount_cents, riel_per_usd), Currency.KHR)
    return Money(amount_cents, Currency.USD)


@dataclass(frozen=True)
class KhqrPlan:
    """What the use cases need of `[khqr]`, as plain values."""

    enabled: bool = False  # the shop's Bakong account is set
    expiry_minutes: int = 10
    allow_manual_confirm: bool = False  # a clerk may confirm from the bank app
    merchant_name: str = ""

    @property
    def expiry(self) -> timedelta:
        return timedelta(minutes=self.expiry_minutes)
