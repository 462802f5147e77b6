"""What the use cases need from the world, as Protocols, and the `Ledger` that carries it.

The use cases import nothing but `counter.domain`, `counter.i18n` and this module.
`counter.bootstrap` builds a `Ledger` from the settings with the SQLAlchemy unit of work,
the printer and the report writer; `tests/fakes.py` builds one in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self
from zoneinfo import ZoneInfo

from counter.domain.dayend import CashCount, DaySummary
from counter.domain.deliveries import DeliveryPlan
from counter.domain.khqr import KhqrPlan
from counter.domain.operators import RuleBook
from counter.domain.policy import Policy
from counter.domain.receipt import PrintResult, Receipt, ReceiptWording, SlipJob
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
    utc,
)
from counter.domain.shifts import DayReopen, NewShift, NewShiftClose, Shift
from counter.services.ports_delivery import DeliveryRecords, RefundRecords
from counter.services.ports_khqr import KhqrRecords

Clock = Callable[[], datetime]  # an aware UTC "now"


# --- the repositories ------------------------------------------------------------------------


class ShopRecords(Protocol):
    def info(self, counter_code: str, default_rate: int) -> ShopInfo | None: ...
    def add(self, name: str, address: str, now: datetime) -> None: ...
    def rate(self) -> int | None: ...
    def set_rate(self, riel_per_usd: int) -> None: ...
    def lockout_attempts(self) -> int | None: ...
    def set_lockout_attempts(self, attempts: int) -> None: ...
    def database_now(self) -> datetime | None: ...


class CounterRecords(Protocol):
    def codes(self) -> list[str]: ...
    def lock(self, code: str) -> bool: ...
    def lock_numbering(self, code: str) -> Numbering | None: ...
    def add(self, code: str, now: datetime) -> None: ...
    def is_day_closed(self, code: str, day: date) -> bool: ...
    def set_numbering(self, numbering: Numbering) -> None: ...


class UserRecords(Protocol):
    def account(self, name: str, *, lock: bool = False) -> Account | None: ...
    def by_name(self, name: str, *, lock: bool = False) -> User | None: ...
    def get(self, user_id: int, *, lock: bool = False) -> User | None: ...
    def all(self) -> list[User]: ...
    def count_active_admins(self) -> int: ...
    def add(
        self, name: str, role: Role, pin_hash: str, now: datetime, language: str | None = None
    ) -> User: ...
    def update(self, user: User) -> None: ...
    def set_pin_hash(self, user_id: int, pin_hash: str) -> None: ...


class SaleRecords(Protocol):
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
    ) -> SaleContext: ...
    def rate(self) -> int | None: ...
    def add(self, numbering: Numbering, new: NewSale, receipt_no: str, clerk_name: str) -> Sale: ...
    def by_id(self, sale_id: int) -> Sale | None: ...
    def by_key(self, key: str) -> Sale | None: ...
    def by_receipt(self, receipt_no: str) -> Sale | None: ...
    def of_day(self, day: date, counters: Sequence[str] | None) -> list[Sale]: ...
    def for_day(
        self, day: date, counter_code: str | None, limit: int, offset: int
    ) -> list[Sale]: ...
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
    ) -> list[Sale]: ...
    def history(self, msisdn: str, limit: int) -> list[Sale]: ...
    def totals(self, day: date, counter_code: str | None) -> list[tuple[str, int, int]]: ...
    def last(self, counter_code: str) -> Sale | None: ...
    def first_day(self) -> date | None: ...
    def export(
        self, date_from: date | None, date_to: date | None
    ) -> Iterator[tuple[Sale, str]]: ...


class VoidRecords(Protocol):
    def add(
        self, sale: Sale, requested_by: User, approved_by: User, reason: str, now: datetime
    ) -> Void: ...
    def of_day(self, day: date, counters: Sequence[str] | None) -> list[Void]: ...


class AuditRecords(Protocol):
    def append(self, at: datetime, actor: str, action: str, **detail: object) -> None: ...
    def entries(self, *, action: str | None = None, limit: int = 100) -> list[AuditEntry]: ...


class DayEndRecords(Protocol):
    def opening_cash(self, counter_code: str, day: date) -> OpeningCash | None: ...
    def close(self, counter_code: str, day: date) -> DayClose | None: ...
    def add_close(self, close: NewDayClose, closed_by_name: str) -> DayClose: ...
    def reopen(self, counter_code: str, day: date) -> None:
        """The counter's last closed day set back before `day` (a reopening), sealed."""
        ...


