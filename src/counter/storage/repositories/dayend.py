"""The day's end: the drawer's opening cash, day closes, and the operators' airtime float."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

from sqlalchemy import Connection, bindparam, func, insert, select, update

from counter.domain.records import DayClose, FloatMove, NewDayClose, OpeningCash
from counter.storage.chain import as_utc, day_close_hash_of, float_move_hash_of
from counter.storage.repositories.common import (
    DAY_CLOSE_CHAIN,
    DAY_CLOSES,
    FLOAT_CHAIN,
    FLOATS,
    MOVES,
    OPENING,
    SALES,
    USERS,
    VOIDS,
    advance_chain,
    lock_chain,
    run,
)
from counter.storage.repositories.deliveries import float_moved

_LOCK_FLOAT = (
    select(FLOATS.c.balance_cents)
    .where(FLOATS.c.operator_id == bindparam("operator_id"))
    .with_for_update()
)
_INSERT_FLOAT = insert(FLOATS)
_ADD_TO_FLOAT = (
    update(FLOATS)
    .where(FLOATS.c.operator_id == bindparam("b_operator_id"))
    .values(balance_cents=FLOATS.c.balance_cents + bindparam("b_delta"))
)


class DayEndRepository:
    """Opening cash and day closes, per counter and business day."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def opening_cash(self, counter_code: str, day: date) -> OpeningCash | None:
        stmt = (
            select(OPENING, USERS.c.name.label("recorded_by_name"))
            .join(USERS, USERS.c.id == OPENING.c.recorded_by)
            .where(OPENING.c.counter_code == counter_code, OPENING.c.business_date == day)
        )
        row = run(self.conn, stmt).first()
        if row is None:
            return None
        return OpeningCash(
            row.counter_code,
            row.business_date,
            int(row.usd_cents),
            int(row.khr),
            row.recorded_by_name,
            as_utc(row.recorded_at),
        )

    def add_opening_cash(
        self, counter_code: str, day: date, usd_cents: int, khr: int, by: int, now: datetime
    ) -> None:
        run(
            self.conn,
            insert(OPENING).values(
                counter_code=counter_code,
                business_date=day,
                usd_cents=usd_cents,
                khr=khr,
                recorded_by=by,
                recorded_at=now,
            ),
        )

    def close(self, counter_code: str, day: date) -> DayClose | None:
        stmt = (
            select(DAY_CLOSES, USERS.c.name.label("closed_by_name"))
            .join(USERS, USERS.c.id == DAY_CLOSES.c.closed_by)
            .where(DAY_CLOSES.c.counter_code == counter_code, DAY_CLOSES.c.business_date == day)
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
        )

    def add_close(self, close: NewDayClose, closed_by_name: str) -> DayClose:
        """Append a close to the `day_closes` chain."""
        prev_hash, length = lock_chain(self.conn, DAY_CLOSE_CHAIN)
        values = asdict(close)
        row_hash = day_close_hash_of(values, prev_hash)
        result = run(
            self.conn,
            insert(DAY_CLOSES),
            {**values, "prev_hash": prev_hash, "row_hash": row_hash},
        )
        advance_chain(self.conn, DAY_CLOSE_CHAIN, row_hash, length + 1)
        fields = {k: v for k, v in values.items() if k != "closed_by"}
        return DayClose(id=int(result.inserted_primary_key[0]), closed_by=closed_by_name, **fields)


class FloatRepository:
    """Operator airtime stock: the running balance rows and the chained moves."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

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
            run(self.conn, _INSERT_FLOAT, {"operator_id": operator_id, "balance_cents": 0})
            return 0
        return int(balance)

    def apply(self, operator_id: str, delta_cents: int) -> None:
        """Add `delta_cents` to the running balance in this transaction (the row is created
        the first time). One UPDATE, which locks the row like `lock` does."""
        changed = run(
            self.conn, _ADD_TO_FLOAT, {"b_operator_id": operator_id, "b_delta": delta_cents}
        )
        if changed.rowcount == 0:
            run(
                self.conn,
                _INSERT_FLOAT,
                {"operator_id": operator_id, "balance_cents": delta_cents},
            )

    def add_move(self, move: FloatMove) -> int:
        """Append a restock or correction to its chain and to the balance; the new balance."""
        prev_hash, length = lock_chain(self.conn, FLOAT_CHAIN)
        values = asdict(move)
        row_hash = float_move_hash_of(values, prev_hash)
        run(self.conn, insert(MOVES), {**values, "prev_hash": prev_hash, "row_hash": row_hash})
        advance_chain(self.conn, FLOAT_CHAIN, row_hash, length + 1)
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
