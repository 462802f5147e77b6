"""Shift close (its own Z report), apart from the day close: the clerk types the counted
cash (a total, or the notes: `20x3 1x4`); a supervisor's name and PIN approve the count,
or both stay empty and the count is the clerk's alone (as `counter shift close` without
`--supervisor`). Whoever counts blind (`Policy.counts_blind`) sees only the count as
typed: the expected cash is not even read for them. After the close the shift's Z report
is written and, on a roll printer, printed, as the command line does. Dismisses with the
`ShiftClosed`, or None on Escape."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import Input, Static

from counter.domain.cash_count import CashCount as DrawerCount
from counter.domain.dayend import CashCount
from counter.domain.errors import AmountError
from counter.domain.note_count import read_drawer
from counter.domain.records import Approval
from counter.domain.shifts import Shift, ShiftClosed, difference_words
from counter.i18n import _
from counter.i18n import format_khr_for as format_khr
from counter.i18n import format_usd_for as format_usd
from counter.ui.lang import N_
from counter.ui.modals.form import FormModal, count_fields, supervisor_fields
from counter.ui.till import Till


class CloseShiftScreen(FormModal):
    CSS_PATH = ["form.tcss", "close_day.tcss", "close_shift.tcss"]  # noqa: RUF012 (Textual declares it)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="close-shift-back")
    ]

    def __init__(self, till: Till, shift: Shift, expected: CashCount | None) -> None:
        """`expected`: the open shift's drawer, or None for whoever counts blind."""
        super().__init__()
        self.till = till
        self.shift = shift
        self.expected = expected

    def compose(self) -> ComposeResult:
        with Vertical(id="close-box", classes="form-box") as box:
            box.border_title = _("Close shift {number} · Z report").format(number=self.shift.number)
            yield Static(
                _(
                    "Count the drawer and type what is there: a total, or the notes (20x3 "
                    "1x4). A supervisor may approve the count with name and PIN; leave both "
                    "empty to close on your own count. The day stays open for the next shift."
                ),
                classes="form-intro",
            )
            with Grid(classes="form-fields"):
                yield from count_fields("shift", "#shift-supervisor")
                yield from supervisor_fields("shift")
            yield Static("", id="close-cash")
            yield Static("", id="form-problem")
            yield Static(
                _("Enter goes to the next line; Enter on the PIN closes the shift · Esc: back"),
                classes="form-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#shift-usd", Input).focus()
        self._show_cash()

    @on(Input.Changed, "#shift-usd, #shift-khr")
    def _counted_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._show_cash()

    def _show_cash(self) -> None:
        """The count as typed; with the expected cash and the difference unless blind."""
        try:
            count: DrawerCount | None = read_drawer(
                self.value("#shift-usd") or "0", self.value("#shift-khr") or "0"
            )
        except AmountError:
            count = None
        text = Text()
        if count is not None:
            text.append(
                _("Counted: {usd} and {khr}").format(
                    usd=format_usd(count.usd_cents), khr=format_khr(count.khr)
                )
            )
        expected = self.expected
        if expected is None:
            text.append(
                "\n" + _("The expected cash and the difference show after the close (blind count).")
            )
        else:
            text.append(
                "\n"
                + _("Expected: {usd} and {khr}").format(
                    usd=format_usd(expected.expected_usd_cents),
                    khr=format_khr(expected.expected_khr),
                )
            )
            if count is not None:
                text.append(
                    "\n"
                    + difference_words(
                        count.usd_cents - expected.expected_usd_cents,
                        count.khr - expected.expected_khr,
                    ),
                    style="bold",
                )
        self.query_one("#close-cash", Static).update(text)

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id != "shift-pin":
            return  # FieldInput moved on
        usd_text, khr_text = self.value("#shift-usd"), self.value("#shift-khr")
        supervisor, pin = self.value("#shift-supervisor"), self.query_one("#shift-pin", Input).value
        if not usd_text or not khr_text:
            self.say(_("Type the counted USD and riel (0 when none)."))
            self.query_one("#shift-khr" if usd_text else "#shift-usd", Input).focus()
            return
        if bool(supervisor) != bool(pin):
            self.say(
                _("Type the supervisor's name and PIN, or leave both empty to close on your count.")
            )
            self.query_one("#shift-pin" if supervisor else "#shift-supervisor", Input).focus()
            return
        try:
            count = read_drawer(usd_text, khr_text)
        except AmountError as exc:
            self.say(exc.message)
            return
        approval = Approval(supervisor, pin) if supervisor else None
        till = self.till
        self.run_call(
            self.guard_open(lambda accept: close_and_print(till, count, approval, accept))
        )

    def refused(self) -> None:
        self.offer_open(
            _(
                "A supervisor's name and PIN, then Enter on the PIN, close the shift with them "
                "as open items."
            )
        )
        pin = self.query_one("#shift-pin", Input)
        pin.value = ""
        if self.accept_open and not self.value("#shift-supervisor"):
            self.query_one("#shift-supervisor", Input).focus()  # open items take a supervisor
        else:
            pin.focus()

    def action_back(self) -> None:
        if not self.busy:
            self.dismiss(None)


def close_and_print(
    till: Till, count: DrawerCount, approval: Approval | None, accept_open: bool = False
) -> ShiftClosed:
    """Close the shift (its Z report written), then print that Z on the roll when the
    shop's printer is a roll printer, as `counter shift close` does; the close stands
    whatever the printer says (`printed`)."""
    from counter.bootstrap import make_roll_printer
    from counter.services.zreports import close_shift, print_z

    ledger, clerk = till.ledger, till.clerk_now()
    closed = close_shift(
        ledger,
        till.counter_code,
        count,
        counted_by=clerk,
        supervisor=approval,
        accept_open_deliveries=accept_open,
    )
    roll = make_roll_printer(till.settings)
    if roll is None:
        return closed
    shift = closed.shift
    printed = print_z(
        ledger,
        roll,
        shift.business_date,
        shift.counter_code,
        shift_number=shift.number,
        printed_by=clerk.name,
    )
    return replace(closed, printed=printed.message)
