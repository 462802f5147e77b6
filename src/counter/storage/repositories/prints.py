"""The print queue: the outbox of receipts. One original row per sale (added in the sale's
own transaction by `SaleRepository.add`) and a row per reprint (copy). An original is
printed only by the worker that claimed it.

Mark before send: claiming an original appends a `sending` mark to the `print_marks`
chain in the claim's own transaction, before the printer is asked; the result appends
`printed` or `failed`. A sale whose last mark is `sending` (the worker died mid-print) or
`printed` never gets a second ORIGINAL: the print worker gives a COPY instead.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, exists, or_, select

from counter.domain.receipt import SlipJob
from counter.domain.records import PrintClaim, PrintJob, Sale
from counter.storage.chain import MARK_CHAIN, as_utc
from counter.storage.repositories.common import MARKS, QUEUE, SALES, VOIDS, ChainWriter, run
from counter.storage.repositories.sales import SaleRepository, sales_query

_Q = QUEUE.c
SLIP_TAG = "slip:"


def this_process() -> str:
    """`host:pid`: who holds a claim, so a claim of a dead process is released at start."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _finish(
    conn: Connection,
    claim: PrintClaim,
    printed: bool,
    error: str | None,
    now: datetime,
    **more: Any,
) -> bool:
    """Printed: printed (with the time); not: back to pending with the error. The claim's
    compare-and-set: False when it was lost (taken over after the lease)."""
    values: dict[str, Any] = (
        {"status": "printed", "printed_at": now, "last_error": None}
        if printed
        else {"last_error": error}
    )
    stmt = (
        QUEUE.update()
        .where(_Q.id == claim.job_id, _Q.attempts == claim.attempt, _Q.status == "pending")
        .values(**values, claimed_at=None, **more)
    )
    return bool(run(conn, stmt).rowcount == 1)


