"""A sale's payment, line by line, and the change handed back, to the riel.

Customers pay with dollar notes and riel together; the change is worked out in riel at
the sale's rate and rounded to the shop's step (the smallest riel note it hands back),
in the shop's direction. Nothing is lost on the way: every figure is kept in hundredths
of a riel (the riel's old subunit, the *sen*), in which every amount at a whole-riel rate
is exact, so that for every sale

    received = due + change + rounding        (exactly, in sen at the sale's rate)

Dollar change: a shop that hands back dollar notes (`ChangePolicy.dollar_change`, on
unless the shop turns it off) gives the whole dollars of the change in dollar notes, up
to the dollar notes the customer handed over; everything else goes back in riel. A
customer who paid in riel gets riel back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from counter.domain.errors import PaymentError
from counter.domain.money import Change, Currency, Money, format_money_text
from counter.i18n import _, format_khr_for, format_usd_for

SEN_PER_RIEL = 100


class Tender(StrEnum):
    """How a payment line was paid: cash in the drawer, or a KHQR bank transfer."""

    CASH = "cash"
    KHQR = "khqr"


class Rounding(StrEnum):
    """Which way riel change goes to the shop's step.

    `nearest`: to the nearest step, a half step in the customer's favour; a payment short
    by less than half a step is accepted with nothing back. `down`: never more than the
    exact change, the shop keeps what is under a step; a short payment is refused.
    """

    NEAREST = "nearest"
    DOWN = "down"


def _require_int(value: object, what: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{what} must be an int, never a float")


@dataclass(frozen=True)
class ChangePolicy:
    """The shop's way of giving change: riel step, rounding direction, dollar notes back."""

    step_khr: int = 100
    rounding: Rounding = Rounding.NEAREST
    dollar_change: bool = True

    def __post_init__(self) -> None:
        _require_int(self.step_khr, "step_khr")
        if self.step_khr <= 0:
            raise ValueError("the riel rounding step must be positive")
        object.__setattr__(self, "rounding", Rounding(self.rounding))


@dataclass(frozen=True)
class PaymentLine:
    """One line of a payment: a tender, a currency and an amount in its minor units."""

    tender: Tender
    currency: Currency
    minor: int
    reference: str | None = None  # the bank's reference of a KHQR line; None for cash

    def __post_init__(self) -> None:
        _require_int(self.minor, "PaymentLine.minor")
        if self.minor <= 0:
            raise ValueError("a payment line is for more than zero")
        object.__setattr__(self, "tender", Tender(self.tender))
        object.__setattr__(self, "currency", Currency(self.currency))

    @classmethod
    def cash(cls, money: Money) -> PaymentLine:
        return cls(Tender.CASH, money.currency, money.minor)

    @property
    def money(self) -> Money:
        return Money(self.minor, self.currency)

    def sen(self, riel_per_usd: int) -> int:
        """The line's worth in hundredths of a riel at the rate: always exact."""
        return sen_of(self.money, riel_per_usd)


@dataclass(frozen=True)
class Payment:
    """What the customer handed over for one sale: one line per tender and currency."""

    lines: tuple[PaymentLine, ...]

    def __post_init__(self) -> None:
        lines = tuple(self.lines)
        if not lines:
            raise ValueError("a payment has at least one line")
        kinds = [(line.tender, line.currency) for line in lines]
        if len(set(kinds)) != len(kinds):
            raise ValueError("a payment has one line per tender and currency")
        object.__setattr__(self, "lines", lines)

    @classmethod
    def of(cls, *lines: PaymentLine) -> Payment:
        """Lines of the same tender and currency added into one, in the order first given."""
        totals: dict[tuple[Tender, Currency], int] = {}
        for line in lines:
            key = (line.tender, line.currency)
            totals[key] = totals.get(key, 0) + line.minor
        return cls(tuple(PaymentLine(t, c, minor) for (t, c), minor in totals.items()))

    @classmethod
    def cash(cls, *amounts: Money) -> Payment:
        """Cash in dollars, riel or both (zero amounts left out; at least one is not zero)."""
        lines = [PaymentLine.cash(m) for m in amounts if m.minor]
        if not lines:
            raise PaymentError(_("Enter the cash received."))
        return cls.of(*lines)

    def minor(self, currency: Currency, tender: Tender | None = None) -> int:
        """The total received in `currency` (by `tender`, or by every tender)."""
        return sum(
            line.minor
            for line in self.lines
            if line.currency is currency and (tender is None or line.tender is tender)
        )

    def sen(self, riel_per_usd: int, tender: Tender | None = None) -> int:
        """The payment's worth (by `tender`, or all of it) in hundredths of a riel."""
        return sum(
            line.sen(riel_per_usd) for line in self.lines if tender is None or line.tender is tender
        )

    def text(self) -> str:
        """`$5.00 + 2,000៛`: the payment as a clerk reads it."""
        return " + ".join(format_money_text(line.money) for line in self.lines)


def sen_of(money: Money, riel_per_usd: int) -> int:
    """An amount in hundredths of a riel at the rate: riel x 100, or cents x rate."""
    if money.currency is Currency.KHR:
        return money.minor * SEN_PER_RIEL
    return money.minor * riel_per_usd


