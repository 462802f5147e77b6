"""KHQR requests and their changes: records in, records out, nothing ever updated.

A request is inserted with its first change (`waiting`) when its code is shown; each
later change is appended to the `khqr_changes` chain. A request's state is its last
change's (read with the request, never copied into it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, func, select

from counter.domain.khqr import KhqrChange, KhqrRequest, KhqrState, NewKhqrRequest
from counter.domain.money import Currency, Money
from counter.storage.chain import KHQR_CHANGE_CHAIN, KHQR_REQUEST_CHAIN, as_utc
from counter.storage.models_khqr import KhqrChangeRow, KhqrRequestRow
from counter.storage.repositories.common import SALES, ChainWriter, run

REQUESTS = cast(Table, KhqrRequestRow.__table__)
CHANGES = cast(Table, KhqrChangeRow.__table__)
_R, _C = REQUESTS.c, CHANGES.c

# Each request's last change: its state, bank reference and sale.
_LAST_SEQ = (
    select(_C.request_id, func.max(_C.seq).label("last"), func.count().label("changes"))
    .group_by(_C.request_id)
    .subquery()
)
_FIRST_SALE = (
    select(_C.request_id, func.max(_C.sale_id).label("sale_id"), func.max(_C.bank_ref).label("ref"))
    .group_by(_C.request_id)
    .subquery()
)
_QUERY = (
    select(
        REQUESTS,
        _C.state,
        _LAST_SEQ.c.changes,
        _FIRST_SALE.c.sale_id.label("sold_as"),
        _FIRST_SALE.c.ref.label("bank"),
        SALES.c.receipt_no,
    )
    .join(_LAST_SEQ, _LAST_SEQ.c.request_id == _R.id)
    .join(CHANGES, (_C.request_id == _R.id) & (_C.seq == _LAST_SEQ.c.last))
    .join(_FIRST_SALE, _FIRST_SALE.c.request_id == _R.id)
    .outerjoin(SALES, SALES.c.id == _FIRST_SALE.c.sale_id)
)


def _request(row: Any) -> KhqrRequest:
    return KhqrRequest(
        id=int(row.id),
        counter_code=row.counter_code,
        seq=int(row.seq),
        bill_number=row.bill_number,
        md5=row.md5,
        payload=row.payload,
        charge=Money(int(row.minor), Currency(row.currency)),
        msisdn=row.msisdn,
        amount_cents=int(row.amount_cents),
        riel_per_usd=int(row.riel_per_usd),
        created_at=as_utc(row.created_at),
        expires_at=as_utc(row.expires_at),
        clerk_id=int(row.clerk_id),
        clerk_name=row.clerk_name,
        state=KhqrState(row.state),
        changes=int(row.changes),
        bank_ref=row.bank,
        sale_id=None if row.sold_as is None else int(row.sold_as),
        receipt_no=row.receipt_no,
    )


def _change(row: Any) -> KhqrChange:
    return KhqrChange(
        state=KhqrState(row.state),
        at=as_utc(row.at),
        actor=row.actor,
        bank_ref=row.bank_ref,
        sale_id=None if row.sale_id is None else int(row.sale_id),
        reason=row.reason,
    )


class KhqrRepository:
    def __init__(self, conn: Connection, chains: ChainWriter) -> None:
        self.conn = conn
        self.chains = chains

    def next_seq(self, counter_code: str) -> int:
        stmt = select(func.coalesce(func.max(_R.seq), 0)).where(_R.counter_code == counter_code)
        return int(run(self.conn, stmt).scalar_one()) + 1

    def add(self, new: NewKhqrRequest, first: KhqrChange) -> KhqrRequest:
        values = {
            "counter_code": new.counter_code,
            "seq": new.seq,
            "bill_number": new.bill_number,
            "md5": new.md5,
            "payload": new.payload,
            "currency": new.charge.currency.value,
            "minor": new.charge.minor,
            "msisdn": new.msisdn,
            "amount_cents": new.amount_cents,
            "riel_per_usd": new.riel_per_usd,
            "created_at": new.created_at,
            "expires_at": new.expires_at,
            "clerk_id": new.clerk_id,
            "clerk_name": new.clerk_name,
        }
        request_id, _hash = self.chains.append(KHQR_REQUEST_CHAIN, values)
        self._append_row(request_id, new.md5, 1, None, first)
        found = self.get(request_id)
        assert found is not None
        return found

    def append(self, request: KhqrRequest, change: KhqrChange) -> KhqrRequest:
        self._append_row(request.id, request.md5, request.changes + 1, request.state, change)
        found = self.get(request.id)
        assert found is not None
        return found

    def _append_row(
        self, request_id: int, md5: str, seq: int, before: KhqrState | None, change: KhqrChange
    ) -> None:
        self.chains.append(
            KHQR_CHANGE_CHAIN,
            {
                "request_id": request_id,
                "md5": md5,
                "seq": seq,
                "state": change.state.value,
                "previous": None if before is None else before.value,
                "at": change.at,
                "actor": change.actor,
                "bank_ref": change.bank_ref,
                "sale_id": change.sale_id,
                "reason": change.reason,
            },
        )

    def get(self, request_id: int) -> KhqrRequest | None:
        row = run(self.conn, _QUERY.where(_R.id == request_id)).first()
        return None if row is None else _request(row)

    def by_bill(self, bill_number: str) -> KhqrRequest | None:
        row = run(self.conn, _QUERY.where(_R.bill_number == bill_number)).first()
        return None if row is None else _request(row)

    def listed(
        self,
        *,
        states: Sequence[KhqrState] | None = None,
        counter_code: str | None = None,
        limit: int = 500,
        since: datetime | None = None,
        newest_first: bool = False,
    ) -> list[KhqrRequest]:
        stmt = _QUERY.order_by(_R.id.desc() if newest_first else _R.id).limit(limit)
        if since is not None:
            stmt = stmt.where(_R.created_at >= since)
        if states is not None:
            stmt = stmt.where(_C.state.in_([s.value for s in states]))
        if counter_code is not None:
            stmt = stmt.where(_R.counter_code == counter_code)
        return [_request(row) for row in run(self.conn, stmt)]

    def changes(self, request_id: int) -> list[KhqrChange]:
        stmt = select(CHANGES).where(_C.request_id == request_id).order_by(_C.seq)
        return [_change(row) for row in run(self.conn, stmt)]
