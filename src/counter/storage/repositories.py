"""Repositories: the only code that builds queries; rows go out as domain records.

Each repository works inside the session of one unit of work and never commits:
the service decides when a use case is complete.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, case, func, insert, or_, select, update
from sqlalchemy.orm import Session, aliased

from counter.domain.money import Currency
from counter.domain.records import AuditEntry, OperatorTotal, Role, Sale, User, Void
from counter.storage.chain import (
    as_utc,
    audit_hash_of,
    day_close_hash,
    float_move_hash,
    sale_hash_of,
    void_hash,
)
from counter.storage.models import (
    GENESIS_HASH,
    AuditRow,
    ChainHeadRow,
    CounterRow,
    DayCloseRow,
    FloatMoveRow,
    LedgerSettingRow,
    OpeningFloatRow,
    OperatorFloatRow,
    PrintJobRow,
    SaleRow,
    ShopRow,
    UserRow,
    VoidRow,
)

# select(SaleRow, clerk name, void id); Any because Select's type parameters differ
# between SQLAlchemy 2.0 and 2.1.
SaleQuery = Any

AUDIT_CHAIN = "audit"
VOID_CHAIN = "voids"
DAY_CLOSE_CHAIN = "day_closes"
FLOAT_CHAIN = "float_moves"

# -- prepared statements of the sale path ------------------------------------------------
# A sale is the till's hot path. Its statements are built once, with bind parameters, and
# run as Core through `session.execute` (which still autoflushes pending ORM objects first,
# so they see everything the unit of work did before): no ORM objects, no flush, no
# per-call statement building or cache-key computation. A row written here is never also
# loaded as an ORM object in the same session, so nothing stale can be flushed over it.


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


_SALES = _table(SaleRow)
_VOIDS = _table(VoidRow)
_COUNTERS = _table(CounterRow)
_SETTINGS = _table(LedgerSettingRow)
_USERS = _table(UserRow)
_HEADS = _table(ChainHeadRow)
_AUDIT = _table(AuditRow)
_FLOATS = _table(OperatorFloatRow)
_DAY_CLOSES = _table(DayCloseRow)

_SETTING_VALUE = select(_SETTINGS.c.value).where(_SETTINGS.c.key == bindparam("key"))
_USER_NAME_ACTIVE = select(_USERS.c.name, _USERS.c.active).where(
    _USERS.c.id == bindparam("user_id")
)
_LOCK_NUMBERING = (
    select(_COUNTERS.c.code, _COUNTERS.c.next_receipt, _COUNTERS.c.last_sale_hash)
    .where(_COUNTERS.c.code == bindparam("code"))
    .with_for_update()
)
_ADVANCE_NUMBERING = (
    update(_COUNTERS)
    .where(_COUNTERS.c.code == bindparam("b_code"))
    .values(next_receipt=bindparam("b_next"), last_sale_hash=bindparam("b_hash"))
)
_DAY_CLOSED = (
    select(_DAY_CLOSES.c.id)
    .where(
        _DAY_CLOSES.c.counter_code == bindparam("code"),
        _DAY_CLOSES.c.business_date == bindparam("day"),
    )
    .limit(1)
)
_KEY_TAKEN = select(_SALES.c.id).where(_SALES.c.idempotency_key == bindparam("key")).limit(1)
_INSERT_SALE = insert(_SALES)
_LATEST_SAME = (
    select(_SALES.c.id)
    .outerjoin(_VOIDS, _VOIDS.c.sale_id == _SALES.c.id)
    .where(
        _SALES.c.msisdn == bindparam("msisdn"),
        _SALES.c.created_at >= bindparam("since", type_=_SALES.c.created_at.type),
        _SALES.c.amount_cents == bindparam("amount_cents"),
        _VOIDS.c.id.is_(None),
    )
    .order_by(_SALES.c.created_at.desc())
    .limit(1)
)
_NUMBER_TOTAL_ON = (
    select(func.coalesce(func.sum(_SALES.c.amount_cents), 0))
    .outerjoin(_VOIDS, _VOIDS.c.sale_id == _SALES.c.id)
    .where(
        _SALES.c.msisdn == bindparam("msisdn"),
        _SALES.c.business_date == bindparam("day", type_=_SALES.c.business_date.type),
        _VOIDS.c.id.is_(None),
    )
)
_LOCK_HEAD = (
    select(_HEADS.c.last_hash, _HEADS.c.length)
    .where(_HEADS.c.name == bindparam("name"))
    .with_for_update()
)
_INSERT_HEAD = insert(_HEADS)
_ADVANCE_HEAD = (
    update(_HEADS)
    .where(_HEADS.c.name == bindparam("b_name"))
    .values(last_hash=bindparam("b_hash"), length=bindparam("b_length"))
)
_INSERT_AUDIT = insert(_AUDIT)
_LOCK_FLOAT = (
    select(_FLOATS.c.balance_cents)
    .where(_FLOATS.c.operator_id == bindparam("operator_id"))
    .with_for_update()
)
_INSERT_FLOAT = insert(_FLOATS)
_ADD_TO_FLOAT = (
    update(_FLOATS)
    .where(_FLOATS.c.operator_id == bindparam("b_operator_id"))
    .values(balance_cents=_FLOATS.c.balance_cents + bindparam("b_delta"))
)


def _direct(session: Session, stmt: Any, params: dict[str, Any]) -> Any:
    """Run a prepared statement on the unit of work's connection, in its transaction,
    without the session's autoflush bookkeeping. Only for methods that `sell` alone
    calls: its session never holds pending ORM objects."""
    return session.connection().execute(stmt, params)


def to_user(row: UserRow) -> User:
    return User(
        id=row.id,
        name=row.name,
        role=Role(row.role),
        active=row.active,
        failed_attempts=row.failed_attempts,
        locked_until=as_utc(row.locked_until) if row.locked_until else None,
        language=row.language,
        theme=row.theme,
    )


def to_sale(row: SaleRow, clerk_name: str, voided: bool) -> Sale:
    return sale_record(
        row,
        id=row.id,
        receipt_no=row.receipt_no,
        counter_code=row.counter_code,
        clerk_name=clerk_name,
        voided=voided,
    )


def sale_record(
    fields: Any, *, id: int, receipt_no: str, counter_code: str, clerk_name: str, voided: bool
) -> Sale:
    """A Sale from anything carrying the sale's own columns (a row, or the NewSale written)."""
    return Sale(
        id=id,
        receipt_no=receipt_no,
        counter_code=counter_code,
        clerk_id=fields.clerk_id,
        clerk_name=clerk_name,
        created_at=as_utc(fields.created_at),
        business_date=fields.business_date,
        operator_id=fields.operator_id,
        msisdn=fields.msisdn,
        amount_cents=fields.amount_cents,
        validity_days=fields.validity_days,
        paid_currency=Currency(fields.paid_currency),
        paid_minor=fields.paid_minor,
        riel_per_usd=fields.riel_per_usd,
        change_usd_cents=fields.change_usd_cents,
        change_khr=fields.change_khr,
        rounding_khr=fields.rounding_khr,
        operator_ref=fields.operator_ref,
        idempotency_key=fields.idempotency_key,
        voided=voided,
    )


class ShopRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self) -> ShopRow | None:
        return self.session.get(ShopRow, 1)

    def add(self, name: str, address: str, now: datetime) -> None:
        self.session.add(ShopRow(id=1, name=name, address=address, created=now))
        for chain in (AUDIT_CHAIN, VOID_CHAIN):
            self.session.add(ChainHeadRow(name=chain, last_hash=GENESIS_HASH, length=0))

    def setting(self, key: str) -> str | None:
        # Read on every sale (the rate): a prepared Core select, not an ORM load.
        value = self.session.execute(_SETTING_VALUE, {"key": key}).scalar_one_or_none()
        return None if value is None else str(value)

    def set_setting(self, key: str, value: str) -> None:
        row = self.session.get(LedgerSettingRow, key)
        if row is None:
            self.session.add(LedgerSettingRow(key=key, value=value))
        else:
            row.value = value


class CounterRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def codes(self) -> list[str]:
        return list(self.session.scalars(select(CounterRow.code).order_by(CounterRow.code)))

    def get(self, code: str) -> CounterRow | None:
        return self.session.get(CounterRow, code)

    def lock(self, code: str) -> CounterRow | None:
        """The counter row, locked until commit: the next receipt number is ours alone."""
        stmt = select(CounterRow).where(CounterRow.code == code).with_for_update()
        return self.session.scalars(stmt).one_or_none()

    def lock_numbering(self, code: str) -> Numbering | None:
        """The counter's next number and last sale hash, its row locked until commit
        (FOR UPDATE on PostgreSQL; on SQLite the BEGIN IMMEDIATE lock already holds)."""
        row = _direct(self.session, _LOCK_NUMBERING, {"code": code}).first()
        if row is None:
            return None
        return Numbering(str(row.code), int(row.next_receipt), str(row.last_sale_hash))

    def add(self, code: str, now: datetime) -> None:
        self.session.add(
            CounterRow(code=code, next_receipt=1, last_sale_hash=GENESIS_HASH, created=now)
        )

    def is_day_closed(self, code: str, day: date) -> bool:
        return self.session.execute(_DAY_CLOSED, {"code": code, "day": day}).first() is not None


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_name(self, name: str, *, lock: bool = False) -> UserRow | None:
        stmt = select(UserRow).where(func.lower(UserRow.name) == name.strip().lower())
        if lock:
            stmt = stmt.with_for_update()
        return self.session.scalars(stmt).one_or_none()

    def get(self, user_id: int, *, lock: bool = False) -> UserRow | None:
        stmt = select(UserRow).where(UserRow.id == user_id)
        if lock:
            stmt = stmt.with_for_update()
        return self.session.scalars(stmt).one_or_none()

    def active_name(self, user_id: int) -> str | None:
        """The user's name if the user exists and is active, else None (one cheap read)."""
        row = _direct(self.session, _USER_NAME_ACTIVE, {"user_id": user_id}).first()
        return str(row.name) if row is not None and row.active else None

    def all(self) -> list[User]:
        return [to_user(r) for r in self.session.scalars(select(UserRow).order_by(UserRow.name))]

    def count_active_admins(self) -> int:
        stmt = select(func.count()).where(
            UserRow.role == Role.ADMIN.value, UserRow.active.is_(True)
        )
        return int(self.session.scalar(stmt) or 0)

    def add(self, name: str, role: Role, pin_hash: str, now: datetime) -> UserRow:
        row = UserRow(
            name=name,
            role=role.value,
            pin_hash=pin_hash,
            active=True,
            failed_attempts=0,
            locked_until=None,
            language=None,
            created=now,
        )
        self.session.add(row)
        self.session.flush()
        return row


