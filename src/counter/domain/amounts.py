"""The one strict reading of an amount typed at the counter: the screen, the CLI and
`counter check` all call it, so `5000r` means the same everywhere.

A typed amount is read whole or refused in words. Nothing is dropped on the way:
`-5` is refused as negative (not read as 5), `1e3` names the `e` it cannot read (not
read as 13), and signs, exponents, underscores, NaN, Infinity and other scripts' digits
are refused. Khmer and full-width digits are read as the digits they are.
"""

from __future__ import annotations

import re
import unicodedata

from counter.domain.errors import AmountError
from counter.domain.money import MAX_MINOR, Currency, Money, format_money_text
from counter.domain.text import to_ascii_digits
from counter.i18n import _

# Longer than any amount with its currency marks and grouping commas.
_MAX_TYPED = 32
# Longer than any cash received typed as several amounts joined by `+`.
_MAX_CASH_TYPED = 120
_MAX_CASH_PARTS = 6

# Checked longest first, so `riel` is not read as `rie` + `l`. Letters match in any case.
_RIEL_SUFFIXES = ("riels", "riel", "khr", "៛", "r")
_USD_PREFIXES = ("us$", "usd", "$")
_USD_SUFFIXES = ("usd", "$")
# A Chinese input method types the dollar sign full-width.
_FULL_WIDTH_MARKS = {ord("＄"): "$", ord("ｒ"): "r", ord("Ｒ"): "R"}

_BODY_CHARS = frozenset("0123456789.,")
_GROUPED = r"\d{1,3}(?:,\d{3})+"
_PLAIN = r"\d+"
_USD_RE = re.compile(rf"^(?P<int>{_GROUPED}|{_PLAIN})?(?:\.(?P<frac>\d*))?$", re.ASCII)
_WHOLE_RE = re.compile(rf"^(?:{_GROUPED}|{_PLAIN})$", re.ASCII)


# Only spaces are trimmed around an amount and its parts; any other invisible character
# (a carriage return, a tab, a zero-width space) is refused in words, never dropped.
_SPACES = " \u00a0\u3000"


def read_amount(text: str, default: Currency = Currency.USD) -> Money:
    """Read one amount as typed, in the currency its mark names; AmountError says why not.

    Dollars: `5`, `2.50`, `$5`, `5$`, `US$5`, `5 USD`, `1,000.00`. Riel: `5000r`,
    `5,000r`, `5000៛`, `5000 KHR`, `5000 riel`. An amount with no mark is in `default`
    (dollars at the counter). Khmer (០-៩) and full-width digits are read as digits.
    """
    if not isinstance(text, str):
        raise AmountError(_("The amount must be typed as text."))
    raw = _normalised(text)
    if not raw:
        raise AmountError(_("Enter an amount."))
    if len(raw) > _MAX_TYPED:
        raise AmountError(
            _("{text!r} is too large to be an amount at a counter.").format(text=_shown(text))
        )
    body, currency = _split_mark(text, raw, default)
    _refuse_signs_and_strangers(text, body)
    if currency is Currency.KHR:
        return Money.khr(_whole_riel(text, body))
    return Money.usd(_cents(text, body))


def read_cash(text: str, default: Currency = Currency.USD) -> tuple[Money, ...]:
    """Read the cash a customer handed over: one amount, or several joined by `+`.

    Type what was handed over as it lies on the counter, in one field, dollars and riel
    together: `5 + 2000r` is a $5 note and 2,000 riel; `20` is a $20 note; `10000r` is
    10,000 riel. Each part is read as `read_amount` reads it (no mark: dollars). Parts in
    the same currency are added (`20 + 5` is $25). The result has one amount per
    currency, in the order typed. A part that is empty or zero is refused, never skipped.
    """
    if not isinstance(text, str):
        raise AmountError(_("The amount must be typed as text."))
    raw = _normalised(text)
    if not raw:
        raise AmountError(_("Enter the cash received."))
    if len(raw) > _MAX_CASH_TYPED:
        raise AmountError(
            _("{text!r} is too long to be the cash received.").format(text=_shown(text))
        )
    if raw.startswith("+"):
        raise AmountError(_("{text!r}: type the amount without a sign.").format(text=_shown(text)))
    parts = [part.strip(_SPACES) for part in raw.split("+")]
    if "" in parts:
        raise AmountError(
            _("{text!r} has a + with no amount after it: type, for example, 5 + 2000r.").format(
                text=_shown(text)
            )
        )
    if len(parts) > _MAX_CASH_PARTS:
        raise AmountError(
            _("{text!r} has more than {count} amounts: add them up per currency.").format(
                text=_shown(text), count=_MAX_CASH_PARTS
            )
        )
    totals: dict[Currency, int] = {}
    for part in parts:
        money = read_amount(part, default)
        if money.minor == 0:
            raise AmountError(
                _("{part!r} is zero: type only the cash the customer handed over.").format(
                    part=_shown(part)
                )
            )
        totals[money.currency] = totals.get(money.currency, 0) + money.minor
    for currency, minor in totals.items():
        _within_limit(text, minor, currency)
    return tuple(Money(minor, currency) for currency, minor in totals.items())


