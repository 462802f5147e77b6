"""Money in integer minor units: USD cents and whole riel. Never a float.

Typed amounts are read by `counter.domain.amounts` with a strict pattern, because
`Decimal()` happily accepts 'NaN', '1e3', '1_000' and signs that a till must refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from counter.domain.errors import AmountError, PaymentError
from counter.i18n import _, format_khr_for, format_usd_for


class Currency(StrEnum):
    USD = "USD"
    KHR = "KHR"

    @property
    def exponent(self) -> int:
        """Digits after the decimal point: cents for USD, none for riel."""
        return 2 if self is Currency.USD else 0

    @classmethod
    def parse(cls, text: str) -> Currency:
        code = text.strip().upper()
        if code in ("$", "USD", "US$", "DOLLAR", "DOLLARS"):
            return cls.USD
        if code in ("KHR", "RIEL", "RIELS", "៛", "R"):
            return cls.KHR
        raise AmountError(_("Unknown currency {text!r}: use USD or KHR.").format(text=text.strip()))


# The largest amount a counter should ever be asked to handle in one line:
# $1,000,000.00 or 10,000,000,000 riel. Anything bigger is a typing accident.
MAX_MINOR = {Currency.USD: 100_000_000, Currency.KHR: 10_000_000_000}


@dataclass(frozen=True, order=True)
class Money:
    """An amount in minor units of one currency."""

    minor: int
    currency: Currency

    def __post_init__(self) -> None:
        if not isinstance(self.minor, int) or isinstance(self.minor, bool):
            raise TypeError("Money.minor must be an int (minor units), never a float")

    @classmethod
    def usd(cls, cents: int) -> Money:
        return cls(cents, Currency.USD)

    @classmethod
    def khr(cls, riel: int) -> Money:
        return cls(riel, Currency.KHR)

    def __str__(self) -> str:
        return format_money(self)


def format_usd(cents: int) -> str:
    """`$5.00`, `-$0.25`, `$1,250.00`."""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}${dollars:,}.{rest:02d}"


def format_khr(riel: int) -> str:
    """`20,000៛`: riel have no decimals in use."""
    sign = "-" if riel < 0 else ""
    return f"{sign}{abs(riel):,}៛"


def format_money(money: Money) -> str:
    if money.currency is Currency.USD:
        return format_usd(money.minor)
    return format_khr(money.minor)


def format_money_text(money: Money) -> str:
    """An amount as shown in a sentence, for the active language (Babel; English as `str`)."""
    if money.currency is Currency.USD:
        return format_usd_for(money.minor)
    return format_khr_for(money.minor)


def plain_decimal(cents: int) -> str:
    """`5.00`: the form the export and JSON contracts use, without a currency sign."""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}{dollars}.{rest:02d}"


def parse_amount(text: str, currency: Currency = Currency.USD) -> Money:
    """Parse what a clerk typed into an amount in `currency`, or raise AmountError saying why.

    The reading is `counter.domain.amounts.read_amount`'s, the one the screen and the CLI
    use (`5`, `2.50`, `$5`, `1,000.00`; riel `20000`, `20,000៛`, `5000r`; Khmer digits),
    held to `currency`: an amount marked in the other currency is refused.
    """
    from counter.domain.amounts import read_amount

    money = read_amount(text, currency)
    if money.currency is not currency:
        expected = (
            _("whole riel, like 5000r or 5,000r")
            if currency is Currency.KHR
            else _("digits with at most one decimal point, like 5 or 2.50")
        )
        shown = text.strip()
        raise AmountError(
            _("{text!r} is not an amount: type {expected}.").format(
                text=shown[:20] + "…" if len(shown) > 20 else shown, expected=expected
            )
        )
    return money


# A minus as keyboards type it: ASCII, the minus sign, hyphens and dashes (a phone's or
# a word processor's), full-width (a Chinese input method).
_MINUS_SIGNS = ("-", "\u2212", "\u2010", "\u2011", "\u2013", "\u2014", "\uff0d")


def parse_signed_amount(text: str, currency: Currency = Currency.USD) -> int:
    """A change typed with its sign (`-2.50`, `+10`, `10`): signed minor units of
    `currency`, or AmountError. The sign is read once, here: a second one (`--5`, `+-5`,
    `- -5`) is refused in words, never dropped; the rest is `parse_amount`'s reading."""
    if not isinstance(text, str):
        raise AmountError(_("The amount must be typed as text."))
    body = text.strip()
    sign = 1
    if body.startswith(_MINUS_SIGNS):
        sign, body = -1, body[1:]
    elif body.startswith(("+", "\uff0b")):
        body = body[1:]
    if body.lstrip().startswith((*_MINUS_SIGNS, "+", "\uff0b")):
        shown = text.strip()
        raise AmountError(
            _("{text!r} has more than one sign: type one, like -2.50 or 10.00.").format(
                text=shown[:20] + "…" if len(shown) > 20 else shown
            )
        )
    return sign * parse_amount(body, currency).minor


