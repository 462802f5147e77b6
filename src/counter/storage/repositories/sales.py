"""Sales: the sale path's prepared statements, and the questions asked of sales.

A sale is the till's hot path. What it must know from the ledger (the rate, the clerk,
the counter's numbering, a closed day, the opening cash, a taken key, a duplicate, the
number's sales of the day) is read in ONE statement (`context`), and it is written with
prepared Core statements: no ORM objects, no flush, no per-call statement building.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    bindparam,
    case,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)

from counter.domain.records import NewSale, Numbering, Role, Sale, SaleContext
from counter.storage.anchors import TAMPERED
from counter.storage.chain import payment_lines, sale_hash_of
from counter.storage.repositories.common import (
    COUNTERS,
    DAY_CLOSES,
    PAYMENTS,
    QUEUE,
    RATE_KEY,
    REOPENS,
    SALES,
    SETTINGS,
    SHIFT_CLOSES,
    SHIFTS,
    USERS,
    VOIDS,
    ChainWriter,
    line_values,
    run,
    sale_record,
    to_sale,
)

_LINES_AT_ONCE = 500  # sale ids per IN (...) when reading payment lines

# The duplicate window's start when the guard is off: no sale is that recent.
_NEVER = datetime(9000, 1, 1, tzinfo=UTC)
_DAY = SALES.c.business_date.type
_TIME = SALES.c.created_at.type
MSISDN_LEN = 16  # SaleRow.msisdn is String(16)


_NUMBERING = (
    COUNTERS.c.next_receipt,
    COUNTERS.c.last_sale_hash,
    COUNTERS.c.last_closed_day,
    COUNTERS.c.seal,
)


def _shift_facts() -> tuple[Any, Any, Any]:
    """Whether the calendar day's close stands (closes not undone by a reopening), and the
    counter's open shift (id and business day), as scalar subqueries of the counter row."""
    closes = (
        select(func.count())
        .where(
            DAY_CLOSES.c.counter_code == COUNTERS.c.code,
            DAY_CLOSES.c.business_date == bindparam("day", type_=_DAY),
        )
        .scalar_subquery()
    )
    reopens = (
        select(func.count())
        .where(
            REOPENS.c.counter_code == COUNTERS.c.code,
            REOPENS.c.business_date == bindparam("day", type_=_DAY),
        )
        .scalar_subquery()
    )
    open_shift = (
        select(SHIFTS.c.id, SHIFTS.c.business_date)
        .where(
            SHIFTS.c.counter_code == COUNTERS.c.code,
            ~exists().where(SHIFT_CLOSES.c.shift_id == SHIFTS.c.id),
        )
        .order_by(SHIFTS.c.id.desc())
        .limit(1)
    )
    shift_id = open_shift.with_only_columns(SHIFTS.c.id).scalar_subquery()
    shift_day = open_shift.with_only_columns(SHIFTS.c.business_date).scalar_subquery()
    return closes > reopens, shift_id, shift_day


