"""Delivering a top-up, as plain values: its states, the request a channel is given, its answer.

A sale's delivery starts `pending` with our own reference, written before anything leaves
the machine. A channel (assumed, manual, modem, api) answers with an `Outcome`; only some
answers change the state, and only along `TRANSITIONS`. Nothing here does I/O: the channels
live in `counter.delivery`, the records in the ledger.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from counter.domain.errors import (  # the delivery errors live with every other error
    CallbackRefused,
    ChannelError,
    DeliveryError,
    DeliveryRequestError,
    DeliveryTransitionError,
)
from counter.domain.money import Money, format_money_text
from counter.i18n import _

__all__ = [
    "CallbackRefused",
    "ChannelError",
    "DeliveryError",
    "DeliveryRequestError",
    "DeliveryTransitionError",
]

# -- states ---------------------------------------------------------------------------------


class DeliveryState(StrEnum):
    """Where a sale's top-up stands. Every change is its own appended record."""

    PENDING = "pending"  # not sent yet, or sent with no final answer
    DELIVERED = "delivered"  # final, with the operator's or provider's reference
    FAILED = "failed"  # final, not charged: the customer gets the money back
    REVERSED = "reversed"  # was delivered, then returned by the provider
    NEEDS_REVIEW = "needs_review"  # no final answer by the deadline: a person decides


# Which state may follow which. `delivered` is final almost always: a provider may still
# reverse it (DT One "in rare cases"), so it keeps that one way out. A person resolving a
# review says delivered or failed; a late final answer from the channel may do the same.
TRANSITIONS: dict[DeliveryState, frozenset[DeliveryState]] = {
    DeliveryState.PENDING: frozenset(
        {DeliveryState.DELIVERED, DeliveryState.FAILED, DeliveryState.NEEDS_REVIEW}
    ),
    DeliveryState.NEEDS_REVIEW: frozenset({DeliveryState.DELIVERED, DeliveryState.FAILED}),
    DeliveryState.DELIVERED: frozenset({DeliveryState.REVERSED}),
    DeliveryState.FAILED: frozenset(),
    DeliveryState.REVERSED: frozenset(),
}

# The states that give the customer's cash back (a refund record follows each).
REFUNDING = frozenset({DeliveryState.FAILED, DeliveryState.REVERSED})


def can_change(current: DeliveryState, target: DeliveryState) -> bool:
    return target in TRANSITIONS[current]


def check_transition(current: DeliveryState, target: DeliveryState) -> None:
    """Refuse a change of state the rules do not allow, in words."""
    if not can_change(current, target):
        raise DeliveryTransitionError(
            _("A delivery that is {current} cannot become {target}.").format(
                current=state_label(current), target=state_label(target)
            ),
            current,
            target,
        )


def state_label(state: DeliveryState) -> str:
    """The state as a clerk reads it, in the active language."""
    labels = {
        DeliveryState.PENDING: _("pending"),
        DeliveryState.DELIVERED: _("delivered"),
        DeliveryState.FAILED: _("failed"),
        DeliveryState.REVERSED: _("reversed"),
        DeliveryState.NEEDS_REVIEW: _("needing review"),
    }
    return labels[state]


class Channel(StrEnum):
    """How a top-up reaches the customer's phone, chosen per operator in the settings."""

    ASSUMED = "assumed"  # delivered when sold (the clerk tops up elsewhere, as before)
    MANUAL = "manual"  # the clerk tops up on the dealer phone and confirms
    MODEM = "modem"  # a GSM modem with the dealer SIM sends the USSD code
    API = "api"  # an aggregator's HTTP API


def channel_label(channel: Channel) -> str:
    """The channel as a clerk reads it, in the active language (English keeps the code)."""
    labels = {
        Channel.ASSUMED: _("assumed"),
        Channel.MANUAL: _("manual"),
        Channel.MODEM: _("modem"),
        Channel.API: _("api"),
    }
    return labels[channel]


# -- the request ----------------------------------------------------------------------------

# Our reference is the provider's external identifier: DT One takes at most 40 characters.
REFERENCE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
E164_RE = re.compile(r"^\+[1-9][0-9]{6,14}$")
OPERATOR_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@dataclass(frozen=True)
class DeliveryRequest:
    """What a channel is asked to deliver. Written in the sale's transaction before sending."""

    reference: str  # ours, unique across every counter sharing a provider account
    operator_id: str
    msisdn: str  # E.164, e.g. +85512345678
    amount_cents: int  # USD cents
    counter_code: str
    created_at: datetime  # UTC

    def __post_init__(self) -> None:
        if not isinstance(self.reference, str) or not REFERENCE_RE.match(self.reference):
            raise DeliveryRequestError(
                _(
                    "{reference!r} cannot be a delivery reference: use 1 to 40 letters, digits, "
                    "dots, dashes or underscores."
                ).format(reference=self.reference)
            )
        if not isinstance(self.operator_id, str) or not OPERATOR_RE.match(self.operator_id):
            raise DeliveryRequestError(
                _("{operator!r} is not an operator id.").format(operator=self.operator_id)
            )
        if not isinstance(self.msisdn, str) or not E164_RE.match(self.msisdn):
            raise DeliveryRequestError(
                _("{number!r} is not a number in international form (+855...).").format(
                    number=self.msisdn
                )
            )
        cents = self.amount_cents
        if not isinstance(cents, int) or isinstance(cents, bool) or cents <= 0:
            raise DeliveryRequestError(
                _("A top-up must be a whole number of cents above zero, not {amount!r}.").format(
                    amount=cents
                )
            )
        require_utc(self.created_at)

    @property
    def national(self) -> str:
        """`012345678` for a Cambodian number; other countries keep their digits."""
        digits = self.msisdn[1:]
        return "0" + digits[3:] if digits.startswith("855") else digits

    @property
    def amount(self) -> Money:
        return Money.usd(self.amount_cents)