class AuditRepository:
    """Append-only: rows are added with the chain's next hash and never changed."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def append(self, at: datetime, actor: str, action: str, **detail: Any) -> None:
        """Lock the chain head, insert the entry with the next hash, advance the head.

        Core statements (every sale writes one): the audit head is only ever touched
        here, so no ORM copy of it can go stale."""
        head = self.session.execute(_LOCK_HEAD, {"name": AUDIT_CHAIN}).first()
        if head is None:  # a ledger made before the chain existed
            self.session.execute(
                _INSERT_HEAD, {"name": AUDIT_CHAIN, "last_hash": GENESIS_HASH, "length": 0}
            )
            prev_hash, length = GENESIS_HASH, 0
        else:
            prev_hash, length = str(head.last_hash), int(head.length)
        values: dict[str, Any] = {
            "at": at,
            "actor": actor[:40],
            "action": action,
            "detail": json.dumps(detail, sort_keys=True, ensure_ascii=False, default=str),
        }
        row_hash = audit_hash_of(values, prev_hash)
        self.session.execute(
            _INSERT_AUDIT, {**values, "prev_hash": prev_hash, "row_hash": row_hash}
        )
        self.session.execute(
            _ADVANCE_HEAD, {"b_name": AUDIT_CHAIN, "b_hash": row_hash, "b_length": length + 1}
        )

    def entries(self, *, action: str | None = None, limit: int = 100) -> list[AuditEntry]:
        stmt = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        if action:
            stmt = stmt.where(AuditRow.action == action)
        return [
            AuditEntry(r.id, as_utc(r.at), r.actor, r.action, r.detail)
            for r in self.session.scalars(stmt)
        ]


def _lock_chain(session: Session, name: str) -> ChainHeadRow:
    stmt = select(ChainHeadRow).where(ChainHeadRow.name == name).with_for_update()
    head = session.scalars(stmt).one_or_none()
    if head is None:  # a ledger made before the chain existed
        head = ChainHeadRow(name=name, last_hash=GENESIS_HASH, length=0)
        session.add(head)
    return head


@dataclass(frozen=True)
class Numbering:
    """A counter's locked numbering state: the next receipt number and the sales chain head."""

    code: str
    next_receipt: int
    last_sale_hash: str


@dataclass(frozen=True)
class NewSale:
    """Everything a sale needs before it gets its number and its place in the chain."""

    clerk_id: int
    created_at: datetime
    business_date: date
    operator_id: str
    msisdn: str
    amount_cents: int
    validity_days: int | None
    paid_currency: str
    paid_minor: int
    riel_per_usd: int
    change_usd_cents: int
    change_khr: int
    rounding_khr: int
    operator_ref: str | None
    idempotency_key: str


class SaleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _select(self) -> SaleQuery:
        return (
            select(SaleRow, UserRow.name, VoidRow.id)
            .join(UserRow, UserRow.id == SaleRow.clerk_id)
            .outerjoin(VoidRow, VoidRow.sale_id == SaleRow.id)
        )

    def _many(self, stmt: SaleQuery) -> list[Sale]:
        return [
            to_sale(row, name, void_id is not None)
            for row, name, void_id in self.session.execute(stmt)
        ]

    def _one(self, stmt: SaleQuery) -> Sale | None:
        found = self._many(stmt.limit(1))
        return found[0] if found else None

    def by_key(self, key: str) -> Sale | None:
        return self._one(self._select().where(SaleRow.idempotency_key == key))

    def by_receipt(self, receipt_no: str) -> Sale | None:
        return self._one(self._select().where(SaleRow.receipt_no == receipt_no))

    def key_taken(self, key: str) -> bool:
        """Whether a sale has this idempotency key (an index probe; `by_key` loads it)."""
        return _direct(self.session, _KEY_TAKEN, {"key": key}).first() is not None

    def add(self, numbering: Numbering, new: NewSale, receipt_no: str, clerk_name: str) -> Sale:
        """Insert the sale with the counter's next number and chain hash, advance the
        counter, and queue its original receipt; the counter row must be locked
        (`CounterRepository.lock_numbering` in this transaction).

        Core inserts: the sale is returned as a record built from the values written,
        exactly what reading the row back would give."""
        values: dict[str, Any] = {
            "receipt_no": receipt_no,
            "counter_code": numbering.code,
            "receipt_seq": numbering.next_receipt,
            "msisdn_rev": new.msisdn[::-1],
            **{f: getattr(new, f) for f in NewSale.__dataclass_fields__},
        }
        prev_hash = numbering.last_sale_hash
        row_hash = sale_hash_of(values, prev_hash)
        _direct(
            self.session,
            _ADVANCE_NUMBERING,
            {"b_code": numbering.code, "b_next": numbering.next_receipt + 1, "b_hash": row_hash},
        )
        result = _direct(
            self.session, _INSERT_SALE, {**values, "prev_hash": prev_hash, "row_hash": row_hash}
        )
        sale_id = int(result.inserted_primary_key[0])
        _direct(
            self.session,
            _QUEUE_INSERT,
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
        )

    def latest_same(self, msisdn: str, amount_cents: int, since: datetime) -> Sale | None:
        """The latest sale (not voided) of this amount to this number since `since`.

        Asked on every sale and almost always empty: a prepared probe for the id first,
        the full record only when there is one."""
        found = _direct(
            self.session,
            _LATEST_SAME,
            {"msisdn": msisdn, "amount_cents": amount_cents, "since": since},
        ).first()
        if found is None:
            return None
        return self._one(self._select().where(SaleRow.id == found.id))

    def number_total_on(self, msisdn: str, day: date) -> int:
        """Cents sold to a number on a business day, voids excluded (for the daily cap)."""
        return int(
            _direct(self.session, _NUMBER_TOTAL_ON, {"msisdn": msisdn, "day": day}).scalar() or 0
        )

    def for_day(self, day: date, counter_code: str | None, limit: int, offset: int) -> list[Sale]:
        stmt = self._select().where(SaleRow.business_date == day)
        if counter_code:
            stmt = stmt.where(SaleRow.counter_code == counter_code)
        return self._many(
            stmt.order_by(SaleRow.created_at.desc(), SaleRow.id.desc()).limit(limit).offset(offset)
        )

    def search(
        self,
        *,
        receipt_no: str | None,
        msisdn: str | None,
        suffix: str | None,
        contains: str | None,
        day: date | None,
        operator_id: str | None,
        limit: int,
        offset: int,
    ) -> list[Sale]:
        stmt = self._select()
        if receipt_no is not None:
            stmt = stmt.where(SaleRow.receipt_no == receipt_no)
        if msisdn is not None:
            stmt = stmt.where(SaleRow.msisdn == msisdn)
        if suffix is not None:
            stmt = stmt.where(_starts_with(self.session, SaleRow.msisdn_rev, suffix[::-1]))
        if contains is not None:
            stmt = stmt.where(SaleRow.msisdn.contains(contains, autoescape=True))
        if day is not None:
            stmt = stmt.where(SaleRow.business_date == day)
        if operator_id is not None:
            stmt = stmt.where(SaleRow.operator_id == operator_id)
        return self._many(
            stmt.order_by(SaleRow.created_at.desc(), SaleRow.id.desc()).limit(limit).offset(offset)
        )

    def history(self, msisdn: str, limit: int) -> list[Sale]:
        stmt = self._select().where(SaleRow.msisdn == msisdn)
        return self._many(stmt.order_by(SaleRow.created_at.desc(), SaleRow.id.desc()).limit(limit))

    def totals(self, day: date, counter_code: str | None) -> list[OperatorTotal]:
        stmt = (
            select(SaleRow.operator_id, func.count(), func.sum(SaleRow.amount_cents))
            .outerjoin(VoidRow, VoidRow.sale_id == SaleRow.id)
            .where(SaleRow.business_date == day, VoidRow.id.is_(None))
            .group_by(SaleRow.operator_id)
            .order_by(SaleRow.operator_id)
        )
        if counter_code:
            stmt = stmt.where(SaleRow.counter_code == counter_code)
        return [
            OperatorTotal(op, int(n), int(total or 0))
            for op, n, total in self.session.execute(stmt)
        ]

    def last(self, counter_code: str) -> Sale | None:
        stmt = self._select().where(SaleRow.counter_code == counter_code)
        return self._one(stmt.order_by(SaleRow.receipt_seq.desc()))

    def export_rows(self, date_from: date | None, date_to: date | None) -> Iterator[Any]:
        """Sales with their clerk and void, oldest first, streamed in batches."""
        approver = aliased(UserRow)
        stmt = (
            select(SaleRow, UserRow.name, VoidRow.reason, approver.name)
            .join(UserRow, UserRow.id == SaleRow.clerk_id)
            .outerjoin(VoidRow, VoidRow.sale_id == SaleRow.id)
            .outerjoin(approver, approver.id == VoidRow.approved_by)
            .order_by(SaleRow.business_date, SaleRow.counter_code, SaleRow.receipt_seq)
            .execution_options(yield_per=500)
        )
        if date_from is not None:
            stmt = stmt.where(SaleRow.business_date >= date_from)
        if date_to is not None:
            stmt = stmt.where(SaleRow.business_date <= date_to)
        yield from self.session.execute(stmt)


