"""What ties the ledger to witnesses outside it: check codes, checkpoints, receipt gaps.

A receipt's check code is the witness key's MAC of its sale's row hash, which the chain
ties to every earlier sale of the counter. A checkpoint records every chain's head (and
each counter's highest number) at a day close, a backup, a restore; its MAC is the Z
report's code. A receipt gap records numbers skipped on purpose, so a restored counter
never hands out again a number a customer may hold.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from counter.domain.records import Checkpoint, ReceiptGap, Sale
from counter.storage.anchors import checkpoint_label
from counter.storage.chain import CHECKPOINT_CHAIN, GAP_CHAIN, as_utc, sales_chain
from counter.storage.repositories.common import (
    CHECKPOINTS,
    COUNTERS,
    GAPS,
    HEADS,
    SALES,
    ChainWriter,
    run,
)

Heads = dict[str, tuple[int, str]]


def read_heads(conn: Connection) -> tuple[Heads, dict[str, int]]:
    """Every chain's (length, last hash), the sales chains as (last receipt seq, hash),
    and each counter's highest number given out or skipped."""
    heads: Heads = {
        str(r.name): (int(r.length), str(r.last_hash))
        for r in run(conn, select(HEADS.c.name, HEADS.c.length, HEADS.c.last_hash))
    }
    receipts: dict[str, int] = {}
    last_seq = (
        select(func.max(SALES.c.receipt_seq))
        .where(SALES.c.counter_code == COUNTERS.c.code)
        .scalar_subquery()
    )
    stmt = select(COUNTERS.c.code, COUNTERS.c.next_receipt, COUNTERS.c.last_sale_hash, last_seq)
    for code, next_receipt, last_hash, seq in run(conn, stmt):
        heads[sales_chain(code)] = (int(seq or 0), str(last_hash))
        receipts[str(code)] = int(next_receipt) - 1
    return heads, receipts


class AnchorRepository:
    def __init__(self, conn: Connection, chains: ChainWriter) -> None:
        self.conn = conn
        self.chains = chains

    def receipt_code(self, sale: Sale) -> str | None:
        """The sale's check code (10 characters), or None without a witness key."""
        stmt = select(SALES.c.receipt_seq, SALES.c.row_hash).where(SALES.c.id == sale.id)
        row = run(self.conn, stmt).first()
        if row is None:
            return None
        return self.chains.sealer.receipt_code(
            sale.counter_code, int(row.receipt_seq), row.row_hash
        )

    def checkpoint(self, reason: str, ref: str, counter_code: str, now: datetime) -> Checkpoint:
        """Record every chain's head now (in this transaction) as a checkpoint."""
        heads, receipts = read_heads(self.conn)
        body = json.dumps(
            {"heads": {k: list(v) for k, v in sorted(heads.items())}, "receipts": receipts},
            sort_keys=True,
            separators=(",", ":"),
        )
        values = {
            "at": now,
            "counter_code": counter_code,
            "reason": reason,
            "ref": ref[:40],
            "heads": body,
        }
        checkpoint_id, row_hash = self.chains.append(CHECKPOINT_CHAIN, values)
        return self._record(checkpoint_id, values, row_hash)

    def _record(self, checkpoint_id: int, values: dict[str, Any], row_hash: str) -> Checkpoint:
        code = self.chains.sealer.checkpoint_code(checkpoint_id, row_hash)
        return Checkpoint(
            checkpoint_id,
            as_utc(values["at"]),
            values["counter_code"],
            values["reason"],
            values["ref"],
            checkpoint_label(checkpoint_id, code) if code else "",
        )

    def checkpoint_of(self, reason: str, ref: str) -> Checkpoint | None:
        """The latest checkpoint recorded for `reason` and `ref` (a day close's `A 2026-11-25`)."""
        stmt = (
            select(CHECKPOINTS)
            .where(CHECKPOINTS.c.reason == reason, CHECKPOINTS.c.ref == ref)
            .order_by(CHECKPOINTS.c.id.desc())
            .limit(1)
        )
        row = run(self.conn, stmt).first()
        if row is None:
            return None
        return self._record(int(row.id), dict(row._mapping), row.row_hash)

    def add_gap(self, gap: ReceiptGap) -> None:
        """Record numbers skipped on purpose (chain `receipt_gaps`)."""
        self.chains.append(
            GAP_CHAIN,
            {
                "counter_code": gap.counter_code,
                "first_seq": gap.first_seq,
                "last_seq": gap.last_seq,
                "business_date": gap.business_date,
                "at": gap.at,
                "reason": gap.reason[:200],
            },
        )

    def gaps(self, counter_code: str, after: date | None, through: date) -> list[ReceiptGap]:
        """The counter's recorded gaps of the business days after `after` up to `through`."""
        stmt = select(GAPS).where(
            GAPS.c.counter_code == counter_code, GAPS.c.business_date <= through
        )
        if after is not None:
            stmt = stmt.where(GAPS.c.business_date > after)
        return [
            ReceiptGap(
                r.counter_code,
                int(r.first_seq),
                int(r.last_seq),
                r.business_date,
                as_utc(r.at),
                r.reason,
            )
            for r in run(self.conn, stmt.order_by(GAPS.c.id))
        ]