def require_utc(moment: datetime) -> None:
    """Times in deliveries are UTC: refuse a naive or other-zone time."""
    offset = moment.utcoffset() if isinstance(moment, datetime) else None
    if offset is None or offset != timedelta(0):
        raise DeliveryRequestError(
            _("The time {moment} is not in UTC; deliveries keep UTC times.").format(moment=moment)
        )


# -- the answer -----------------------------------------------------------------------------


class Answer(StrEnum):
    """What a channel can say about one request. Only the first three are final."""

    DELIVERED = "delivered"
    FAILED = "failed"  # not charged
    REVERSED = "reversed"
    PENDING = "pending"  # received, no final answer yet: look it up later
    UNKNOWN = "unknown"  # may or may not have been received: look up, never send anew
    NOT_SENT = "not_sent"  # certainly not received: it may go again, under the SAME reference


_STATE_OF = {
    Answer.DELIVERED: DeliveryState.DELIVERED,
    Answer.FAILED: DeliveryState.FAILED,
    Answer.REVERSED: DeliveryState.REVERSED,
    Answer.PENDING: DeliveryState.PENDING,
}


class Reason(StrEnum):
    """Why an answer is what it is: the screen says it, the reports count it."""

    ASSUMED = "assumed"
    MANUAL = "manual"
    BALANCE_TOO_LOW = "balance_too_low"
    INVALID_NUMBER = "invalid_number"
    OPERATOR_UNAVAILABLE = "operator_unavailable"
    NO_PRODUCT = "no_product"
    DECLINED = "declined"
    DUPLICATE_AT_OPERATOR = "duplicate_at_operator"
    REFUSED = "refused"
    CREDENTIALS = "credentials"
    BUSY = "busy"
    NO_ANSWER = "no_answer"
    GARBLED = "garbled"
    NETWORK = "network"
    REFERENCE_CLASH = "reference_clash"
    PROCESSING = "processing"


@dataclass(frozen=True)
class Outcome:
    """One answer from a channel: the evidence the ledger keeps with each change of state."""

    answer: Answer
    reference: str  # ours
    provider_ref: str | None = None  # the operator's or aggregator's reference
    raw: str = ""  # the answer as received (secrets removed), for a person to read later
    balance: Money | None = None  # the dealer balance, when the answer told it
    retry_after: timedelta | None = None  # wait at least this long before asking again
    reason: Reason | None = None
    message: str = ""  # a sentence for the clerk, in the language active when answered

    @property
    def state(self) -> DeliveryState | None:
        """The delivery state this answer stands for; None when it cannot tell (unknown)."""
        return _STATE_OF.get(self.answer)

    @property
    def is_final(self) -> bool:
        return self.answer in (Answer.DELIVERED, Answer.FAILED, Answer.REVERSED)

    @property
    def may_send(self) -> bool:
        """True only when the request certainly never arrived: send it, same reference."""
        return self.answer is Answer.NOT_SENT


def steps_after(current: DeliveryState, outcome: Outcome) -> tuple[DeliveryState, ...]:
    """The states to record, in order, after `outcome`; empty when nothing changes.

    An answer that cannot tell (pending, unknown, not sent) changes nothing. A reversal seen
    before its delivery was recorded becomes two steps, delivered then reversed, so every
    record follows the one path from `pending`. Any other step the rules do not allow raises
    DeliveryTransitionError: a person looks at it.
    """
    target = outcome.state
    if target is None or target is current or target is DeliveryState.PENDING:
        return ()
    if target is DeliveryState.REVERSED and current in (
        DeliveryState.PENDING,
        DeliveryState.NEEDS_REVIEW,
    ):
        return (DeliveryState.DELIVERED, DeliveryState.REVERSED)
    check_transition(current, target)
    return (target,)


def review_due(created_at: datetime, now: datetime, deadline: timedelta) -> bool:
    """True when a delivery still without a final answer should go to a person."""
    require_utc(created_at)
    require_utc(now)
    return now - created_at >= deadline


def manual_instruction(display_number: str, amount_cents: int) -> str:
    """What the clerk does for a `manual` delivery."""
    return _("Top up {number} with {amount} on the dealer phone.").format(
        number=display_number, amount=format_money_text(Money.usd(amount_cents))
    )


# -- the dealer code template (the shop's settings; the modem channel fills it in) ---------------

TEMPLATE_FIELDS = frozenset({"number", "amount", "pin"})


def template_problem(template: str) -> str | None:
    """Why a USSD template cannot be used, or None. Shared with the settings check."""
    try:
        names = {f[1] for f in string.Formatter().parse(template) if f[1] is not None}
    except ValueError:
        return _("it has an unmatched brace")
    unknown = names - TEMPLATE_FIELDS
    if unknown:
        return _(
            "it names {fields}; a template may use only {{number}}, {{amount}} and {{pin}}"
        ).format(fields=", ".join(sorted("{" + n + "}" for n in unknown)))
    if not {"number", "amount"} <= names:
        return _("it must contain {{number}} and {{amount}}").format()
    return None
