"""Shifts: a counter's drawer from its opening count to its blind closing count.

A counter works in shifts, one open at a time, by one or several clerks. A shift belongs
to the business day it opened in (a shift past midnight stays in its day, and so do its
sales). It opens with the drawer counted (dollars and riel, optionally by note) and closes
with the drawer counted again, compared with what that shift's sales should have left in
it. The day close is the roll-up of the day's shifts, all closed; a supervisor may reopen
a closed day with a reason, which opens a new shift with the drawer as last counted.
Nothing is edited: an opening, a close and a reopening are each their own record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from counter.domain.cash_count import CashCount as DrawerCount
from counter.domain.drawer import CashCount, counted, expected_cash
from counter.domain.records import Sale
from counter.i18n import _, format_khr_for, format_usd_for

MAX_REASON = 200


class ShiftOrigin(StrEnum):
    """How a shift began: opened with a count, carried over by migration 0007 from the
    day's opening cash, or opened by a day's reopening (the drawer as last counted)."""

    OPENED = "opened"
    MIGRATED = "migrated"
    REOPENED = "reopened"


@dataclass(frozen=True)
class ShiftClose:
    """The blind count that closed a shift, with what the drawer should have held."""

    shift_id: int
    closed_at: datetime
    counted_by: str
    approved_by: str | None  # a supervisor who approved the count, if one did
    counted: DrawerCount
    expected_usd_cents: int
    expected_khr: int
    sales_count: int
    sales_cents: int

    @property
    def difference_usd_cents(self) -> int:
        return self.counted.usd_cents - self.expected_usd_cents

    @property
    def difference_khr(self) -> int:
        return self.counted.khr - self.expected_khr


@dataclass(frozen=True)
class Shift:
    """One shift of one counter: its number within the counter's business day (1, 2, ...)."""

    id: int
    counter_code: str
    business_date: date
    number: int
    opened_at: datetime
    opened_by: str
    opening: DrawerCount
    origin: ShiftOrigin = ShiftOrigin.OPENED
    close: ShiftClose | None = None

    @property
    def is_open(self) -> bool:
        return self.close is None

    @property
    def label(self) -> str:
        """`shift 2 of 2026-11-25 at counter A`."""
        return _("shift {number} of {day} at counter {counter}").format(
            number=self.number, day=self.business_date.isoformat(), counter=self.counter_code
        )

    @property
    def short(self) -> str:
        """`2026-11-25 #2`: how lists and file names say it."""
        return f"{self.business_date.isoformat()} #{self.number}"


@dataclass(frozen=True)
class NewShift:
    """A shift before it gets its number and its chain hash."""

    counter_code: str
    business_date: date
    opened_at: datetime
    opened_by: int
    opening: DrawerCount
    origin: ShiftOrigin = ShiftOrigin.OPENED


@dataclass(frozen=True)
class NewShiftClose:
    shift_id: int
    closed_at: datetime
    counted_by: int
    approved_by: int | None
    counted: DrawerCount
    expected_usd_cents: int
    expected_khr: int
    sales_count: int
    sales_cents: int


@dataclass(frozen=True)
class DayReopen:
    """A closed day opened again by a supervisor, with the reason and the shift it opened."""

    id: int
    counter_code: str
    business_date: date
    reopened_at: datetime
    reopened_by: str
    reason: str
    shift_id: int


def shift_cash(shift: Shift, sales: Iterable[Sale]) -> CashCount:
    """The drawer of one shift: its opening count, what its standing sales left in it, and
    (once closed) what was counted, by whom and who approved it."""
    cash = expected_cash(shift.opening, sales)
    if shift.close is None:
        return cash
    close = shift.close
    return counted(
        cash, close.counted.usd_cents, close.counted.khr, close.approved_by or "", close.counted_by
    )


def closing_figures(shift: Shift, sales: Sequence[Sale]) -> tuple[CashCount, int, int]:
    """What a shift's close records besides the count: expected cash, sales and their sum."""
    standing = [s for s in sales if not s.voided]
    return (
        expected_cash(shift.opening, sales),
        len(standing),
        sum(s.amount_cents for s in standing),
    )


def check_reason(reason: str) -> str:
    """The reason tidied; ValueError-free: the caller's error class says it."""
    return " ".join((reason or "").split())


def day_state(shift: Shift | None, day_closed: bool) -> str:
    """What an X report says first: whether its shift and its day are closed."""
    if day_closed:
        if shift is None:
            return _("The day is closed.")
        return _("Shift {number} and the day are closed.").format(number=shift.number)
    if shift is None:
        return _("No shift opened yet; the day is open.")
    if shift.is_open:
        return _("Shift {number} is open; the day stays open.").format(number=shift.number)
    return _("Shift {number} is closed; the day stays open.").format(number=shift.number)


def count_words(count: DrawerCount) -> str:
    """`$64.00 and 12,000៛`: a drawer count as a sentence says it."""
    return _("{usd} and {khr}").format(
        usd=format_usd_for(count.usd_cents), khr=format_khr_for(count.khr)
    )


def difference_words(cents: int, riel: int) -> str:
    """`$1.00 over and 500៛ short`, or `exact`: a count against the expected cash."""

    def one(text: str, amount: int) -> str:
        if amount > 0:
            return _("{amount} over").format(amount=text)
        if amount < 0:
            return _("{amount} short").format(amount=text)
        return _("{amount} exact").format(amount=text)

    return _("{usd} and {khr}").format(
        usd=one(format_usd_for(abs(cents)), cents), khr=one(format_khr_for(abs(riel)), riel)
    )


@dataclass(frozen=True)
class ShiftClosed:
    """A shift just closed: the shift, its drawer (expected after refunds, and counted),
    the code printed on its Z report, and where that report went (or why it did not)."""

    shift: Shift
    cash: CashCount
    code: str = ""
    report_path: Path | None = None
    report_error: str | None = None
    printed: str = ""  # what the receipt printer said of the roll copy, if one was asked


@dataclass(frozen=True)
class ShiftStatus:
    """What `counter shift status` says: the counter's open shift (if any), the day's
    shifts, whether the day is closed, and the cash expected now (None: counted blind)."""

    counter_code: str
    day: date
    open: Shift | None
    shifts: tuple[Shift, ...]
    day_closed: bool
    expected: CashCount | None


def in_shift(shift: Shift, at: datetime, until: datetime | None = None) -> bool:
    """Whether a moment falls in the shift: from its opening to its close (or `until`)."""
    end = shift.close.closed_at if shift.close is not None else until
    return at >= shift.opened_at and (end is None or at <= end)
