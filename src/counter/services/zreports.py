"""Z reports: a shift's at its close, and any closed shift's or day's written again.

A shift close records the blind count, then works out what the drawer should have held
(opening, the shift's sales, less its refunds), writes a checkpoint of every chain's head
in the same transaction and prints that checkpoint's code on the shift's Z report. The
report is written after the commit: a crash or a full disk between the two leaves a
closed shift (or day) with no report, which `z_report` writes again, marked as a copy,
from the figures the close recorded.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from counter.domain.cash_count import CashCount as DrawerCount
from counter.domain.dayend import CashCount, DaySummary, summarise
from counter.domain.errors import DayEndRefused, ShiftRefused
from counter.domain.receipt import PrintResult
from counter.domain.records import Approval, Sale, User, Void
from counter.domain.shifts import Shift, ShiftClosed, day_state
from counter.i18n import _
from counter.services.dayend import day_ref
from counter.services.ports import Ledger, ReportPrinter, UnitOfWork
from counter.services.queries import delivery_section
from counter.services.shifts import close_shift_in, shift_refunds


def shift_ref(shift: Shift) -> str:
    """How a shift close's checkpoint names it: `A 2026-11-25 #2`."""
    return f"{shift.counter_code} {shift.business_date.isoformat()} #{shift.number}"


class _Papers:
    """What one Z report shows, read in the caller's transaction: its sales and voids."""

    def __init__(
        self,
        ledger: Ledger,
        uow: UnitOfWork,
        day: date,
        counter: str,
        sales: list[Sale],
        shift: Shift | None = None,
    ) -> None:
        info = uow.shop.info(ledger.counter_code, ledger.policy.default_riel_per_usd)
        self.shop_name = info.name if info else ""
        self.day = day
        self.counter = counter
        self.sales = sales
        mine = {s.receipt_no for s in sales}
        self.voids: list[Void] = [
            v for v in uow.voids.of_day(day, [counter]) if v.receipt_no in mine
        ]
        # The deliveries section, as the X report's: a shift's own sales and the refunds
        # paid while it was open, or the whole day's.
        self.deliveries = (
            delivery_section(ledger, uow, day, [counter])
            if shift is None
            else delivery_section(
                ledger,
                uow,
                day,
                [counter],
                sale_ids=frozenset(s.id for s in sales),
                refunds=shift_refunds(uow, shift, ledger.clock()),
            )
        )

    def summary(self, ledger: Ledger, printed_by: str, now: datetime) -> DaySummary:
        found = summarise(
            self.sales,
            self.voids,
            shop_name=self.shop_name,
            day=self.day,
            counters=[self.counter],
            printed_by=printed_by,
            printed_at=now,
            rules=ledger.rules,
            zone=ledger.zone,
        )
        return replace(found, deliveries=self.deliveries)


def _write(
    ledger: Ledger,
    papers: _Papers,
    cash: CashCount,
    *,
    stem: str,
    title: str,
    printed_by: str,
    now: datetime,
    output: Path | None,
) -> Path:
    """The Z report PDF, or DayEndRefused saying why it could not be written."""
    if ledger.reports is None:
        raise DayEndRefused(_("This counter has no place to write reports."))
    (path,) = ledger.reports.write(
        "pdf",
        papers.summary(ledger, printed_by, now),
        papers.sales,
        papers.voids,
        stem=stem,
        output=output,
        title=title,
        cash=cash,
    )
    return path


def _shift_stem(shift: Shift) -> str:
    return f"{shift.business_date.isoformat()}-{shift.counter_code}-shift-{shift.number}-z-report"


def close_shift(
    ledger: Ledger,
    counter_code: str,
    count: DrawerCount,
    *,
    counted_by: User,
    supervisor: Approval | None = None,
    now: datetime | None = None,
    output: Path | None = None,
    accept_open_deliveries: bool = False,
) -> ShiftClosed:
    """Close the counter's open shift with the drawer as counted (blind: the expected
    cash and the difference are known only once the count is recorded), checkpoint the
    ledger, and write the shift's Z report; a report that cannot be written is said."""
    when = ledger.now(now)
    with ledger.uow() as uow:
        shift, cash = close_shift_in(
            ledger,
            uow,
            counter_code,
            count,
            counted_by=counted_by,
            supervisor=supervisor,
            now=when,
            accept_open_deliveries=accept_open_deliveries,
        )
        papers = _Papers(
            ledger, uow, shift.business_date, counter_code, uow.shifts.sales(shift), shift
        )
        mark = uow.anchors.checkpoint("shift_close", shift_ref(shift), counter_code, when)
        closed_day = uow.counters.is_day_closed(counter_code, shift.business_date)
        uow.commit()
    cash = replace(cash, code=mark.code, state=day_state(shift, closed_day))
    result = ShiftClosed(shift, cash, mark.code)
    try:
        path = _write(
            ledger,
            papers,
            cash,
            stem=_shift_stem(shift),
            title="Z report (shift close)",
            printed_by=counted_by.name,
            now=when,
            output=output,
        )
    except DayEndRefused as exc:
        return replace(result, report_error=str(exc))
    return replace(result, report_path=path)