def _context_statement() -> Any:
    """One row: the counter's numbering (its row locked on PostgreSQL) and, beside it,
    every other fact a sale is checked against, as scalar subqueries."""
    rate = select(SETTINGS.c.value).where(SETTINGS.c.key == RATE_KEY).scalar_subquery()
    clerk = (
        select(USERS.c.name)
        .where(USERS.c.id == bindparam("clerk_id"), USERS.c.active.is_(True))
        .scalar_subquery()
    )
    role = select(USERS.c.role).where(USERS.c.id == bindparam("clerk_id")).scalar_subquery()
    day_closed, shift_id, shift_day = _shift_facts()
    # The sale's day: its shift's (a shift past midnight keeps its day), else the calendar's.
    sale_day = func.coalesce(shift_day, bindparam("day", type_=_DAY))
    key_taken = exists().where(SALES.c.idempotency_key == bindparam("key"))
    standing = ~exists().where(VOIDS.c.sale_id == SALES.c.id)
    duplicate = (
        select(SALES.c.id)
        .where(
            SALES.c.msisdn == bindparam("msisdn"),
            SALES.c.created_at >= bindparam("since", type_=_TIME),
            SALES.c.amount_cents == bindparam("amount_cents"),
            standing,
        )
        .order_by(SALES.c.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    number_sold = (
        select(func.coalesce(func.sum(SALES.c.amount_cents), 0))
        .where(SALES.c.msisdn == bindparam("msisdn"), SALES.c.business_date == sale_day, standing)
        .scalar_subquery()
    )
    return (
        select(
            *_NUMBERING,
            rate.label("rate"),
            clerk.label("clerk_name"),
            role.label("clerk_role"),
            day_closed.label("day_closed"),
            shift_id.label("shift_id"),
            shift_day.label("shift_day"),
            key_taken.label("key_taken"),
            duplicate.label("duplicate_id"),
            case((bindparam("want_cap", type_=Integer) == literal(1), number_sold), else_=0).label(
                "sold"
            ),
        )
        .where(COUNTERS.c.code == bindparam("code"))
        .with_for_update(of=COUNTERS)
    )


_CONTEXT = _context_statement()
_INSERT_SALE = insert(SALES)
_INSERT_JOB = insert(QUEUE)
_INSERT_LINE = insert(PAYMENTS)
_ADVANCE_NUMBERING = (
    update(COUNTERS)
    .where(COUNTERS.c.code == bindparam("b_code"))
    .values(
        next_receipt=bindparam("b_next"),
        last_sale_hash=bindparam("b_hash"),
        seal=bindparam("b_seal"),
    )
)
# PostgreSQL: one lock per customer's number for the rest of the transaction, taken before
# the duplicate window and the daily cap are checked, so two counters selling to the same
# number wait for each other instead of both passing the check (SQLite's BEGIN IMMEDIATE
# already lets one writer in at a time). The key is the number's own 64-bit hash.
_LOCK_NUMBER = select(func.pg_advisory_xact_lock(func.hashtextextended(bindparam("msisdn"), 0)))
_RATE_ONLY = select(SETTINGS.c.value).where(SETTINGS.c.key == RATE_KEY)
_SALE_COLUMNS = (SALES, USERS.c.name.label("clerk_name"), VOIDS.c.id.label("void_id"))


def sales_query() -> Any:
    """Sales with their clerk's name and whether they are voided (add a WHERE)."""
    return (
        select(*_SALE_COLUMNS)
        .join(USERS, USERS.c.id == SALES.c.clerk_id)
        .outerjoin(VOIDS, VOIDS.c.sale_id == SALES.c.id)
    )


class SaleRepository:
    def __init__(self, conn: Connection, chains: ChainWriter) -> None:
        self.conn = conn
        self.chains = chains

    def many(self, stmt: Any) -> list[Sale]:
        rows = list(run(self.conn, stmt))
        lines = self.lines_of([int(row.id) for row in rows])
        return [
            to_sale(row, row.clerk_name, row.void_id is not None, lines.get(int(row.id), []))
            for row in rows
        ]

    def lines_of(self, sale_ids: Sequence[int]) -> dict[int, list[Any]]:
        """The payment lines of these sales, by sale id."""
        found: dict[int, list[Any]] = {}
        for start in range(0, len(sale_ids), _LINES_AT_ONCE):
            chunk = sale_ids[start : start + _LINES_AT_ONCE]
            stmt = select(PAYMENTS).where(PAYMENTS.c.sale_id.in_(chunk))
            for line in run(self.conn, stmt):
                found.setdefault(int(line.sale_id), []).append(line)
        return found

    def _one(self, stmt: Any) -> Sale | None:
        found = self.many(stmt.limit(1))
        return found[0] if found else None

    # -- the sale path ------------------------------------------------------------------

    def context(
        self,
        counter_code: str,
        *,
        clerk_id: int,
        msisdn: str,
        amount_cents: int,
        day: date,
        duplicate_since: datetime | None,
        key: str | None,
        want_cap: bool,
    ) -> SaleContext:
        """What the sale is checked against, read in one statement with the counter's row
        locked until commit. `duplicate_since` None: the duplicate guard is off.

        On PostgreSQL the number's advisory lock is taken first, so the duplicate window
        and the daily cap hold across counters."""
        if self.conn.dialect.name == "postgresql":
            run(self.conn, _LOCK_NUMBER, {"msisdn": msisdn})
        row = run(
            self.conn,
            _CONTEXT,
            {
                "code": counter_code,
                "clerk_id": clerk_id,
                "msisdn": msisdn,
                "amount_cents": amount_cents,
                "day": day,
                "since": duplicate_since if duplicate_since is not None else _NEVER,
                "key": key or "",
                "want_cap": 1 if want_cap else 0,
            },
        ).first()
        if row is None:
            return SaleContext(self.rate(), None, None, None, "", False, None, None, False, None, 0)
        closed_day = row.last_closed_day
        sealed = self.chains.sealer.counter_ok(
            row.seal, counter_code, int(row.next_receipt), str(row.last_sale_hash), closed_day
        )
        return SaleContext(
            riel_per_usd=int(row.rate) if row.rate is not None else None,
            clerk_name=row.clerk_name,
            clerk_role=Role(row.clerk_role) if row.clerk_role else None,
            next_receipt=int(row.next_receipt),
            last_sale_hash=str(row.last_sale_hash),
            day_closed=bool(row.day_closed) or (closed_day is not None and day <= closed_day),
            open_shift_id=int(row.shift_id) if row.shift_id is not None else None,
            shift_day=row.shift_day,
            key_taken=bool(key) and bool(row.key_taken),
            duplicate_id=int(row.duplicate_id) if row.duplicate_id is not None else None,
            number_sold_cents=int(row.sold or 0),
            numbering_sealed=sealed,
            last_closed_day=closed_day,
        )

    def rate(self) -> int | None:
        value = run(self.conn, _RATE_ONLY).scalar_one_or_none()
        return None if value is None else int(value)

    def add(self, numbering: Numbering, new: NewSale, receipt_no: str, clerk_name: str) -> Sale:
        """Insert the sale with the counter's next number and chain hash, advance the
        counter, and queue its original receipt (the outbox of the print worker); the
        counter row must be locked (`context` or `counters.lock_numbering`)."""
        first = new.payment.lines[0]
        values: dict[str, Any] = {
            "receipt_no": receipt_no,
            "counter_code": numbering.code,
            "receipt_seq": numbering.next_receipt,
            "msisdn_rev": new.msisdn[::-1],
            **{f: getattr(new, f) for f in NewSale.__dataclass_fields__ if f != "payment"},
            # The first line again, for tools that read the columns of before 0007.
            "paid_currency": first.currency.value,
            "paid_minor": first.minor,
            "hash_version": 2,
        }
        lines = line_values(0, new.payment)
        prev_hash = numbering.last_sale_hash
        row_hash = sale_hash_of({**values, "payments": payment_lines(lines)}, prev_hash)
        result = run(
            self.conn, _INSERT_SALE, {**values, "prev_hash": prev_hash, "row_hash": row_hash}
        )
        sale_id = int(result.inserted_primary_key[0])
        self.conn.execute(_INSERT_LINE, [{**line, "sale_id": sale_id} for line in lines])
        following = numbering.next_receipt + 1
        seal = (
            self.chains.sealer.counter(
                numbering.code, following, row_hash, numbering.last_closed_day
            )
            if numbering.sealed
            else TAMPERED
        )
        run(
            self.conn,
            _ADVANCE_NUMBERING,
            {"b_code": numbering.code, "b_next": following, "b_hash": row_hash, "b_seal": seal},
        )
        self.chains.sale_recorded(numbering.code, numbering.next_receipt, row_hash)
        run(
            self.conn,
            _INSERT_JOB,
            {
                "sale_id": sale_id,
                "copy": False,
                "status": "pending",
                "attempts": 0,
                "created_at": new.created_at,
            },
        )
        return sale_record(
            new,
            id=sale_id,
            receipt_no=receipt_no,
            counter_code=numbering.code,
            clerk_name=clerk_name,
            voided=False,
            payment=new.payment,
        )

    # -- questions ------------------------------------------------------------------------

    def by_id(self, sale_id: int) -> Sale | None:
        return self._one(sales_query().where(SALES.c.id == sale_id))

    def by_key(self, key: str) -> Sale | None:
        return self._one(sales_query().where(SALES.c.idempotency_key == key))

    def by_receipt(self, receipt_no: str) -> Sale | None:
        return self._one(sales_query().where(SALES.c.receipt_no == receipt_no))

    def of_day(self, day: date, counters: Sequence[str] | None) -> list[Sale]:
        """Every sale of one business day (sold and voided), by counter and number."""
        stmt = sales_query().where(SALES.c.business_date == day)
        if counters is not None:
            stmt = stmt.where(SALES.c.counter_code.in_(counters))
        # Sorted here, not by ORDER BY: SQLite would then walk the (counter, number) index
        # over the whole ledger to skip a sort of one day's rows.
        return sorted(self.many(stmt), key=lambda s: (s.counter_code, s.receipt_seq))

    def for_day(self, day: date, counter_code: str | None, limit: int, offset: int) -> list[Sale]:
        stmt = sales_query().where(SALES.c.business_date == day)
        if counter_code:
            stmt = stmt.where(SALES.c.counter_code == counter_code)
        return self.many(
            stmt.order_by(SALES.c.created_at.desc(), SALES.c.id.desc()).limit(limit).offset(offset)
        )

    def search(
        self,
        *,
        receipt_no: str | None,
        msisdn: str | None,
        starts: str | None,
        suffix: str | None,
        contains: str | None,
        day: date | None,
        operator_id: str | None,
        limit: int,
        offset: int,
    ) -> list[Sale]:
        stmt = sales_query()
        if receipt_no is not None:
            stmt = stmt.where(SALES.c.receipt_no == receipt_no)
        if msisdn is not None:
            stmt = stmt.where(SALES.c.msisdn == msisdn)
        if starts is not None:  # a range of the number's own index, in any collation
            assert starts.startswith("+") and starts[1:].isdigit()
            highest = starts + "9" * (MSISDN_LEN - len(starts))
            stmt = stmt.where(SALES.c.msisdn.between(starts, highest))
        if suffix is not None:
            stmt = stmt.where(self._starts_with(SALES.c.msisdn_rev, suffix[::-1]))
        if contains is not None:
            stmt = stmt.where(SALES.c.msisdn.contains(contains, autoescape=True))
        if day is not None:
            stmt = stmt.where(SALES.c.business_date == day)
        if operator_id is not None:
            stmt = stmt.where(SALES.c.operator_id == operator_id)
        return self.many(
            stmt.order_by(SALES.c.created_at.desc(), SALES.c.id.desc()).limit(limit).offset(offset)
        )

    def _starts_with(self, column: Any, prefix: str) -> Any:
        """An index-friendly prefix test: GLOB on SQLite (case-sensitive, uses the index),
        LIKE on PostgreSQL (the index has varchar_pattern_ops). `prefix` is digits only."""
        assert prefix.isdigit()
        if self.conn.dialect.name == "sqlite":
            return column.op("GLOB")(prefix + "*")
        return column.like(prefix + "%")

    def history(self, msisdn: str, limit: int) -> list[Sale]:
        stmt = sales_query().where(SALES.c.msisdn == msisdn)
        return self.many(stmt.order_by(SALES.c.created_at.desc(), SALES.c.id.desc()).limit(limit))

    def totals(self, day: date, counter_code: str | None) -> list[tuple[str, int, int]]:
        """(operator id, count, amount in cents) of a day's standing sales, by operator id."""
        stmt = (
            select(SALES.c.operator_id, func.count(), func.sum(SALES.c.amount_cents))
            .outerjoin(VOIDS, VOIDS.c.sale_id == SALES.c.id)
            .where(SALES.c.business_date == day, VOIDS.c.id.is_(None))
            .group_by(SALES.c.operator_id)
            .order_by(SALES.c.operator_id)
        )
        if counter_code:
            stmt = stmt.where(SALES.c.counter_code == counter_code)
        return [(op, int(n), int(total or 0)) for op, n, total in run(self.conn, stmt)]

    def last(self, counter_code: str) -> Sale | None:
        stmt = sales_query().where(SALES.c.counter_code == counter_code)
        return self._one(stmt.order_by(SALES.c.receipt_seq.desc()))

    def first_day(self) -> date | None:
        """The business day of the ledger's first sale (an index read), None before any."""
        day = run(self.conn, select(func.min(SALES.c.business_date))).scalar()
        return None if day is None else (day if isinstance(day, date) else date.fromisoformat(day))

    def export(self, date_from: date | None, date_to: date | None) -> Iterator[tuple[Sale, str]]:
        """(sale, void reason or "") of the business days in range, oldest first, streamed."""
        stmt = (
            select(*_SALE_COLUMNS, VOIDS.c.reason.label("void_reason"))
            .join(USERS, USERS.c.id == SALES.c.clerk_id)
            .outerjoin(VOIDS, VOIDS.c.sale_id == SALES.c.id)
            .order_by(SALES.c.business_date, SALES.c.counter_code, SALES.c.receipt_seq)
            .execution_options(yield_per=500)
        )
        if date_from is not None:
            stmt = stmt.where(SALES.c.business_date >= date_from)
        if date_to is not None:
            stmt = stmt.where(SALES.c.business_date <= date_to)
        batch: list[Any] = []
        for row in run(self.conn, stmt):
            batch.append(row)
            if len(batch) == _LINES_AT_ONCE:
                yield from self._exported(batch)
                batch = []
        yield from self._exported(batch)

    def _exported(self, rows: list[Any]) -> Iterator[tuple[Sale, str]]:
        lines = self.lines_of([int(row.id) for row in rows]) if rows else {}
        for row in rows:
            sale = to_sale(row, row.clerk_name, row.void_id is not None, lines.get(int(row.id), []))
            yield sale, row.void_reason or ""
