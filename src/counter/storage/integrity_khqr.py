"""`counter doctor` on KHQR payments: one path from `waiting`, and sales that match.

The `khqr_requests` and `khqr_changes` chains are walked with every other chain
(`storage.chain.CHAINS`). Here, what the chains alone cannot see:

- every request's changes start `waiting` and follow the allowed transitions one by one;
- a `paid` or `review_sold` change names a sale whose KHQR payment line carries the
  request's MD5 and is for the amount the code asked;
- every KHQR payment line of a sale belongs to such a change.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from counter.domain.cash import Tender
from counter.domain.khqr import SOLD, KhqrState, can_change
from counter.i18n import _
from counter.storage.integrity_paths import walk_changes
from counter.storage.repositories.common import PAYMENTS, SALES, run
from counter.storage.repositories.khqr import CHANGES, REQUESTS


def khqr_problems(conn: Connection) -> list[str]:
    return _paths(conn) + _sales(conn) + _lines(conn)


def _paths(conn: Connection) -> list[str]:
    stmt = (
        select(
            REQUESTS.c.id,
            REQUESTS.c.bill_number,
            CHANGES.c.seq,
            CHANGES.c.state,
            CHANGES.c.previous,
        )
        .outerjoin(CHANGES, CHANGES.c.request_id == REQUESTS.c.id)
        .order_by(REQUESTS.c.id, CHANGES.c.seq)
    )
    walks: dict[int, tuple[str, list[Any]]] = {}
    for row in run(conn, stmt):
        walks.setdefault(int(row.id), (row.bill_number, []))[1].append(row)
    problems = []
    for bill, rows in walks.values():
        problem = _path_problem(rows)
        if problem:
            problems.append(_("KHQR payment {bill}: {problem}.").format(bill=bill, problem=problem))
    return problems


def _path_problem(rows: list[Any]) -> str | None:
    return walk_changes(
        rows, KhqrState, KhqrState.WAITING, can_change, _("it does not start waiting")
    )[0]


def _sales(conn: Connection) -> list[str]:
    """Each sold change's sale carries a KHQR line with the code's MD5 and amount."""
    stmt = (
        select(
            REQUESTS.c.bill_number,
            REQUESTS.c.md5,
            REQUESTS.c.currency,
            REQUESTS.c.minor,
            CHANGES.c.sale_id,
            SALES.c.receipt_no,
        )
        .join(CHANGES, CHANGES.c.request_id == REQUESTS.c.id)
        .outerjoin(SALES, SALES.c.id == CHANGES.c.sale_id)
        .where(CHANGES.c.state.in_([s.value for s in SOLD]))
    )
    problems = []
    for row in run(conn, stmt):
        if row.receipt_no is None:
            problems.append(
                _("KHQR payment {bill} was sold but names no recorded sale.").format(
                    bill=row.bill_number
                )
            )
            continue
        lines = run(
            conn,
            select(PAYMENTS).where(
                PAYMENTS.c.sale_id == row.sale_id, PAYMENTS.c.tender == Tender.KHQR.value
            ),
        ).all()
        if not any(
            (line.reference or "").startswith(row.md5)
            and line.currency == row.currency
            and int(line.minor) == int(row.minor)
            for line in lines
        ):
            problems.append(
                _("Sale {receipt} has no KHQR payment line for {bill}.").format(
                    receipt=row.receipt_no, bill=row.bill_number
                )
            )
    return problems


def _lines(conn: Connection) -> list[str]:
    """Every KHQR line belongs to a request that was sold as that sale."""
    sold = {
        (int(r.sale_id), r.md5)
        for r in run(
            conn,
            select(CHANGES.c.sale_id, CHANGES.c.md5).where(
                CHANGES.c.state.in_([s.value for s in SOLD])
            ),
        )
        if r.sale_id is not None
    }
    stmt = (
        select(SALES.c.id, SALES.c.receipt_no, PAYMENTS.c.reference)
        .join(PAYMENTS, PAYMENTS.c.sale_id == SALES.c.id)
        .where(PAYMENTS.c.tender == Tender.KHQR.value)
    )
    return [
        _("Sale {receipt} has a KHQR payment line that no confirmed KHQR payment gave.").format(
            receipt=row.receipt_no
        )
        for row in run(conn, stmt)
        if (int(row.id), (row.reference or "")[:32]) not in sold
    ]
