"""Deliveries and refunds: records in, records out.

A delivery is inserted with its first change (`pending`) in the sale's transaction; each
later change appends a `delivery_changes` row to the counter's chain and copies the new
state into the delivery row (the worker's fast read; `counter doctor` checks the copy). A
refund is appended to the `refunds` chain. Nothing is ever updated but the copy and the
worker's claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, exists, func, insert, or_, select, update

from counter.domain.deliveries import (
    MAX_EVIDENCE,
    Delivery,
    DeliveryChange,
    NewRefund,
    Refund,
    new_prefix,
)
from counter.domain.delivery import Channel, DeliveryState
from counter.domain.records import Sale
from counter.storage.chain import SETTING_CHAIN, as_utc
from counter.storage.chain_delivery import REFUND_CHAIN, delivery_chain
from counter.storage.models_delivery import DeliveryChangeRow, DeliveryRow, RefundRow
from counter.storage.repositories.common import SALES, SETTINGS, ChainWriter, run

DELIVERIES = cast(Table, DeliveryRow.__table__)
CHANGES = cast(Table, DeliveryChangeRow.__table__)
REFUNDS = cast(Table, RefundRow.__table__)
PREFIX_KEY = "delivery_prefix"
SINCE_KEY = "deliveries_since_sale"
_D = DELIVERIES.c
_INSERT_DELIVERY = insert(DELIVERIES)
_PREFIX = select(SETTINGS.c.value).where(SETTINGS.c.key == bindparam("key"))
_QUERY = select(DELIVERIES, SALES.c.receipt_no).join(SALES, SALES.c.id == _D.sale_id)


def float_moved() -> Any:
    """Sales whose float moved: recorded before deliveries, or delivered (not reversed)."""
    return ~exists().where(_D.sale_id == SALES.c.id, _D.state != DeliveryState.DELIVERED.value)


def to_delivery(row: Any) -> Delivery:
    return Delivery(
        id=int(row.id),
        sale_id=int(row.sale_id),
        receipt_no=row.receipt_no,
        counter_code=row.counter_code,
        reference=row.reference,
        channel=Channel(row.channel),
        operator_id=row.operator_id,
        msisdn=row.msisdn,
        amount_cents=int(row.amount_cents),
        created_at=as_utc(row.created_at),
        state=DeliveryState(row.state),
        provider_ref=row.provider_ref,
        changed_at=as_utc(row.changed_at),
        reason=row.reason,
        sends=int(row.sends),
        claimed_by=row.claimed_by,
        claimed_at=as_utc(row.claimed_at) if row.claimed_at else None,
    )


class DeliveryRepository:
    def __init__(self, conn: Connection, chains: ChainWriter) -> None:
        self.conn = conn
        self.chains = chains

    def _setting(self, key: str) -> str | None:
        value = run(self.conn, _PREFIX, {"key": key}).scalar_one_or_none()
        return None if value is None else str(value)

    def prefix(self) -> str:
        """The ledger's reference prefix (migration 0008 draws it; drawn here if missing)."""
        found = self._setting(PREFIX_KEY)
        if found is None:
            found = new_prefix()
            run(self.conn, insert(SETTINGS), {"key": PREFIX_KEY, "value": found})
            at = datetime.now(UTC)
            self.chains.append(SETTING_CHAIN, {"key": PREFIX_KEY, "value": found, "at": at})
        return found

    def since_sale(self) -> int:
        """Sales up to this id were recorded before deliveries (assumed, float moved)."""
        return int(self._setting(SINCE_KEY) or 0)

    def add(
        self,
        sale: Sale,
        channel: Channel,
        reference: str,
        first: DeliveryChange,
        then: DeliveryChange | None = None,
    ) -> Delivery:
        """The sale's delivery, `pending` (its first change), in the sale's transaction; with
        `then` (the `assumed` channel's `delivered`) both changes appended in the same transaction."""
        last = then or first
        values = {
            "sale_id": sale.id,
            "counter_code": sale.counter_code,
            "reference": reference,
            "channel": channel.value,
            "operator_id": sale.operator_id,
            "msisdn": sale.msisdn,
            "amount_cents": sale.amount_cents,
            "created_at": sale.created_at,
            "state": last.state.value,
            "provider_ref": last.provider_ref,
            "changed_at": last.at,
            "reason": last.reason,
            "sends": 0,
        }
        result = run(self.conn, _INSERT_DELIVERY, values)
        delivery_id = int(result.inserted_primary_key[0])
        self._append_rows(
            sale.counter_code, reference, delivery_id, [c for c in (first, then) if c is not None]
        )
        return Delivery(
            id=delivery_id,
            sale_id=sale.id,
            receipt_no=sale.receipt_no,
            counter_code=sale.counter_code,
            reference=reference,
            channel=channel,
            operator_id=sale.operator_id,
            msisdn=sale.msisdn,
            amount_cents=sale.amount_cents,
            created_at=sale.created_at,
            state=last.state,
            provider_ref=last.provider_ref,
            changed_at=last.at,
            reason=last.reason,
        )

    def _append_rows(
        self,
        counter_code: str,
        reference: str,
        delivery_id: int,
        changes: list[DeliveryChange],
        seq: int = 1,
    ) -> None:
        rows = []
        for offset, change in enumerate(changes):
            rows.append(
                {
                    "delivery_id": delivery_id,
                    "counter_code": counter_code,
                    "reference": reference,
                    "seq": seq + offset,
                    "state": change.state.value,
                    "previous": change.previous.value if change.previous else None,
                    "at": change.at,
                    "actor": change.actor[:40],
                    "provider_ref": change.provider_ref,
                    "reason": (change.reason or None) and change.reason[:200],
                    "evidence": change.evidence[:MAX_EVIDENCE],
                }
            )
        self.chains.append_all(delivery_chain(counter_code), rows)

    def append(self, delivery: Delivery, change: DeliveryChange) -> Delivery:
        """Append `change` to the delivery (locked by `get(lock=True)` in this transaction).

        A provider reference already recorded for another delivery raises
        KeyTaken("delivery_ref"): one operator's answer never confirms two top-ups."""
        seq = run(
            self.conn,
            select(func.count()).select_from(CHANGES).where(CHANGES.c.delivery_id == delivery.id),
        ).scalar_one()
        provider_ref = change.provider_ref or delivery.provider_ref
        run(
            self.conn,
            update(DELIVERIES)
            .where(_D.id == delivery.id)
            .values(
                state=change.state.value,
                provider_ref=provider_ref,
                changed_at=change.at,
                reason=(change.reason or None) and change.reason[:200],
            ),
        )
        self._append_rows(
            delivery.counter_code, delivery.reference, delivery.id, [change], int(seq) + 1
        )
        found = self.get(delivery.id)
        assert found is not None
        return found

    # -- questions ----------------------------------------------------------------------

    def _one(self, stmt: Any) -> Delivery | None:
        row = run(self.conn, stmt.limit(1)).first()
        return to_delivery(row) if row is not None else None

    def get(self, delivery_id: int, *, lock: bool = False) -> Delivery | None:
        stmt = _QUERY.where(_D.id == delivery_id)
        return self._one(stmt.with_for_update(of=DELIVERIES) if lock else stmt)

    def by_sale(self, sale_id: int) -> Delivery | None:
        return self._one(_QUERY.where(_D.sale_id == sale_id))

    def by_reference(self, reference: str) -> Delivery | None:
        return self._one(_QUERY.where(_D.reference == reference))

    def listed(
        self,
        *,
        states: Sequence[DeliveryState] | None = None,
        counter_code: str | None = None,
        channels: Sequence[Channel] | None = None,
        limit: int = 500,
    ) -> list[Delivery]:
        """Deliveries oldest first, by state, counter and channel."""
        stmt = _QUERY
        if states is not None:
            stmt = stmt.where(_D.state.in_([s.value for s in states]))
        if counter_code is not None:
            stmt = stmt.where(_D.counter_code == counter_code)
        if channels is not None:
            stmt = stmt.where(_D.channel.in_([c.value for c in channels]))
        stmt = stmt.order_by(_D.created_at, _D.id).limit(limit)
        return [to_delivery(row) for row in run(self.conn, stmt)]

    def of_day(self, day: date, counters: Sequence[str] | None) -> list[Delivery]:
        """The deliveries of one business day's sales."""
        stmt = _QUERY.where(SALES.c.business_date == day)
        if counters is not None:
            stmt = stmt.where(_D.counter_code.in_(counters))
        return [to_delivery(row) for row in run(self.conn, stmt.order_by(_D.id))]

    def changes(self, delivery_id: int) -> list[DeliveryChange]:
        stmt = select(CHANGES).where(CHANGES.c.delivery_id == delivery_id).order_by(CHANGES.c.seq)
        return [
            DeliveryChange(
                delivery_id=int(row.delivery_id),
                state=DeliveryState(row.state),
                previous=DeliveryState(row.previous) if row.previous else None,
                at=as_utc(row.at),
                actor=row.actor,
                provider_ref=row.provider_ref,
                reason=row.reason,
                evidence=row.evidence,
            )
            for row in run(self.conn, stmt)
        ]

    # -- the worker's claim ---------------------------------------------------------------

    def claim(
        self, delivery: Delivery, owner: str, now: datetime, stale_before: datetime
    ) -> Delivery | None:
        """Claim an open delivery for `owner`: free, already ours, stale, or held by the
        owner `delivery.claimed_by` the caller knows is gone. A compare-and-set on the claim
        as read, so of two workers one wins."""
        held = (
            _D.claimed_by.is_(None)
            if delivery.claimed_by is None
            else _D.claimed_by == delivery.claimed_by
        )
        stmt = (
            update(DELIVERIES)
            .where(
                _D.id == delivery.id,
                _D.state.in_([DeliveryState.PENDING.value, DeliveryState.NEEDS_REVIEW.value]),
                _D.sends == delivery.sends,
                or_(held, _D.claimed_by == owner, _D.claimed_at < stale_before),
            )
            .values(claimed_by=owner, claimed_at=now)
        )
        if run(self.conn, stmt).rowcount != 1:
            return None
        return self.get(delivery.id)

    def note_send(self, delivery_id: int, owner: str, now: datetime) -> bool:
        """Count a send BEFORE it is made (committed first): after a crash, `sends > 0`
        means the request may have left, so it is looked up before anything else."""
        stmt = (
            update(DELIVERIES)
            .where(_D.id == delivery_id, _D.claimed_by == owner)
            .values(sends=_D.sends + 1, claimed_at=now)
        )
        return bool(run(self.conn, stmt).rowcount == 1)

    def renew(self, delivery_id: int, owner: str, now: datetime) -> bool:
        stmt = (
            update(DELIVERIES)
            .where(_D.id == delivery_id, _D.claimed_by == owner)
            .values(claimed_at=now)
        )
        return bool(run(self.conn, stmt).rowcount == 1)

    def release(self, delivery_id: int, owner: str) -> None:
        stmt = (
            update(DELIVERIES)
            .where(_D.id == delivery_id, _D.claimed_by == owner)
            .values(claimed_by=None, claimed_at=None)
        )
        run(self.conn, stmt)


