"""A dynamic KHQR code for one payment: the payload a bank app scans, and its MD5.

The layout follows the National Bank of Cambodia's own SDK (npm `bakong-khqr` 1.0.20,
from the NBC's GitLab), whose published examples the tests reproduce byte for byte:

    00 01 | 01 12 (dynamic) | 29 individual or 30 merchant account {00 account id,
    01 account information / merchant id, 02 acquiring bank} | 52 MCC | 53 currency
    (116 riel, 840 US dollar) | 54 amount | 58 KH | 59 name | 60 city | 62 {01 bill
    number, 02 mobile, 03 store label, 07 terminal label, 08 purpose} | 64 {00 language,
    01 name, 02 city} | 99 {00 created, 01 expires: milliseconds since 1970, UTC} | 63 CRC

Bakong finds a payment by the MD5 of the whole payload, so the payload is made once and
kept: building it again at another moment gives another code.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from counter.domain.money import Currency, Money
from counter.i18n import N_, _
from counter.payments.emv import field, with_crc
from counter.payments.errors import KhqrError

__all__ = ["DEFAULT_MCC", "KhqrCode", "Merchant", "build_khqr", "khqr_amount", "md5_of"]

DEFAULT_MCC = "5999"  # "miscellaneous retail": the NBC SDK's default
CURRENCY_CODES = {Currency.USD: "840", Currency.KHR: "116"}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)
# Control, format (bidi overrides, zero-width), surrogate, private, unassigned, separators.
# Characters beyond the Basic Multilingual Plane are refused too: the NBC SDK counts their
# length in UTF-16 units, so a reader would disagree with us about where a field ends.
_FORBIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})

# Longest value per field, as the NBC SDK checks them (emv.INVALID_LENGTH).
MAX_LENGTH = {
    "account_id": 32,
    "merchant_id": 32,
    "acquiring_bank": 32,
    "account_information": 32,
    "merchant_name": 25,
    "merchant_city": 15,
    "bill_number": 25,
    "mobile_number": 25,
    "store_label": 25,
    "terminal_label": 25,
    "purpose": 25,
    "alternate_language": 2,
    "alternate_name": 25,
    "alternate_city": 15,
    "amount": 13,
}

# What each field is called in a sentence.
_LABELS = {
    "account_id": N_("Bakong account id"),
    "merchant_id": N_("merchant id"),
    "acquiring_bank": N_("acquiring bank"),
    "account_information": N_("account information"),
    "merchant_name": N_("merchant name"),
    "merchant_city": N_("merchant city"),
    "bill_number": N_("bill number"),
    "mobile_number": N_("mobile number"),
    "store_label": N_("store label"),
    "terminal_label": N_("terminal label"),
    "purpose": N_("purpose of the payment"),
    "alternate_language": N_("second language"),
    "alternate_name": N_("merchant name in the second language"),
    "alternate_city": N_("merchant city in the second language"),
}


@dataclass(frozen=True)
class Merchant:
    """Who is paid: the shop's Bakong account and what the customer's app shows.

    With `merchant_id` the code is a merchant account (tag 30, which also needs
    `acquiring_bank`); without it an individual account (tag 29).
    """

    account_id: str
    name: str
    city: str
    merchant_id: str | None = None
    acquiring_bank: str | None = None
    account_information: str | None = None
    mcc: str = DEFAULT_MCC
    store_label: str | None = None
    terminal_label: str | None = None
    mobile_number: str | None = None
    alternate_language: str | None = None
    alternate_name: str | None = None
    alternate_city: str | None = None


@dataclass(frozen=True)
class KhqrCode:
    """A payload made for one payment, with what a check and the ledger need of it."""

    payload: str
    md5: str
    amount: Money
    bill_number: str | None
    created_at: datetime
    expires_at: datetime


def md5_of(payload: str) -> str:
    """The lower-case hex MD5 of the payload's UTF-8 bytes: Bakong's key for the payment."""
    return hashlib.md5(payload.encode("utf-8"), usedforsecurity=False).hexdigest()


def khqr_amount(amount: Money) -> str:
    """Tag 54's text, as the NBC SDK writes it: `5`, `5.50`, `50000` (riel are whole)."""
    if amount.currency is Currency.KHR:
        return str(amount.minor)
    dollars, cents = divmod(amount.minor, 100)
    return str(dollars) if cents == 0 else f"{dollars}.{cents:02d}"


def build_khqr(
    merchant: Merchant,
    amount: Money,
    *,
    created_at: datetime,
    expires_at: datetime,
    bill_number: str | None = None,
    purpose: str | None = None,
) -> KhqrCode:
    """The dynamic KHQR for `amount`, valid from `created_at` to `expires_at` (both UTC).

    Raises KhqrError naming the field at fault, in words.
    """
    text = _checked_merchant(merchant)
    bill = _optional("bill_number", bill_number)
    why = _optional("purpose", purpose)
    start, end = _utc_ms(created_at), _utc_ms(expires_at)
    if end <= start:
        raise KhqrError(
            _("The code would expire ({expires}) before it is made ({created}).").format(
                expires=expires_at.isoformat(), created=created_at.isoformat()
            ),
            "expires_at",
        )
    body = "".join(
        (
            field("00", "01"),
            field("01", "12"),
            _account(text),
            field("52", text["mcc"]),
            field("53", CURRENCY_CODES[amount.currency]),
            field("54", _checked_amount(amount)),
            field("58", "KH"),
            field("59", text["name"]),
            field("60", text["city"]),
            _template("62", ("01", bill), *_labels(text), ("08", why)),
            _template(
                "64",
                ("00", text.get("alternate_language")),
                ("01", text.get("alternate_name")),
                ("02", text.get("alternate_city")),
            ),
            _template("99", ("00", str(start)), ("01", str(end))),
        )
    )
    payload = with_crc(body)
    return KhqrCode(
        payload=payload,
        md5=md5_of(payload),
        amount=amount,
        bill_number=bill,
        created_at=created_at,
        expires_at=expires_at,
    )


