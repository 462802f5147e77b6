"""What the X and Z reports say about deliveries: a plain record, nothing rendered.

By state (and channel), the refunds paid out of the drawer, the deliveries still open (with
their age at the moment the report is printed, oldest first), and per operator the dealer
balance last read from the modem or the API that day beside the float the ledger had then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from counter.domain.deliveries import Delivery, Refund
from counter.domain.delivery import Channel, DeliveryState
from counter.i18n import _

BALANCE_READ = "dealer_balance_read"  # the audit action a balance reading is kept under


@dataclass(frozen=True)
class StateCount:
    channel: Channel
    state: DeliveryState
    count: int
    amount_cents: int


@dataclass(frozen=True)
class BalanceReading:
    """A dealer balance as a channel read it: its own appended record (the audit chain)."""

    operator_id: str
    channel: Channel
    currency: str  # `USD` or `KHR`
    minor: int
    read_at: datetime  # UTC
    by: str
    # The ledger's float for this operator when the reading was recorded (cents; None for a
    # reading kept before this was): what the reading is compared with, however old it is.
    float_cents: int | None = None


@dataclass(frozen=True)
class FloatCheck:
    """The operator's float as the ledger expects it, beside the last reading (if any).

    `expected_cents` is the ledger's float at the moment of that reading (so the difference
    means something even when the reading is hours old); with no reading, the float now."""

    operator_id: str
    expected_cents: int
    reading: BalanceReading | None = None

    @property
    def difference_cents(self) -> int | None:
        """Read minus expected, when the reading is in dollars like the float."""
        if self.reading is None or self.reading.currency != "USD":
            return None
        return self.reading.minor - self.expected_cents


@dataclass(frozen=True)
class DeliveryReport:
    states: tuple[StateCount, ...] = ()
    refunds: tuple[Refund, ...] = ()
    open_items: tuple[Delivery, ...] = ()  # pending and needing review, oldest first
    floats: tuple[FloatCheck, ...] = ()
    # (delivery id, the business day a close accepted it as an open item), for the open
    # items of earlier days listed again until they are final.
    accepted: tuple[tuple[int, date], ...] = ()

    def accepted_on(self, delivery_id: int) -> date | None:
        return next((day for did, day in self.accepted if did == delivery_id), None)

    @property
    def refund_usd_cents(self) -> int:
        return sum(r.usd_cents for r in self.refunds)

    @property
    def refund_khr(self) -> int:
        return sum(r.khr for r in self.refunds)


def count_states(deliveries: list[Delivery]) -> tuple[StateCount, ...]:
    """One line per (channel, state) that occurs, in the channels' and states' order."""
    found: dict[tuple[Channel, DeliveryState], tuple[int, int]] = {}
    for d in deliveries:
        count, cents = found.get((d.channel, d.state), (0, 0))
        found[(d.channel, d.state)] = (count + 1, cents + d.amount_cents)
    channels, states = list(Channel), list(DeliveryState)
    keys = sorted(found, key=lambda k: (channels.index(k[0]), states.index(k[1])))
    return tuple(StateCount(c, s, *found[(c, s)]) for c, s in keys)


def open_minutes(since: datetime, now: datetime) -> int:
    """Whole minutes a delivery has been open at `now` (never negative)."""
    return max(0, int((now - since).total_seconds() // 60))


def age_words(minutes: int) -> str:
    """`35 min`, `2 h 05 min`, `3 d 4 h`: how long a delivery has been open."""
    if minutes < 60:
        return _("{minutes} min").format(minutes=minutes)
    hours, rest = divmod(minutes, 60)
    if hours < 24:
        return _("{hours} h {minutes} min").format(hours=hours, minutes=f"{rest:02d}")
    days, hours = divmod(hours, 24)
    return _("{days} d {hours} h").format(days=days, hours=hours)