class RefundRepository:
    def __init__(self, conn: Connection, chains: ChainWriter) -> None:
        self.conn = conn
        self.chains = chains

    def add(self, new: NewRefund) -> Refund:
        values = {
            "sale_id": new.sale_id,
            "delivery_id": new.delivery_id,
            "business_date": new.business_date,
            "created_at": new.created_at,
            "usd_cents": new.usd_cents,
            "khr": new.khr,
            "amount_cents": new.amount_cents,
            "state": new.state.value,
            "reason": new.reason[:200],
            "by_name": new.by[:40],
        }
        self.chains.append(REFUND_CHAIN, values)
        found = self.by_sale(new.sale_id)
        assert found is not None
        return found

    def _many(self, stmt: Any) -> list[Refund]:
        query = (
            select(REFUNDS, SALES.c.receipt_no, SALES.c.counter_code)
            .join(SALES, SALES.c.id == REFUNDS.c.sale_id)
            .where(*stmt)
            .order_by(REFUNDS.c.id)
        )
        return [
            Refund(
                id=int(r.id),
                sale_id=int(r.sale_id),
                delivery_id=int(r.delivery_id),
                receipt_no=r.receipt_no,
                counter_code=r.counter_code,
                business_date=r.business_date,
                created_at=as_utc(r.created_at),
                usd_cents=int(r.usd_cents),
                khr=int(r.khr),
                amount_cents=int(r.amount_cents),
                state=DeliveryState(r.state),
                reason=r.reason,
                by=r.by_name,
            )
            for r in run(self.conn, query)
        ]

    def by_sale(self, sale_id: int) -> Refund | None:
        found = self._many([REFUNDS.c.sale_id == sale_id])
        return found[0] if found else None

    def of_day(self, day: date, counters: Sequence[str] | None) -> list[Refund]:
        """Refunds paid out on one business day (the day the cash left the drawer)."""
        where: list[Any] = [REFUNDS.c.business_date == day]
        if counters is not None:
            where.append(SALES.c.counter_code.in_(counters))
        return self._many(where)
