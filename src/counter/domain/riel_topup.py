"""A top-up asked for in riel (`5000r`): the dollar amount the operator allows, and the
riel back.

Operators sell in dollars, in their own steps or denominations, so 5,000 riel is rarely
an amount they sell: at 4,100 riel per dollar it is $1.2195... The counter offers the
nearest amount the operator allows at or below it and gives the difference back in the
change, rounded as the shop rounds change. It works at any rate. A riel amount worth
less than the operator's smallest top-up, or more than its largest, is refused in words
(above the largest, the difference would be a second top-up's worth, not change: more
likely a slip than a wish).
"""

from __future__ import annotations

from dataclasses import dataclass

from counter.domain.cash import ChangePolicy, Payment, Settlement, settle
from counter.domain.errors import AmountError
from counter.domain.money import Currency, Money
from counter.domain.operators import Operator
from counter.domain.rate import riel_value
from counter.i18n import _, format_khr_for, format_usd_for


@dataclass(frozen=True)
class RielTopup:
    """The top-up offered for a riel amount, and what goes back if that riel is paid."""

    asked_khr: int
    riel_per_usd: int
    amount_cents: int
    settlement: Settlement  # the asked riel paid in cash against `amount_cents`

    @property
    def back_khr(self) -> int:
        """Riel handed back when the customer pays the riel asked for."""
        return self.settlement.change_khr

    @property
    def summary(self) -> str:
        """`5,000៛ → $1.00 top-up, 1,000៛ back`: the line the confirmation shows."""
        asked = format_khr_for(self.asked_khr)
        amount = format_usd_for(self.amount_cents)
        if self.back_khr:
            return _("{asked} → {amount} top-up, {back} back").format(
                asked=asked, amount=amount, back=format_khr_for(self.back_khr)
            )
        return _("{asked} → {amount} top-up, nothing back").format(asked=asked, amount=amount)


def largest_allowed_at_or_below(operator: Operator, cents: int) -> int | None:
    """The largest amount `operator` sells that is at most `cents`, or None."""
    if operator.denominations:
        fitting = [
            d
            for d in operator.denominations
            if operator.min_cents <= d <= min(operator.max_cents, cents)
        ]
        return max(fitting, default=None)
    step = max(operator.step_cents, 1)
    top = min(cents, operator.max_cents) // step * step
    return top if top >= operator.min_cents and top > 0 else None


def smallest_allowed(operator: Operator) -> int | None:
    """The smallest amount `operator` sells, or None if its rules allow none."""
    if operator.denominations:
        return min(
            (d for d in operator.denominations if operator.min_cents <= d <= operator.max_cents),
            default=None,
        )
    step = max(operator.step_cents, 1)
    low = -(-max(operator.min_cents, 1) // step) * step
    return low if low <= operator.max_cents else None


def fit_riel_topup(
    asked: Money | int,
    operator: Operator,
    riel_per_usd: int,
    policy: ChangePolicy | None = None,
) -> RielTopup:
    """The top-up `operator` allows for `asked` riel at the rate, or AmountError saying why."""
    riel = asked.minor if isinstance(asked, Money) else asked
    if isinstance(asked, Money) and asked.currency is not Currency.KHR:
        raise ValueError("fit_riel_topup takes an amount in riel")
    if not isinstance(riel, int) or isinstance(riel, bool) or riel_per_usd <= 0:
        raise TypeError("riel and the rate are whole numbers; the rate is positive")
    if riel <= 0:
        raise AmountError(_("The amount must be more than zero."))
    worth = riel * 100 // riel_per_usd  # whole cents at or below the riel asked
    if worth > operator.max_cents:
        raise AmountError(
            _(
                "{asked} is {worth} at {rate} riel per dollar, more than {operator}'s "
                "maximum of {maximum} ({maximum_khr})."
            ).format(
                asked=format_khr_for(riel),
                worth=format_usd_for(worth),
                rate=f"{riel_per_usd:,}",
                operator=operator.name,
                maximum=format_usd_for(operator.max_cents),
                maximum_khr=format_khr_for(riel_value(operator.max_cents, riel_per_usd)),
            )
        )
    cents = largest_allowed_at_or_below(operator, worth)
    if cents is None:
        raise _too_little(riel, worth, operator, riel_per_usd)
    payment = Payment.cash(Money.khr(riel))
    return RielTopup(riel, riel_per_usd, cents, settle(cents, payment, riel_per_usd, policy))


def _too_little(riel: int, worth: int, operator: Operator, riel_per_usd: int) -> AmountError:
    smallest = smallest_allowed(operator)
    if smallest is None:
        return AmountError(
            _("{operator}'s rules allow no top-up amount: check the rules file.").format(
                operator=operator.name
            )
        )
    return AmountError(
        _(
            "{asked} is {worth} at {rate} riel per dollar, less than {operator}'s "
            "smallest top-up of {smallest} ({smallest_khr})."
        ).format(
            asked=format_khr_for(riel),
            worth=format_usd_for(worth),
            rate=f"{riel_per_usd:,}",
            operator=operator.name,
            smallest=format_usd_for(smallest),
            smallest_khr=format_khr_for(-(-smallest * riel_per_usd // 100)),
        )
    )