def _starts_with(session: Session, column: Any, prefix: str) -> Any:
    """An index-friendly prefix test: GLOB on SQLite (case-sensitive, uses the index),
    LIKE on PostgreSQL (the index has varchar_pattern_ops). `prefix` is digits only."""
    assert prefix.isdigit()
    if session.get_bind().dialect.name == "sqlite":
        return column.op("GLOB")(prefix + "*")
    return column.like(prefix + "%")


class VoidRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def sale_row(self, receipt_no: str) -> SaleRow | None:
        return self.session.scalars(
            select(SaleRow).where(SaleRow.receipt_no == receipt_no)
        ).one_or_none()

    def for_sale(self, sale_id: int) -> VoidRow | None:
        return self.session.scalars(select(VoidRow).where(VoidRow.sale_id == sale_id)).one_or_none()

    def add(
        self, sale: SaleRow, requested_by: User, approved_by: User, reason: str, now: datetime
    ) -> Void:
        head = _lock_chain(self.session, VOID_CHAIN)
        row = VoidRow(
            sale_id=sale.id,
            requested_by=requested_by.id,
            approved_by=approved_by.id,
            created_at=now,
            reason=reason,
        )
        row.prev_hash = head.last_hash
        row.row_hash = void_hash(row, head.last_hash)
        head.last_hash = row.row_hash
        head.length += 1
        self.session.add(row)
        self.session.flush()
        return Void(
            row.id, sale.id, sale.receipt_no, requested_by.name, approved_by.name, now, reason
        )


@dataclass(frozen=True)
class CashTotals:
    """Cash of a day's sales at one counter, voided sales left out (their cash went back)."""

    sales_count: int
    sales_cents: int
    received_usd_cents: int
    received_khr: int
    change_usd_cents: int
    change_khr: int


