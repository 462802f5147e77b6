"""The in-memory delivery and refund records of `tests/fakes.FakeUnitOfWork`.

Same rules as the SQL repositories: one delivery per sale, our reference unique, the
provider reference unique (KeyTaken("delivery_ref")), changes only appended, the claim a
compare-and-set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from counter.domain.deliveries import Delivery, DeliveryChange, NewRefund, Refund
from counter.domain.delivery import Channel, DeliveryState
from counter.domain.errors import KeyTaken
from counter.domain.records import Sale

if TYPE_CHECKING:
    from tests.fakes import FakeUnitOfWork


@dataclass
class DeliveryBook:
    prefix: str = "TEST01"
    deliveries: dict[int, Delivery] = field(default_factory=dict)
    changes: list[DeliveryChange] = field(default_factory=list)
    refunds: dict[int, Refund] = field(default_factory=dict)  # by sale id


class FakeDeliveries:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    @property
    def book(self) -> DeliveryBook:
        return self.uow.book.delivery

    def prefix(self) -> str:
        return self.book.prefix

    def since_sale(self) -> int:
        return 0

    def add(
        self,
        sale: Sale,
        channel: Channel,
        reference: str,
        first: DeliveryChange,
        then: DeliveryChange | None = None,
    ) -> Delivery:
        if any(d.sale_id == sale.id or d.reference == reference for d in self._all()):
            raise KeyTaken("delivery")
        delivery = Delivery(
            id=len(self.book.deliveries) + 1,
            sale_id=sale.id,
            receipt_no=sale.receipt_no,
            counter_code=sale.counter_code,
            reference=reference,
            channel=channel,
            operator_id=sale.operator_id,
            msisdn=sale.msisdn,
            amount_cents=sale.amount_cents,
            created_at=sale.created_at,
            state=DeliveryState.PENDING,
            provider_ref=None,
            changed_at=first.at,
            reason=first.reason,
        )
        self.book.deliveries[delivery.id] = delivery
        self.book.changes.append(replace(first, delivery_id=delivery.id))
        if then is not None:
            return self.append(delivery, replace(then, delivery_id=delivery.id))
        return delivery

    def append(self, delivery: Delivery, change: DeliveryChange) -> Delivery:
        ref = change.provider_ref or delivery.provider_ref
        if ref and any(d.provider_ref == ref and d.id != delivery.id for d in self._all()):
            raise KeyTaken("delivery_ref")
        current = self.book.deliveries[delivery.id]
        updated = replace(
            current,
            state=change.state,
            provider_ref=ref,
            changed_at=change.at,
            reason=change.reason,
        )
        self.book.deliveries[delivery.id] = updated
        self.book.changes.append(change)
        return updated

    def _all(self) -> list[Delivery]:
        return list(self.book.deliveries.values())

    def get(self, delivery_id: int, *, lock: bool = False) -> Delivery | None:
        return self.book.deliveries.get(delivery_id)

    def by_sale(self, sale_id: int) -> Delivery | None:
        return next((d for d in self._all() if d.sale_id == sale_id), None)

    def by_reference(self, reference: str) -> Delivery | None:
        return next((d for d in self._all() if d.reference == reference), None)

    def listed(
        self,
        *,
        states: Sequence[DeliveryState] | None = None,
        counter_code: str | None = None,
        channels: Sequence[Channel] | None = None,
        limit: int = 500,
    ) -> list[Delivery]:
        found = [
            d
            for d in self._all()
            if (states is None or d.state in states)
            and (counter_code is None or d.counter_code == counter_code)
            and (channels is None or d.channel in channels)
        ]
        return sorted(found, key=lambda d: (d.created_at, d.id))[:limit]

    def of_day(self, day: date, counters: Sequence[str] | None) -> list[Delivery]:
        sales = {s.id for s in self.uow.sales.of_day(day, counters)}
        return [d for d in self._all() if d.sale_id in sales]

    def changes(self, delivery_id: int) -> list[DeliveryChange]:
        return [c for c in self.book.changes if c.delivery_id == delivery_id]

    def claim(
        self, delivery: Delivery, owner: str, now: datetime, stale_before: datetime
    ) -> Delivery | None:
        current = self.book.deliveries[delivery.id]
        free = current.claimed_by in (None, owner, delivery.claimed_by) or (
            current.claimed_at is not None and current.claimed_at < stale_before
        )
        if not current.is_open or current.sends != delivery.sends or not free:
            return None
        self.book.deliveries[delivery.id] = replace(current, claimed_by=owner, claimed_at=now)
        return self.book.deliveries[delivery.id]

    def _mine(self, delivery_id: int, owner: str) -> Delivery | None:
        current = self.book.deliveries[delivery_id]
        return current if current.claimed_by == owner else None

    def note_send(self, delivery_id: int, owner: str, now: datetime) -> bool:
        mine = self._mine(delivery_id, owner)
        if mine is None:
            return False
        self.book.deliveries[delivery_id] = replace(mine, sends=mine.sends + 1, claimed_at=now)
        return True

    def renew(self, delivery_id: int, owner: str, now: datetime) -> bool:
        mine = self._mine(delivery_id, owner)
        if mine is not None:
            self.book.deliveries[delivery_id] = replace(mine, claimed_at=now)
        return mine is not None

    def release(self, delivery_id: int, owner: str) -> None:
        mine = self._mine(delivery_id, owner)
        if mine is not None:
            self.book.deliveries[delivery_id] = replace(mine, claimed_by=None, claimed_at=None)


class FakeRefunds:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    @property
    def book(self) -> DeliveryBook:
        return self.uow.book.delivery

    def add(self, new: NewRefund) -> Refund:
        if new.sale_id in self.book.refunds:
            raise KeyTaken("refund")
        sale = self.uow.sales.by_id(new.sale_id)
        assert sale is not None
        refund = Refund(
            id=len(self.book.refunds) + 1,
            sale_id=new.sale_id,
            delivery_id=new.delivery_id,
            receipt_no=sale.receipt_no,
            counter_code=sale.counter_code,
            business_date=new.business_date,
            created_at=new.created_at,
            usd_cents=new.usd_cents,
            khr=new.khr,
            amount_cents=new.amount_cents,
            state=new.state,
            reason=new.reason,
            by=new.by,
        )
        self.book.refunds[new.sale_id] = refund
        return refund

    def by_sale(self, sale_id: int) -> Refund | None:
        return self.book.refunds.get(sale_id)

    def of_day(self, day: date, counters: Sequence[str] | None) -> list[Refund]:
        return [
            r
            for r in self.book.refunds.values()
            if r.business_date == day and (counters is None or r.counter_code in counters)
        ]


def float_moved(uow: FakeUnitOfWork, sale: Sale) -> bool:
    """As storage's rule: sold before deliveries, or delivered (not reversed)."""
    delivery = FakeDeliveries(uow).by_sale(sale.id)
    return delivery is None or delivery.state is DeliveryState.DELIVERED
