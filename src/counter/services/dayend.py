"""Day end: the opening cash of the drawer, the daily sales report, the X report and the
day close (Z report).

A report is a pure read of one business day in ONE transaction: the day's sales and voids
through the (counter_code, business_date) and business_date indexes, summarised by the
domain (`domain.dayend.summarise`), so its lines and its totals always agree and it is the
same however often it is printed; its cost follows the size of the day, not of the ledger.

A day close is append-only and hash-chained; after it the day's sales and voids at that
counter are refused (see `domain.errors.DayClosed` for why refused, not moved). The
supervisor's PIN is checked in the close's own transaction, and the Z report is written
from the very figures that transaction closed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from counter.domain.cash_count import CashCount as DrawerCount
from counter.domain.dayend import (
    CashCount,
    DaySummary,
    check_drawer,
    counted,
    expected_cash,
    summarise,
)
from counter.domain.drawer import added
from counter.domain.errors import DayEndRefused, NotAllowed, ShiftRefused
from counter.domain.records import (
    Approval,
    DayClose,
    NewDayClose,
    Role,
    Sale,
    User,
    Void,
)
from counter.domain.shifts import Shift, day_state, shift_cash
from counter.i18n import _, use_language
from counter.services.access import approve, require_role
from counter.services.days import check_day, checked_day
from counter.services.deliveries import less_refunds, note_accepted, refuse_open_deliveries
from counter.services.disclosure import allow_numbers
from counter.services.ports import Ledger, ReportWriter, UnitOfWork
from counter.services.queries import delivery_section
from counter.services.restore import restore_notes
from counter.services.sales import business_date
from counter.services.shifts import close_in, open_shift

FORMATS: tuple[str, ...] = ("pdf", "csv", "xlsx")


def _name(user: User | str) -> str:
    return user.name if isinstance(user, User) else user


def _when(ledger: Ledger, now: datetime | None) -> datetime:
    return ledger.now(now)


def _counters(uow: UnitOfWork, counter_code: str | None) -> list[str]:
    codes = uow.counters.codes()
    if counter_code is None:
        return codes
    if counter_code not in codes:
        raise DayEndRefused(
            _("There is no counter {code} in this ledger (counters: {codes}).").format(
                code=counter_code, codes=", ".join(codes) or _("none")
            )
        )
    return [counter_code]


def _writer(ledger: Ledger) -> ReportWriter:
    if ledger.reports is None:
        raise DayEndRefused(_("This counter has no place to write reports."))
    return ledger.reports


def _stem(day: date, counter_code: str | None, kind: str) -> str:
    return f"{day.isoformat()}-{counter_code or 'all'}-{kind}"


class _Day:
    """One business day read in one transaction: its sales, voids and what they sum to."""

    def __init__(
        self, ledger: Ledger, uow: UnitOfWork, day: date, counters: list[str], printed_by: str
    ) -> None:
        info = uow.shop.info(ledger.counter_code, ledger.policy.default_riel_per_usd)
        self.shop_name = info.name if info else ""
        self.day = day
        self.counters = counters
        self.printed_by = printed_by
        self.sales: list[Sale] = uow.sales.of_day(day, counters)
        self.voids: list[Void] = uow.voids.of_day(day, counters)
        self.lost = restore_notes(uow, day, counters)  # numbers lost in a restore that day
        # The one place every report (daily, X, Z) reads its deliveries section.
        self.deliveries = delivery_section(ledger, uow, day, counters)

    def summary(self, ledger: Ledger, now: datetime) -> DaySummary:
        found = summarise(
            self.sales,
            self.voids,
            shop_name=self.shop_name,
            day=self.day,
            counters=self.counters,
            printed_by=self.printed_by,
            printed_at=now,
            rules=ledger.rules,
            zone=ledger.zone,
        )
        return replace(found, warnings=(*found.warnings, *self.lost), deliveries=self.deliveries)


def day_report(
    ledger: Ledger,
    day: date,
    counter_code: str | None,
    *,
    printed_by: User | str,
    now: datetime | None = None,
) -> DaySummary:
    """Every figure of one business day at one counter (None: all counters). A pure read."""
    when = _when(ledger, now)
    with ledger.uow(write=False) as uow:
        check_day(ledger, uow, day, when)
        read = _Day(ledger, uow, day, _counters(uow, counter_code), _name(printed_by))
    return read.summary(ledger, when)


def write_report(
    ledger: Ledger,
    day: date,
    counter_code: str | None,
    fmt: str,
    output: Path | None = None,
    *,
    printed_by: User | str,
    now: datetime | None = None,
    language: str | None = None,
    by: User | Approval | None = None,
) -> list[Path]:
    """The day's report as PDF, CSV (sales + totals files) or XLSX; the paths written.

    `language` (`en`, `zh`; default: the active language) is the PDF's; CSV and XLSX
    headers stay English, they are a data contract. Default folder: the reports folder;
    names like `2026-11-25-A-sales.pdf`. CSV and XLSX list every sale with its number:
    a supervisor's (`by`, else `printed_by` when a logged-in user), audited; the PDF's
    totals are open to the clerk.
    """
    if fmt not in FORMATS:
        raise DayEndRefused(
            _("{format!r} is not a report format: use pdf, csv or xlsx.").format(format=fmt)
        )
    if fmt != "pdf":
        _allow_sales_lines(ledger, by or printed_by, day, counter_code, fmt)
    when = _when(ledger, now)
    with ledger.uow(write=False) as uow:
        check_day(ledger, uow, day, when)
        read = _Day(ledger, uow, day, _counters(uow, counter_code), _name(printed_by))
    with use_language(language):  # the report's warnings are worded in the PDF's language
        summary = read.summary(ledger, when)
    return _writer(ledger).write(
        fmt,
        summary,
        read.sales,
        read.voids,
        stem=_stem(day, counter_code, "sales"),
        output=output,
        title="Daily sales report",
        language=language,
    )


def _allow_sales_lines(
    ledger: Ledger, by: User | Approval | str, day: date, counter_code: str | None, fmt: str
) -> None:
    if isinstance(by, str):
        raise NotAllowed(
            _(
                "A {format} report lists every customer's number: it needs a supervisor's "
                "name and PIN."
            ).format(format=fmt.upper())
        )
    allow_numbers(
        ledger, by, "report_exported", day=day.isoformat(), counter=counter_code, format=fmt
    )


# --- opening cash and the X report --------------------------------------------------------


def record_opening_cash(
    ledger: Ledger,
    day: date,
    counter_code: str,
    usd_cents: int,
    khr: int,
    *,
    by: User,
    now: datetime | None = None,
) -> None:
    """The cash in the drawer at the start of a shift: opens the counter's shift (kept as
    the name of the day's opening cash, which is now the first shift's opening count)."""
    check_drawer(usd_cents, khr, _("opening cash"))
    checked_day(ledger, day, now)
    open_shift(ledger, day, counter_code, DrawerCount(usd_cents, khr), by=by, now=now)


def _day_cash(uow: UnitOfWork, shifts: list[Shift], read: _Day, counter_code: str) -> CashCount:
    """The day's drawer: each shift's opening, expected and counted cash, added up (a
    sale recorded before shifts counts in shift 1), less the refunds of failed or reversed
    deliveries paid out of it. No shift: nothing opened, $0."""
    if not shifts:
        cash = expected_cash(None, read.sales)
    else:
        cash = added(shift_cash(shift, uow.shifts.sales(shift)) for shift in shifts)
    return less_refunds(cash, uow.refunds.of_day(read.day, [counter_code]))


# --- day close (Z report) ------------------------------------------------------------------


def close_day(
    ledger: Ledger,
    day: date,
    counter_code: str,
    *,
    counted_usd_cents: int | None,
    counted_khr: int | None,
    supervisor_name: str,
    supervisor_pin: str,
    by: User,
    now: datetime | None = None,
    output: Path | None = None,
    accept_open_deliveries: bool = False,
    drawer: DrawerCount | None = None,
) -> DayClose:
    """Close a business day at a counter with a supervisor's PIN and write its Z report.

    `drawer`, a count by note from the screen's count form, stands for the two counted
    totals (and is recorded note by note on the shift it closes).

    The close row (expected, counted, who, when) is appended to its hash chain in the same
    transaction as the counter row lock and the PIN check, so no sale slips in between the
    figures and the close. The Z report PDF is written after the commit; if writing it
    fails the day is still closed and `report_error` says why.
    """
    count = _count_of(drawer, counted_usd_cents, counted_khr)
    when = _when(ledger, now)
    if day > business_date(ledger, when):
        raise DayEndRefused(
            _("{day} has not started yet: a day is closed at its end.").format(day=day.isoformat())
        )
    with ledger.uow() as uow:
        check_day(ledger, uow, day, when)
        supervisor = approve(
            ledger, uow, Approval(supervisor_name, supervisor_pin), when, _close_refused
        )
        # Locked like a sale does: no sale of this counter slips in between figures and close.
        if not uow.counters.lock(counter_code):
            _counters(uow, counter_code)  # raises with the list of counters
        counter_user = require_role(uow, by, Role.CLERK, _("count the drawer"))
        _refuse_closed_day(uow, counter_code, day)
        waiting = refuse_open_deliveries(uow, day, counter_code, accepted=accept_open_deliveries)
        note_accepted(uow, waiting, day, counter_code, supervisor.name, when)
        shifts = _close_last_shift(uow, counter_code, day, count, counter_user, supervisor, when)
        read = _Day(ledger, uow, day, [counter_code], supervisor.name)
        cash = _day_cash(uow, shifts, read, counter_code)
        if not shifts:  # nothing was opened that day: the count stands against $0
            assert count is not None  # _check_count asks for one
            cash = counted(cash, count.usd_cents, count.khr, supervisor.name)
        cash = replace(cash, closed_by=supervisor.name, counted_by=counter_user.name)
        closed = _append_close(uow, read, cash, supervisor, counter_user, when)
        mark = uow.anchors.checkpoint("day_close", day_ref(closed), counter_code, when)
        state = day_state(shifts[-1] if shifts else None, True)
        cash = replace(cash, code=mark.code, state=state)
        closed = replace(closed, code=mark.code)
        uow.commit()
    return _write_z(ledger, closed, read, cash, when, output)


def _refuse_closed_day(uow: UnitOfWork, counter_code: str, day: date) -> None:
    if uow.counters.is_day_closed(counter_code, day):
        raise DayEndRefused(
            _("The day {day} at counter {counter} is already closed: a day is closed once.").format(
                day=day.isoformat(), counter=counter_code
            )
        )


def _count_of(
    drawer: DrawerCount | None, usd_cents: int | None, khr: int | None
) -> DrawerCount | None:
    """The count the close was given (checked), or None when it was given none."""
    count = drawer
    if count is None and (usd_cents is not None or khr is not None):
        count = DrawerCount(usd_cents or 0, khr or 0)
    if count is not None:
        check_drawer(count.usd_cents, count.khr, _("counted cash"))
    return count


def day_ref(closed: DayClose) -> str:
    """How a day close's checkpoint names it: `A 2026-11-25` (`A 2026-11-25 2` after a
    reopening)."""
    ref = f"{closed.counter_code} {closed.business_date.isoformat()}"
    return ref if closed.close_no == 1 else f"{ref} {closed.close_no}"


def _close_last_shift(
    uow: UnitOfWork,
    counter_code: str,
    day: date,
    count: DrawerCount | None,
    counter: User,
    supervisor: User,
    now: datetime,
) -> list[Shift]:
    """The day's shifts once the open one (if it is of this day) is closed with `count`.

    A day is the roll-up of its shifts: an open shift of another day is refused in words;
    with every shift already closed the day adds up their counts (`count` is then None).
    """
    open_now = uow.shifts.open_shift(counter_code)
    if open_now is not None and open_now.business_date != day:
        raise ShiftRefused(
            _(
                "Shift {number} of {other} is still open at counter {counter}: close it "
                "before closing {day}."
            ).format(
                number=open_now.number,
                other=open_now.business_date.isoformat(),
                counter=counter_code,
                day=day.isoformat(),
            )
        )
    _check_count(uow, counter_code, day, count, open_now)
    if open_now is not None and count is not None:
        close_in(uow, open_now, count, counted_by=counter, approved_by=supervisor, now=now)
    return uow.shifts.of_day(counter_code, day)


def _check_count(
    uow: UnitOfWork, counter_code: str, day: date, count: DrawerCount | None, open_now: Shift | None
) -> None:
    """A count is given exactly when there is a drawer to count: an open shift of the day,
    or a day with no shift at all."""
    if open_now is not None and open_now.business_date == day and count is None:
        raise ShiftRefused(
            _(
                "Shift {number} is open at counter {counter}: give the counted cash to close "
                "it with the day, or close the shift first."
            ).format(number=open_now.number, counter=counter_code)
        )
    if open_now is None and count is None and not uow.shifts.of_day(counter_code, day):
        raise ShiftRefused(
            _("No shift was opened on {day}: give the counted cash.").format(day=day.isoformat())
        )
    if open_now is None and count is not None and uow.shifts.of_day(counter_code, day):
        raise ShiftRefused(
            _(
                "Every shift of {day} at counter {counter} is closed and counted: the day "
                "close adds up their counts, so leave the counted cash out."
            ).format(day=day.isoformat(), counter=counter_code)
        )


def _close_refused(user: User) -> NotAllowed:
    return NotAllowed(
        _("{name} is a {role}: only a supervisor or admin can close the day.").format(
            name=user.name, role=user.role.word
        )
    )


def _append_close(
    uow: UnitOfWork, read: _Day, cash: CashCount, supervisor: User, counter: User, now: datetime
) -> DayClose:
    """Append the close (`cash` with what was counted) to its chain, and audit it."""
    assert cash.counted_usd_cents is not None and cash.counted_khr is not None
    standing = [s for s in read.sales if not s.voided]
    close_no = len(uow.shifts.reopens(read.counters[0], read.day)) + 1
    closed = uow.dayend.add_close(
        NewDayClose(
            counter_code=read.counters[0],
            business_date=read.day,
            closed_at=now,
            closed_by=supervisor.id,
            counted_by=counter.name,
            opening_usd_cents=cash.opening_usd_cents,
            opening_khr=cash.opening_khr,
            expected_usd_cents=cash.expected_usd_cents,
            expected_khr=cash.expected_khr,
            counted_usd_cents=cash.counted_usd_cents,
            counted_khr=cash.counted_khr,
            sales_count=len(standing),
            sales_cents=sum(s.amount_cents for s in standing),
            close_no=close_no,
        ),
        supervisor.name,
    )
    uow.audit.append(
        now,
        supervisor.name,
        "day_closed",
        counter=closed.counter_code,
        day=closed.business_date.isoformat(),
        counted_by=counter.name,
        expected_usd_cents=closed.expected_usd_cents,
        expected_khr=closed.expected_khr,
        counted_usd_cents=closed.counted_usd_cents,
        counted_khr=closed.counted_khr,
        difference_usd_cents=closed.difference_usd_cents,
        difference_khr=closed.difference_khr,
    )
    return closed


def _write_z(
    ledger: Ledger,
    closed: DayClose,
    read: _Day,
    cash: CashCount,
    now: datetime,
    output: Path | None,
) -> DayClose:
    """The Z report of the close just recorded; a failure to write it is said, not raised."""
    try:
        (path,) = _writer(ledger).write(
            "pdf",
            read.summary(ledger, now),
            read.sales,
            read.voids,
            stem=_stem(closed.business_date, closed.counter_code, "z-report"),
            output=output,
            title="Z report (day close)",
            cash=cash,
        )
    except DayEndRefused as exc:
        return replace(closed, report_error=str(exc))
    return replace(closed, report_path=path)
