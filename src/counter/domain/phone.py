"""Cambodian mobile numbers as customers say them, to E.164 and back.

The shop's prefix table (operators.py) decides which operator a number belongs to
and how long it must be; this module only reads what was typed into the national
significant number (the digits after the trunk 0) and formats it for people.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from counter.domain.errors import NumberError
from counter.domain.text import to_ascii_digits
from counter.i18n import _

COUNTRY_CODE = "855"
# Digits after the trunk 0 in a Cambodian number: 8 (012 345 678) or 9 (097 123 4567).
NSN_LENGTHS = (8, 9)
_SEPARATORS = frozenset(" -./()")
_TRUNK_IN_BRACKETS = re.compile(r"^\+?\s*(00\s*)?855\s*\(\s*0\s*\)")


@dataclass(frozen=True)
class PhoneNumber:
    """A number in the Cambodian plan, not yet checked against any operator."""

    nsn: str  # national significant number: the digits after the trunk 0

    @property
    def prefix(self) -> str:
        """The operator prefix as written nationally, e.g. `012`."""
        return "0" + self.nsn[:2]

    @property
    def e164(self) -> str:
        return f"+{COUNTRY_CODE}{self.nsn}"

    @property
    def national(self) -> str:
        return "0" + self.nsn

    @property
    def display(self) -> str:
        """Grouped for reading aloud: `012 345 678` or `097 123 4567`."""
        return group_national(self.national)

    @property
    def last4(self) -> str:
        return self.nsn[-4:]


def group_national(national: str) -> str:
    """Group a national number (with its 0) as 3-3-rest: `012 345 678`, `097 123 4567`."""
    if len(national) <= 3:
        return national
    if len(national) <= 6:
        return f"{national[:3]} {national[3:]}"
    return f"{national[:3]} {national[3:6]} {national[6:]}"


def _clean(text: str) -> tuple[bool, str]:
    """Strip separators; return (had a leading +, digits). Refuses anything else."""
    if not isinstance(text, str):
        raise NumberError(_("The phone number must be typed as text."))
    raw = to_ascii_digits(text)
    raw = "".join(" " if unicodedata.category(c) == "Zs" or c in "\t" else c for c in raw).strip()
    if not raw:
        raise NumberError(_("Enter the customer's phone number."))
    # `+855 (0)12 345 678`: the (0) is the trunk prefix written for people; drop it.
    raw = _TRUNK_IN_BRACKETS.sub(lambda m: m.group(0).split("(")[0], raw, count=1)
    plus = raw.startswith("+")
    body = raw[1:] if plus else raw
    digits = []
    for char in body:
        if char.isascii() and char.isdigit():
            digits.append(char)
        elif char in _SEPARATORS:
            continue
        else:
            raise NumberError(
                _("{char} is not a digit: type the number with digits 0-9.").format(
                    char=_show(char)
                )
            )
    if not digits:
        raise NumberError(
            _("{text!r} has no digits: type the customer's phone number.").format(text=text.strip())
        )
    return plus, "".join(digits)


def _show(char: str) -> str:
    if char.isprintable() and not char.isspace():
        return f"'{char}'"
    return _("The character {codepoint}").format(codepoint=f"U+{ord(char):04X}")


def parse_number(text: str) -> PhoneNumber:
    """Read a Cambodian number in any of the ways customers give it.

    Accepts `012345678`, `012 345 678`, `012-345-678`, `012.345.678`, `(012) 345 678`,
    `+855 12 345 678`, `85512345678`, `0085512345678`, `+855 (0)12 345 678`, the number
    without its 0 (`12 345 678`), and Khmer or full-width digits. Raises NumberError
    with the reason otherwise. Whether an operator uses the prefix is checked later.
    """
    plus, digits = _clean(text)
    dialled_country = plus or digits.startswith("00")
    if plus:
        if not digits.startswith(COUNTRY_CODE):
            raise NumberError(
                _("{start}… is not a Cambodian number: Cambodian numbers start with +855.").format(
                    start="+" + digits[:3]
                )
            )
        nsn = digits[len(COUNTRY_CODE) :]
    elif digits.startswith("00"):
        if not digits.startswith("00" + COUNTRY_CODE):
            raise NumberError(
                _("{start}… dials abroad: Cambodian numbers start with 0 or +855.").format(
                    start=digits[:5]
                )
            )
        nsn = digits[2 + len(COUNTRY_CODE) :]
    elif digits.startswith(COUNTRY_CODE) and len(digits) - len(COUNTRY_CODE) in (8, 9, 10):
        nsn, dialled_country = digits[len(COUNTRY_CODE) :], True
    elif digits.startswith("0"):
        nsn = digits[1:]
    else:
        nsn = digits
    if nsn.startswith("0"):  # `855 012 345 678`: trunk 0 after the country code
        nsn = nsn[1:]
    if not nsn and dialled_country:
        raise NumberError(_("The number stops after the country code: type the rest of it."))
    if nsn.startswith("0"):
        raise NumberError(_("{text!r} has too many zeros at the start.").format(text=text.strip()))
    if len(nsn) < min(NSN_LENGTHS):
        raise NumberError(
            _(
                "{number} is too short: a Cambodian mobile number has "
                "9 or 10 digits with its leading 0."
            ).format(number=group_national("0" + nsn))
        )
    if len(nsn) > max(NSN_LENGTHS):
        raise NumberError(
            _(
                "{number} is too long: a Cambodian mobile number has "
                "9 or 10 digits with its leading 0."
            ).format(number=group_national("0" + nsn))
        )
    return PhoneNumber(nsn)


def is_landline_prefix(prefix: str) -> bool:
    """Fixed lines are 0[2-7]x (023 is Phnom Penh); the rules' mobile prefixes win first."""
    return len(prefix) == 3 and prefix[0] == "0" and prefix[1] in "234567"


def mask_display(number: PhoneNumber) -> str:
    """`012 ***678`: the middle digits hidden, for receipts when the shop wants privacy."""
    national = number.national
    return f"{national[:3]} {'*' * (len(national) - 6)}{national[-3:]}"


def masked(msisdn: str) -> str:
    """`012 *** 678` from `+85512345678`: enough for a clerk to match a customer, not
    enough to call them; a number outside the plan keeps only its first and last three."""
    digits = "".join(c for c in msisdn if c.isdigit())
    if msisdn.startswith(f"+{COUNTRY_CODE}"):
        digits = "0" + digits[len(COUNTRY_CODE) :]
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]} {'*' * (len(digits) - 6)} {digits[-3:]}"


def second_opinion(number: PhoneNumber) -> bool | None:
    """What the `phonenumbers` package thinks of the number: True, False, or None if absent.

    Our table is the authority (phonenumbers misses some prefixes and lengths in
    use); a disagreement is shown as a warning, never a refusal.
    """
    try:
        import phonenumbers
    except ImportError:  # pragma: no cover - it is a declared dependency
        return None
    parsed = phonenumbers.parse(number.e164, None)
    return bool(phonenumbers.is_valid_number(parsed))
