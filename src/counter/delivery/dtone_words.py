"""The `api` channel's answers as sentences for the clerk."""

from __future__ import annotations

from counter.delivery.base import display_number
from counter.domain.delivery import Answer, DeliveryRequest, Reason
from counter.domain.money import format_money_text
from counter.i18n import _


def sentence(
    answer: Answer, reason: Reason | None, request: DeliveryRequest, ref: str | None
) -> str:
    number = display_number(request)
    amount = format_money_text(request.amount)
    if answer is Answer.DELIVERED:
        return _("The aggregator delivered {amount} to {number}, reference {ref}.").format(
            amount=amount, number=number, ref=ref or "?"
        )
    if answer is Answer.REVERSED:
        return _(
            "The aggregator reversed the top-up of {amount} to {number}: the money goes back to "
            "the customer."
        ).format(amount=amount, number=number)
    if answer is Answer.PENDING:
        return _("The aggregator accepted the top-up and is still working on it.")
    if answer is Answer.FAILED:
        return _failed(reason, number, amount)
    if answer is Answer.NOT_SENT:
        return _not_sent(reason)
    return _unknown(reason)


def _failed(reason: Reason | None, number: str, amount: str) -> str:
    if reason is Reason.BALANCE_TOO_LOW:
        return _(
            "The aggregator account's balance is too low for {amount}; nothing was charged."
        ).format(amount=amount)
    if reason is Reason.INVALID_NUMBER:
        return _("The operator refused the number {number}; nothing was charged.").format(
            number=number
        )
    if reason is Reason.OPERATOR_UNAVAILABLE:
        return _("The operator is not taking top-ups right now; nothing was charged.")
    if reason is Reason.NO_PRODUCT:
        return _("The aggregator has no top-up of {amount} for this number's operator.").format(
            amount=amount
        )
    if reason is Reason.DUPLICATE_AT_OPERATOR:
        return _(
            "The operator refused it as a repeat of a recent top-up to {number}; nothing was "
            "charged."
        ).format(number=number)
    if reason is Reason.REFUSED:
        return _("The aggregator refused the request; nothing was charged.")
    return _(
        "The operator declined the top-up of {amount} to {number}; nothing was charged."
    ).format(amount=amount, number=number)


def _not_sent(reason: Reason | None) -> str:
    if reason is Reason.CREDENTIALS:
        return _("The aggregator refused Counter's credentials; nothing was sent.")
    if reason is Reason.BUSY:
        return _(
            "The aggregator asked Counter to slow down; the top-up goes again later with the "
            "same reference."
        )
    if reason is Reason.NETWORK:
        return _("The aggregator cannot be reached; nothing was sent.")
    return _("The aggregator has no top-up with this reference: it never arrived.")


def _unknown(reason: Reason | None) -> str:
    if reason is Reason.REFERENCE_CLASH:
        return _(
            "The aggregator holds a different top-up under this reference; a person must check it."
        )
    if reason is Reason.BUSY:
        return _("The aggregator asked Counter to slow down; the top-up will be looked up later.")
    if reason is Reason.CREDENTIALS:
        return _(
            "The aggregator refused Counter's credentials; the top-up will be looked up once "
            "they are right."
        )
    return _(
        "The aggregator did not answer in time; the top-up will be looked up, never sent twice."
    )
