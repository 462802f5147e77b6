"""The X report: the day so far at one counter, with the cash expected in the drawer.

Nothing is closed or written in the ledger: its figures are read in one transaction,
with the same `_Day` reading the daily report and the Z report use (`services.dayend`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from counter.domain.dayend import CashCount, XReport
from counter.domain.receipt import PrintResult
from counter.domain.records import User
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
    state = day_state(shifts[-1] if shifts else None, closed)
    return read, shifts, replace(cash, state=state), closed


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
