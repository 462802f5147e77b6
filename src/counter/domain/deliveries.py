"""A sale's delivery in the ledger: the record, its appended changes, the refund it may cause.

`counter.domain.delivery` says what a state and an answer are; this module holds what the
ledger keeps of them. A delivery is written `pending` in the sale's own transaction with our
reference (the outbox); each change of state is its own appended, hash-chained
`DeliveryChange`; a `failed` or `reversed` delivery gives the customer's cash back as a
`Refund`, its own record linked to the sale. The operator's float moves on `delivered` (and
back on `reversed`), except for the `assumed` channel, whose delivery is the sale itself.
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from counter.domain.delivery import (
    Channel,
    DeliveryRequest,
    DeliveryState,
)
from counter.domain.records import Sale

PREFIX_ALPHABET = string.ascii_uppercase + string.digits
PREFIX_RE = re.compile(r"^[A-Z0-9]{4,8}$")
OPEN_STATES = frozenset({DeliveryState.PENDING, DeliveryState.NEEDS_REVIEW})
FINAL_STATES = frozenset({DeliveryState.DELIVERED, DeliveryState.FAILED, DeliveryState.REVERSED})
MAX_EVIDENCE = 4000  # characters of a raw answer kept with a change


def new_prefix() -> str:
    """A ledger's own prefix for delivery references (`K7Q2`): drawn once, kept for ever."""
    return "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(6))


def delivery_reference(prefix: str, receipt_no: str) -> str:
    """Our reference for a sale's delivery: `K7Q2X9-A-000042`.

    Receipt numbers restart with a new ledger, and a provider keeps every reference it ever
    saw, so the ledger's random prefix makes the reference unique for ever on one account.
    """
    return f"{prefix}-{receipt_no}"


@dataclass(frozen=True)
class DeliveryPlan:
    """Which channel delivers each operator's top-ups, as plain values from `[delivery]`."""

    default: Channel = Channel.ASSUMED
    channels: dict[str, Channel] = field(default_factory=dict)
    manual_review: timedelta = timedelta(minutes=30)
    deadlines: dict[Channel, timedelta] = field(default_factory=dict)
    whole_dollars: frozenset[str] = frozenset()  # operators whose dealer code takes dollars
    balance_every: timedelta | None = None  # read dealer balances on this schedule (None: off)

    def channel_for(self, operator_id: str) -> Channel:
        return self.channels.get(operator_id, self.default)

    def deadline(self, channel: Channel) -> timedelta:
        if channel is Channel.MANUAL:
            return self.manual_review
        return self.deadlines.get(channel, timedelta(minutes=30))


@dataclass(frozen=True)
class Delivery:
    """A sale's delivery as the ledger has it now: the request, its last state, the claim."""

    id: int
    sale_id: int
    receipt_no: str
    counter_code: str
    reference: str
    channel: Channel
    operator_id: str
    msisdn: str
    amount_cents: int
    created_at: datetime  # UTC, the sale's time
    state: DeliveryState
    provider_ref: str | None
    changed_at: datetime  # UTC, of the last change
    reason: str | None = None  # of the last change
    sends: int = 0  # attempts recorded before sending (0: certainly never sent)
    claimed_by: str | None = None
    claimed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def request(self) -> DeliveryRequest:
        return DeliveryRequest(
            reference=self.reference,
            operator_id=self.operator_id,
            msisdn=self.msisdn,
            amount_cents=self.amount_cents,
            counter_code=self.counter_code,
            created_at=self.created_at,
        )


@dataclass(frozen=True)
class DeliveryChange:
    """One appended record: the delivery moved to `state`, who or what moved it, the evidence."""

    delivery_id: int
    state: DeliveryState
    previous: DeliveryState | None  # None only for the first, `pending`, record
    at: datetime  # UTC
    actor: str  # a person's name, or `worker:<channel>`
    provider_ref: str | None = None
    reason: str | None = None
    evidence: str = ""


@dataclass(frozen=True)
class Refund:
    """The customer's cash given back for a failed or reversed delivery (like a void)."""

    id: int
    sale_id: int
    delivery_id: int
    receipt_no: str
    counter_code: str
    business_date: date  # the day the cash left the drawer
    created_at: datetime  # UTC
    usd_cents: int  # out of the drawer, per currency: the sale's cash in minus its change
    khr: int
    amount_cents: int  # the top-up's price, for the reports
    state: DeliveryState  # failed or reversed
    reason: str
    by: str


@dataclass(frozen=True)
class NewRefund:
    sale_id: int
    delivery_id: int
    business_date: date
    created_at: datetime
    usd_cents: int
    khr: int
    amount_cents: int
    state: DeliveryState
    reason: str
    by: str


def refund_cash(sale: Sale) -> tuple[int, int]:
    """(USD cents, riel) the drawer gives back: the cash the sale took in, minus its change."""
    return sale.paid_usd_cents - sale.change_usd_cents, sale.paid_khr - sale.change_khr


def moves_float_at_sale(channel: Channel) -> bool:
    """The `assumed` channel's delivery is the sale itself: its float moves at once."""
    return channel is Channel.ASSUMED
