"""What the repositories share: the tables, the row-to-record converters, the chain heads.

Each repository works inside the session of one unit of work and never commits: the use
case decides when its work is complete. Rows never leave this package: every method
takes and returns the records of `counter.domain.records` (or plain values).
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, insert, select, update

from counter.domain.cash import Payment, PaymentLine, Tender
from counter.domain.money import Currency
from counter.domain.records import Role, Sale, User
from counter.storage.chain import as_utc
from counter.storage.models import (
    GENESIS_HASH,
    AuditRow,
    ChainHeadRow,
    CounterRow,
    DayCloseRow,
    DayReopenRow,
    FloatMoveRow,
    LedgerSettingRow,
    OpeningCashRow,
    OperatorFloatRow,
    PrintJobRow,
    SalePaymentRow,
    SaleRow,
    ShiftCloseRow,
    ShiftRow,
    ShopRow,
    UserRow,
    VoidRow,
)

AUDIT_CHAIN = "audit"
VOID_CHAIN = "voids"
DAY_CLOSE_CHAIN = "day_closes"
FLOAT_CHAIN = "float_moves"
SHIFT_CHAIN = "shifts"
SHIFT_CLOSE_CHAIN = "shift_closes"
REOPEN_CHAIN = "day_reopens"
RATE_KEY = "riel_per_usd"


def table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


SALES = table(SaleRow)
VOIDS = table(VoidRow)
COUNTERS = table(CounterRow)
SETTINGS = table(LedgerSettingRow)
USERS = table(UserRow)
HEADS = table(ChainHeadRow)
AUDIT = table(AuditRow)
FLOATS = table(OperatorFloatRow)
DAY_CLOSES = table(DayCloseRow)
OPENING = table(OpeningCashRow)
QUEUE = table(PrintJobRow)
SHOP = table(ShopRow)
MOVES = table(FloatMoveRow)
PAYMENTS = table(SalePaymentRow)
SHIFTS = table(ShiftRow)
SHIFT_CLOSES = table(ShiftCloseRow)
REOPENS = table(DayReopenRow)

# A chain head, locked until commit (FOR UPDATE on PostgreSQL; on SQLite the write
# transaction's BEGIN IMMEDIATE already holds the whole file).
_LOCK_HEAD = (
    select(HEADS.c.last_hash, HEADS.c.length)
    .where(HEADS.c.name == bindparam("name"))
    .with_for_update()
)
_INSERT_HEAD = insert(HEADS)
_ADVANCE_HEAD = (
    update(HEADS)
    .where(HEADS.c.name == bindparam("b_name"))
    .values(last_hash=bindparam("b_hash"), length=bindparam("b_length"))
)


def run(conn: Connection, stmt: Any, params: dict[str, Any] | None = None) -> Any:
    """Run a statement on the unit of work's connection, in its transaction."""
    return conn.execute(stmt, params or {})


def lock_chain(conn: Connection, name: str) -> tuple[str, int]:
    """(last hash, length) of a chain, its head locked until commit; created when missing
    (a ledger made before the chain existed)."""
    head = run(conn, _LOCK_HEAD, {"name": name}).first()
    if head is None:
        run(conn, _INSERT_HEAD, {"name": name, "last_hash": GENESIS_HASH, "length": 0})
        return GENESIS_HASH, 0
    return str(head.last_hash), int(head.length)


def advance_chain(conn: Connection, name: str, row_hash: str, length: int) -> None:
    run(conn, _ADVANCE_HEAD, {"b_name": name, "b_hash": row_hash, "b_length": length})


def to_user(row: Any) -> User:
    """A User from a `users` row (ORM or Core)."""
    return User(
        id=int(row.id),
        name=row.name,
        role=Role(row.role),
        active=bool(row.active),
        failed_attempts=int(row.failed_attempts),
        locked_until=as_utc(row.locked_until) if row.locked_until else None,
        language=row.language,
        theme=row.theme,
    )


def payment_of(lines: list[Any], fields: Any) -> Payment:
    """A sale's payment from its `sale_payments` rows (in line order); a sale without any
    (none should be) reads as its one recorded payment."""
    if lines:
        ordered = sorted(lines, key=lambda line: line.line_no)
        return Payment(
            tuple(
                PaymentLine(Tender(x.tender), Currency(x.currency), int(x.minor), x.reference)
                for x in ordered
            )
        )
    return Payment((PaymentLine(Tender.CASH, Currency(fields.paid_currency), fields.paid_minor),))


def line_values(sale_id: int, payment: Payment) -> list[dict[str, Any]]:
    """The `sale_payments` rows of a payment, numbered from 1."""
    return [
        {
            "sale_id": sale_id,
            "line_no": number,
            "tender": line.tender.value,
            "currency": line.currency.value,
            "minor": line.minor,
            "reference": line.reference,
        }
        for number, line in enumerate(payment.lines, start=1)
    ]


def sale_record(
    fields: Any,
    *,
    id: int,
    receipt_no: str,
    counter_code: str,
    clerk_name: str,
    voided: bool,
    payment: Payment,
) -> Sale:
    """A Sale from anything carrying the sale's own columns (a row, or the values written)."""
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
        payment=payment,
        riel_per_usd=fields.riel_per_usd,
        change_usd_cents=fields.change_usd_cents,
        change_khr=fields.change_khr,
        rounding_khr=fields.rounding_khr,
        operator_ref=fields.operator_ref,
        idempotency_key=fields.idempotency_key,
        shift_id=None if fields.shift_id is None else int(fields.shift_id),
        voided=voided,
    )


def to_sale(row: Any, clerk_name: str, voided: bool, lines: list[Any]) -> Sale:
    return sale_record(
        row,
        id=int(row.id),
        receipt_no=row.receipt_no,
        counter_code=row.counter_code,
        clerk_name=clerk_name,
        voided=voided,
        payment=payment_of(lines, row),
    )