def z_report(
    ledger: Ledger,
    day: date,
    counter_code: str,
    *,
    shift_number: int | None = None,
    printed_by: str,
    now: datetime | None = None,
    output: Path | None = None,
) -> Path:
    """The Z report of a closed day (its latest close) or of one closed shift, written
    again from what the close recorded and marked as a copy."""
    when = ledger.now(now)
    with ledger.uow(write=False) as uow:
        if shift_number is None:
            papers, cash, stem = _day_copy(ledger, uow, day, counter_code)
            title = "Z report (day close), copy"
        else:
            papers, cash, stem = _shift_copy(ledger, uow, day, counter_code, shift_number)
            title = "Z report (shift close), copy"
    return _write(
        ledger,
        papers,
        cash,
        stem=f"{stem}-copy",
        title=title,
        printed_by=printed_by,
        now=when,
        output=output,
    )


def _day_copy(
    ledger: Ledger, uow: UnitOfWork, day: date, counter: str
) -> tuple[_Papers, CashCount, str]:
    close = uow.dayend.close(counter, day)
    if close is None or not uow.counters.is_day_closed(counter, day):
        raise ShiftRefused(
            _("The day {day} at counter {counter} is not closed: it has no Z report yet.").format(
                day=day.isoformat(), counter=counter
            )
        )
    mark = uow.anchors.checkpoint_of("day_close", day_ref(close))
    shifts = uow.shifts.of_day(counter, day)
    cash = CashCount(
        close.opening_usd_cents,
        close.opening_khr,
        close.expected_usd_cents,
        close.expected_khr,
        close.counted_usd_cents,
        close.counted_khr,
        close.closed_by,
        close.counted_by,
        state=day_state(shifts[-1] if shifts else None, True),
        code=mark.code if mark else "",
    )
    papers = _Papers(ledger, uow, day, counter, uow.sales.of_day(day, [counter]))
    return papers, cash, f"{day.isoformat()}-{counter}-z-report"


def _shift_copy(
    ledger: Ledger, uow: UnitOfWork, day: date, counter: str, number: int
) -> tuple[_Papers, CashCount, str]:
    shift = next((s for s in uow.shifts.of_day(counter, day) if s.number == number), None)
    if shift is None or shift.close is None:
        raise ShiftRefused(
            _(
                "Shift {number} of {day} at counter {counter} is not closed: it has no Z report."
            ).format(number=number, day=day.isoformat(), counter=counter)
        )
    close = shift.close
    mark = uow.anchors.checkpoint_of("shift_close", shift_ref(shift))
    cash = CashCount(
        shift.opening.usd_cents,
        shift.opening.khr,
        close.expected_usd_cents,
        close.expected_khr,
        close.counted.usd_cents,
        close.counted.khr,
        close.approved_by or "",
        close.counted_by,
        state=day_state(shift, uow.counters.is_day_closed(counter, day)),
        code=mark.code if mark else "",
    )
    papers = _Papers(ledger, uow, day, counter, uow.shifts.sales(shift), shift)
    return papers, cash, _shift_stem(shift)


def print_z(
    ledger: Ledger,
    roll: ReportPrinter,
    day: date,
    counter_code: str,
    *,
    shift_number: int | None = None,
    printed_by: str,
    copy: bool = False,
    now: datetime | None = None,
) -> PrintResult:
    """A closed day's or shift's Z report on the receipt roll, from what its close
    recorded (with its Z code); `copy` marks a reprint."""
    when = ledger.now(now)
    with ledger.uow(write=False) as uow:
        if shift_number is None:
            papers, cash, _stem = _day_copy(ledger, uow, day, counter_code)
            title = _("Z report (day close)")
        else:
            papers, cash, _stem = _shift_copy(ledger, uow, day, counter_code, shift_number)
            title = _("Z report (shift close)")
    if copy:
        title = _("{title}, copy").format(title=title)
    return roll.print_report(title, papers.summary(ledger, printed_by, when), cash)