# --- exchange and change -------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """The change handed back for one sale.

    Whole dollars go back in USD and the rest in riel, rounded to the smallest
    riel note in use. `rounding_khr` is what the rounding kept (positive: the
    customer got that much less; negative: that much more) so the drawer balances.
    """

    usd_cents: int
    khr: int
    rounding_khr: int

    @property
    def is_none(self) -> bool:
        return self.usd_cents == 0 and self.khr == 0


def khr_for_cents(cents: int, riel_per_usd: int) -> Fraction:
    """The exact riel value of an amount of cents at the shop's rate."""
    return Fraction(cents * riel_per_usd, 100)


def cents_for_khr(riel: int, riel_per_usd: int) -> Fraction:
    """The exact cent value of an amount of riel at the shop's rate."""
    return Fraction(riel * 100, riel_per_usd)


def round_to_step(value: Fraction | int, step: int) -> int:
    """Round to the nearest multiple of `step`, halves upward (customers' favour)."""
    if step <= 0:
        raise ValueError("rounding step must be positive")
    units = Fraction(value) / step
    whole = units.numerator // units.denominator
    if units - whole >= Fraction(1, 2):
        whole += 1
    return whole * step


def _round_half_up(value: Fraction) -> int:
    return round_to_step(value, 1)


def compute_change(due_cents: int, paid: Money, riel_per_usd: int, khr_step: int = 100) -> Change:
    """Change for `paid` against `due_cents`, or PaymentError if the cash is short.

    Paid in USD: whole dollars back in USD, the cents part in riel.
    Paid in riel: all change in riel.
    """
    if riel_per_usd <= 0:
        raise PaymentError(_("The exchange rate must be a positive number of riel per dollar."))
    if paid.currency is Currency.USD:
        excess = paid.minor - due_cents
        if excess < 0:
            raise PaymentError(
                _("{paid} received is short of {due} by {short}.").format(
                    paid=format_usd_for(paid.minor),
                    due=format_usd_for(due_cents),
                    short=format_usd_for(-excess),
                )
            )
        dollars, cents = divmod(excess, 100)
        exact_khr = khr_for_cents(cents, riel_per_usd)
        given = round_to_step(exact_khr, khr_step)
        return Change(dollars * 100, given, _round_half_up(exact_khr) - given)
    due_khr = khr_for_cents(due_cents, riel_per_usd)
    exact_khr = paid.minor - due_khr
    if exact_khr < 0:
        short = round_to_step(-exact_khr, 1)
        raise PaymentError(
            _("{paid} received is short of {due} by {short}.").format(
                paid=format_khr_for(paid.minor),
                due=format_khr_for(_round_half_up(due_khr)),
                short=format_khr_for(short),
            )
        )
    given = round_to_step(exact_khr, khr_step)
    return Change(0, given, _round_half_up(exact_khr) - given)


def usd_cents_of(amount: Money, riel_per_usd: int) -> int:
    """An amount in USD cents; riel must convert to whole cents at the shop's rate."""
    if amount.currency is Currency.USD:
        return amount.minor
    exact = cents_for_khr(amount.minor, riel_per_usd)
    if exact.denominator != 1:
        raise AmountError(
            _("{amount} is not a whole number of cents at {rate} riel per dollar.").format(
                amount=format_khr_for(amount.minor), rate=f"{riel_per_usd:,}"
            )
        )
    return exact.numerator
