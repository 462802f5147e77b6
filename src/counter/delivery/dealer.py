"""A dealer SIM's codes and answers: the USSD code for a top-up, and what its answers mean.

The operators' dealer codes are not public and differ per dealer contract, so the shop
writes them in its settings: a template such as `*XXX*{number}*{amount}*{pin}#`, and
patterns for the answers it gets back (success with the operator's reference, failure,
"balance too low", the balance). Everything here is pure: the modem channel does the I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from counter.domain.delivery import ChannelError, DeliveryRequest, template_problem
from counter.domain.errors import AmountError
from counter.domain.money import Currency, Money, parse_amount
from counter.i18n import _

NUMBER_FORMATS = ("national", "nsn", "international", "e164")
AMOUNT_FORMATS = ("dollars", "cents")  # a USSD code holds digits, * and # only: no "."
_USSD_CHARS = re.compile(r"^[0-9*#+]+$")
# An SMS stamped this long before the request was written can still be its confirmation
# (the SIM's and the network's clocks differ a little).
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class OperatorCodes:
    """One operator's dealer codes and answer patterns, as plain values from the settings."""

    ussd_template: str
    number_format: str = "national"
    amount_format: str = "dollars"
    balance_code: str | None = None
    success: tuple[str, ...] = ()
    failure: tuple[str, ...] = ()
    low_balance: tuple[str, ...] = ()
    balance: tuple[str, ...] = ()
    sms_senders: tuple[str, ...] = ()
    port: str | None = None  # this operator's dealer SIM sits in another modem

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> OperatorCodes:
        known = {f: data[f] for f in cls.__dataclass_fields__ if f in data}
        for name in ("success", "failure", "low_balance", "balance", "sms_senders"):
            if name in known:
                known[name] = _as_tuple(known[name])
        return cls(**known)


def _as_tuple(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def build_code(codes: OperatorCodes, request: DeliveryRequest, pin: str | None) -> str:
    """The USSD code for `request`; ChannelError when the result could not go on the air."""
    problem = template_problem(codes.ussd_template)
    if problem:
        raise ChannelError(
            _("The USSD template cannot be used: {problem}.").format(problem=problem)
        )
    if whole_dollars_only(codes, request):
        raise ChannelError(_("The dealer code takes whole dollars only."))
    values = {"number": _number(request, codes.number_format), "amount": _amount(request, codes)}
    if "{pin}" in codes.ussd_template:
        if not pin:
            raise ChannelError(_("The USSD template needs the dealer PIN, and none is set."))
        values["pin"] = pin
    return checked(codes.ussd_template.format_map(values))


def checked(code: str) -> str:
    """`code` if a USSD code can hold it; ChannelError otherwise (a PIN with quotes could
    otherwise smuggle AT commands onto the modem's line)."""
    if not _USSD_CHARS.match(code):
        raise ChannelError(
            _(
                "The USSD code built from the template holds characters a USSD code cannot "
                "hold (only digits, *, # and +): check the template and the dealer PIN."
            )
        )
    return code


def _number(request: DeliveryRequest, form: str) -> str:
    digits = request.msisdn[1:]
    if form == "international":
        return digits
    if form == "e164":
        return request.msisdn
    national = request.national
    return national[1:] if form == "nsn" else national


def whole_dollars_only(codes: OperatorCodes, request: DeliveryRequest) -> bool:
    """True when the code takes whole dollars and the request has cents: it cannot be sent."""
    return codes.amount_format == "dollars" and request.amount_cents % 100 != 0


def _amount(request: DeliveryRequest, codes: OperatorCodes) -> str:
    if codes.amount_format == "cents":
        return str(request.amount_cents)
    return str(request.amount_cents // 100)


# -- reading answers --------------------------------------------------------------------------


class Kind(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    LOW_BALANCE = "low_balance"


@dataclass(frozen=True)
class Reading:
    """What an answer text says, by the shop's patterns."""

    kind: Kind
    ref: str | None = None
    number: str | None = None  # digits the answer names
    amount_cents: int | None = None
    balance: Money | None = None


@dataclass(frozen=True)
class Patterns:
    """An operator's patterns, compiled once (case-insensitive, `.` spans lines)."""

    success: tuple[re.Pattern[str], ...] = ()
    failure: tuple[re.Pattern[str], ...] = ()
    low_balance: tuple[re.Pattern[str], ...] = ()
    balance: tuple[re.Pattern[str], ...] = ()
    senders: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, codes: OperatorCodes) -> Patterns:
        def compiled(items: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
            try:
                return tuple(re.compile(p, re.IGNORECASE | re.DOTALL) for p in items)
            except re.error as exc:
                raise ChannelError(
                    _("An answer pattern cannot be used: {error}.").format(error=exc.msg)
                ) from None

        return cls(
            compiled(codes.success),
            compiled(codes.failure),
            compiled(codes.low_balance),
            compiled(codes.balance),
            frozenset(s.strip().lower() for s in codes.sms_senders),
        )


def read_answer(text: str, patterns: Patterns) -> Reading | None:
    """What `text` says: "balance too low" is tried first, then failure, then success."""
    for kind, group in (
        (Kind.LOW_BALANCE, patterns.low_balance),
        (Kind.FAILURE, patterns.failure),
        (Kind.SUCCESS, patterns.success),
    ):
        for pattern in group:
            match = pattern.search(text)
            if match:
                found = match.groupdict()
                return Reading(
                    kind,
                    ref=_clean(found.get("ref")),
                    number=_digits(found.get("number")),
                    amount_cents=_cents(found.get("amount")),
                    balance=read_balance(text, patterns),
                )
    return None


def read_balance(text: str, patterns: Patterns) -> Money | None:
    """The dealer balance an answer names, by the `balance` patterns' `amount` group."""
    for pattern in patterns.balance:
        match = pattern.search(text)
        if match and match.groupdict().get("amount"):
            cents = _cents(match.group("amount"))
            if cents is not None:
                return Money.usd(cents)
    return None


def is_trusted_sender(sender: str, patterns: Patterns) -> bool:
    """Only the operator's own numbers may confirm a top-up: anyone can text the dealer SIM."""
    return bool(patterns.senders) and sender.strip().lower() in patterns.senders


def confirms(reading: Reading, request: DeliveryRequest) -> bool:
    """Does an SMS reading name this request's number and amount? Both must be there."""
    if reading.number is None or reading.amount_cents is None:
        return False
    return (
        same_number(reading.number, request.msisdn) and reading.amount_cents == request.amount_cents
    )


def in_time(sent_at: datetime | None, request: DeliveryRequest) -> bool:
    """An SMS sent before the request was written cannot confirm it."""
    return sent_at is None or sent_at >= request.created_at - CLOCK_SKEW


def same_number(digits: str, msisdn: str) -> bool:
    return _nsn(digits) == _nsn(msisdn) and len(_nsn(digits)) >= 6


def _nsn(text: str) -> str:
    digits = "".join(c for c in text if c.isdigit())
    if digits.startswith("855") and len(digits) > 10:
        digits = digits[3:]
    return digits.removeprefix("0")


def _digits(text: str | None) -> str | None:
    if text is None:
        return None
    digits = "".join(c for c in text if c.isdigit())
    return digits or None


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text[:64] or None


def _cents(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return parse_amount(text.strip(), Currency.USD).minor
    except AmountError:
        return None
