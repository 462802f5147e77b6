"""What the repositories share: the tables, the row-to-record converters, the chain heads.

Each repository works inside the session of one unit of work and never commits: the use
case decides when its work is complete. Rows never leave this package: every method
takes and returns the records of `counter.domain.records` (or plain values).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, insert, select, update

from counter.domain.cash import Payment, PaymentLine, Tender
from counter.domain.errors import Fault, StorageError
from counter.domain.money import Currency
from counter.domain.records import Role, Sale, User
from counter.i18n import _
from counter.storage.anchors import TAMPERED, Sealer
from counter.storage.chain import Chain, as_utc, digest, sales_chain
from counter.storage.models import (
    GENESIS_HASH,
    AuditRow,
    Base,
    ChainHeadRow,
    CheckpointRow,
    CounterRow,
    DayCloseRow,
    DayReopenRow,
    FloatMoveRow,
    LedgerSettingRow,
    OpeningCashRow,
    OperatorFloatRow,
    PrintJobRow,
    PrintMarkRow,
    ReceiptGapRow,
    SalePaymentRow,
    SaleRow,
    SettingChangeRow,
    ShiftCloseRow,
    ShiftRow,
    ShopRow,
    UserRecordRow,
    UserRow,
    VoidRow,
)

RATE_KEY = "riel_per_usd"
LOCKOUT_KEY = "lockout_attempts"


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
USER_RECORDS = table(UserRecordRow)
SETTING_CHANGES = table(SettingChangeRow)
CHECKPOINTS = table(CheckpointRow)
GAPS = table(ReceiptGapRow)
MARKS = table(PrintMarkRow)
PAYMENTS = table(SalePaymentRow)
SHIFTS = table(ShiftRow)
SHIFT_CLOSES = table(ShiftCloseRow)
REOPENS = table(DayReopenRow)

# A chain head, locked until commit (FOR UPDATE on PostgreSQL; on SQLite the write
# transaction's BEGIN IMMEDIATE already holds the whole file).
_LOCK_HEAD = (
    select(HEADS.c.last_hash, HEADS.c.length, HEADS.c.seal)
    .where(HEADS.c.name == bindparam("name"))
    .with_for_update()
)
_ADVANCE_HEAD = (
    update(HEADS)
    .where(HEADS.c.name == bindparam("b_name"))
    .values(last_hash=bindparam("b_hash"), length=bindparam("b_length"), seal=bindparam("b_seal"))
)


def run(conn: Connection, stmt: Any, params: dict[str, Any] | None = None) -> Any:
    """Run a statement on the unit of work's connection, in its transaction."""
    return conn.execute(stmt, params or {})


def head_missing(name: str) -> StorageError:
    """A chain whose head row is gone: nothing is appended to it until doctor is run."""
    return StorageError(
        _(
            "The ledger's {chain} chain has lost its head record (it was deleted outside "
            "the app). Nothing was recorded."
        ).format(chain=name),
        fault=Fault.DAMAGED,
    )


class ChainWriter:
    """Appends to chains in one unit of work, and remembers which heads it moved.

    A head whose seal does not match is never sealed again: what is appended after a
    change made outside the app keeps the head marked `tampered`, so the evidence stays
    until `counter doctor` has been run (a chain is never blessed by the next append).
    `moved` is what the witness log gets once the transaction commits.
    """

    def __init__(self, conn: Connection, sealer: Sealer) -> None:
        self.conn = conn
        self.sealer = sealer
        self.moved: dict[str, tuple[int, str]] = {}
        self.receipts: dict[str, int] = {}
        # Heads already locked in this transaction: (length, hash, trusted, seal as found).
        self._locked: dict[str, tuple[int, str, bool, str | None]] = {}

    def reset(self) -> None:
        """The transaction ended (commit or rollback): heads must be locked and read again."""
        self.moved.clear()
        self.receipts.clear()
        self._locked.clear()

    def _lock(self, chain: Chain) -> tuple[int, str, bool, str | None]:
        """The head, locked once per transaction (a second row on the same chain, such as a
        delivery's `pending` and `delivered`, needs no second read: the lock is ours)."""
        known = self._locked.get(chain.name)
        if known is not None:
            return known
        head = run(self.conn, _LOCK_HEAD, {"name": chain.name}).first()
        if head is None:
            raise head_missing(chain.name)
        prev_hash, length = str(head.last_hash), int(head.length)
        trusted = self.sealer.head_ok(head.seal, chain.name, length, prev_hash)
        return length, prev_hash, trusted, head.seal

    def append(self, chain: Chain, values: Mapping[str, Any]) -> tuple[int, str]:
        """Lock the chain's head, insert the row with the next hash, advance the head;
        (the new row's id, its hash)."""
        return self.append_all(chain, [values])[0]

    def append_all(self, chain: Chain, rows: Sequence[Mapping[str, Any]]) -> list[tuple[int, str]]:
        """Several rows on one chain in order, the head advanced once after the last."""
        length, prev_hash, trusted, found_seal = self._lock(chain)
        made: list[tuple[int, str]] = []
        for values in rows:
            row_hash = digest(chain.kind, chain.fields_for(values.get), values, prev_hash)
            result = run(
                self.conn,
                insert(table_named(chain.table)),
                {**values, "prev_hash": prev_hash, "row_hash": row_hash},
            )
            made.append((int(result.inserted_primary_key[0]), row_hash))
            length, prev_hash = length + 1, row_hash
        seal = self.sealer.head(chain.name, length, prev_hash) if trusted else TAMPERED
        if not self.sealer.key:
            seal = found_seal  # no key here: the seal is left as it was, for doctor to judge
        run(
            self.conn,
            _ADVANCE_HEAD,
            {"b_name": chain.name, "b_hash": prev_hash, "b_length": length, "b_seal": seal},
        )
        self._locked[chain.name] = (length, prev_hash, trusted, seal)
        self.moved[chain.name] = (length, prev_hash)
        return made

    def start(self, chain: Chain) -> None:
        """Make a new chain's head (a per-counter chain, with its counter), sealed, empty."""
        seal = self.sealer.head(chain.name, 0, GENESIS_HASH)
        run(
            self.conn,
            insert(HEADS),
            {"name": chain.name, "last_hash": GENESIS_HASH, "length": 0, "seal": seal},
        )
        self.moved[chain.name] = (0, GENESIS_HASH)

    def sale_recorded(self, counter_code: str, seq: int, row_hash: str) -> None:
        self.moved[sales_chain(counter_code)] = (seq, row_hash)
        self.receipts[counter_code] = max(seq, self.receipts.get(counter_code, 0))


def table_named(name: str) -> Table:
    return Base.metadata.tables[name]


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
