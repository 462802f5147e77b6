"""The in-memory KHQR records of `tests/fakes.FakeUnitOfWork`: same rules as the SQL
repository (bill number and MD5 unique, changes only appended, state = last change)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from counter.domain.errors import KeyTaken
from counter.domain.khqr import KhqrChange, KhqrRequest, KhqrState, NewKhqrRequest

if TYPE_CHECKING:
    from tests.fakes import FakeUnitOfWork


@dataclass
class KhqrBook:
    requests: dict[int, KhqrRequest] = field(default_factory=dict)
    changes: dict[int, list[KhqrChange]] = field(default_factory=dict)


class FakeKhqr:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    @property
    def book(self) -> KhqrBook:
        return self.uow.book.khqr

    def next_seq(self, counter_code: str) -> int:
        seqs = [r.seq for r in self.book.requests.values() if r.counter_code == counter_code]
        return max(seqs, default=0) + 1

    def add(self, new: NewKhqrRequest, first: KhqrChange) -> KhqrRequest:
        for r in self.book.requests.values():
            if r.md5 == new.md5 or r.bill_number == new.bill_number:
                raise KeyTaken("khqr")
        request_id = len(self.book.requests) + 1
        self.book.requests[request_id] = KhqrRequest(
            id=request_id, state=first.state, **new.__dict__
        )
        self.book.changes[request_id] = [first]
        return self._current(request_id)

    def append(self, request: KhqrRequest, change: KhqrChange) -> KhqrRequest:
        self.book.changes[request.id].append(change)
        return self._current(request.id)

    def _current(self, request_id: int) -> KhqrRequest:
        changes = self.book.changes[request_id]
        sale_id = next((c.sale_id for c in changes if c.sale_id is not None), None)
        bank = max((c.bank_ref for c in changes if c.bank_ref), default=None)
        receipt = None
        if sale_id is not None:
            sale = self.uow.book.sales.get(sale_id)
            receipt = sale.receipt_no if sale else None
        return replace(
            self.book.requests[request_id],
            state=changes[-1].state,
            changes=len(changes),
            bank_ref=bank,
            sale_id=sale_id,
            receipt_no=receipt,
        )

    def get(self, request_id: int) -> KhqrRequest | None:
        return self._current(request_id) if request_id in self.book.requests else None

    def by_bill(self, bill_number: str) -> KhqrRequest | None:
        found = [r for r in self.book.requests.values() if r.bill_number == bill_number]
        return self._current(found[0].id) if found else None

    def listed(
        self,
        *,
        states: Sequence[KhqrState] | None = None,
        counter_code: str | None = None,
        limit: int = 500,
        since: datetime | None = None,
        newest_first: bool = False,
    ) -> list[KhqrRequest]:
        out = [self._current(i) for i in sorted(self.book.requests, reverse=newest_first)]
        out = [
            r
            for r in out
            if (states is None or r.state in states)
            and (counter_code is None or r.counter_code == counter_code)
            and (since is None or r.created_at >= since)
        ]
        return out[:limit]

    def changes(self, request_id: int) -> list[KhqrChange]:
        return list(self.book.changes.get(request_id, []))
