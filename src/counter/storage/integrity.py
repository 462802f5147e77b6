"""The integrity walk of `counter doctor`: nothing was changed, removed or inserted by hand.

Walks every hash chain (each counter's sales, voids, audit rows, day closes, float moves)
in chain order, recomputing each row's hash; checks receipt numbers have no gaps and the
counters' and chain heads' last hashes; recomputes the operators' running balances; and
on SQLite asks for the file's own integrity check. Each problem is a sentence naming what
and where.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from counter.domain.money import plain_decimal
from counter.i18n import _
from counter.storage.chain import audit_hash, day_close_hash, float_move_hash, sale_hash, void_hash
from counter.storage.integrity_delivery import delivery_problems
from counter.storage.models import (
    GENESIS_HASH,
    AuditRow,
    ChainHeadRow,
    CounterRow,
    DayCloseRow,
    FloatMoveRow,
    SaleRow,
    VoidRow,
)
from counter.storage.repositories.common import (
    AUDIT_CHAIN,
    DAY_CLOSE_CHAIN,
    FLOAT_CHAIN,
    VOID_CHAIN,
)
from counter.storage.repositories.dayend import FloatRepository


class IntegrityCheck:
    """The walk, inside the session of one (read) unit of work."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def problems(self) -> list[str]:
        """Every problem found; an empty list means the ledger is as the app wrote it."""
        with Session(bind=self.conn) as session:
            return self._walk(session)

    def _walk(self, session: Session) -> list[str]:
        problems: list[str] = []
        if session.get_bind().dialect.name == "sqlite":
            result = [r[0] for r in session.execute(text("PRAGMA integrity_check"))]
            if result != ["ok"]:
                problems.append(
                    _("SQLite integrity check: {result}").format(result="; ".join(result[:5]))
                )
        for counter in session.scalars(select(CounterRow).order_by(CounterRow.code)):
            problems += _check_sales(session, counter)
        problems += _check_chain(session, VoidRow, VOID_CHAIN, void_hash, _("Void"))
        problems += _check_chain(session, AuditRow, AUDIT_CHAIN, audit_hash, _("Audit row"))
        problems += _check_chain(
            session, DayCloseRow, DAY_CLOSE_CHAIN, day_close_hash, _("Day close")
        )
        problems += _check_chain(
            session, FloatMoveRow, FLOAT_CHAIN, float_move_hash, _("Float move")
        )
        codes = list(session.scalars(select(CounterRow.code).order_by(CounterRow.code)))
        problems += delivery_problems(self.conn, codes)
        floats = FloatRepository(self.conn)
        problems += _check_balances(floats.balances(), floats.recomputed())
        return problems


def chain_rows(
    session: Session, model: type[Any], where: Sequence[Any] = (), order: Any = None
) -> Iterator[Any]:
    """Rows of one chain in chain order, streamed."""
    stmt = select(model).where(*where).order_by(order if order is not None else model.id)
    yield from session.scalars(stmt.execution_options(yield_per=1000))


def _check_sales(session: Session, counter: CounterRow) -> list[str]:
    problems: list[str] = []
    prev = GENESIS_HASH
    expected_seq = 1
    for row in chain_rows(
        session, SaleRow, [SaleRow.counter_code == counter.code], SaleRow.receipt_seq
    ):
        if row.receipt_seq != expected_seq:
            missing = (
                f"{counter.code}-{expected_seq:06d}"
                if row.receipt_seq == expected_seq + 1
                else _("{first} to {last}").format(
                    first=f"{counter.code}-{expected_seq:06d}",
                    last=f"{counter.code}-{row.receipt_seq - 1:06d}",
                )
            )
            problems.append(
                _("Counter {code}: receipt numbers missing before {receipt}: {missing}.").format(
                    code=counter.code, receipt=row.receipt_no, missing=missing
                )
            )
            expected_seq = row.receipt_seq
        if row.prev_hash != prev:
            problems.append(
                _(
                    "Sale {receipt}: the chain is broken before it (a sale was removed or inserted)."
                ).format(receipt=row.receipt_no)
            )
        if sale_hash(row, row.prev_hash) != row.row_hash:
            problems.append(
                _(
                    "Sale {receipt}: changed after it was recorded (its hash does not match)."
                ).format(receipt=row.receipt_no)
            )
        prev = row.row_hash
        expected_seq += 1
    if counter.next_receipt != expected_seq:
        problems.append(
            _(
                "Counter {code}: next receipt is {next} but the last recorded is "
                "{last} (sales missing at the end, or the counter was edited)."
            ).format(code=counter.code, next=counter.next_receipt, last=expected_seq - 1)
        )
    elif counter.last_sale_hash != prev:
        problems.append(
            _(
                "Counter {code}: the last sale's hash does not match the counter "
                "(the last sale was changed or removed)."
            ).format(code=counter.code)
        )
    return problems


def _check_chain(
    session: Session, model: type[Any], name: str, digest: Callable[[Any, str], str], label: str
) -> list[str]:
    problems: list[str] = []
    prev = GENESIS_HASH
    count = 0
    for row in chain_rows(session, model):
        count += 1
        if row.prev_hash != prev:
            problems.append(
                _(
                    "{label} {id}: the chain is broken before it (a row was removed or inserted)."
                ).format(label=label, id=row.id)
            )
        if digest(row, row.prev_hash) != row.row_hash:
            problems.append(
                _("{label} {id}: changed after it was recorded (its hash does not match).").format(
                    label=label, id=row.id
                )
            )
        prev = row.row_hash
    head = session.get(ChainHeadRow, name)
    if head is not None and (head.length != count or head.last_hash != prev):
        problems.append(
            _(
                "The {chain} chain ends at {count} rows but {recorded} were recorded "
                "(rows removed at the end)."
            ).format(chain=name, count=count, recorded=head.length)
        )
    return problems


def _check_balances(kept: dict[str, int], recomputed: dict[str, int]) -> list[str]:
    """The running operator balances against restocks + corrections - sales + voids."""
    problems = []
    for operator in sorted(set(kept) | set(recomputed)):
        have, want = kept.get(operator, 0), recomputed.get(operator, 0)
        if have != want:
            problems.append(
                _(
                    "Operator {operator}: the kept airtime balance is {kept} but the "
                    "recorded restocks, corrections, sales and voids give {recomputed}."
                ).format(
                    operator=operator, kept=plain_decimal(have), recomputed=plain_decimal(want)
                )
            )
    return problems
