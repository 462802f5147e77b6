"""The modem channel's answers in words, with the evidence kept and the PIN masked."""

from __future__ import annotations

from counter.delivery.base import display_number
from counter.delivery.secrets import Secret
from counter.domain.delivery import Answer, DeliveryRequest, Outcome, Reason
from counter.domain.money import Money, format_money_text
from counter.i18n import _


class Words:
    """Collects what the modem said about one request and turns it into an `Outcome`."""

    def __init__(self, request: DeliveryRequest, pin: Secret | None) -> None:
        self.request = request
        self.pin = pin
        self.raw: list[str] = []

    def evidence(self, text: str) -> None:
        self.raw.append(self.pin.scrub(text) if self.pin else text)

    def outcome(
        self,
        answer: Answer,
        reason: Reason | None,
        *,
        ref: str | None = None,
        balance: Money | None = None,
        port: str | None = None,
        other: bool = False,
    ) -> Outcome:
        message = self._sentence(answer, reason, ref, port, other)
        return Outcome(
            answer,
            self.request.reference,
            provider_ref=ref,
            raw="\n".join(self.raw),
            balance=balance,
            reason=reason,
            message=message,
        )

    def _sentence(
        self, answer: Answer, reason: Reason | None, ref: str | None, port: str | None, other: bool
    ) -> str:
        number = display_number(self.request)
        amount = format_money_text(self.request.amount)
        if answer is Answer.DELIVERED:
            if ref:
                return _("The operator confirmed {amount} to {number}, reference {ref}.").format(
                    amount=amount, number=number, ref=ref
                )
            return _("The operator confirmed {amount} to {number}.").format(
                amount=amount, number=number
            )
        if answer is Answer.FAILED:
            if reason is Reason.BALANCE_TOO_LOW:
                return _(
                    "The operator refused the top-up: the dealer balance is too low for {amount}."
                ).format(amount=amount)
            if reason is Reason.NO_PRODUCT:
                return _(
                    "The dealer code takes whole dollars, so the modem cannot send {amount}; "
                    "nothing was sent."
                ).format(amount=amount)
            if reason is Reason.REFUSED:
                return _(
                    "The network refused the dealer code for {number}; nothing was charged."
                ).format(number=number)
            return _("The operator refused the top-up of {amount} to {number}.").format(
                amount=amount, number=number
            )
        if answer is Answer.NOT_SENT:
            if reason is Reason.BUSY:
                return _("The modem is busy with another top-up; this one waits its turn.")
            if reason is Reason.NO_ANSWER:
                return _("The modem on {port} does not answer; nothing was sent.").format(
                    port=port or "?"
                )
            return _("The modem refused the USSD request; nothing was sent.")
        return self._unsettled(reason, other)

    def _unsettled(self, reason: Reason | None, other: bool) -> str:
        if other:
            return _(
                "The operator's answer names another number or amount than this top-up; "
                "a person should check it."
            )
        if reason is Reason.BUSY:
            return _("The modem is busy; the top-up will be checked again later.")
        if reason is Reason.GARBLED:
            return _(
                "The operator's answer could not be read; the top-up will be checked again, "
                "never sent twice."
            )
        if reason is Reason.NO_ANSWER:
            return _(
                "No answer came back from the operator; the top-up will be checked again, "
                "never sent twice."
            )
        return _("The operator has not confirmed yet; the confirmation SMS has not come.")
