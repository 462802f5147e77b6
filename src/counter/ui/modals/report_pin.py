"""A supervisor's name and PIN for a CSV or XLSX report, which lists every customer's
number: the same use case as `counter report --format csv --by NAME`, so the file is
written only after the PIN checks out and the audit log names the supervisor. A wrong PIN
gets the login's sentence. Dismisses with the paths written, or None."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import Input, Static

from counter.domain.records import Approval
from counter.i18n import _
from counter.ui.lang import N_
from counter.ui.modals.form import FormModal, supervisor_fields
from counter.ui.till import Till


class ReportPinScreen(FormModal):
    CSS_PATH = ["form.tcss", "report_pin.tcss"]  # noqa: RUF012 (Textual declares it)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="report-pin-back")
    ]

    def __init__(self, till: Till, day: date, fmt: str, counter_code: str | None) -> None:
        super().__init__()
        self.till = till
        self.day = day
        self.fmt = fmt
        self.counter_code = counter_code

    def compose(self) -> ComposeResult:
        with Vertical(id="report-pin-box", classes="form-box") as box:
            box.border_title = _("Daily report ({format})").format(format=self.fmt.upper())
            yield Static(
                _(
                    "A {format} report lists every customer's number: a supervisor's name and "
                    "PIN let it out, and the audit log names the supervisor."
                ).format(format=self.fmt.upper()),
                classes="form-intro",
            )
            with Grid(classes="form-fields"):
                yield from supervisor_fields("report")
            yield Static("", id="form-problem")
            yield Static(
                _("Enter goes to the PIN; Enter on the PIN writes the file · Esc: back"),
                classes="form-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#report-supervisor", Input).focus()

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id != "report-pin":
            return  # FieldInput moved on
        supervisor, pin = self.value("#report-supervisor"), self.query_one("#report-pin", Input)
        if not supervisor or not pin.value:
            self.say(_("Type the supervisor's name and PIN."))
            return
        approval = Approval(supervisor, pin.value)
        till, day, fmt, counter_code = self.till, self.day, self.fmt, self.counter_code

        def write() -> list[Path]:
            from counter.services import write_report

            return write_report(
                till.ledger, day, counter_code, fmt, printed_by=till.clerk_now(), by=approval
            )

        self.run_call(write)

    def refused(self) -> None:
        self.query_one("#report-pin", Input).value = ""
        self.query_one("#report-supervisor", Input).focus()

    def action_back(self) -> None:
        if not self.busy:
            self.dismiss(None)
