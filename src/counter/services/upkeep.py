"""Export, backup and doctor: getting sales out, keeping a copy, and checking nothing was touched."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from counter.domain.errors import CounterError
from counter.domain.money import Currency, plain_decimal
from counter.i18n import _
from counter.rules import load_rules
from counter.services.ledger import Ledger, backup_file
from counter.storage.chain import (
    as_utc,
    audit_hash,
    day_close_hash,
    float_move_hash,
    sale_hash,
    void_hash,
)
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
from counter.storage.repositories import (
    AUDIT_CHAIN,
    DAY_CLOSE_CHAIN,
    FLOAT_CHAIN,
    VOID_CHAIN,
    chain_rows,
)

# The export contract: reports and other tools read these columns, in this order.
EXPORT_COLUMNS = (
    "receipt_no",
    "created_at",
    "business_date",
    "counter",
    "clerk",
    "operator",
    "msisdn",
    "amount_usd",
    "paid_currency",
    "paid_amount",
    "change_usd",
    "change_khr",
    "operator_ref",
    "status",
    "void_reason",
)


def export_sales(
    ledger: Ledger, date_from: date | None = None, date_to: date | None = None
) -> Iterator[dict[str, str]]:
    """Every sale of the business days in range (inclusive), oldest first, streamed."""
    with ledger.uow(write=False) as uow:
        for row, clerk, void_reason, _approver in uow.sales.export_rows(date_from, date_to):
            yield export_row(row, clerk, void_reason)


def export_row(row: SaleRow, clerk: str, void_reason: str | None) -> dict[str, str]:
    """One sale as the `counter export` columns (also what the day report is built from)."""
    paid = (
        plain_decimal(row.paid_minor)
        if row.paid_currency == Currency.USD.value
        else str(row.paid_minor)
    )
    return {
        "receipt_no": row.receipt_no,
        "created_at": as_utc(row.created_at).isoformat(timespec="seconds"),
        "business_date": row.business_date.isoformat(),
        "counter": row.counter_code,
        "clerk": clerk,
        "operator": row.operator_id,
        "msisdn": row.msisdn,
        "amount_usd": plain_decimal(row.amount_cents),
        "paid_currency": row.paid_currency,
        "paid_amount": paid,
        "change_usd": plain_decimal(row.change_usd_cents),
        "change_khr": str(row.change_khr),
        "operator_ref": row.operator_ref or "",
        "status": "voided" if void_reason is not None else "sold",
        "void_reason": void_reason or "",
    }


def backup(ledger: Ledger, to: Path | None = None) -> Path:
    """A consistent copy of a SQLite ledger (online backup API), integrity-checked."""
    return backup_file(ledger.settings, to)


def doctor(ledger: Ledger) -> list[str]:
    """Every problem found, each naming what and where; an empty list means all is well."""
    problems: list[str] = []
    uow = ledger.uow(write=False)
    try:
        with uow:
            session = uow.session
            if ledger.engine.dialect.name == "sqlite":
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
            problems += _check_balances(uow.floats.balances(), uow.floats.recomputed())
    except SQLAlchemyError as exc:
        problems.append(str(uow.fault(exc)))
    try:
        load_rules(ledger.settings.rules_file)
    except CounterError as exc:
        problems.append(_("Rules: {problem}").format(problem=exc))
    return problems


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
