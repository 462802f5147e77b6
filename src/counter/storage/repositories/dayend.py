"""The day's end: the drawer's opening cash, day closes, and the operators' airtime float."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from counter.domain.records import DayClose, FloatMove, NewDayClose, OpeningCash
from counter.storage.anchors import TAMPERED
from counter.storage.chain import DAY_CLOSE_CHAIN, FLOAT_CHAIN, as_utc
from counter.storage.repositories.common import (
    COUNTERS,
    DAY_CLOSES,
    FLOATS,
    MOVES,
    SALES,
    SHIFTS,
    USERS,
    VOIDS,
    ChainWriter,
    run,
)
from counter.storage.repositories.deliveries import float_moved

_LOCK_FLOAT = (
    select(FLOATS.c.balance_cents)
    .where(FLOATS.c.operator_id == bindparam("operator_id"))
    .with_for_update()
)
_LOCK_COUNTER = (
    select(
        COUNTERS.c.next_receipt,
        COUNTERS.c.last_sale_hash,
        COUNTERS.c.last_closed_day,
        COUNTERS.c.seal,
    )
    .where(COUNTERS.c.code == bindparam("code"))
    .with_for_update()
)
_ADD_TO_FLOAT = (
    update(FLOATS)
    .where(FLOATS.c.operator_id == bindparam("b_operator_id"))
    .values(balance_cents=FLOATS.c.balance_cents + bindparam("b_delta"))
)


def ensure_float_rows(conn: Connection, operator_ids: Iterable[str]) -> None:
    """The operators' balance rows, made if missing and never twice: `INSERT ... ON
    CONFLICT DO NOTHING`, so the first sales of one operator at two counters at once
    never meet on the primary key."""
    wanted = [{"operator_id": op, "balance_cents": 0} for op in operator_ids]
    if not wanted:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt: Any = dialect.insert(FLOATS).on_conflict_do_nothing(index_elements=["operator_id"])
    run(conn, stmt, wanted)  # type: ignore[arg-type]


class DayEndRepository:
    """Opening cash and day closes, per counter and business day."""

    def __init__(self, conn: Connection, chains: ChainWriter) -> None:
        self.conn = conn
        self.chains = chains

    def opening_cash(self, counter_code: str, day: date) -> OpeningCash | None:
        """The drawer as counted at the opening of the day's first shift (since 0007 the
        day's opening cash is that count; the old `opening_floats` rows were carried over)."""
        stmt = (
            select(SHIFTS, USERS.c.name.label("opened_by_name"))
            .join(USERS, USERS.c.id == SHIFTS.c.opened_by)
            .where(SHIFTS.c.counter_code == counter_code, SHIFTS.c.business_date == day)
            .order_by(SHIFTS.c.number)
            .limit(1)
        )
        row = run(self.conn, stmt).first()
        if row is None:
            return None
        return OpeningCash(
            row.counter_code,
            row.business_date,
            int(row.opening_usd_cents),
            int(row.opening_khr),
            row.opened_by_name,
            as_utc(row.opened_at),
        )

    def close(self, counter_code: str, day: date) -> DayClose | None:
        stmt = (
            select(DAY_CLOSES, USERS.c.name.label("closed_by_name"))
            .join(USERS, USERS.c.id == DAY_CLOSES.c.closed_by)
            .where(DAY_CLOSES.c.counter_code == counter_code, DAY_CLOSES.c.business_date == day)
            .order_by(DAY_CLOSES.c.close_no.desc())
            .limit(1)
        )
        row = run(self.conn, stmt).first()
        if row is None:
            return None
        return DayClose(
            id=int(row.id),
            counter_code=row.counter_code,
            business_date=row.business_date,
            closed_at=as_utc(row.closed_at),
            closed_by=row.closed_by_name,
            counted_by=row.counted_by,
            opening_usd_cents=int(row.opening_usd_cents),
            opening_khr=int(row.opening_khr),
            expected_usd_cents=int(row.expected_usd_cents),
            expected_khr=int(row.expected_khr),
            counted_usd_cents=int(row.counted_usd_cents),
            counted_khr=int(row.counted_khr),
            sales_count=int(row.sales_count),
            sales_cents=int(row.sales_cents),
            close_no=int(row.close_no),
        )

    def add_close(self, close: NewDayClose, closed_by_name: str) -> DayClose:
        """Append a close to the `day_closes` chain."""
        values = asdict(close)
        close_id, _row_hash = self.chains.append(DAY_CLOSE_CHAIN, values)
        self._mark_closed(close.counter_code, close.business_date)
        fields = {k: v for k, v in values.items() if k != "closed_by"}
        return DayClose(id=close_id, closed_by=closed_by_name, **fields)

    def reopen(self, counter_code: str, day: date) -> None:
        """The counter's last closed day set back to its latest close before `day` (a
        reopening of `day`, the latest closed day), sealed as a close seals it."""
        before = select(func.max(DAY_CLOSES.c.business_date)).where(
            DAY_CLOSES.c.counter_code == counter_code, DAY_CLOSES.c.business_date < day
        )
        self._set_closed(counter_code, run(self.conn, before).scalar_one_or_none(), exact=True)

    def _mark_closed(self, counter_code: str, day: date) -> None:
        self._set_closed(counter_code, day, exact=False)

    def _set_closed(self, counter_code: str, day: date | None, *, exact: bool) -> None:
        """The counter's last closed day (sealed with its numbering): a sale of that day or
        before is refused even if the close row is later deleted by hand. `exact`: set to
        `day` (a reopening), else to the later of `day` and the one kept (a close)."""
        row = run(self.conn, _LOCK_COUNTER, {"code": counter_code}).first()
        if row is None:
            return
        sealer = self.chains.sealer
        was_sealed = sealer.counter_ok(
            row.seal, counter_code, int(row.next_receipt), row.last_sale_hash, row.last_closed_day
        )
        closed = day
        if not exact and day is not None and row.last_closed_day is not None:
            closed = max(day, row.last_closed_day)
        seal = (
            sealer.counter(counter_code, int(row.next_receipt), row.last_sale_hash, closed)
            if was_sealed
            else (row.seal if not sealer.key else TAMPERED)
        )
        run(
            self.conn,
            update(COUNTERS)
            .where(COUNTERS.c.code == counter_code)
            .values(last_closed_day=closed, seal=seal),
        )

    def closes(self, counter_code: str) -> list[DayClose]:
        """Every close of a counter, oldest first (for `counter z-report`)."""
        stmt = (
            select(DAY_CLOSES.c.business_date)
            .where(DAY_CLOSES.c.counter_code == counter_code)
            .distinct()
            .order_by(DAY_CLOSES.c.business_date)
        )
        found = [self.close(counter_code, day) for day in run(self.conn, stmt).scalars()]
        return [c for c in found if c is not None]


class FloatRepository:
    """Operator airtime stock: the running balance rows and the chained moves."""

    def __init__(self, conn: Connection, chains: ChainWriter | None = None) -> None:
        self.conn = conn
        self.chains = chains

    def balance(self, operator_id: str) -> int:
        stmt = select(FLOATS.c.balance_cents).where(FLOATS.c.operator_id == operator_id)
        value = run(self.conn, stmt).scalar_one_or_none()
        return int(value) if value is not None else 0

    def balances(self) -> dict[str, int]:
        stmt = select(FLOATS.c.operator_id, FLOATS.c.balance_cents)
        return {op: int(b) for op, b in run(self.conn, stmt)}

    def lock(self, operator_id: str) -> int:
        """The balance, its row locked until commit (created at 0 the first time)."""
        balance = run(self.conn, _LOCK_FLOAT, {"operator_id": operator_id}).scalar_one_or_none()
        if balance is None:
            ensure_float_rows(self.conn, [operator_id])
            balance = run(self.conn, _LOCK_FLOAT, {"operator_id": operator_id}).scalar_one()
        return int(balance)

    def apply(self, operator_id: str, delta_cents: int) -> None:
        """Add `delta_cents` to the running balance in this transaction (the row is created
        the first time). One UPDATE, which locks the row like `lock` does."""
        changed = run(
            self.conn, _ADD_TO_FLOAT, {"b_operator_id": operator_id, "b_delta": delta_cents}
        )
        if changed.rowcount == 0:
            ensure_float_rows(self.conn, [operator_id])
            run(self.conn, _ADD_TO_FLOAT, {"b_operator_id": operator_id, "b_delta": delta_cents})

    def ensure(self, operator_ids: Iterable[str]) -> None:
        """Balance rows for these operators, before the first sale (at set-up and start)."""
        ensure_float_rows(self.conn, operator_ids)

    def add_move(self, move: FloatMove) -> int:
        """Append a restock or correction to its chain and to the balance; the new balance."""
        assert self.chains is not None, "a float move is written in a unit of work"
        self.chains.append(FLOAT_CHAIN, asdict(move))
        balance = self.lock(move.operator_id) + move.amount_cents
        run(
            self.conn,
            _ADD_TO_FLOAT,
            {"b_operator_id": move.operator_id, "b_delta": move.amount_cents},
        )
        return balance

    def recomputed(self) -> dict[str, int]:
        """Balances from scratch: moves - sales + voided sales (a full scan: doctor and tests)."""
        totals: dict[str, int] = {}
        moves = select(MOVES.c.operator_id, func.sum(MOVES.c.amount_cents)).group_by(
            MOVES.c.operator_id
        )
        for op, amount in run(self.conn, moves):
            totals[op] = totals.get(op, 0) + int(amount or 0)
        sold = (
            select(SALES.c.operator_id, func.sum(SALES.c.amount_cents))
            .outerjoin(VOIDS, VOIDS.c.sale_id == SALES.c.id)
            .where(VOIDS.c.id.is_(None), float_moved())  # a delivery moves it
            .group_by(SALES.c.operator_id)
        )
        for op, amount in run(self.conn, sold):
            totals[op] = totals.get(op, 0) - int(amount or 0)
        return totals