class PrintQueueRepository:
    """Claims, results and reprints of receipts; what waits to print."""

    def __init__(self, conn: Connection, chains: ChainWriter) -> None:
        self.conn = conn
        self.chains = chains

    def last_mark(self, sale_id: int) -> str | None:
        """`sending`, `printed`, `failed`: what last happened to the sale's ORIGINAL."""
        stmt = (
            select(MARKS.c.mark)
            .where(MARKS.c.sale_id == sale_id)
            .order_by(MARKS.c.id.desc())
            .limit(1)
        )
        value = run(self.conn, stmt).scalar_one_or_none()
        return None if value is None else str(value)

    def mark(self, sale_id: int, mark: str, now: datetime) -> None:
        self.chains.append(MARK_CHAIN, {"sale_id": sale_id, "mark": mark, "at": now})

    def _originals(self, sale_id: Any) -> Any:
        return (_Q.sale_id == sale_id) & _Q.copy.is_(False)

    def original_status(self, sale_id: int) -> str | None:
        """`printed` if an original of the sale was printed, else the first original's
        status (`pending`, `failed`), or None when the sale has no queue row."""
        stmt = select(_Q.status).where(self._originals(sale_id)).order_by(_Q.id)
        statuses = list(run(self.conn, stmt).scalars())
        if "printed" in statuses:
            return "printed"
        return statuses[0] if statuses else None

    def add_original(self, sale_id: int, now: datetime) -> None:
        """A pending original for a sale that has none (a sale older than the queue)."""
        run(
            self.conn,
            QUEUE.insert().values(
                sale_id=sale_id, copy=False, status="pending", attempts=0, created_at=now
            ),
        )

    def claim(self, sale_id: int, now: datetime, stale_before: datetime) -> PrintClaim | None:
        """Claim the sale's pending original for printing, or None when it is printed,
        not pending, or claimed by another worker since `stale_before`.

        A compare-and-set on `attempts`: of two workers racing, one UPDATE matches and
        the other finds the row changed (PostgreSQL re-checks the WHERE after the lock;
        SQLite write transactions run one at a time)."""
        first = run(
            self.conn,
            select(_Q.id, _Q.status, _Q.attempts, _Q.claimed_at)
            .where(self._originals(sale_id))
            .order_by(_Q.id)
            .limit(1),
        ).first()
        # Only the sale's first original is ever claimed, so a stray second row cannot
        # print the same receipt again.
        if first is None or first.status != "pending" or self.original_status(sale_id) == "printed":
            return None
        stmt = (
            QUEUE.update()
            .where(
                _Q.id == first.id,
                _Q.status == "pending",
                _Q.attempts == first.attempts,
                or_(_Q.claimed_at.is_(None), _Q.claimed_at < stale_before),
            )
            .values(attempts=first.attempts + 1, claimed_at=now, claimed_by=this_process())
        )
        if run(self.conn, stmt).rowcount != 1:
            return None
        self.mark(sale_id, "sending", now)
        return PrintClaim(int(first.id), int(first.attempts) + 1)

    def finish(self, claim: PrintClaim, *, printed: bool, error: str | None, now: datetime) -> bool:
        """Printed: mark it printed (with the time); not printed: back to pending with
        the error. False when the claim was lost (taken over after the lease)."""
        if not _finish(self.conn, claim, printed, error, now, claimed_by=None):
            return False
        sale_id = run(self.conn, select(_Q.sale_id).where(_Q.id == claim.job_id)).scalar_one()
        self.mark(int(sale_id), "printed" if printed else "failed", now)
        return True

    def has_claims(self) -> bool:
        stmt = select(_Q.id).where(_Q.claimed_by.is_not(None), _Q.status == "pending").limit(1)
        return run(self.conn, stmt).first() is not None

    def release_dead_claims(self, alive: Callable[[int], bool] = _pid_alive) -> int:
        """Claims held by processes of this machine that are gone: released (the sale's
        last mark stays `sending`, so the receipt prints as a COPY). Claims of other
        machines wait for their lease."""
        host = socket.gethostname()[:60]
        stmt = select(_Q.id, _Q.claimed_by).where(
            _Q.claimed_by.is_not(None), _Q.status == "pending"
        )
        dead = []
        for row in run(self.conn, stmt):
            owner_host, _sep, pid = str(row.claimed_by).rpartition(":")
            if owner_host == host and pid.isdigit() and not alive(int(pid)):
                dead.append(int(row.id))
        if dead:
            run(
                self.conn,
                QUEUE.update().where(_Q.id.in_(dead)).values(claimed_at=None, claimed_by=None),
            )
        return len(dead)

    def set_aside(self, sale_id: int, reason: str) -> int:
        """Pending originals of a sale that must not print on their own (`failed`)."""
        stmt = (
            QUEUE.update()
            .where(self._originals(sale_id), _Q.status == "pending", _Q.claimed_at.is_(None))
            .values(status="failed", last_error=reason)
        )
        return int(run(self.conn, stmt).rowcount)

    def add_copy(self, sale_id: int, *, printed: bool, error: str | None, now: datetime) -> None:
        """Record a reprint (COPY): printed, or failed with the printer's words."""
        run(
            self.conn,
            QUEUE.insert().values(
                sale_id=sale_id,
                copy=True,
                status="printed" if printed else "failed",
                attempts=1,
                last_error=error,
                created_at=now,
                claimed_at=None,
                printed_at=now if printed else None,
            ),
        )

    def pending_sales(self, counter_code: str) -> list[Sale]:
        """Sales of the counter whose original receipt waits to print, oldest first
        (voided sales left out: their receipt is no longer the customer's proof)."""
        waiting = exists().where(
            _Q.sale_id == SALES.c.id, _Q.copy.is_(False), _Q.status == "pending"
        )
        done = exists().where(_Q.sale_id == SALES.c.id, _Q.copy.is_(False), _Q.status == "printed")
        stmt = (
            sales_query()
            .where(SALES.c.counter_code == counter_code, VOIDS.c.id.is_(None), waiting, ~done)
            .order_by(SALES.c.created_at, SALES.c.id)
        )
        return SaleRepository(self.conn, self.chains).many(stmt)

    # -- slips (issue 15) --------------------------------------------------------------------
    # A slip is a `copy` row written `pending` (a reprint's row is never pending), tagged
    # `slip:<state>` in `claimed_by`, so no column was added: a tag has no `host:pid` and
    # is never taken for a dead process's claim. Its lease is `claimed_at` alone.

    def add_slip(self, sale_id: int, state: str, now: datetime) -> None:
        """A slip to print for the sale's delivery reaching `state` (written with it)."""
        run(
            self.conn,
            QUEUE.insert().values(
                sale_id=sale_id,
                copy=True,
                status="pending",
                attempts=0,
                created_at=now,
                claimed_by=f"{SLIP_TAG}{state}",
            ),
        )

    def waiting_slips(self, counter_code: str) -> list[SlipJob]:
        """The counter's slips still to print, oldest first."""
        stmt = (
            select(_Q.id, _Q.sale_id, _Q.claimed_by, _Q.attempts, _Q.claimed_at)
            .join(SALES, SALES.c.id == _Q.sale_id)
            .where(
                SALES.c.counter_code == counter_code,
                _Q.copy.is_(True),
                _Q.status == "pending",
                _Q.claimed_by.like(f"{SLIP_TAG}%"),
            )
            .order_by(_Q.id)
        )
        return [
            SlipJob(
                id=int(row.id),
                sale_id=int(row.sale_id),
                state=str(row.claimed_by)[len(SLIP_TAG) :],
                attempts=int(row.attempts),
                claimed_at=as_utc(row.claimed_at) if row.claimed_at else None,
            )
            for row in run(self.conn, stmt)
        ]

    def claim_slip(self, job: SlipJob, now: datetime, stale_before: datetime) -> PrintClaim | None:
        """Compare-and-set on `attempts`, like an original's claim."""
        stmt = (
            QUEUE.update()
            .where(
                _Q.id == job.id,
                _Q.status == "pending",
                _Q.attempts == job.attempts,
                or_(_Q.claimed_at.is_(None), _Q.claimed_at < stale_before),
            )
            .values(attempts=job.attempts + 1, claimed_at=now)
        )
        if run(self.conn, stmt).rowcount != 1:
            return None
        return PrintClaim(job.id, job.attempts + 1)

    def finish_slip(
        self, claim: PrintClaim, *, printed: bool, error: str | None, now: datetime
    ) -> bool:
        """Like `finish`, keeping the slip's tag."""
        return _finish(self.conn, claim, printed, error, now)

    def jobs(self, sale_id: int) -> list[PrintJob]:
        """The sale's queue rows, oldest first (for tests and `doctor`-like checks)."""
        stmt = select(QUEUE).where(_Q.sale_id == sale_id).order_by(_Q.id)
        return [
            PrintJob(
                id=int(row.id),
                sale_id=int(row.sale_id),
                copy=bool(row.copy),
                status=row.status,
                attempts=int(row.attempts),
                last_error=row.last_error,
                created_at=as_utc(row.created_at),
                claimed_at=as_utc(row.claimed_at) if row.claimed_at else None,
                printed_at=as_utc(row.printed_at) if row.printed_at else None,
            )
            for row in run(self.conn, stmt)
        ]
