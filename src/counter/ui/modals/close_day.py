"""Day close (Z report): the clerk types the counted cash (a total, or the notes: `20x3
1x4`), and a supervisor confirms with name and PIN. Whoever counts blind (a clerk, by
default: `Policy.counts_blind`) sees only the count as typed; the expected cash and the
difference come after the close. Others see them as they type. Dismisses with the
recorded `DayClose`, or None on Escape."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import Input, Static

from counter import services
from counter.domain.cash_count import CashCount as DrawerCount
from counter.domain.errors import AmountError, CounterError
from counter.domain.note_count import read_drawer
from counter.domain.records import DayClose
from counter.i18n import _
from counter.i18n import format_khr_for as format_khr
from counter.i18n import format_usd_for as format_usd
from counter.ui.lang import N_
from counter.ui.modals.form import FormModal, count_fields, supervisor_fields
from counter.ui.show import ljust, rjust
from counter.ui.till import Till

_FIELDS = ("#close-usd", "#close-khr", "#close-supervisor", "#close-pin")


def _signed(amount: int, show: Callable[[int], str]) -> str:
    text = show(abs(amount))
    if amount > 0:
        return _("+{amount} over").format(amount=text)
    if amount < 0:
        return _("-{amount} short").format(amount=text)
    return _("{amount} exact").format(amount=text)


def z_on_roll(till: Till, closed: DayClose) -> DayClose:
    """The Z report just recorded, on the receipt roll when the printer is one: the CLI's
    path (`make_roll_printer`, then `zreports.print_z`), run in the form's worker thread.
    What the printer did is kept with the close; a failure never undoes it."""
    from counter.bootstrap import make_roll_printer
    from counter.services.zreports import print_z

    try:
        roll = make_roll_printer(till.settings)
        if roll is None:
            return closed
        printed = print_z(
            till.ledger,
            roll,
            closed.business_date,
            closed.counter_code,
            printed_by=till.clerk_now().name,
        )
    except CounterError as exc:
        message = _("Report not printed: {reason}.").format(reason=exc.message)
        return replace(closed, roll_printed=False, roll_message=message)
    return replace(closed, roll_printed=printed.ok, roll_message=printed.message)


class CloseDayScreen(FormModal):
    CSS_PATH = ["form.tcss", "close_day.tcss"]  # noqa: RUF012 (Textual declares it)
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", N_("Back"), id="close-back")]

    def __init__(
        self,
        till: Till,
        day: date,
        expected_usd_cents: int,
        expected_khr: int,
        *,
        counted: bool = False,
    ) -> None:
        """`counted`: every shift of the day is closed (counted) already, so the day
        adds up their counts and asks only the supervisor."""
        super().__init__()
        self.till = till
        self.day = day
        self.expected_usd_cents = expected_usd_cents
        self.expected_khr = expected_khr
        self.blind = till.ledger.policy.counts_blind(till.clerk_now().role)
        self.counted = counted

    def compose(self) -> ComposeResult:
        with Vertical(id="close-box", classes="form-box") as box:
            box.border_title = _("Close the day {day} · Z report").format(day=self.day.isoformat())
            yield Static(
                _(
                    "Count the drawer and type what is there: a total, or the notes (20x3 "
                    "1x4). A supervisor confirms with name and PIN; after the close, no more "
                    "sales are recorded for this day."
                ),
                classes="form-intro",
            )
            with Grid(classes="form-fields"):
                yield from count_fields("close", "#close-supervisor")
                yield from supervisor_fields("close")
            yield Static("", id="close-cash")
            yield Static("", id="form-problem")
            yield Static(
                _("Enter goes to the next line; Enter on the PIN closes the day · Esc: back"),
                classes="form-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#close-usd", Input).focus()
        self._show_cash()
        if self.counted:
            self._shifts_counted()

    def _shifts_counted(self) -> None:
        """Every shift is counted: no count rows, the supervisor's name and PIN only."""
        for selector in ("#close-usd", "#close-khr", "#close-usd-label", "#close-khr-label"):
            self.query_one(selector).display = False
        self.query_one("#close-cash", Static).update(
            _("Every shift of the day is closed and counted: the day adds up their counts.")
        )
        self.query_one("#close-supervisor", Input).focus()

    @on(Input.Changed, "#close-usd, #close-khr")
    def _counted_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._show_cash()

    def _counted(self) -> DrawerCount | None:
        try:
            return read_drawer(self.value("#close-usd"), self.value("#close-khr"))
        except AmountError:
            return None

    def _show_cash(self) -> None:
        """The count as typed; with the expected cash and the difference unless blind."""
        if self.counted:
            return
        count = self._counted()
        usd = count.usd_cents if count is not None and self.value("#close-usd") else None
        khr = count.khr if count is not None and self.value("#close-khr") else None
        table = Text()
        if self.blind:
            table.append(" " * 8 + rjust(_("Counted"), 14) + "\n", style="bold")
            for name, counted, show in (("USD", usd, format_usd), (_("Riel"), khr, format_khr)):
                table.append(
                    ljust(name, 8) + rjust(show(counted) if counted is not None else "?", 14) + "\n"
                )
            table.append(
                _("The expected cash and the difference show after the close (blind count).")
            )
            self.query_one("#close-cash", Static).update(table)
            return
        head = " " * 8 + rjust(_("Expected"), 14) + rjust(_("Counted"), 14)
        difference = _("Difference")  # not inside the f-string: extraction would miss it
        table.append(f"{head}  {difference}\n", style="bold")
        for name, expected, counted, show in (
            ("USD", self.expected_usd_cents, usd, format_usd),
            (_("Riel"), self.expected_khr, khr, format_khr),
        ):
            counted_text = show(counted) if counted is not None else "?"
            diff = _signed(counted - expected, show) if counted is not None else "?"
            style = "" if counted is None or counted == expected else "bold"
            table.append(
                ljust(name, 8) + rjust(show(expected), 14) + rjust(counted_text, 14) + "  "
            )
            table.append(f"{diff}\n", style=style)
        table.rstrip()
        self.query_one("#close-cash", Static).update(table)

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id != "close-pin":
            return  # FieldInput moved on
        usd_text, khr_text = self.value("#close-usd"), self.value("#close-khr")
        supervisor, pin = self.value("#close-supervisor"), self.query_one("#close-pin", Input).value
        if self.counted:
            self._close_counted(supervisor, pin)
            return
        if not usd_text or not khr_text or not supervisor or not pin:
            self.say(
                _("Type the counted USD and riel (0 when none), the supervisor's name and PIN.")
            )
            for field in _FIELDS:
                if not self.query_one(field, Input).value.strip():
                    self.query_one(field, Input).focus()
                    break
            return
        try:
            count = read_drawer(usd_text, khr_text)
        except AmountError as exc:
            self.say(exc.message)
            return
        self._run_close(count, supervisor, pin)

    def _close_counted(self, supervisor: str, pin: str) -> None:
        """The day close once every shift is counted: the supervisor's PIN, no count."""
        if not supervisor or not pin:
            self.say(_("Type the supervisor's name and PIN."))
            self.query_one("#close-pin" if supervisor else "#close-supervisor", Input).focus()
            return
        self._run_close(None, supervisor, pin)

    def _run_close(self, count: DrawerCount | None, supervisor: str, pin: str) -> None:
        """The day close, off the screen's thread; `count` None: every shift is counted."""
        till = self.till

        def close(accept: bool) -> DayClose:
            closed = services.close_day(
                till.ledger,
                self.day,
                till.counter_code,
                counted_usd_cents=None,
                counted_khr=None,
                supervisor_name=supervisor,
                supervisor_pin=pin,
                by=till.clerk_now(),
                drawer=count,
                accept_open_deliveries=accept,
            )
            return z_on_roll(till, closed)

        self.run_call(self.guard_open(close))

    def refused(self) -> None:
        self.offer_open(
            _("The supervisor's PIN again, then Enter, closes the day with them as open items.")
        )
        pin = self.query_one("#close-pin", Input)
        pin.value = ""
        pin.focus()

    def action_back(self) -> None:
        if not self.busy:
            self.dismiss(None)