class ShiftRecords(Protocol):
    def open_shift(self, counter_code: str) -> Shift | None: ...
    def by_id(self, shift_id: int) -> Shift | None: ...
    def of_day(self, counter_code: str, day: date) -> list[Shift]: ...
    def add(self, new: NewShift) -> Shift: ...
    def close(self, new: NewShiftClose) -> Shift: ...
    def sales(self, shift: Shift) -> list[Sale]: ...
    def reopens(self, counter_code: str, day: date) -> list[DayReopen]: ...
    def add_reopen(
        self, counter_code: str, day: date, at: datetime, by: int, reason: str, shift_id: int
    ) -> None: ...
    def later_days(self, counter_code: str, day: date) -> bool: ...


class FloatRecords(Protocol):
    def balance(self, operator_id: str) -> int: ...
    def balances(self) -> dict[str, int]: ...
    def lock(self, operator_id: str) -> int: ...
    def apply(self, operator_id: str, delta_cents: int) -> None: ...
    def add_move(self, move: FloatMove) -> int: ...
    def recomputed(self) -> dict[str, int]: ...


class PrintQueue(Protocol):
    def original_status(self, sale_id: int) -> str | None: ...
    def add_original(self, sale_id: int, now: datetime) -> None: ...
    def claim(self, sale_id: int, now: datetime, stale_before: datetime) -> PrintClaim | None: ...
    def last_mark(self, sale_id: int) -> str | None: ...
    def finish(
        self, claim: PrintClaim, *, printed: bool, error: str | None, now: datetime
    ) -> bool: ...
    def set_aside(self, sale_id: int, reason: str) -> int: ...
    def add_copy(
        self, sale_id: int, *, printed: bool, error: str | None, now: datetime
    ) -> None: ...
    def pending_sales(self, counter_code: str) -> list[Sale]: ...
    def jobs(self, sale_id: int) -> list[PrintJob]: ...
    # Slips (issue 15): a delivery's final answer or a refund, printed after the receipt.
    def add_slip(self, sale_id: int, state: str, now: datetime) -> None: ...
    def waiting_slips(self, counter_code: str) -> list[SlipJob]: ...
    def claim_slip(
        self, job: SlipJob, now: datetime, stale_before: datetime
    ) -> PrintClaim | None: ...
    def finish_slip(
        self, claim: PrintClaim, *, printed: bool, error: str | None, now: datetime
    ) -> bool: ...


class Anchors(Protocol):
    def receipt_code(self, sale: Sale) -> str | None:
        """The sale's check code (witness key's MAC of its chain point), None without a key."""
        ...

    def checkpoint(self, reason: str, ref: str, counter_code: str, now: datetime) -> Checkpoint:
        """Every chain's head now, recorded in this transaction (its code goes on a Z report)."""
        ...

    def checkpoint_of(self, reason: str, ref: str) -> Checkpoint | None: ...

    def add_gap(self, gap: ReceiptGap) -> None: ...
    def gaps(self, counter_code: str, after: date | None, through: date) -> list[ReceiptGap]: ...


class IntegrityWalk(Protocol):
    def problems(self) -> list[str]: ...

    def report(self, witness: Sequence[Path] = (), codes: Sequence[str] = ()) -> DoctorReport:
        """The walk checked against witness logs and codes from paper as well."""
        ...


