"""Reports (F10 on the sale screen): a day's figures at this counter or all counters,
the X report, the daily report as PDF, CSV or XLSX, the day close (Z report), the
operators' airtime balances and restocks.

Every figure comes from a use case called in a thread worker; the screen never waits on
the ledger. The date box takes digits and `-` only, so the letter keys (priority bindings, which a
FieldInput leaves alone when its `restrict` refuses the character) always reach the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Static

from counter import services
from counter.domain.cash_count import CashCount as DrawerCount
from counter.domain.dayend import CashCount, DaySummary
from counter.domain.records import DayClose
from counter.domain.shifts import count_words, difference_words
from counter.i18n import _
from counter.i18n import format_usd_for as format_usd
from counter.ui.errors import WorkerErrorsToApp
from counter.ui.lang import N_
from counter.ui.screens.reports_shift import ShiftCloseReports, cash_text
from counter.ui.show import day_text, ljust, operator_title, rjust
from counter.ui.till import Till
from counter.ui.widgets.field_input import FieldInput
from counter.ui.widgets.footer import CounterFooter
from counter.ui.work import in_thread


class ReportsScreen(ShiftCloseReports, WorkerErrorsToApp):
    CSS_PATH = "reports.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "move_day(-1)", N_("Day before"), id="reports-day-before"),
        Binding("f3", "move_day(1)", N_("Day after"), id="reports-day-after"),
        Binding("f4", "today", N_("Today"), id="reports-today"),
        Binding(
            "a", "toggle_counters", N_("This/all counters"), id="reports-counters", priority=True
        ),
        Binding("x", "x_report", N_("X report"), id="reports-x", priority=True),
        Binding("p", "write('pdf')", "PDF", id="reports-pdf", priority=True),
        Binding("c", "write('csv')", "CSV", id="reports-csv", priority=True),
        Binding("s", "write('xlsx')", "XLSX", id="reports-xlsx", priority=True),
        Binding("z", "close_day", N_("Close day"), id="reports-close-day", priority=True),
        Binding("r", "restock", N_("Restock"), id="reports-restock", priority=True),
        Binding("e", "rate", N_("Exchange rate"), id="reports-rate", priority=True),
        Binding("o", "open_shift", N_("Open a shift"), id="reports-open-shift", priority=True),
        Binding("t", "printer_test", N_("Printer test"), id="reports-printer-test", priority=True),
        Binding("u", "users", N_("Users"), id="reports-users", priority=True),
        Binding("k", "close_shift", N_("Close shift"), id="reports-close-shift", priority=True),
        Binding("l", "khqr_review", N_("Late KHQR"), id="reports-khqr", priority=True),
        Binding("escape", "back", N_("Back"), id="reports-back"),
    ]

    @dataclass
    class Loaded(Message):
        day: date
        all_counters: bool
        summary: DaySummary
        cash: CashCount | None
        closed: bool
        balances: list[tuple[str, int]]

    @dataclass
    class Written(Message):
        what: str
        paths: list[Path]

    @dataclass
    class CloseReady(Message):
        day: date
        cash: CashCount
        closed: bool
        counted: bool = False  # every shift of the day is closed: the day takes no count

    def __init__(self, till: Till) -> None:
        super().__init__()
        self.till = till
        self.day = till.today()
        self.all_counters = False
        self.closed = False

    def compose(self) -> ComposeResult:
        yield Static("", id="reports-title", classes="shop-bar")
        with Horizontal(id="reports-choice"):
            yield Label(_("Day"), classes="field-label")
            yield FieldInput(
                self.day.isoformat(), restrict=r"[0-9-]*", max_length=10, id="report-day"
            )
            yield Static("", id="report-scope")
        with VerticalScroll(id="reports-body"):
            yield Static(_("Loading…"), id="report-figures", classes="panel")
            yield Static("", id="report-balances", classes="panel")
        yield Static(
            _(
                "x X report · p/c/s report as PDF/CSV/XLSX · a this/all counters · "
                "k close the shift · z close the day · r restock · Esc back"
            ),
            id="report-message",
            classes="status",
        )
        yield CounterFooter()

    def on_mount(self) -> None:
        self.query_one("#report-day", Input).focus()
        self.reload()

    async def language_changed(self) -> None:
        await self.recompose()
        self.on_mount()

    # -- choosing the day and counters --------------------------------------------------

    @on(Input.Submitted, "#report-day")
    def _day_typed(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            day = date.fromisoformat(event.value.strip())
        except ValueError:
            self._say(
                _("{text} is not a date: type it like 2026-11-25.").format(
                    text=event.value or _("Nothing")
                )
            )
            return
        self._set_day(day)

    def action_move_day(self, days: int) -> None:
        self._set_day(self.day + timedelta(days=days))

    def action_today(self) -> None:
        self._set_day(self.till.today())

    def _set_day(self, day: date) -> None:
        self.day = day
        self.query_one("#report-day", Input).value = day.isoformat()
        self.reload()

    def action_toggle_counters(self) -> None:
        self.all_counters = not self.all_counters
        self.reload()

    # -- figures --------------------------------------------------------------------------

    def reload(self) -> None:
        scope = (
            _("all counters")
            if self.all_counters
            else _("counter {counter}").format(counter=self.till.counter_code)
        )
        self.query_one("#reports-title", Static).update(
            Text.assemble((_("Reports"), "bold"), f" · {day_text(self.day)} · {scope}")
        )
        other = _("this counter") if self.all_counters else _("all counters")
        self.query_one("#report-scope", Static).update(
            _("{scope} (a: {other})").format(scope=scope, other=other)
        )
        self._load(self.day, self.all_counters)

    @in_thread(group="report-load", exclusive=True)
    def _load(self, day: date, all_counters: bool) -> None:
        ledger, clerk = self.till.ledger, self.till.clerk_now()
        cash: CashCount | None = None
        closed = False
        if all_counters:
            summary = services.day_report(ledger, day, None, printed_by=clerk)
        else:
            report = services.x_report(ledger, day, ledger.counter_code, printed_by=clerk)
            summary, cash, closed = report.summary, report.cash, report.closed
        balances = services.operator_balances(ledger)
        self.post_message(self.Loaded(day, all_counters, summary, cash, closed, balances))

    def on_reports_screen_loaded(self, message: Loaded) -> None:
        if (message.day, message.all_counters) != (self.day, self.all_counters):
            return  # an older choice
        if not message.all_counters:
            self.closed = message.closed
        self.query_one("#report-figures", Static).update(
            figures_text(message.summary, message.cash, message.closed)
        )
        self.query_one("#report-balances", Static).update(
            balances_text(message.balances, self.till)
        )

    # -- writing reports ----------------------------------------------------------------

    def action_x_report(self) -> None:
        self._say(_("Writing the X report…"))
        self._write_x(self.day)

    @in_thread(group="report-write")
    def _write_x(self, day: date) -> None:
        ledger = self.till.ledger
        _report, path = services.write_x_report(
            ledger, day, ledger.counter_code, printed_by=self.till.clerk_now()
        )
        self.post_message(self.Written(_("X report (the day stays open)"), [path]))

    def action_write(self, fmt: str) -> None:
        if fmt != "pdf" and not self._supervisor_here():
            self._ask_supervisor(fmt)  # a CSV or XLSX lists customers' numbers
            return
        self._say(_("Writing the daily report as {format}…").format(format=fmt.upper()))
        self._write(self.day, fmt, self.all_counters)

    @in_thread(group="report-write")
    def _write(self, day: date, fmt: str, all_counters: bool) -> None:
        ledger = self.till.ledger
        counter = None if all_counters else ledger.counter_code
        paths = services.write_report(ledger, day, counter, fmt, printed_by=self.till.clerk_now())
        self.post_message(
            self.Written(_("Daily report ({format})").format(format=fmt.upper()), paths)
        )

    def _supervisor_here(self) -> bool:
        from counter.domain.records import Role

        clerk = self.till.clerk
        return clerk is not None and clerk.role.at_least(Role.SUPERVISOR)

    def _ask_supervisor(self, fmt: str) -> None:
        """A clerk's CSV or XLSX: a supervisor's name and PIN first (ReportPinScreen)."""
        from counter.ui.modals.report_pin import ReportPinScreen

        what = _("Daily report ({format})").format(format=fmt.upper())
        counter = None if self.all_counters else self.till.counter_code

        def written(paths: list[Path] | None) -> None:
            if paths is None:
                self._say(_("No report written."))
            else:
                self.post_message(self.Written(what, paths))

        self.app.push_screen(ReportPinScreen(self.till, self.day, fmt, counter), written)

    def on_reports_screen_written(self, message: Written) -> None:
        where = _(" and ").join(str(path) for path in message.paths)
        written = _("{what} written").format(what=message.what)
        self._say(_("{written}: {where}").format(written=written, where=where), ok=True)
        self.notify(where, title=written, timeout=10)

    # -- day close and restock ----------------------------------------------------------

    def action_close_day(self) -> None:
        self._say(_("Counting what the drawer should hold…"))
        self._prepare_close(self.day)

    @in_thread(group="report-close")
    def _prepare_close(self, day: date) -> None:
        ledger = self.till.ledger
        report = services.x_report(
            ledger, day, ledger.counter_code, printed_by=self.till.clerk_now()
        )
        counted = bool(report.shifts) and report.shift_closed
        self.post_message(self.CloseReady(day, report.cash, report.closed, counted))

    def on_reports_screen_close_ready(self, message: CloseReady) -> None:
        from counter.ui.modals.close_day import CloseDayScreen

        if message.closed:
            self._say(
                _(
                    "The day {day} at counter {counter} is already closed: a day is closed once."
                ).format(day=message.day.isoformat(), counter=self.till.counter_code)
            )
            return
        self._say("")
        cash = message.cash
        self.app.push_screen(
            CloseDayScreen(
                self.till,
                message.day,
                cash.expected_usd_cents,
                cash.expected_khr,
                counted=message.counted,
            ),
            self._day_closed,
        )

    def _day_closed(self, close: DayClose | None) -> None:
        if close is None:
            self._say(_("Day not closed."))
            return
        if close.report_path is not None:
            tail = _("Z report: {path}").format(path=close.report_path)
        else:
            tail = _("the Z report was not written: {error}").format(error=close.report_error)
        text = _("Day {day} at counter {counter} closed by {name}; {tail}").format(
            day=close.business_date.isoformat(),
            counter=close.counter_code,
            name=close.closed_by,
            tail=tail,
        )
        # The count was blind: what the drawer should have held, and the difference, now.
        figures = _("Counted {counted}, expected {expected}: {difference}.").format(
            counted=count_words(DrawerCount(close.counted_usd_cents, close.counted_khr)),
            expected=count_words(DrawerCount(close.expected_usd_cents, close.expected_khr)),
            difference=difference_words(close.difference_usd_cents, close.difference_khr),
        )
        text = f"{figures} {text}"
        if close.roll_message:  # the Z on the receipt roll: printed, or why not
            text = f"{text} {close.roll_message}"
        self._say(text, ok=close.report_path is not None and close.roll_printed is not False)
        self.notify(text, title=_("Day closed"), timeout=15)
        self.reload()

    def action_open_shift(self) -> None:
        """Open a shift: the drawer counted (the opening cash form), then back here."""
        from counter.ui.modals.opening_cash import OpeningCashScreen

        self.app.push_screen(OpeningCashScreen(self.till), lambda _done: self.reload())

    def action_restock(self) -> None:
        from counter.ui.modals.restock import RestockScreen

        self.app.push_screen(RestockScreen(self.till), self._restocked)

    def _restocked(self, result: tuple[str, int] | None) -> None:
        if result is None:
            return
        operator_id, balance = result
        text = _("{operator} restocked: balance {amount}.").format(
            operator=operator_title(operator_id, self.till.rules), amount=format_usd(balance)
        )
        self._say(text, ok=True)
        self.notify(text, title=_("Restock recorded"))
        self.reload()

    def action_rate(self) -> None:
        from counter.ui.modals.rate import open_rate_form

        open_rate_form(self.app, self.till, lambda text: self._say(text, ok=True))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Users is a supervisor's or admin's: a clerk is not shown the key."""
        return action != "users" or self._supervisor_here()

    def action_users(self) -> None:
        from counter.ui.screens.users import UsersScreen

        self.app.push_screen(UsersScreen(self.till))

    def action_printer_test(self) -> None:
        """A test slip on this counter's printer, as `counter printers test` prints it."""
        from counter.ui.printer_test import run_printer_test

        self._say(_("Printing a test slip…"))

        def said(text: str, printed: bool) -> None:
            self._say(text, ok=printed)
            self.notify(
                text, title=_("Printer test"), severity="information" if printed else "error"
            )

        run_printer_test(self, self.till, said)

    def action_khqr_review(self) -> None:
        """Late KHQR payments for a supervisor (the sale screen prints what is sold)."""
        app: Any = self.app  # the CounterApp
        app.action_khqr_review()

    def action_back(self) -> None:
        self.dismiss(None)

    def _say(self, text: str, *, ok: bool = False) -> None:
        line = self.query_one("#report-message", Static)
        line.update(text)
        line.set_class(ok, "-ok")
        line.set_class(not ok and bool(text) and not text.endswith("…"), "-problem")