def read_count(text: str) -> int:
    """A number of notes as typed in a cash count (`12`, `1,200`, `១២`): whole, no sign."""
    if not isinstance(text, str):
        raise AmountError(_("The amount must be typed as text."))
    raw = _normalised(text)
    if not raw:
        return 0
    if len(raw) > _MAX_TYPED:
        raise AmountError(_("{text!r} is too many notes to be a count.").format(text=_shown(text)))
    _refuse_signs_and_strangers(text, raw)
    if _WHOLE_RE.match(raw) is None:
        raise AmountError(
            _("{text!r} is not a number of notes: type a whole number, like 12.").format(
                text=_shown(text)
            )
        )
    return int(raw.replace(",", ""))


# --- the parts ------------------------------------------------------------------------


def _normalised(text: str) -> str:
    return to_ascii_digits(text).translate(_FULL_WIDTH_MARKS).strip(_SPACES)


def _split_mark(text: str, raw: str, default: Currency) -> tuple[str, Currency]:
    """The digits and the currency their mark names; refuses more than one mark."""
    riel = _suffix(raw, _RIEL_SUFFIXES)
    if riel is not None:
        body, currency = raw[: -len(riel)].strip(_SPACES), Currency.KHR
    elif (usd := _prefix(raw, _USD_PREFIXES)) is not None:
        body, currency = raw[len(usd) :].strip(_SPACES), Currency.USD
    elif (usd := _suffix(raw, _USD_SUFFIXES)) is not None:
        body, currency = raw[: -len(usd)].strip(_SPACES), Currency.USD
    else:
        return raw, default
    if (
        _suffix(body, _RIEL_SUFFIXES) is not None
        or _prefix(body, _USD_PREFIXES) is not None
        or _suffix(body, _USD_SUFFIXES) is not None
    ):
        raise AmountError(
            _("{text!r} has more than one currency mark: type $5, 5000r or 5 + 2000r.").format(
                text=_shown(text)
            )
        )
    return body, currency


def _suffix(raw: str, marks: tuple[str, ...]) -> str | None:
    """The mark `raw` ends with, as typed (letters in any case), or None."""
    for mark in marks:
        tail = raw[-len(mark) :]
        if len(raw) >= len(mark) and (tail == mark or (tail.isascii() and tail.lower() == mark)):
            return tail
    return None


def _prefix(raw: str, marks: tuple[str, ...]) -> str | None:
    """The mark `raw` starts with, as typed (letters in any case), or None."""
    for mark in marks:
        head = raw[: len(mark)]
        if len(raw) >= len(mark) and head.isascii() and head.lower() == mark:
            return head
    return None


def _refuse_signs_and_strangers(text: str, body: str) -> None:
    """Refuse a sign, then the first character that cannot be part of an amount, by name."""
    if body.startswith(("-", "−", "‐", "‑", "–", "—")):
        raise AmountError(
            _("{text!r} is negative: an amount must be more than zero.").format(text=_shown(text))
        )
    if body.startswith("+"):
        raise AmountError(_("{text!r}: type the amount without a sign.").format(text=_shown(text)))
    if "+" in body:
        raise AmountError(
            _("{text!r} is more than one amount: type one, like 5 or 5000r.").format(
                text=_shown(text)
            )
        )
    for char in body:
        if char not in _BODY_CHARS:
            raise AmountError(
                _("{text!r} is not an amount: {char} cannot be part of one.").format(
                    text=_shown(text), char=_named(char)
                )
            )


def _named(char: str) -> str:
    """`'e'` for a visible character; a space or an invisible one by its name and code."""
    if char == " ":
        return _("a space")
    category = unicodedata.category(char)
    if category[0] in "CZ" or category == "Mn":
        name = unicodedata.name(char, "")
        return f"U+{ord(char):04X} {name}".strip()
    return repr(char)


def _cents(text: str, body: str) -> int:
    match = _USD_RE.match(body)
    if match is None or (match["int"] is None and not match["frac"]):
        raise AmountError(
            _("{text!r} is not an amount: type {expected}.").format(
                text=_shown(text),
                expected=_("digits with at most one decimal point, like 5 or 2.50"),
            )
        )
    frac = match["frac"] or ""
    if len(frac) > 2:
        raise AmountError(
            _("{text!r} has more than 2 decimals: US dollars go to the cent.").format(
                text=_shown(text)
            )
        )
    whole = int((match["int"] or "0").replace(",", ""))
    return _within_limit(text, whole * 100 + int(frac.ljust(2, "0")), Currency.USD)


def _whole_riel(text: str, body: str) -> int:
    if "." in body:
        raise AmountError(
            _("{text!r}: riel are whole numbers, without decimals.").format(text=_shown(text))
        )
    if _WHOLE_RE.match(body) is None:
        raise AmountError(
            _("{text!r} is not an amount: type {expected}.").format(
                text=_shown(text), expected=_("whole riel, like 5000r or 5,000r")
            )
        )
    return _within_limit(text, int(body.replace(",", "")), Currency.KHR)


def _within_limit(text: str, minor: int, currency: Currency) -> int:
    if minor > MAX_MINOR[currency]:
        raise AmountError(
            _("{text!r} is too large: the most a counter handles is {limit}.").format(
                text=_shown(text), limit=format_money_text(Money(MAX_MINOR[currency], currency))
            )
        )
    return minor


def _shown(text: str) -> str:
    """The typed text as quoted back in a message, cut short if it is long."""
    shown = text.strip()
    return shown[:20] + "…" if len(shown) > 20 else shown
