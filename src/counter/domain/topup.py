"""check_topup: may this number be topped up with this amount, and what does it add?

Returns a verdict listing every problem found (not only the first), so the clerk
fixes the number and the amount in one go.
"""

from __future__ import annotations

from dataclasses import dataclass

from counter.domain.amounts import read_amount
from counter.domain.cash import ChangePolicy
from counter.domain.errors import AmountError, NumberError
from counter.domain.money import Currency, Money
from counter.domain.operators import Operator, RuleBook
from counter.domain.phone import PhoneNumber, group_national, is_landline_prefix, parse_number
from counter.domain.riel_topup import RielTopup, fit_riel_topup
from counter.i18n import _

DEFAULT_RIEL_PER_USD = 4000


def topup_cents(
    money: Money,
    operator: Operator | None,
    riel_per_usd: int,
    change: ChangePolicy | None = None,
) -> tuple[int, RielTopup | None]:
    """The top-up in cents for an amount as typed, and its riel fitting, or AmountError.

    Dollars are the amount. Riel (`5000r`) are converted at the rate and fitted to the
    operator's amount rules: the largest amount it sells at or below their worth, the rest
    back in change (`riel_topup.fit_riel_topup`). Without an operator (the number is not
    known yet) riel are worth the whole cents at or below them.
    """
    if money.currency is Currency.USD:
        return money.minor, None
    if operator is None:
        return money.minor * 100 // riel_per_usd, None
    fitted = fit_riel_topup(money, operator, riel_per_usd, change)
    return fitted.amount_cents, fitted


@dataclass(frozen=True)
class Verdict:
    operator: Operator | None
    number: PhoneNumber | None
    amount_cents: int | None
    validity_days: int | None
    errors: tuple[str, ...]
    number_errors: tuple[str, ...] = ()
    amount_errors: tuple[str, ...] = ()
    riel_topup: RielTopup | None = None  # a top-up asked for in riel, fitted to the rules

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def msisdn(self) -> str | None:
        return self.number.e164 if self.number else None

    @property
    def display(self) -> str | None:
        return self.number.display if self.number else None

    def as_json(self) -> dict[str, object]:
        """The `counter check --json` contract."""
        return {
            "ok": self.ok,
            "operator": self.operator.id if self.operator else None,
            "msisdn": self.msisdn,
            "display": self.display,
            "amount_cents": self.amount_cents,
            "validity_days": self.validity_days,
            "errors": list(self.errors),
        }


@dataclass(frozen=True)
class NumberCheck:
    """What the number alone says: enough for the sale screen to show the operator."""

    number: PhoneNumber | None
    operator: Operator | None
    errors: tuple[str, ...]


def check_number(text: str, rules: RuleBook) -> NumberCheck:
    """Parse the number and find its operator by prefix and length."""
    try:
        number = parse_number(text)
    except NumberError as exc:
        return NumberCheck(None, None, (exc.message,))
    match = rules.match_prefix(number.prefix)
    if match is None:
        if is_landline_prefix(number.prefix):
            return NumberCheck(
                None,
                None,
                (
                    _(
                        "{number} is a landline (fixed line): only mobile numbers take a top-up."
                    ).format(number=number.display),
                ),
            )
        return NumberCheck(
            None,
            None,
            (
                _("Unknown prefix {prefix}: no operator in the rules uses it.").format(
                    prefix=number.prefix
                ),
            ),
        )
    op = match.operator
    if len(number.nsn) not in match.lengths:
        allowed = _(" or ").join(str(n + 1) for n in sorted(match.lengths))
        return NumberCheck(
            None,
            op,
            (
                _(
                    "{number} has the wrong length for {operator} {prefix}: {prefix} numbers "
                    "have {allowed} digits with the leading 0, this one has {digits}."
                ).format(
                    number=group_national(number.national),
                    operator=op.name,
                    prefix=match.prefix,
                    allowed=allowed,
                    digits=len(number.nsn) + 1,
                ),
            ),
        )
    if not op.enabled:
        return NumberCheck(
            number,
            op,
            (_("{operator} top-ups are not enabled at this counter.").format(operator=op.name),),
        )
    return NumberCheck(number, op, ())


def check_topup(
    number: str,
    amount: str | Money,
    rules: RuleBook,
    *,
    currency: Currency = Currency.USD,
    riel_per_usd: int = DEFAULT_RIEL_PER_USD,
    change: ChangePolicy | None = None,
) -> Verdict:
    """Check a top-up as typed; collect every problem with the number and the amount.

    A typed amount is read by `read_amount`, as on the screen: `5000r` is riel, `5` or `$5`
    dollars; `currency` is the currency of an amount typed with no mark. Riel are fitted to
    the operator's amounts at the rate (`topup_cents`); `riel_topup` says how.
    """
    checked = check_number(number, rules)
    op = checked.operator
    amount_errors: list[str] = []
    cents: int | None = None
    fitted: RielTopup | None = None
    try:
        money = amount if isinstance(amount, Money) else read_amount(amount, currency)
        if money.minor <= 0:
            raise AmountError(_("The amount must be more than zero."))
        cents, fitted = topup_cents(money, op, riel_per_usd, change)
    except AmountError as exc:
        amount_errors.append(exc.message)
    if cents is not None and cents <= 0:
        amount_errors.append(_("The amount must be more than zero."))
        cents = None
    validity: int | None = None
    if cents is not None and op is not None:
        amount_errors.extend(op.amount_problems(cents))
        validity = op.validity_days(cents)
    return Verdict(
        operator=op,
        number=checked.number,
        amount_cents=cents,
        validity_days=validity,
        errors=checked.errors + tuple(amount_errors),
        number_errors=checked.errors,
        amount_errors=tuple(amount_errors),
        riel_topup=fitted,
    )