def figures_text(summary: DaySummary, cash: CashCount | None, closed: bool) -> Text:
    """Totals per operator, voids and the cash expected, as the screen shows them."""
    text = Text()
    state = _(" · CLOSED (Z report done)") if closed else ""
    text.append(
        _("Sales of {day}").format(day=summary.day.isoformat()) + state + "\n", style="bold"
    )
    if not summary.operators and summary.total.count == 0:
        text.append(_("No sales on this day.") + "\n")
    else:

        def row(name: str, count: object, amount: int, commission: int) -> str:
            return (
                ljust(name, 14)
                + rjust(str(count), 7)
                + rjust(format_usd(amount), 13)
                + rjust(format_usd(commission), 13)
                + "\n"
            )

        head = (
            ljust(_("Operator"), 14)
            + rjust(_("Sales"), 7)
            + rjust(_("Amount"), 13)
            + rjust(_("Commission"), 13)
        )
        text.append(head + "\n", style="bold")
        for op in summary.operators:
            text.append(row(op.name, op.count, op.amount_cents, op.commission_cents))
        total = summary.total
        text.append(
            row(_("Total"), total.count, total.amount_cents, total.commission_cents), style="bold"
        )
    voided = sum(line.amount_cents for line in summary.voids)
    text.append(
        _("Voids: {count}, {amount}").format(count=len(summary.voids), amount=format_usd(voided))
        + "\n"
    )
    if cash is None:
        text.append(_("Expected cash: per counter (press a to see this counter's)."))
    else:
        cash_text(text, summary, cash)
    for warning in summary.warnings:
        text.append(f"\n{warning}", style="italic")
    return text


def balances_text(balances: list[tuple[str, int]], till: Till) -> Text:
    text = Text(_("Operator airtime balances (r: restock)") + "\n", style="bold")
    for operator_id, cents in balances:
        warning = till.policy.is_low_float(cents)
        text.append(
            ljust(operator_title(operator_id, till.rules), 14)
            + rjust(format_usd(cents), 13)
            + ("  " + _("low") + "\n" if warning else "\n"),
            style="bold" if warning else "",
        )
    text.rstrip()
    return text
