"""Is the cash received believable? `20000` typed without its `r` is $20,000, not riel.

Cash received far above the amount due, or above the most a counter takes for one sale,
is most likely a slip between dollars and riel. It is flagged with both readings of the
same digits ("$20,000.00 or 20,000៛?") so the front end asks again before anything is
recorded; the clerk confirms it with a second key, or types it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from counter.domain.cash import Payment, PaymentLine, Tender
from counter.domain.money import MAX_MINOR, Currency, Money, format_money_text
from counter.i18n import _, format_usd_for

# A $1 top-up paid with a $100 note is 100 times the amount due, and believable.
DEFAULT_MAX_MULTIPLE = 100
# Twice the largest top-up sold ($100) and more than any note-and-change payment for it.
DEFAULT_MAX_RECEIVED_CENTS = 50_000


@dataclass(frozen=True)
class CashLimits:
    """Cash received above `max_multiple` times the amount due, or above
    `max_received_cents` (counted in dollars at the sale's rate), is asked again."""

    max_multiple: int = DEFAULT_MAX_MULTIPLE
    max_received_cents: int = DEFAULT_MAX_RECEIVED_CENTS

    def __post_init__(self) -> None:
        for value in (self.max_multiple, self.max_received_cents):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError("cash limits are positive whole numbers")


@dataclass(frozen=True)
class CashDoubt:
    """Why the cash received is asked again, with the line as read and its other reading."""

    due_cents: int
    received: Payment
    line: PaymentLine
    other_reading: Money | None
    over_multiple: bool
    over_maximum: bool

    @property
    def message(self) -> str:
        """`Cash received for $5.00: $20,000.00 or 20,000៛?`"""
        due = format_usd_for(self.due_cents)
        if self.other_reading is None:
            return _("Cash received for {due} is {received}: more than expected, check it.").format(
                due=due, received=self.received.text()
            )
        reading = format_money_text(self.line.money)
        other = format_money_text(self.other_reading)
        if len(self.received.lines) == 1:
            return _("Cash received for {due}: {reading} or {other}?").format(
                due=due, reading=reading, other=other
            )
        return _("Cash received for {due} is {received}: {reading} or {other}?").format(
            due=due, received=self.received.text(), reading=reading, other=other
        )


def doubt_cash(
    due_cents: int, received: Payment, riel_per_usd: int, limits: CashLimits | None = None
) -> CashDoubt | None:
    """A CashDoubt if the cash received is not believable for `due_cents`, else None."""
    limits = limits or CashLimits()
    cash = [line for line in received.lines if line.tender is Tender.CASH]
    if not cash or riel_per_usd <= 0:
        return None
    total_sen = received.sen(riel_per_usd, Tender.CASH)
    over_multiple = due_cents > 0 and total_sen > limits.max_multiple * due_cents * riel_per_usd
    over_maximum = total_sen > limits.max_received_cents * riel_per_usd
    if not (over_multiple or over_maximum):
        return None
    largest = max(cash, key=lambda line: line.sen(riel_per_usd))
    return CashDoubt(
        due_cents=due_cents,
        received=received,
        line=largest,
        other_reading=other_reading(largest.money),
        over_multiple=over_multiple,
        over_maximum=over_maximum,
    )


def other_reading(money: Money) -> Money | None:
    """The same digits in the other currency: $20,000.00 <-> 20,000៛; None if there is none."""
    if money.currency is Currency.USD:
        if money.minor % 100:
            return None
        return Money.khr(money.minor // 100)
    if money.minor * 100 > MAX_MINOR[Currency.USD]:
        return None
    return Money.usd(money.minor * 100)