class DayEndRepository:
    """Per-day questions (through the (counter, business_date) and business_date indexes),
    opening floats and day closes."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def sale_rows(self, day: date, counters: Sequence[str] | None) -> list[Any]:
        """(SaleRow, clerk name, void reason or None) of one business day, by counter and number."""
        stmt = (
            select(SaleRow, UserRow.name, VoidRow.reason)
            .join(UserRow, UserRow.id == SaleRow.clerk_id)
            .outerjoin(VoidRow, VoidRow.sale_id == SaleRow.id)
            .where(SaleRow.business_date == day)
        )
        if counters is not None:
            stmt = stmt.where(SaleRow.counter_code.in_(counters))
        # Sorted here, not by ORDER BY: SQLite would then walk the (counter, number) index
        # over the whole ledger to skip a sort of one day's rows.
        return sorted(
            (tuple(r) for r in self.session.execute(stmt)),
            key=lambda r: (r[0].counter_code, r[0].receipt_seq),
        )

    def void_records(self, day: date, counters: Sequence[str] | None) -> list[dict[str, Any]]:
        """The voids of the day's sales, with who asked and who approved."""
        requester = aliased(UserRow)
        approver = aliased(UserRow)
        stmt = (
            select(
                SaleRow.receipt_no,
                SaleRow.amount_cents,
                requester.name,
                approver.name,
                VoidRow.reason,
                VoidRow.created_at,
            )
            .join(VoidRow, VoidRow.sale_id == SaleRow.id)
            .join(requester, requester.id == VoidRow.requested_by)
            .join(approver, approver.id == VoidRow.approved_by)
            .where(SaleRow.business_date == day)
        )
        if counters is not None:
            stmt = stmt.where(SaleRow.counter_code.in_(counters))
        return sorted(
            (
                {
                    "receipt_no": r,
                    "amount_cents": int(a),
                    "requested_by": q,
                    "approved_by": p,
                    "reason": why,
                    "at": as_utc(at),
                }
                for r, a, q, p, why, at in self.session.execute(stmt)
            ),
            key=lambda v: str(v["receipt_no"]),
        )

    def cash_totals(self, day: date, counter_code: str) -> CashTotals:
        usd = SaleRow.paid_currency == "USD"
        stmt = (
            select(
                func.count(SaleRow.id),
                func.coalesce(func.sum(SaleRow.amount_cents), 0),
                func.coalesce(func.sum(case((usd, SaleRow.paid_minor), else_=0)), 0),
                func.coalesce(func.sum(case((usd, 0), else_=SaleRow.paid_minor)), 0),
                func.coalesce(func.sum(SaleRow.change_usd_cents), 0),
                func.coalesce(func.sum(SaleRow.change_khr), 0),
            )
            .outerjoin(VoidRow, VoidRow.sale_id == SaleRow.id)
            .where(
                SaleRow.counter_code == counter_code,
                SaleRow.business_date == day,
                VoidRow.id.is_(None),
            )
        )
        row = self.session.execute(stmt).one()
        return CashTotals(*(int(v or 0) for v in row))

    def opening_float(self, counter_code: str, day: date) -> OpeningFloatRow | None:
        stmt = select(OpeningFloatRow).where(
            OpeningFloatRow.counter_code == counter_code, OpeningFloatRow.business_date == day
        )
        return self.session.scalars(stmt).one_or_none()

    def add_opening_float(
        self, counter_code: str, day: date, usd_cents: int, khr: int, by: int, now: datetime
    ) -> OpeningFloatRow:
        row = OpeningFloatRow(
            counter_code=counter_code,
            business_date=day,
            usd_cents=usd_cents,
            khr=khr,
            recorded_by=by,
            recorded_at=now,
        )
        self.session.add(row)
        self.session.flush()
        return row

    def close(self, counter_code: str, day: date) -> DayCloseRow | None:
        stmt = select(DayCloseRow).where(
            DayCloseRow.counter_code == counter_code, DayCloseRow.business_date == day
        )
        return self.session.scalars(stmt).one_or_none()

    def add_close(self, row: DayCloseRow) -> DayCloseRow:
        """Append a close to the `day_closes` chain (the row's fields already set)."""
        head = _lock_chain(self.session, DAY_CLOSE_CHAIN)
        row.prev_hash = head.last_hash
        row.row_hash = day_close_hash(row, head.last_hash)
        head.last_hash = row.row_hash
        head.length += 1
        self.session.add(row)
        self.session.flush()
        return row


