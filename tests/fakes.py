"""An in-memory unit of work, so use-case tests run without a database, in milliseconds.

`FakeUnitOfWork` satisfies `counter.services.ports.UnitOfWork`: each one works on a copy
of the shared `FakeBook` and writes it back on `commit()`, so a refusal that raises
before the commit leaves nothing behind, as with the SQLAlchemy unit of work. Unique keys
raise `KeyTaken` like the real one. The SQLite and PostgreSQL suites test the real thing.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from zoneinfo import ZoneInfo

from counter.domain.errors import KeyTaken
from counter.domain.operators import RuleBook
from counter.domain.policy import Policy
from counter.domain.receipt import ReceiptWording, SlipJob
from counter.domain.records import (
    Account,
    AuditEntry,
    Checkpoint,
    DayClose,
    DoctorReport,
    FloatMove,
    NewDayClose,
    NewSale,
    Numbering,
    OpeningCash,
    PrintClaim,
    PrintJob,
    ReceiptGap,
    Role,
    Sale,
    SaleContext,
    ShopInfo,
    User,
    Void,
)
from counter.domain.shifts import DayReopen, NewShift, NewShiftClose, Shift, ShiftClose
from counter.domain.text import name_key, tidy_name
from counter.services.ports import Ledger
from tests.fakes_delivery import DeliveryBook, FakeDeliveries, FakeRefunds, float_moved
from tests.fakes_khqr import FakeKhqr, KhqrBook

GENESIS = "0" * 64
ZONE = ZoneInfo("Asia/Phnom_Penh")


@dataclass
class FakeBook:
    """Everything a ledger holds, as plain values."""

    shop: tuple[str, str, datetime] | None = None
    rate: int | None = None
    lockout_attempts: int | None = None  # the ledger's setting
    database_now: datetime | None = None  # a database server's clock (None: the caller's)
    counters: dict[str, tuple[int, str]] = field(default_factory=dict)  # next, last hash
    users: dict[int, Account] = field(default_factory=dict)
    sales: dict[int, Sale] = field(default_factory=dict)  # as recorded (voided=False)
    voids: dict[int, Void] = field(default_factory=dict)  # by sale id
    audit: list[AuditEntry] = field(default_factory=list)
    shifts: dict[int, Shift] = field(default_factory=dict)  # with their closes
    closes: dict[tuple[str, date], DayClose] = field(default_factory=dict)  # the latest
    reopens: list[DayReopen] = field(default_factory=list)
    checkpoints: list[Checkpoint] = field(default_factory=list)
    floats: dict[str, int] = field(default_factory=dict)
    moves: list[FloatMove] = field(default_factory=list)
    jobs: list[PrintJob] = field(default_factory=list)
    marks: dict[int, str] = field(default_factory=dict)  # sale id: its ORIGINAL's last mark
    slips: list[SlipJob] = field(default_factory=list)  # still to print
    slips_printed: list[SlipJob] = field(default_factory=list)
    delivery: DeliveryBook = field(default_factory=DeliveryBook)
    checkpoints: list[Checkpoint] = field(default_factory=list)
    gaps: list[ReceiptGap] = field(default_factory=list)
    khqr: KhqrBook = field(default_factory=KhqrBook)
    commits: int = 0


class _Repo:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    @property
    def book(self) -> FakeBook:
        return self.uow.book


class _Shop(_Repo):
    def info(self, counter_code: str, default_rate: int) -> ShopInfo | None:
        if self.book.shop is None:
            return None
        name, address, created = self.book.shop
        rate = self.book.rate if self.book.rate is not None else default_rate
        return ShopInfo(name, address, counter_code, rate, created)

    def add(self, name: str, address: str, now: datetime) -> None:
        self.book.shop = (name, address, now)

    def rate(self) -> int | None:
        return self.book.rate

    def set_rate(self, riel_per_usd: int) -> None:
        self.book.rate = riel_per_usd

    def lockout_attempts(self) -> int | None:
        return self.book.lockout_attempts

    def set_lockout_attempts(self, attempts: int) -> None:
        self.book.lockout_attempts = attempts

    def database_now(self) -> datetime | None:
        return self.book.database_now


class _Counters(_Repo):
    def codes(self) -> list[str]:
        return sorted(self.book.counters)

    def lock(self, code: str) -> bool:
        return code in self.book.counters

    def lock_numbering(self, code: str) -> Numbering | None:
        if code not in self.book.counters:
            return None
        next_receipt, last_hash = self.book.counters[code]
        return Numbering(code, next_receipt, last_hash)

    def add(self, code: str, now: datetime) -> None:
        if code in self.book.counters:
            raise KeyTaken("counter")
        self.book.counters[code] = (1, GENESIS)

    def is_day_closed(self, code: str, day: date) -> bool:
        close = self.book.closes.get((code, day))
        reopened = [
            r for r in self.book.reopens if (r.counter_code, r.business_date) == (code, day)
        ]
        return close is not None and close.close_no > len(reopened)

    def set_numbering(self, numbering: Numbering) -> None:
        self.book.counters[numbering.code] = (numbering.next_receipt, numbering.last_sale_hash)


class _Users(_Repo):
    def account(self, name: str, *, lock: bool = False) -> Account | None:
        wanted = name_key(name)  # as the real repository: NFKC, then case-folded
        return next((a for a in self.book.users.values() if name_key(a.user.name) == wanted), None)

    def by_name(self, name: str, *, lock: bool = False) -> User | None:
        account = self.account(name)
        return account.user if account else None

    def get(self, user_id: int, *, lock: bool = False) -> User | None:
        account = self.book.users.get(user_id)
        return account.user if account else None

    def all(self) -> list[User]:
        return sorted((a.user for a in self.book.users.values()), key=lambda u: u.name)

    def count_active_admins(self) -> int:
        return sum(
            1 for a in self.book.users.values() if a.user.active and a.user.role is Role.ADMIN
        )

    def add(
        self, name: str, role: Role, pin_hash: str, now: datetime, language: str | None = None
    ) -> User:
        if self.account(name) is not None:
            raise KeyTaken("user")
        user = User(
            max(self.book.users, default=0) + 1, tidy_name(name), role, True, language=language
        )
        self.book.users[user.id] = Account(user, pin_hash)
        return user

    def update(self, user: User) -> None:
        stored = self.book.users[user.id]
        kept = replace(user, name=stored.user.name, role=stored.user.role)
        self.book.users[user.id] = Account(kept, stored.pin_hash)

    def set_pin_hash(self, user_id: int, pin_hash: str) -> None:
        self.book.users[user_id] = Account(self.book.users[user_id].user, pin_hash)


class _Sales(_Repo):
    def _shown(self, sale: Sale) -> Sale:
        return replace(sale, voided=sale.id in self.book.voids)

    def _all(self) -> list[Sale]:
        return [self._shown(s) for s in self.book.sales.values()]

    def context(
        self,
        counter_code: str,
        *,
        clerk_id: int,
        msisdn: str,
        amount_cents: int,
        day: date,
        duplicate_since: datetime | None,
        key: str | None,
        want_cap: bool,
    ) -> SaleContext:
        account = self.book.users.get(clerk_id)
        clerk = account.user if account else None
        if counter_code not in self.book.counters:
            return SaleContext(
                self.book.rate, None, None, None, "", False, None, None, False, None, 0
            )
        next_receipt, last_hash = self.book.counters[counter_code]
        standing = [s for s in self._all() if not s.voided and s.msisdn == msisdn]
        same = [
            s
            for s in standing
            if duplicate_since is not None
            and s.created_at >= duplicate_since
            and s.amount_cents == amount_cents
        ]
        latest = max(same, key=lambda s: s.created_at, default=None)
        shift = self.uow.shifts.open_shift(counter_code)
        sale_day = shift.business_date if shift else day
        return SaleContext(
            riel_per_usd=self.book.rate,
            clerk_name=clerk.name if clerk and clerk.active else None,
            clerk_role=clerk.role if clerk else None,
            next_receipt=next_receipt,
            last_sale_hash=last_hash,
            day_closed=(counter_code, day) in self.book.closes,
            open_shift_id=shift.id if shift else None,
            shift_day=shift.business_date if shift else None,
            key_taken=bool(key) and any(s.idempotency_key == key for s in self._all()),
            duplicate_id=latest.id if latest else None,
            number_sold_cents=sum(s.amount_cents for s in standing if s.business_date == sale_day)
            if want_cap
            else 0,
        )

    def rate(self) -> int | None:
        return self.book.rate

    def add(self, numbering: Numbering, new: NewSale, receipt_no: str, clerk_name: str) -> Sale:
        if any(s.idempotency_key == new.idempotency_key for s in self.book.sales.values()):
            raise KeyTaken("sale")
        if any(s.receipt_no == receipt_no for s in self.book.sales.values()):
            raise KeyTaken("receipt")
        sale = Sale(
            id=max(self.book.sales, default=0) + 1,
            receipt_no=receipt_no,
            counter_code=numbering.code,
            clerk_name=clerk_name,
            **{f: getattr(new, f) for f in NewSale.__dataclass_fields__},
        )
        self.book.sales[sale.id] = sale
        self.book.counters[numbering.code] = (numbering.next_receipt + 1, f"hash-{sale.id}")
        self.uow.prints.add_original(sale.id, new.created_at)
        return sale

    def by_id(self, sale_id: int) -> Sale | None:
        sale = self.book.sales.get(sale_id)
        return self._shown(sale) if sale else None

    def by_key(self, key: str) -> Sale | None:
        return next((s for s in self._all() if s.idempotency_key == key), None)

    def by_receipt(self, receipt_no: str) -> Sale | None:
        return next((s for s in self._all() if s.receipt_no == receipt_no), None)

    def of_day(self, day: date, counters: Sequence[str] | None) -> list[Sale]:
        found = [
            s
            for s in self._all()
            if s.business_date == day and (counters is None or s.counter_code in counters)
        ]
        return sorted(found, key=lambda s: (s.counter_code, s.receipt_seq))

    @staticmethod
    def _newest(sales: list[Sale], limit: int, offset: int) -> list[Sale]:
        ordered = sorted(sales, key=lambda s: (s.created_at, s.id), reverse=True)
        return ordered[offset : offset + limit]

    def for_day(self, day: date, counter_code: str | None, limit: int, offset: int) -> list[Sale]:
        sales = [s for s in self.of_day(day, [counter_code] if counter_code else None)]
        return self._newest(sales, limit, offset)

    def search(
        self,
        *,
        receipt_no: str | None,
        msisdn: str | None,
        starts: str | None,
        suffix: str | None,
        contains: str | None,
        day: date | None,
        operator_id: str | None,
        limit: int,
        offset: int,
    ) -> list[Sale]:
        def wanted(s: Sale) -> bool:
            return (
                (receipt_no is None or s.receipt_no == receipt_no)
                and (msisdn is None or s.msisdn == msisdn)
                and (starts is None or s.msisdn.startswith(starts))
                and (suffix is None or s.msisdn.endswith(suffix))
                and (contains is None or contains in s.msisdn)
                and (day is None or s.business_date == day)
                and (operator_id is None or s.operator_id == operator_id)
            )

        return self._newest([s for s in self._all() if wanted(s)], limit, offset)

    def history(self, msisdn: str, limit: int) -> list[Sale]:
        return self._newest([s for s in self._all() if s.msisdn == msisdn], limit, 0)

    def totals(self, day: date, counter_code: str | None) -> list[tuple[str, int, int]]:
        by_op: dict[str, tuple[int, int]] = {}
        for s in self.of_day(day, [counter_code] if counter_code else None):
            if not s.voided:
                count, amount = by_op.get(s.operator_id, (0, 0))
                by_op[s.operator_id] = (count + 1, amount + s.amount_cents)
        return [(op, n, total) for op, (n, total) in sorted(by_op.items())]

    def last(self, counter_code: str) -> Sale | None:
        mine = [s for s in self._all() if s.counter_code == counter_code]
        return max(mine, key=lambda s: s.receipt_seq, default=None)

    def first_day(self) -> date | None:
        return min((s.business_date for s in self._all()), default=None)

    def export(self, date_from: date | None, date_to: date | None) -> Iterator[tuple[Sale, str]]:
        for s in sorted(
            self._all(), key=lambda s: (s.business_date, s.counter_code, s.receipt_seq)
        ):
            if (date_from is None or s.business_date >= date_from) and (
                date_to is None or s.business_date <= date_to
            ):
                void = self.book.voids.get(s.id)
                yield s, void.reason if void else ""


class _Voids(_Repo):
    def add(
        self, sale: Sale, requested_by: User, approved_by: User, reason: str, now: datetime
    ) -> Void:
        if sale.id in self.book.voids:
            raise KeyTaken("void")
        void = Void(
            len(self.book.voids) + 1,
            sale.id,
            sale.receipt_no,
            requested_by.name,
            approved_by.name,
            now,
            reason,
            sale.amount_cents,
        )
        self.book.voids[sale.id] = void
        return void

    def of_day(self, day: date, counters: Sequence[str] | None) -> list[Void]:
        sales = {s.id for s in self.uow.sales.of_day(day, counters)}
        return sorted(
            (v for v in self.book.voids.values() if v.sale_id in sales),
            key=lambda v: v.receipt_no,
        )


class _Audit(_Repo):
    def append(self, at: datetime, actor: str, action: str, **detail: object) -> None:
        entry = AuditEntry(
            len(self.book.audit) + 1,
            at,
            actor[:40],
            action,
            json.dumps(detail, sort_keys=True, ensure_ascii=False, default=str),
        )
        self.book.audit.append(entry)

    def entries(self, *, action: str | None = None, limit: int = 100) -> list[AuditEntry]:
        found = [e for e in reversed(self.book.audit) if action is None or e.action == action]
        return found[:limit]


class _DayEnd(_Repo):
    def opening_cash(self, counter_code: str, day: date) -> OpeningCash | None:
        first = next(iter(self.uow.shifts.of_day(counter_code, day)), None)
        if first is None:
            return None
        o = first.opening
        return OpeningCash(counter_code, day, o.usd_cents, o.khr, first.opened_by, first.opened_at)

    def close(self, counter_code: str, day: date) -> DayClose | None:
        return self.book.closes.get((counter_code, day))

    def add_close(self, close: NewDayClose, closed_by_name: str) -> DayClose:
        key = (close.counter_code, close.business_date)
        if key in self.book.closes and self.book.closes[key].close_no >= close.close_no:
            raise KeyTaken("day_close")
        fields = {k: getattr(close, k) for k in NewDayClose.__dataclass_fields__}
        fields["closed_by"] = closed_by_name
        closed = DayClose(id=len(self.book.closes) + 1, **fields)
        self.book.closes[key] = closed
        return closed

    def reopen(self, counter_code: str, day: date) -> None:
        pass  # the fake's closed days are its closes against its reopenings


class _Shifts(_Repo):
    def open_shift(self, counter_code: str) -> Shift | None:
        found = [s for s in self.book.shifts.values() if s.counter_code == counter_code]
        return next((s for s in reversed(found) if s.close is None), None)

    def by_id(self, shift_id: int) -> Shift | None:
        return self.book.shifts.get(shift_id)

    def of_day(self, counter_code: str, day: date) -> list[Shift]:
        found = self.book.shifts.values()
        return [s for s in found if s.counter_code == counter_code and s.business_date == day]

    def add(self, new: NewShift) -> Shift:
        number = len(self.of_day(new.counter_code, new.business_date)) + 1
        shift = Shift(
            id=max(self.book.shifts, default=0) + 1,
            counter_code=new.counter_code,
            business_date=new.business_date,
            number=number,
            opened_at=new.opened_at,
            opened_by=self.book.users[new.opened_by].user.name,
            opening=new.opening,
            origin=new.origin,
        )
        self.book.shifts[shift.id] = shift
        return shift

    def close(self, new: NewShiftClose) -> Shift:
        shift = self.book.shifts[new.shift_id]
        if shift.close is not None:
            raise KeyTaken("shift_close")
        approver = self.book.users[new.approved_by].user.name if new.approved_by else None
        closed = replace(
            shift,
            close=ShiftClose(
                shift_id=shift.id,
                closed_at=new.closed_at,
                counted_by=self.book.users[new.counted_by].user.name,
                approved_by=approver,
                counted=new.counted,
                expected_usd_cents=new.expected_usd_cents,
                expected_khr=new.expected_khr,
                sales_count=new.sales_count,
                sales_cents=new.sales_cents,
            ),
        )
        self.book.shifts[shift.id] = closed
        return closed

    def sales(self, shift: Shift) -> list[Sale]:
        def mine(sale: Sale) -> bool:
            if sale.shift_id is not None:
                return sale.shift_id == shift.id
            return shift.number == 1 and (sale.counter_code, sale.business_date) == (
                shift.counter_code,
                shift.business_date,
            )

        return [self.uow.sales._shown(s) for s in self.book.sales.values() if mine(s)]

    def reopens(self, counter_code: str, day: date) -> list[DayReopen]:
        found = self.book.reopens
        return [r for r in found if (r.counter_code, r.business_date) == (counter_code, day)]

    def add_reopen(
        self, counter_code: str, day: date, at: datetime, by: int, reason: str, shift_id: int
    ) -> None:
        name = self.book.users[by].user.name
        reopen = DayReopen(
            len(self.book.reopens) + 1, counter_code, day, at, name, reason, shift_id
        )
        self.book.reopens.append(reopen)

    def later_days(self, counter_code: str, day: date) -> bool:
        found = self.book.shifts.values()
        return any(s.counter_code == counter_code and s.business_date > day for s in found)


class _Floats(_Repo):
    def balance(self, operator_id: str) -> int:
        return self.book.floats.get(operator_id, 0)

    def balances(self) -> dict[str, int]:
        return dict(self.book.floats)

    def lock(self, operator_id: str) -> int:
        return self.book.floats.setdefault(operator_id, 0)

    def apply(self, operator_id: str, delta_cents: int) -> None:
        self.book.floats[operator_id] = self.book.floats.get(operator_id, 0) + delta_cents

    def add_move(self, move: FloatMove) -> int:
        self.book.moves.append(move)
        self.apply(move.operator_id, move.amount_cents)
        return self.book.floats[move.operator_id]

    def recomputed(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for move in self.book.moves:
            totals[move.operator_id] = totals.get(move.operator_id, 0) + move.amount_cents
        for sale in self.uow.sales._all():
            if not sale.voided and float_moved(self.uow, sale):
                totals[sale.operator_id] = totals.get(sale.operator_id, 0) - sale.amount_cents
        return totals


class _Prints(_Repo):
    def _originals(self, sale_id: int) -> list[PrintJob]:
        return [j for j in self.book.jobs if j.sale_id == sale_id and not j.copy]

    def _put(self, job: PrintJob) -> None:
        self.book.jobs = [job if j.id == job.id else j for j in self.book.jobs]

    def original_status(self, sale_id: int) -> str | None:
        statuses = [j.status for j in self._originals(sale_id)]
        if "printed" in statuses:
            return "printed"
        return statuses[0] if statuses else None

    def add_original(self, sale_id: int, now: datetime) -> None:
        self._new(sale_id, copy=False, status="pending", attempts=0, now=now)

    def _new(
        self,
        sale_id: int,
        *,
        copy: bool,
        status: str,
        attempts: int,
        now: datetime,
        error: str | None = None,
        printed_at: datetime | None = None,
    ) -> None:
        job = PrintJob(
            len(self.book.jobs) + 1, sale_id, copy, status, attempts, error, now, None, printed_at
        )
        self.book.jobs.append(job)

    def last_mark(self, sale_id: int) -> str | None:
        return self.book.marks.get(sale_id)

    def claim(self, sale_id: int, now: datetime, stale_before: datetime) -> PrintClaim | None:
        originals = self._originals(sale_id)
        if not originals or originals[0].status != "pending":
            return None
        if self.original_status(sale_id) == "printed":
            return None
        first = originals[0]
        if first.claimed_at is not None and first.claimed_at >= stale_before:
            return None
        self._put(replace(first, attempts=first.attempts + 1, claimed_at=now))
        self.book.marks[sale_id] = "sending"
        return PrintClaim(first.id, first.attempts + 1)

    def finish(self, claim: PrintClaim, *, printed: bool, error: str | None, now: datetime) -> bool:
        job = next(j for j in self.book.jobs if j.id == claim.job_id)
        if job.attempts != claim.attempt or job.status != "pending":
            return False
        if printed:
            self._put(
                replace(job, status="printed", printed_at=now, claimed_at=None, last_error=None)
            )
        else:
            self._put(replace(job, claimed_at=None, last_error=error))
        self.book.marks[job.sale_id] = "printed" if printed else "failed"
        return True

    def set_aside(self, sale_id: int, reason: str) -> int:
        waiting = [
            j for j in self._originals(sale_id) if j.status == "pending" and j.claimed_at is None
        ]
        for job in waiting:
            self._put(replace(job, status="failed", last_error=reason))
        return len(waiting)

    def add_copy(self, sale_id: int, *, printed: bool, error: str | None, now: datetime) -> None:
        self._new(
            sale_id,
            copy=True,
            status="printed" if printed else "failed",
            attempts=1,
            now=now,
            error=error,
            printed_at=now if printed else None,
        )

    def pending_sales(self, counter_code: str) -> list[Sale]:
        found = []
        for sale in self.uow.sales._all():
            if sale.counter_code != counter_code or sale.voided:
                continue
            statuses = [j.status for j in self._originals(sale.id)]
            if "pending" in statuses and "printed" not in statuses:
                found.append(sale)
        return sorted(found, key=lambda s: (s.created_at, s.id))

    def jobs(self, sale_id: int) -> list[PrintJob]:
        return [j for j in self.book.jobs if j.sale_id == sale_id]

    def add_slip(self, sale_id: int, state: str, now: datetime) -> None:
        serial = len(self.book.slips) + len(self.book.slips_printed) + 1
        self.book.slips.append(SlipJob(serial, sale_id, state, 0))

    def waiting_slips(self, counter_code: str) -> list[SlipJob]:
        sales = {s.id: s for s in self.uow.sales._all()}
        return [j for j in self.book.slips if sales[j.sale_id].counter_code == counter_code]

    def claim_slip(self, job: SlipJob, now: datetime, stale_before: datetime) -> PrintClaim | None:
        found = next((j for j in self.book.slips if j.id == job.id), None)
        if found is None or found.attempts != job.attempts:
            return None
        if found.claimed_at is not None and found.claimed_at >= stale_before:
            return None
        claimed = replace(found, attempts=found.attempts + 1, claimed_at=now)
        self.book.slips = [claimed if j.id == job.id else j for j in self.book.slips]
        return PrintClaim(job.id, claimed.attempts)

    def finish_slip(
        self, claim: PrintClaim, *, printed: bool, error: str | None, now: datetime
    ) -> bool:
        found = next((j for j in self.book.slips if j.id == claim.job_id), None)
        if found is None or found.attempts != claim.attempt:
            return False
        rest = [j for j in self.book.slips if j.id != claim.job_id]
        if printed:
            self.book.slips = rest
            self.book.slips_printed.append(replace(found, claimed_at=None))
        else:
            self.book.slips = [
                replace(j, claimed_at=None) if j is found else j for j in self.book.slips
            ]
        return True


class _Anchors(_Repo):
    def receipt_code(self, sale: Sale) -> str | None:
        return None  # the fake ledger has no witness key

    def checkpoint(self, reason: str, ref: str, counter_code: str, now: datetime) -> Checkpoint:
        """A checkpoint with a code a test can recognise (the real one is a keyed MAC)."""
        number = len(self.book.checkpoints) + 1
        mark = Checkpoint(number, now, counter_code, reason, ref, f"Z-{number}-FAKE")
        self.book.checkpoints.append(mark)
        return mark

    def checkpoint_of(self, reason: str, ref: str) -> Checkpoint | None:
        found = [c for c in self.book.checkpoints if (c.reason, c.ref) == (reason, ref)]
        return found[-1] if found else None

    def add_gap(self, gap: ReceiptGap) -> None:
        self.book.gaps.append(gap)

    def gaps(self, counter_code: str, after: date | None, through: date) -> list[ReceiptGap]:
        return [
            g
            for g in self.book.gaps
            if g.counter_code == counter_code
            and g.business_date <= through
            and (after is None or g.business_date > after)
        ]


class _Integrity(_Repo):
    def report(self, witness: Sequence[Path] = (), codes: Sequence[str] = ()) -> DoctorReport:
        return DoctorReport(tuple(self.problems()))

    def problems(self) -> list[str]:
        kept, recomputed = self.book.floats, self.uow.floats.recomputed()
        return [
            f"Operator {op}: kept {kept.get(op, 0)}, recomputed {recomputed.get(op, 0)}"
            for op in sorted(set(kept) | set(recomputed))
            if kept.get(op, 0) != recomputed.get(op, 0)
        ]


class FakeUnitOfWork:
    """One transaction on a copy of the book; `commit()` writes the copy back."""

    def __init__(self, shared: FakeBook, *, write: bool = True) -> None:
        self.shared = shared
        self.write = write
        self.book = copy.deepcopy(shared)
        self.shop = _Shop(self)
        self.counters = _Counters(self)
        self.users = _Users(self)
        self.sales = _Sales(self)
        self.voids = _Voids(self)
        self.audit = _Audit(self)
        self.dayend = _DayEnd(self)
        self.shifts = _Shifts(self)
        self.floats = _Floats(self)
        self.prints = _Prints(self)
        self.integrity = _Integrity(self)
        self.anchors = _Anchors(self)
        self.deliveries = FakeDeliveries(self)
        self.refunds = FakeRefunds(self)
        self.khqr = FakeKhqr(self)

    def __enter__(self) -> Self:
        self.book = copy.deepcopy(self.shared)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.book = copy.deepcopy(self.shared)  # whatever was not committed is gone

    def commit(self) -> None:
        assert self.write, "a read-only unit of work must not commit"
        self.shared.__dict__.update(copy.deepcopy(self.book).__dict__)
        self.shared.commits += 1

    def rollback(self) -> None:
        self.book = copy.deepcopy(self.shared)


class FakeClock:
    """A clock the test moves: `clock()` is an aware UTC now."""

    def __init__(self, start: datetime) -> None:
        self.now = start.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


class FakePins:
    """Hashes that are easy to read in a test; never for a shop."""

    def __init__(self) -> None:
        self.burned = 0

    def hash(self, pin: str) -> str:
        return f"pin:{pin}"

    def verify(self, pin_hash: str, pin: str) -> bool:
        return pin_hash == f"pin:{pin}"

    def burn(self) -> None:
        self.burned += 1

    def is_pepper(self, text: str) -> bool:
        return text.strip() == "fake-pepper"


@dataclass
class FakePrinter:
    """Prints nothing; remembers each receipt, and fails while `broken` is set."""

    broken: str | None = None
    printed: list[Any] = field(default_factory=list)

    def print_receipt(self, receipt: Any) -> Any:
        from counter.domain.receipt import PrintResult

        if self.broken:
            return PrintResult(False, f"Receipt not printed: {self.broken}.")
        self.printed.append(receipt)
        return PrintResult(True, f"Receipt {receipt.receipt_no} printed.")


def shipped_rules() -> RuleBook:
    from counter.rules import load_rules

    return load_rules(None)


def fake_ledger(
    *,
    book: FakeBook | None = None,
    clock: FakeClock | None = None,
    rules: RuleBook | None = None,
    counter_code: str = "A",
    delivery: Any = None,
    **policy: Any,
) -> Ledger:
    """A Ledger on an in-memory book, with the shipped rules and the default policy."""
    shared = book or FakeBook()

    def uow(*, write: bool = True) -> FakeUnitOfWork:
        return FakeUnitOfWork(shared, write=write)

    return Ledger(
        uow=uow,
        rules=rules or shipped_rules(),
        policy=Policy(**policy),
        clock=clock or FakeClock(datetime(2026, 11, 25, 3, 0, tzinfo=UTC)),
        pins=FakePins(),
        counter_code=counter_code,
        zone=ZONE,
        wording=ReceiptWording("St 271, Phnom Penh", "Thank you!"),
        **({"delivery": delivery} if delivery is not None else {}),
    )


def book_of(ledger: Ledger) -> FakeBook:
    """The shared book behind a fake ledger."""
    with ledger.uow(write=False) as uow:
        assert isinstance(uow, FakeUnitOfWork)
        return uow.shared
