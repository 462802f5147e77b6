"""What the delivery use cases need from the ledger and the channels, as Protocols."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from counter.domain.deliveries import Delivery, DeliveryChange, NewRefund, Refund
from counter.domain.delivery import Channel, DeliveryRequest, DeliveryState, Outcome
from counter.domain.money import Money
from counter.domain.records import Sale


class DeliveryRecords(Protocol):
    def prefix(self) -> str: ...
    def since_sale(self) -> int: ...
    def add(
        self,
        sale: Sale,
        channel: Channel,
        reference: str,
        first: DeliveryChange,
        then: DeliveryChange | None = None,
    ) -> Delivery: ...
    def append(self, delivery: Delivery, change: DeliveryChange) -> Delivery: ...
    def get(self, delivery_id: int, *, lock: bool = False) -> Delivery | None: ...
    def by_sale(self, sale_id: int) -> Delivery | None: ...
    def by_reference(self, reference: str) -> Delivery | None: ...
    def listed(
        self,
        *,
        states: Sequence[DeliveryState] | None = None,
        counter_code: str | None = None,
        channels: Sequence[Channel] | None = None,
        limit: int = 500,
    ) -> list[Delivery]: ...
    def of_day(self, day: date, counters: Sequence[str] | None) -> list[Delivery]: ...
    def changes(self, delivery_id: int) -> list[DeliveryChange]: ...
    def claim(
        self, delivery: Delivery, owner: str, now: datetime, stale_before: datetime
    ) -> Delivery | None: ...
    def note_send(self, delivery_id: int, owner: str, now: datetime) -> bool: ...
    def renew(self, delivery_id: int, owner: str, now: datetime) -> bool: ...
    def release(self, delivery_id: int, owner: str) -> None: ...


class RefundRecords(Protocol):
    def add(self, new: NewRefund) -> Refund: ...
    def by_sale(self, sale_id: int) -> Refund | None: ...
    def of_day(self, day: date, counters: Sequence[str] | None) -> list[Refund]: ...


@dataclass(frozen=True)
class Followed:
    """The last answer of a followed request, and whether its deadline passed."""

    outcome: Outcome
    overdue: bool


class Courier(Protocol):
    """The channels, as the delivery worker sees them (built by the composition root).

    `follow(channel, request, sent_before, keep_alive)` sends a request that was never sent
    (`sent_before` False) or looks it up first (True), then follows it to a final answer or
    its deadline, calling `keep_alive()` between look-ups and `before_send()` before every
    send (the worker records the send first). `look_up` never sends."""

    def follow(
        self,
        channel: Channel,
        request: DeliveryRequest,
        *,
        sent_before: bool,
        before_send: Callable[[], None],
        keep_alive: Callable[[], None],
    ) -> Followed: ...
    def look_up(self, channel: Channel, request: DeliveryRequest) -> Outcome: ...
    def lane(self, channel: Channel, operator_id: str) -> tuple[str, int]:
        """Which line a delivery waits in, and how many of that line go at once: one per
        modem port (a modem takes one request at a time), the API up to its setting."""
        ...

    def settle(self, channel: Channel, request: DeliveryRequest) -> None: ...
    def balance(self, channel: Channel, operator_id: str) -> Money | None: ...