class FloatRepository:
    """Operator airtime stock: the running balance rows and the chained moves."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def balance(self, operator_id: str) -> int:
        row = self.session.get(OperatorFloatRow, operator_id)
        return row.balance_cents if row else 0

    def balances(self) -> dict[str, int]:
        stmt = select(OperatorFloatRow.operator_id, OperatorFloatRow.balance_cents)
        return {op: int(b) for op, b in self.session.execute(stmt)}

    def _locked(self, operator_id: str) -> OperatorFloatRow:
        stmt = (
            select(OperatorFloatRow)
            .where(OperatorFloatRow.operator_id == operator_id)
            .with_for_update()
        )
        row = self.session.scalars(stmt).one_or_none()
        if row is None:
            row = OperatorFloatRow(operator_id=operator_id, balance_cents=0)
            self.session.add(row)
            self.session.flush()
        return row

    def lock(self, operator_id: str) -> int:
        """The balance, its row locked until commit (created at 0 the first time).

        Core, not an ORM load: `spend` then changes the row with Core in the same sale,
        and an ORM copy left in the session would be stale."""
        balance = self.session.execute(
            _LOCK_FLOAT, {"operator_id": operator_id}
        ).scalar_one_or_none()
        if balance is None:
            self.session.execute(_INSERT_FLOAT, {"operator_id": operator_id, "balance_cents": 0})
            return 0
        return int(balance)

    def spend(self, operator_id: str, cents: int) -> None:
        """Take a sale's `cents` off the running balance in this transaction (the row is
        created the first time). One UPDATE, which locks the row like `_locked` does."""
        changed = _direct(
            self.session, _ADD_TO_FLOAT, {"b_operator_id": operator_id, "b_delta": -cents}
        )
        if changed.rowcount == 0:
            _direct(
                self.session, _INSERT_FLOAT, {"operator_id": operator_id, "balance_cents": -cents}
            )

    def apply(self, operator_id: str, delta_cents: int) -> int:
        """Add `delta_cents` to the running balance in this transaction; the new balance."""
        row = self._locked(operator_id)
        row.balance_cents += delta_cents
        return row.balance_cents

    def add_move(
        self,
        operator_id: str,
        kind: str,
        amount_cents: int,
        *,
        ref: str | None,
        reason: str | None,
        by: int,
        now: datetime,
    ) -> int:
        head = _lock_chain(self.session, FLOAT_CHAIN)
        row = FloatMoveRow(
            operator_id=operator_id,
            kind=kind,
            amount_cents=amount_cents,
            ref=ref,
            reason=reason,
            by_user=by,
            at=now,
        )
        row.prev_hash = head.last_hash
        row.row_hash = float_move_hash(row, head.last_hash)
        head.last_hash = row.row_hash
        head.length += 1
        self.session.add(row)
        return self.apply(operator_id, amount_cents)

    def recomputed(self) -> dict[str, int]:
        """Balances from scratch: moves - sales + voided sales (a full scan: doctor and tests)."""
        totals: dict[str, int] = {}
        moves = select(FloatMoveRow.operator_id, func.sum(FloatMoveRow.amount_cents)).group_by(
            FloatMoveRow.operator_id
        )
        for op, amount in self.session.execute(moves):
            totals[op] = totals.get(op, 0) + int(amount or 0)
        sold = (
            select(SaleRow.operator_id, func.sum(SaleRow.amount_cents))
            .outerjoin(VoidRow, VoidRow.sale_id == SaleRow.id)
            .where(VoidRow.id.is_(None))
            .group_by(SaleRow.operator_id)
        )
        for op, amount in self.session.execute(sold):
            totals[op] = totals.get(op, 0) - int(amount or 0)
        return totals


def chain_rows(
    session: Session, model: type[Any], where: Sequence[Any] = (), order: Any = None
) -> Iterator[Any]:
    """Rows of one chain in chain order, streamed (for `doctor`)."""
    stmt = select(model).where(*where).order_by(order if order is not None else model.id)
    yield from session.scalars(stmt.execution_options(yield_per=1000))


# -- print queue -------------------------------------------------------------------------

_QUEUE = cast(Table, PrintJobRow.__table__)
_Q = _QUEUE.c
_QUEUE_INSERT = insert(_QUEUE)


@dataclass(frozen=True)
class PrintClaim:
    """A pending original receipt claimed by this worker: `attempt` is its claim token."""

    job_id: int
    attempt: int


class PrintQueueRepository:
    """The print queue: one original row per sale (added by SaleRepository.add), and a row
    per reprint (copy). An original is printed only by the worker that claimed it."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _originals(self, sale_id: Any) -> Any:
        return (_Q.sale_id == sale_id) & _Q.copy.is_(False)

    def original_status(self, sale_id: int) -> str | None:
        """`printed` if an original of the sale was printed, else the first original's
        status (`pending`, `failed`), or None when the sale has no queue row."""
        stmt = select(_Q.status).where(self._originals(sale_id)).order_by(_Q.id)
        statuses = list(self.session.scalars(stmt))
        if "printed" in statuses:
            return "printed"
        return statuses[0] if statuses else None

    def add_original(self, sale_id: int, now: datetime) -> None:
        """A pending original for a sale that has none (a sale older than the queue)."""
        self.session.execute(
            _QUEUE.insert().values(
                sale_id=sale_id, copy=False, status="pending", attempts=0, created_at=now
            )
        )

    def claim(self, sale_id: int, now: datetime, stale_before: datetime) -> PrintClaim | None:
        """Claim the sale's pending original for printing, or None when it is printed,
        not pending, or claimed by another worker since `stale_before`.

        A compare-and-set on `attempts`: of two workers racing, one UPDATE matches and
        the other finds the row changed (PostgreSQL re-checks the WHERE after the lock;
        SQLite write transactions run one at a time)."""
        first = self.session.execute(
            select(_Q.id, _Q.status, _Q.attempts, _Q.claimed_at)
            .where(self._originals(sale_id))
            .order_by(_Q.id)
            .limit(1)
        ).first()
        # Only the sale's first original is ever claimed, so a stray second row cannot
        # print the same receipt again.
        if first is None or first.status != "pending" or self.original_status(sale_id) == "printed":
            return None
        stmt = (
            _QUEUE.update()
            .where(
                _Q.id == first.id,
                _Q.status == "pending",
                _Q.attempts == first.attempts,
                or_(_Q.claimed_at.is_(None), _Q.claimed_at < stale_before),
            )
            .values(attempts=first.attempts + 1, claimed_at=now)
        )
        if self.session.connection().execute(stmt).rowcount != 1:
            return None
        return PrintClaim(int(first.id), int(first.attempts) + 1)

    def finish(self, claim: PrintClaim, *, printed: bool, error: str | None, now: datetime) -> bool:
        """Printed: mark it printed (with the time); not printed: back to pending with
        the error. False when the claim was lost (taken over after the lease)."""
        values: dict[str, Any] = (
            {"status": "printed", "printed_at": now, "claimed_at": None, "last_error": None}
            if printed
            else {"claimed_at": None, "last_error": error}
        )
        stmt = (
            _QUEUE.update()
            .where(_Q.id == claim.job_id, _Q.attempts == claim.attempt, _Q.status == "pending")
            .values(**values)
        )
        return bool(self.session.connection().execute(stmt).rowcount == 1)

    def set_aside(self, sale_id: int, reason: str) -> int:
        """Pending originals of a sale that must not print on their own (`failed`)."""
        stmt = (
            _QUEUE.update()
            .where(self._originals(sale_id), _Q.status == "pending", _Q.claimed_at.is_(None))
            .values(status="failed", last_error=reason)
        )
        return int(self.session.connection().execute(stmt).rowcount)

    def add_copy(self, sale_id: int, *, printed: bool, error: str | None, now: datetime) -> None:
        """Record a reprint (COPY): printed, or failed with the printer's words."""
        self.session.execute(
            _QUEUE.insert().values(
                sale_id=sale_id,
                copy=True,
                status="printed" if printed else "failed",
                attempts=1,
                last_error=error,
                created_at=now,
                claimed_at=None,
                printed_at=now if printed else None,
            )
        )

    def pending_sales(self, counter_code: str) -> list[Sale]:
        """Sales of the counter whose original receipt waits to print, oldest first
        (voided sales left out: their receipt is no longer the customer's proof)."""
        waiting = (
            select(_Q.id)
            .where(_Q.sale_id == SaleRow.id, _Q.copy.is_(False), _Q.status == "pending")
            .exists()
        )
        done = (
            select(_Q.id)
            .where(_Q.sale_id == SaleRow.id, _Q.copy.is_(False), _Q.status == "printed")
            .exists()
        )
        sales = SaleRepository(self.session)
        stmt = (
            sales._select()
            .where(SaleRow.counter_code == counter_code, VoidRow.id.is_(None), waiting, ~done)
            .order_by(SaleRow.created_at, SaleRow.id)
        )
        return sales._many(stmt)

    def jobs(self, sale_id: int) -> list[dict[str, Any]]:
        """The sale's queue rows, oldest first (for tests and `doctor`-like checks)."""
        stmt = select(_QUEUE).where(_Q.sale_id == sale_id).order_by(_Q.id)
        return [dict(row._mapping) for row in self.session.execute(stmt)]
