"""Money in integer minor units: USD cents and whole riel. Never a float.

Typed amounts are parsed with a strict pattern before anything else, because
`Decimal()` happily accepts 'NaN', '1e3', '1_000' and signs that a till must refuse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from counter.domain.errors import AmountError, PaymentError
from counter.domain.text import to_ascii_digits
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

# ASCII digits only: Khmer and full-width digits were already translated, and any other
# script's digits are refused rather than read (re.ASCII keeps \d to 0-9).
_GROUPED = r"\d{1,3}(?:,\d{3})+"
_PLAIN = r"\d+"
_USD_RE = re.compile(rf"^(?P<int>{_GROUPED}|{_PLAIN})?(?:\.(?P<frac>\d*))?$", re.ASCII)
_KHR_RE = re.compile(rf"^(?P<int>{_GROUPED}|{_PLAIN})$", re.ASCII)
# Longer than any amount a counter handles, with room for grouping commas; checked
# before int() so a pasted wall of digits is refused in words, not by Python's limits.
_MAX_TYPED = 24


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
    """Parse what a clerk typed into an amount, or raise AmountError saying why.

    USD: digits, at most one decimal point and two decimals (`5`, `5.5`, `5.50`, `$5`,
    `1,000.00`). KHR: whole riel (`20000`, `20,000`, `20000៛`). Khmer and full-width
    digits are read as digits. Signs, exponents, underscores, NaN and Infinity are refused.
    """
    if not isinstance(text, str):
        raise AmountError(_("The amount must be typed as text."))
    raw = to_ascii_digits(text).strip()
    if not raw:
        raise AmountError(_("Enter an amount."))
    if len(raw) > _MAX_TYPED:
        raise AmountError(
            _("{text!r} is too large to be an amount at a counter.").format(text=_shown(text))
        )
    if currency is Currency.USD:
        raw = _strip_affix(raw, ("$", "US$"), ("USD", "usd"))
    else:
        raw = _strip_affix(raw, (), ("៛", "KHR", "khr", "riel"))
    if raw.startswith(("-", "−")):
        raise AmountError(
            _("{text!r} is negative: an amount must be more than zero.").format(text=text.strip())
        )
    if raw.startswith("+"):
        raise AmountError(_("{text!r}: type the amount without a sign.").format(text=text.strip()))
    if currency is Currency.KHR:
        return Money.khr(_parse_khr(text, raw))
    return Money.usd(_parse_usd(text, raw))


def _strip_affix(raw: str, prefixes: tuple[str, ...], suffixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        if raw.startswith(prefix):
            return raw[len(prefix) :].strip()
    for suffix in suffixes:
        if raw.endswith(suffix):
            return raw[: -len(suffix)].strip()
    return raw


def _parse_usd(text: str, raw: str) -> int:
    match = _USD_RE.match(raw)
    if match is None or (match["int"] is None and not match["frac"]):
        raise AmountError(
            _not_an_amount(text, _("digits with at most one decimal point, like 5 or 2.50"))
        )
    frac = match["frac"] or ""
    if len(frac) > 2:
        raise AmountError(
            _("{text!r} has more than 2 decimals: US dollars go to the cent.").format(
                text=text.strip()
            )
        )
    whole = int((match["int"] or "0").replace(",", ""))
    cents = whole * 100 + int(frac.ljust(2, "0"))
    return _within_limit(text, cents, Currency.USD)


def _parse_khr(text: str, raw: str) -> int:
    if "." in raw:
        raise AmountError(
            _("{text!r}: riel are whole numbers, without decimals.").format(text=text.strip())
        )
    match = _KHR_RE.match(raw)
    if match is None:
        raise AmountError(_not_an_amount(text, _("whole riel, like 20000 or 20,000")))
    return _within_limit(text, int(raw.replace(",", "")), Currency.KHR)


def _within_limit(text: str, minor: int, currency: Currency) -> int:
    if minor > MAX_MINOR[currency]:
        limit = Money(MAX_MINOR[currency], currency)
        raise AmountError(
            _("{text!r} is too large: the most a counter handles is {limit}.").format(
                text=text.strip(), limit=format_money_text(limit)
            )
        )
    return minor


def _not_an_amount(text: str, expected: str) -> str:
    return _("{text!r} is not an amount: type {expected}.").format(
        text=_shown(text), expected=expected
    )


def _shown(text: str) -> str:
    """The typed text as quoted back in a message, cut short if it is long."""
    shown = text.strip()
    return shown[:20] + "…" if len(shown) > 20 else shown


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
