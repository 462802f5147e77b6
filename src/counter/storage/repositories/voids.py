"""Voids: a sale is never edited or deleted; a void is a chained record beside it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Connection, select

from counter.domain.records import Sale, User, Void
from counter.storage.chain import VOID_CHAIN, as_utc
from counter.storage.repositories.common import SALES, USERS, VOIDS, ChainWriter, run


class VoidRepository:
    def __init__(self, conn: Connection, chains: ChainWriter) -> None:
        self.conn = conn
        self.chains = chains

    def add(
        self, sale: Sale, requested_by: User, approved_by: User, reason: str, now: datetime
    ) -> Void:
        values = {
            "sale_id": sale.id,
            "requested_by": requested_by.id,
            "approved_by": approved_by.id,
            "created_at": now,
            "reason": reason,
        }
        void_id, _row_hash = self.chains.append(VOID_CHAIN, values)
        return Void(
            void_id,
            sale.id,
            sale.receipt_no,
            requested_by.name,
            approved_by.name,
            now,
            reason,
            sale.amount_cents,
        )

    def of_day(self, day: date, counters: Sequence[str] | None) -> list[Void]:
        """The voids of the day's sales, with who asked and who approved, by receipt."""
        requester = USERS.alias("requester")
        approver = USERS.alias("approver")
        stmt = (
            select(
                VOIDS.c.id,
                VOIDS.c.sale_id,
                SALES.c.receipt_no,
                requester.c.name.label("requested_by"),
                approver.c.name.label("approved_by"),
                VOIDS.c.created_at,
                VOIDS.c.reason,
                SALES.c.amount_cents,
            )
            .join(SALES, VOIDS.c.sale_id == SALES.c.id)
            .join(requester, requester.c.id == VOIDS.c.requested_by)
            .join(approver, approver.c.id == VOIDS.c.approved_by)
            .where(SALES.c.business_date == day)
        )
        if counters is not None:
            stmt = stmt.where(SALES.c.counter_code.in_(counters))
        return sorted(
            (
                Void(
                    int(r.id),
                    int(r.sale_id),
                    r.receipt_no,
                    r.requested_by,
                    r.approved_by,
                    as_utc(r.created_at),
                    r.reason,
                    int(r.amount_cents),
                )
                for r in run(self.conn, stmt)
            ),
            key=lambda v: v.receipt_no,
        )
