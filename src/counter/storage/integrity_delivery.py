"""`counter doctor` on deliveries: one path from `pending`, refunds that match.

Each counter's `delivery_changes` chain and the `refunds` chain are walked, their heads
and seals checked, by `storage.integrity` with every other chain. Here:

- every sale recorded since deliveries began has a delivery;
- every delivery's changes start `pending` and follow the allowed transitions one by one,
  and the delivery's state is its last change's;
- every refund belongs to a failed or reversed delivery, and each of those has one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from counter.domain.delivery import REFUNDING, DeliveryState, can_change
from counter.i18n import _
from counter.storage.integrity_paths import walk_changes
from counter.storage.repositories.common import SALES, SETTINGS, run
from counter.storage.repositories.deliveries import CHANGES, DELIVERIES, REFUNDS, SINCE_KEY


def delivery_problems(conn: Connection) -> list[str]:
    """What the chains alone cannot see (the chains are walked with the others)."""
    return _missing(conn) + _paths(conn) + _refunds(conn)


def _missing(conn: Connection) -> list[str]:
    since = run(conn, select(SETTINGS.c.value).where(SETTINGS.c.key == SINCE_KEY)).scalar()
    stmt = (
        select(SALES.c.receipt_no)
        .outerjoin(DELIVERIES, DELIVERIES.c.sale_id == SALES.c.id)
        .where(SALES.c.id > int(since or 0), DELIVERIES.c.id.is_(None))
        .order_by(SALES.c.id)
    )
    return [
        _("Sale {receipt} has no delivery record.").format(receipt=receipt)
        for receipt in run(conn, stmt).scalars()
    ]


def _paths(conn: Connection) -> list[str]:
    """Each delivery's changes, in order: one path from `pending` along TRANSITIONS."""
    stmt = (
        select(
            DELIVERIES.c.id,
            DELIVERIES.c.state.label("kept"),
            SALES.c.receipt_no,
            CHANGES.c.seq,
            CHANGES.c.state,
            CHANGES.c.previous,
        )
        .join(SALES, SALES.c.id == DELIVERIES.c.sale_id)
        .outerjoin(CHANGES, CHANGES.c.delivery_id == DELIVERIES.c.id)
        .order_by(DELIVERIES.c.id, CHANGES.c.seq)
    )
    problems: list[str] = []
    walks: dict[int, tuple[str, str, list[Any]]] = {}
    for row in run(conn, stmt):
        walks.setdefault(int(row.id), (row.receipt_no, row.kept, []))[2].append(row)
    for receipt, kept, rows in walks.values():
        problem = _path_problem(kept, rows)
        if problem:
            problems.append(
                _("Delivery of {receipt}: {problem}.").format(receipt=receipt, problem=problem)
            )
    return problems


def _path_problem(kept: str, rows: list[Any]) -> str | None:
    problem, state = walk_changes(
        rows, DeliveryState, DeliveryState.PENDING, can_change, _("it does not start pending")
    )
    if problem is None and (state is None or kept != state.value):
        return _("its state says {kept} but its last change says {last}").format(
            kept=kept, last=state
        )
    return problem


def _refunds(conn: Connection) -> list[str]:
    stmt = (
        select(DELIVERIES.c.state, SALES.c.receipt_no, REFUNDS.c.id, REFUNDS.c.state.label("paid"))
        .join(SALES, SALES.c.id == DELIVERIES.c.sale_id)
        .outerjoin(REFUNDS, REFUNDS.c.delivery_id == DELIVERIES.c.id)
    )
    problems: list[str] = []
    refunding = {s.value for s in REFUNDING}
    for row in run(conn, stmt):
        if row.state in refunding and row.id is None:
            problems.append(
                _("Delivery of {receipt} is {state} but no refund was recorded.").format(
                    receipt=row.receipt_no, state=row.state
                )
            )
        elif row.id is not None and (row.state not in refunding or row.paid != row.state):
            problems.append(
                _("Refund {id} of {receipt} does not match a failed or reversed delivery.").format(
                    id=row.id, receipt=row.receipt_no
                )
            )
    orphans = (
        select(REFUNDS.c.id)
        .outerjoin(DELIVERIES, DELIVERIES.c.id == REFUNDS.c.delivery_id)
        .where(DELIVERIES.c.id.is_(None))
    )
    problems += [
        _("Refund {id} belongs to no delivery.").format(id=i) for i in run(conn, orphans).scalars()
    ]
    return problems
