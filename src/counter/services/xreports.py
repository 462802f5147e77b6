"""The X report: the day so far at one counter, with the cash expected in the drawer.

Nothing is closed or written in the ledger: its figures are read in one transaction,
with the same `_Day` reading the daily report and the Z report use (`services.dayend`).

The count is blind (`Policy.counts_blind`): while the counter's shift is open, someone
who counts blind gets the report without the expected cash (`drawer.withheld`), so the
PDF, the roll, the screen and the command line cannot show it; what was taken by tender
is in the report's payments either way. Whoever prints it is its reader: a `User` by
their role, a plain name (an operating-system user at the command line) as a clerk.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from counter.domain.dayend import CashCount, XReport
from counter.domain.drawer import withheld
from counter.domain.receipt import PrintResult
from counter.domain.records import Role, User
from counter.domain.shifts import Shift, day_state
from counter.i18n import _
from counter.services.dayend import _counters, _Day, _day_cash, _name, _stem, _when, _writer
from counter.services.days import check_day
from counter.services.ports import Ledger, ReportPrinter, UnitOfWork


def _read_x(
    ledger: Ledger, uow: UnitOfWork, day: date, counter_code: str, printed_by: User | str
) -> tuple[_Day, list[Shift], CashCount, bool]:
    """What an X report shows, read in the caller's one transaction."""
    read = _Day(ledger, uow, day, _counters(uow, counter_code), _name(printed_by))
    shifts = uow.shifts.of_day(counter_code, day)
    closed = uow.counters.is_day_closed(counter_code, day)
    cash = _day_cash(uow, shifts, read, counter_code)
    last = shifts[-1] if shifts else None
    # Every shift counted: who counted them (the roll-up of the shifts keeps no names).
    counters = dict.fromkeys(s.close.counted_by for s in shifts if s.close is not None)
    cash = replace(cash, state=day_state(last, closed), counted_by=", ".join(counters))
    if last is not None and last.is_open and reads_blind(ledger, printed_by):
        cash = withheld(cash)
    return read, shifts, cash, closed


def reads_blind(ledger: Ledger, reader: User | str) -> bool:
    """Whether `reader` counts blind: a plain name (no PIN given) reads as a clerk."""
    role = reader.role if isinstance(reader, User) else Role.CLERK
    return ledger.policy.counts_blind(role)


def x_report(
    ledger: Ledger,
    day: date,
    counter_code: str,
    *,
    printed_by: User | str,
    now: datetime | None = None,
) -> XReport:
    """The report so far with the cash expected; nothing is closed or written."""
    when = _when(ledger, now)
    with ledger.uow(write=False) as uow:
        check_day(ledger, uow, day, when)
        read, shifts, cash, closed = _read_x(ledger, uow, day, counter_code, printed_by)
    return XReport(read.summary(ledger, when), cash, closed, tuple(shifts))


def write_x_report(
    ledger: Ledger,
    day: date,
    counter_code: str,
    output: Path | None = None,
    *,
    printed_by: User | str,
    now: datetime | None = None,
) -> tuple[XReport, Path]:
    """The X report as a PDF (default `reports/2026-11-25-A-x-report.pdf`): its lines and
    its totals from one transaction."""
    when = _when(ledger, now)
    with ledger.uow(write=False) as uow:
        check_day(ledger, uow, day, when)
        read, shifts, cash, closed = _read_x(ledger, uow, day, counter_code, printed_by)
    report = XReport(read.summary(ledger, when), cash, closed, tuple(shifts))
    (path,) = _writer(ledger).write(
        "pdf",
        report.summary,
        read.sales,
        read.voids,
        stem=_stem(day, counter_code, "x-report"),
        output=output,
        title="X report (day closed)" if closed else "X report (day not closed)",
        cash=cash,
    )
    return report, path


def print_x_report(
    ledger: Ledger,
    roll: ReportPrinter,
    day: date,
    counter_code: str,
    *,
    printed_by: User | str,
    now: datetime | None = None,
) -> PrintResult:
    """The X report on the receipt roll: the same figures as the PDF, in one read."""
    report = x_report(ledger, day, counter_code, printed_by=printed_by, now=now)
    title = _("X report (day closed)") if report.closed else _("X report (day not closed)")
    return roll.print_report(title, report.summary, report.cash)