def _labels(text: dict[str, str]) -> tuple[tuple[str, str | None], ...]:
    return (
        ("02", text.get("mobile_number")),
        ("03", text.get("store_label")),
        ("07", text.get("terminal_label")),
    )


def _account(text: dict[str, str]) -> str:
    if "merchant_id" in text:
        return _template(
            "30",
            ("00", text["account_id"]),
            ("01", text["merchant_id"]),
            ("02", text["acquiring_bank"]),
        )
    return _template(
        "29",
        ("00", text["account_id"]),
        ("01", text.get("account_information")),
        ("02", text.get("acquiring_bank")),
    )


def _template(tag: str, *parts: tuple[str, str | None]) -> str:
    """A template field from its sub-fields, leaving out the empty ones (and itself if all are)."""
    inner = "".join(field(sub, value) for sub, value in parts if value)
    return field(tag, inner) if inner else ""


def _checked_merchant(merchant: Merchant) -> dict[str, str]:
    """The merchant's values, checked, keyed by field name (absent when not given)."""
    text = {
        "account_id": _required("account_id", merchant.account_id),
        "name": _required("merchant_name", merchant.name),
        "city": _required("merchant_city", merchant.city),
        "mcc": _checked_mcc(merchant.mcc),
    }
    _check_account_id(text["account_id"])
    optional = {
        "merchant_id": merchant.merchant_id,
        "acquiring_bank": merchant.acquiring_bank,
        "account_information": merchant.account_information,
        "store_label": merchant.store_label,
        "terminal_label": merchant.terminal_label,
        "mobile_number": merchant.mobile_number,
        "alternate_language": merchant.alternate_language,
        "alternate_name": merchant.alternate_name,
        "alternate_city": merchant.alternate_city,
    }
    for name, value in optional.items():
        checked = _optional(name, value)
        if checked is not None:
            text[name] = checked
    if "merchant_id" in text and "acquiring_bank" not in text:
        raise KhqrError(
            _("A merchant account (with a merchant id) needs its acquiring bank too."),
            "acquiring_bank",
        )
    if "mobile_number" in text and not text["mobile_number"].isdigit():
        raise KhqrError(
            _("The mobile number {value!r} must be digits only, like 85512345678.").format(
                value=text["mobile_number"]
            ),
            "mobile_number",
        )
    return text


def _check_account_id(account: str) -> None:
    name, at, bank = account.partition("@")
    if not at or not name or not bank or "@" in bank or " " in account:
        raise KhqrError(
            _("{value!r} is not a Bakong account id: it looks like name@bank.").format(
                value=account
            ),
            "account_id",
        )


def _checked_mcc(mcc: str) -> str:
    if len(mcc) != 4 or not mcc.isascii() or not mcc.isdigit():
        raise KhqrError(
            _("The merchant category code {value!r} must be 4 digits, like 5999.").format(
                value=mcc
            ),
            "mcc",
        )
    return mcc


def _checked_amount(amount: Money) -> str:
    if amount.minor <= 0:
        raise KhqrError(
            _("A KHQR amount must be more than zero, not {amount}.").format(amount=str(amount)),
            "amount",
        )
    text = khqr_amount(amount)
    if len(text) > MAX_LENGTH["amount"]:
        raise KhqrError(
            _("{amount} is too large for a KHQR code.").format(amount=str(amount)), "amount"
        )
    return text


def _required(name: str, value: str | None) -> str:
    checked = _optional(name, value)
    if checked is None:
        raise KhqrError(
            _("The {what} is empty: a KHQR code needs it.").format(what=str(_LABELS[name])), name
        )
    return checked


def _optional(name: str, value: str | None) -> str | None:
    """The value stripped and checked, or None when absent or blank."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    what = str(_LABELS[name])
    for char in text:
        if ord(char) > 0xFFFF:
            raise KhqrError(
                _(
                    "The {what} contains {char} (U+{code:04X}), which a KHQR code cannot carry."
                ).format(what=what, char=char, code=ord(char)),
                name,
            )
        if unicodedata.category(char) in _FORBIDDEN:
            raise KhqrError(
                _(
                    "The {what} contains a control or text-direction character (U+{code:04X}); "
                    "type it again without it."
                ).format(what=what, code=ord(char)),
                name,
            )
    if len(text) > MAX_LENGTH[name]:
        raise KhqrError(
            _("The {what} {value!r} is {length} characters long; KHQR allows {limit}.").format(
                what=what, value=text, length=len(text), limit=MAX_LENGTH[name]
            ),
            name,
        )
    return text


def _utc_ms(moment: datetime) -> int:
    """Milliseconds since 1970 of an aware UTC time; a naive or local time is a bug."""
    offset = moment.utcoffset()
    if offset is None or offset != timedelta(0):
        raise ValueError(f"KHQR times are UTC, not {moment!r}")
    return (moment - _EPOCH) // _MS
