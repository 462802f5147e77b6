"""Shifts, their closes, and days reopened: each an append-only, hash-chained record.

A shift is open while it has no close. The caller locks the counter's row first (as a sale
does), so opening, closing and selling at one counter never interleave, and a shift's
number within its day is taken under that lock.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from counter.domain.cash_count import CashCount as DrawerCount
from counter.domain.cash_count import NoteCount
from counter.domain.money import Currency
from counter.domain.records import Sale
from counter.domain.shifts import (
    DayReopen,
    NewShift,
    NewShiftClose,
    Shift,
    ShiftClose,
    ShiftOrigin,
)
from counter.storage.chain import REOPEN_CHAIN, SHIFT_CHAIN, SHIFT_CLOSE_CHAIN, as_utc
from counter.storage.repositories.common import (
    REOPENS,
    SALES,
    SHIFT_CLOSES,
    SHIFTS,
    USERS,
    ChainWriter,
    run,
)
from counter.storage.repositories.sales import SaleRepository, sales_query

_OPENER = USERS.alias("opener")
_COUNTER = USERS.alias("counter_user")
_APPROVER = USERS.alias("approver")


def notes_json(count: DrawerCount) -> str | None:
    """A count by note as JSON (`{"USD": {"2000": 3}, "other_usd_cents": 0, ...}`); None
    for a plain count."""
    if not count.by_note:
        return None
    notes: dict[str, dict[str, int]] = {"USD": {}, "KHR": {}}
    for note in count.notes:
        notes[note.currency.value][str(note.face)] = note.count
    return json.dumps(
        {**notes, "other_usd_cents": count.other_usd_cents, "other_khr": count.other_khr},
        sort_keys=True,
    )


def count_of(usd_cents: int, khr: int, notes: str | None) -> DrawerCount:
    if not notes:
        return DrawerCount(int(usd_cents), int(khr))
    data = json.loads(notes)
    listed = tuple(
        NoteCount(Currency(currency), int(face), int(count))
        for currency in ("USD", "KHR")
        for face, count in sorted(data[currency].items(), key=lambda kv: -int(kv[0]))
    )
    return DrawerCount(
        int(usd_cents), int(khr), listed, int(data["other_usd_cents"]), int(data["other_khr"])
    )


def _shift_query() -> Any:
    return (
        select(
            SHIFTS,
            _OPENER.c.name.label("opened_by_name"),
            SHIFT_CLOSES.c.id.label("close_id"),
            SHIFT_CLOSES.c.closed_at,
            SHIFT_CLOSES.c.counted_usd_cents,
            SHIFT_CLOSES.c.counted_khr,
            SHIFT_CLOSES.c.counted_notes,
            SHIFT_CLOSES.c.expected_usd_cents,
            SHIFT_CLOSES.c.expected_khr,
            SHIFT_CLOSES.c.sales_count,
            SHIFT_CLOSES.c.sales_cents,
            _COUNTER.c.name.label("counted_by_name"),
            _APPROVER.c.name.label("approved_by_name"),
        )
        .join(_OPENER, _OPENER.c.id == SHIFTS.c.opened_by)
        .outerjoin(SHIFT_CLOSES, SHIFT_CLOSES.c.shift_id == SHIFTS.c.id)
        .outerjoin(_COUNTER, _COUNTER.c.id == SHIFT_CLOSES.c.counted_by)
        .outerjoin(_APPROVER, _APPROVER.c.id == SHIFT_CLOSES.c.approved_by)
    )


def _to_shift(row: Any) -> Shift:
    close = None
    if row.close_id is not None:
        close = ShiftClose(
            shift_id=int(row.id),
            closed_at=as_utc(row.closed_at),
            counted_by=row.counted_by_name,
            approved_by=row.approved_by_name,
            counted=count_of(row.counted_usd_cents, row.counted_khr, row.counted_notes),
            expected_usd_cents=int(row.expected_usd_cents),
            expected_khr=int(row.expected_khr),
            sales_count=int(row.sales_count),
            sales_cents=int(row.sales_cents),
        )
    return Shift(
        id=int(row.id),
        counter_code=row.counter_code,
        business_date=row.business_date,
        number=int(row.number),
        opened_at=as_utc(row.opened_at),
        opened_by=row.opened_by_name,
        opening=count_of(row.opening_usd_cents, row.opening_khr, row.opening_notes),
        origin=ShiftOrigin(row.origin),
        close=close,
    )


class ShiftRepository:
    def __init__(self, conn: Connection, chains: ChainWriter) -> None:
        self.conn = conn
        self.chains = chains

    def _many(self, stmt: Any) -> list[Shift]:
        return [_to_shift(row) for row in run(self.conn, stmt)]

    def _one(self, stmt: Any) -> Shift | None:
        found = self._many(stmt.limit(1))
        return found[0] if found else None

    def open_shift(self, counter_code: str) -> Shift | None:
        """The counter's open shift (at most one is ever open), or None."""
        stmt = _shift_query().where(
            SHIFTS.c.counter_code == counter_code, SHIFT_CLOSES.c.id.is_(None)
        )
        return self._one(stmt.order_by(SHIFTS.c.id.desc()))

    def by_id(self, shift_id: int) -> Shift | None:
        return self._one(_shift_query().where(SHIFTS.c.id == shift_id))

    def of_day(self, counter_code: str, day: date) -> list[Shift]:
        """The counter's shifts of one business day, by number."""
        stmt = _shift_query().where(
            SHIFTS.c.counter_code == counter_code, SHIFTS.c.business_date == day
        )
        return self._many(stmt.order_by(SHIFTS.c.number))

    def add(self, new: NewShift) -> Shift:
        """Append a shift with the next number of its counter's day (counter row locked)."""
        numbers = select(func.coalesce(func.max(SHIFTS.c.number), 0)).where(
            SHIFTS.c.counter_code == new.counter_code, SHIFTS.c.business_date == new.business_date
        )
        number = int(run(self.conn, numbers).scalar_one()) + 1
        values = {
            "counter_code": new.counter_code,
            "business_date": new.business_date,
            "number": number,
            "opened_at": new.opened_at,
            "opened_by": new.opened_by,
            "opening_usd_cents": new.opening.usd_cents,
            "opening_khr": new.opening.khr,
            "opening_notes": notes_json(new.opening),
            "origin": new.origin.value,
        }
        shift_id, _row_hash = self.chains.append(SHIFT_CHAIN, values)
        added = self.by_id(shift_id)
        assert added is not None
        return added

    def close(self, new: NewShiftClose) -> Shift:
        """Append the shift's close to its chain; the shift as closed."""
        values = {
            "shift_id": new.shift_id,
            "closed_at": new.closed_at,
            "counted_by": new.counted_by,
            "approved_by": new.approved_by,
            "counted_usd_cents": new.counted.usd_cents,
            "counted_khr": new.counted.khr,
            "counted_notes": notes_json(new.counted),
            "expected_usd_cents": new.expected_usd_cents,
            "expected_khr": new.expected_khr,
            "sales_count": new.sales_count,
            "sales_cents": new.sales_cents,
        }
        self.chains.append(SHIFT_CLOSE_CHAIN, values)
        closed = self.by_id(new.shift_id)
        assert closed is not None and closed.close is not None
        return closed

    def sales(self, shift: Shift) -> list[Sale]:
        """The shift's sales (sold and voided), by receipt number. A sale recorded before
        shifts has none: it belongs to shift 1 of its counter's day."""
        mine = SALES.c.shift_id == shift.id
        if shift.number == 1:
            mine = or_(
                mine,
                and_(
                    SALES.c.shift_id.is_(None),
                    SALES.c.counter_code == shift.counter_code,
                    SALES.c.business_date == shift.business_date,
                ),
            )
        found = SaleRepository(self.conn, self.chains).many(sales_query().where(mine))
        return sorted(found, key=lambda s: s.receipt_seq)

    # -- days reopened ------------------------------------------------------------------

    def reopens(self, counter_code: str, day: date) -> list[DayReopen]:
        """The day's reopenings at the counter, oldest first."""
        stmt = (
            select(REOPENS, USERS.c.name.label("by_name"))
            .join(USERS, USERS.c.id == REOPENS.c.reopened_by)
            .where(REOPENS.c.counter_code == counter_code, REOPENS.c.business_date == day)
            .order_by(REOPENS.c.reopen_no)
        )
        return [
            DayReopen(
                int(r.id),
                r.counter_code,
                r.business_date,
                as_utc(r.reopened_at),
                r.by_name,
                r.reason,
                int(r.shift_id),
            )
            for r in run(self.conn, stmt)
        ]

    def add_reopen(
        self, counter_code: str, day: date, at: datetime, by: int, reason: str, shift_id: int
    ) -> None:
        """Append a reopening to its chain (`day_reopens`), numbered within its day."""
        values = {
            "counter_code": counter_code,
            "business_date": day,
            "reopen_no": len(self.reopens(counter_code, day)) + 1,
            "reopened_at": at,
            "reopened_by": by,
            "reason": reason,
            "shift_id": shift_id,
        }
        self.chains.append(REOPEN_CHAIN, values)

    def later_days(self, counter_code: str, day: date) -> bool:
        """Whether the counter has a shift of a business day after `day`."""
        stmt = select(SHIFTS.c.id).where(
            SHIFTS.c.counter_code == counter_code, SHIFTS.c.business_date > day
        )
        return run(self.conn, stmt.limit(1)).first() is not None