class UnitOfWork(Protocol):
    """One transaction: rolled back on leaving the `with` unless `commit()` was called.

    A unique-key clash raises `KeyTaken`, any other database failure `StorageError`, from
    the repository call or the commit that met it; `rollback()` then lets the same unit of
    work go on with a new transaction (to read what another counter recorded first).
    """

    @property
    def shop(self) -> ShopRecords: ...
    @property
    def counters(self) -> CounterRecords: ...
    @property
    def users(self) -> UserRecords: ...
    @property
    def sales(self) -> SaleRecords: ...
    @property
    def voids(self) -> VoidRecords: ...
    @property
    def audit(self) -> AuditRecords: ...
    @property
    def dayend(self) -> DayEndRecords: ...
    @property
    def shifts(self) -> ShiftRecords: ...
    @property
    def floats(self) -> FloatRecords: ...
    @property
    def prints(self) -> PrintQueue: ...
    @property
    def integrity(self) -> IntegrityWalk: ...
    @property
    def anchors(self) -> Anchors: ...
    @property
    def deliveries(self) -> DeliveryRecords: ...
    @property
    def refunds(self) -> RefundRecords: ...
    @property
    def khqr(self) -> KhqrRecords: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, write: bool = True) -> UnitOfWork: ...


# --- the other adapters ----------------------------------------------------------------------


class Printer(Protocol):
    """Prints one receipt; never raises: the result says what happened, in words."""

    def print_receipt(self, receipt: Receipt) -> PrintResult: ...


class ReportPrinter(Protocol):
    """Prints an X or Z report on the receipt roll; never raises: the result says what
    happened, in words."""

    def print_report(self, title: str, summary: DaySummary, cash: CashCount) -> PrintResult: ...


class ReportWriter(Protocol):
    """Writes a day's report as files (PDF, CSV sales + totals, XLSX); returns the paths.

    `stem` names the report (`2026-11-25-A-sales`); `output` is a file or a folder (None:
    the shop's reports folder). A file that cannot be written raises DayEndRefused.
    """

    def write(
        self,
        fmt: str,
        summary: DaySummary,
        sales: Sequence[Sale],
        voids: Sequence[Void],
        *,
        stem: str,
        output: Path | None,
        title: str,
        cash: CashCount | None = None,
        language: str | None = None,
    ) -> list[Path]: ...


class PinHasher(Protocol):
    """PIN hashes (Argon2id over an HMAC with the pepper kept outside the ledger)."""

    def hash(self, pin: str) -> str: ...
    def verify(self, pin_hash: str, pin: str) -> bool: ...
    def burn(self) -> None:
        """Spend about one hash's time, so an unknown name answers as slowly as a wrong PIN."""
        ...

    def is_pepper(self, text: str) -> bool:
        """True when `text` is the pepper the PINs are made with (the admin recovery's proof)."""
        ...


def _no_backup(to: Path | None) -> Path:
    raise NotImplementedError


@dataclass(frozen=True)
class Ledger:
    """An open ledger and everything the use cases are given: one per process, shared by
    the screen's workers (each use case opens its own unit of work)."""

    uow: UnitOfWorkFactory  # ledger.uow() or ledger.uow(write=False): a new transaction
    rules: RuleBook
    policy: Policy
    clock: Clock
    pins: PinHasher
    counter_code: str
    zone: ZoneInfo  # the shop's zone: to show and to find the business day
    close: Callable[[], None] = lambda: None  # disposes the engine
    wording: ReceiptWording = field(default_factory=ReceiptWording)
    reports: ReportWriter | None = None
    backup: Callable[[Path | None], Path] = _no_backup  # a consistent copy of the ledger
    reload_rules: Callable[[], RuleBook] | None = None  # the rules file read again (doctor)
    upgraded: bool = False  # the schema was upgraded when the ledger was opened
    delivery: DeliveryPlan = field(default_factory=DeliveryPlan)  # [delivery]: channels
    khqr: KhqrPlan = field(default_factory=KhqrPlan)  # [khqr]: expiry, manual confirmation

    def now(self, given: datetime | None = None) -> datetime:
        """The time a use case records: `given` when the caller passes one, else the
        clock's; UTC either way, or NotAUtcTime (every time enters the ledger here)."""
        return utc(self.clock() if given is None else given)

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