@dataclass(frozen=True)
class Settlement:
    """A payment set against the amount due: the change handed back and the rounding.

    `rounding_sen` is what the rounding kept, in hundredths of a riel: positive, the
    customer got that much less than the exact change; negative, that much more.
    A Settlement that does not balance cannot be made.
    """

    due_cents: int
    payment: Payment
    riel_per_usd: int
    change_usd_cents: int
    change_khr: int
    rounding_sen: int

    def __post_init__(self) -> None:
        for name in ("due_cents", "riel_per_usd", "change_usd_cents", "change_khr"):
            _require_int(getattr(self, name), name)
        _require_int(self.rounding_sen, "rounding_sen")
        if self.received_sen != self.due_sen + self.change_sen + self.rounding_sen:
            raise ValueError("a settlement balances: received = due + change + rounding")

    @property
    def received_sen(self) -> int:
        return self.payment.sen(self.riel_per_usd)

    @property
    def due_sen(self) -> int:
        return self.due_cents * self.riel_per_usd

    @property
    def change_sen(self) -> int:
        return self.change_usd_cents * self.riel_per_usd + self.change_khr * SEN_PER_RIEL

    @property
    def rounding_khr(self) -> int:
        """The rounding in whole riel (halves up), as the ledger has kept it so far.

        Exact at a rate that is a multiple of 100 riel (4,000, 4,100); at 4,037 the
        exact figure is `rounding_sen`.
        """
        return math.floor(Fraction(self.rounding_sen, SEN_PER_RIEL) + Fraction(1, 2))

    @property
    def change(self) -> Change:
        """The change as the sale record, receipt and drawer have it."""
        return Change(self.change_usd_cents, self.change_khr, self.rounding_khr)


def settle(
    due_cents: int, payment: Payment, riel_per_usd: int, policy: ChangePolicy | None = None
) -> Settlement:
    """Set `payment` against `due_cents`: the change to hand back, or PaymentError.

    Change is given only from cash: a KHQR line is for at most the amount due.
    """
    policy = policy or ChangePolicy()
    _require_int(due_cents, "due_cents")
    _require_int(riel_per_usd, "riel_per_usd")
    if riel_per_usd <= 0:
        raise PaymentError(_("The exchange rate must be a positive number of riel per dollar."))
    if due_cents <= 0:
        raise ValueError("the amount due is more than zero")
    due_sen = due_cents * riel_per_usd
    by_bank = payment.sen(riel_per_usd) - payment.sen(riel_per_usd, Tender.CASH)
    if by_bank > due_sen:
        raise PaymentError(
            _("{paid} is more than the {due} due: a KHQR payment is for the amount due.").format(
                paid=Payment(tuple(x for x in payment.lines if x.tender is not Tender.CASH)).text(),
                due=format_usd_for(due_cents),
            )
        )
    excess = payment.sen(riel_per_usd) - due_sen
    usd_back = 0
    if policy.dollar_change and excess > 0:
        dollars = min(
            excess // (100 * riel_per_usd), payment.minor(Currency.USD, Tender.CASH) // 100
        )
        usd_back = dollars * 100
    rest = excess - usd_back * riel_per_usd
    khr_back = _to_step(rest, policy)
    if khr_back < 0:
        raise _short(due_cents, payment, riel_per_usd, -excess)
    return Settlement(
        due_cents=due_cents,
        payment=payment,
        riel_per_usd=riel_per_usd,
        change_usd_cents=usd_back,
        change_khr=khr_back,
        rounding_sen=rest - khr_back * SEN_PER_RIEL,
    )


def _to_step(sen: int, policy: ChangePolicy) -> int:
    """`sen` as whole riel in steps of the policy's step, rounded its way."""
    units = Fraction(sen, SEN_PER_RIEL * policy.step_khr)
    if policy.rounding is Rounding.NEAREST:
        units += Fraction(1, 2)
    return math.floor(units) * policy.step_khr


def _short(due_cents: int, payment: Payment, riel_per_usd: int, short_sen: int) -> PaymentError:
    """The shortfall in riel if any riel was handed over, else in dollars (rounded up)."""
    if payment.minor(Currency.KHR):
        due = format_khr_for(-(-due_cents * riel_per_usd // SEN_PER_RIEL))
        short = format_khr_for(-(-short_sen // SEN_PER_RIEL))
    else:
        due = format_usd_for(due_cents)
        short = format_usd_for(-(-short_sen // riel_per_usd))
    return PaymentError(
        _("{paid} received is short of {due} by {short}.").format(
            paid=payment.text(), due=due, short=short
        )
    )


def riel_to_ask(due_cents: int, riel_per_usd: int, policy: ChangePolicy | None = None) -> int:
    """The riel to ask for `due_cents`: the least cash in riel notes of the shop's step
    that settles the sale with nothing back (at least one step).

    The confirmation's riel hint: at 4,000 a $1.25 top-up is 5,000៛; at 4,100, $1.21
    (4,961៛) is 5,000៛ with nearest rounding and down.
    """
    policy = policy or ChangePolicy()
    step_sen = policy.step_khr * SEN_PER_RIEL
    due_sen = due_cents * riel_per_usd
    if policy.rounding is Rounding.NEAREST:
        # The change of K riel rounds to zero while -step/2 <= K - due < step/2.
        steps = -(-(2 * due_sen - step_sen) // (2 * step_sen))
    else:
        steps = -(-due_sen // step_sen)
    return max(steps, 1) * policy.step_khr
