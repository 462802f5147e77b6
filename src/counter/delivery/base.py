"""The one interface every delivery channel implements, and the two that send nothing.

`send(request)` tries once and says what happened; `look_up(request)` asks where a request
stands by OUR reference and never sends anything; `balance()` reads the dealer or account
balance when the channel can. `settle(request)` is called after the ledger has recorded a
final answer, so a channel may clear what it kept as evidence (the modem's SMS).

Both `send` and `look_up` answer with an `Outcome` for anything the other end or the wire
did; they raise `ChannelError` only when they could not even try (a missing setting or
secret, a port that will not open), so nothing left the machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from counter.domain.delivery import Answer, DeliveryRequest, Outcome, Reason, manual_instruction
from counter.domain.money import Money
from counter.domain.phone import group_national
from counter.i18n import _


@dataclass(frozen=True)
class DealerBalance:
    """A balance as the channel read it, with the raw answer for the day report."""

    money: Money
    raw: str
    read_at: datetime  # UTC


@runtime_checkable
class DeliveryChannel(Protocol):
    name: str

    def send(self, request: DeliveryRequest) -> Outcome: ...

    def look_up(self, request: DeliveryRequest) -> Outcome: ...

    def balance(self, operator_id: str | None = None) -> DealerBalance | None: ...

    def settle(self, request: DeliveryRequest) -> None: ...


def display_number(request: DeliveryRequest) -> str:
    """`012 345 678`: the number as the clerk reads it."""
    return group_national(request.national)


class _SendsNothing:
    """A channel with nothing to send: a look-up answers as the send did."""

    name = "nothing"

    def send(self, request: DeliveryRequest) -> Outcome:
        raise NotImplementedError

    def look_up(self, request: DeliveryRequest) -> Outcome:
        return self.send(request)

    def balance(self, operator_id: str | None = None) -> DealerBalance | None:
        return None

    def settle(self, request: DeliveryRequest) -> None:
        return None


class AssumedChannel(_SendsNothing):
    """Delivered when sold: the clerk tops up elsewhere, as Counter always assumed."""

    name = "assumed"

    def send(self, request: DeliveryRequest) -> Outcome:
        return Outcome(
            Answer.DELIVERED,
            request.reference,
            raw="assumed: delivered when sold",
            reason=Reason.ASSUMED,
            message=_("Counter assumes the top-up was delivered when sold."),
        )


class ManualChannel(_SendsNothing):
    """Nothing is sent: the clerk tops up on the dealer phone and confirms on the screen."""

    name = "manual"

    def send(self, request: DeliveryRequest) -> Outcome:
        return Outcome(
            Answer.PENDING,
            request.reference,
            raw="manual: nothing sent; the clerk tops up on the dealer phone",
            reason=Reason.MANUAL,
            message=manual_instruction(display_number(request), request.amount_cents),
        )
