"""The opening float: the cash in the drawer at the day's first login, before any sale.

A clerk cannot skip it (the day's expected cash counts from it); a supervisor or admin
may press Esc to skip, and is told the expected cash then starts from zero.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Static

from counter.domain.errors import AmountError
from counter.domain.records import Role
from counter.i18n import _
from counter.ui.lang import N_
from counter.ui.modals.form import FormModal, read_riel, read_usd_cents
from counter.ui.till import Till
from counter.ui.widgets.field_input import FieldInput

SKIPPED = N_(
    "Opening float not entered: today's expected cash counts from $0 and 0៛. "
    "It can still be entered at the next login."
)  # translated where shown


class OpeningFloatScreen(FormModal):
    """Dismisses True once recorded, False when a supervisor skipped it."""

    CSS_PATH = ["form.tcss", "opening_float.tcss"]  # noqa: RUF012 (Textual declares it)
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "skip", N_("Skip"), id="float-skip")]

    def __init__(self, till: Till) -> None:
        super().__init__()
        self.till = till

    def compose(self) -> ComposeResult:
        with Vertical(id="float-box", classes="form-box") as box:
            box.border_title = _("Opening float · {day}").format(day=self.till.today().isoformat())
            yield Static(
                _(
                    "First login of the day: count the cash in the drawer and type it. "
                    "Type 0 when a currency is empty."
                ),
                classes="form-intro",
            )
            with Grid(classes="form-fields"):
                yield Label(_("US dollars"), classes="fact-label")
                yield FieldInput(
                    placeholder=_("e.g. 50 or 50.00"),
                    restrict=r"[0-9.,$]*",
                    max_length=12,
                    id="float-usd",
                    next_field="#float-khr",
                )
                yield Label(_("Riel"), classes="fact-label")
                yield FieldInput(
                    placeholder=_("e.g. {example}").format(example="100000"),
                    restrict=r"[0-9,]*",
                    max_length=14,
                    id="float-khr",
                )
            yield Static("", id="form-problem")
            yield Static(self._keys(), classes="form-keys")

    def _keys(self) -> str:
        if self._may_skip():
            return _("Enter on the riel records · Esc skips (expected cash then starts at zero)")
        return _("Enter on the riel records the float (needed before the first sale)")

    def _may_skip(self) -> bool:
        clerk = self.till.clerk
        return clerk is not None and clerk.role.at_least(Role.SUPERVISOR)

    def on_mount(self) -> None:
        self.query_one("#float-usd", Input).focus()

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "float-usd":
            return  # FieldInput moved on to the riel
        usd_text, khr_text = self.value("#float-usd"), self.value("#float-khr")
        if not usd_text or not khr_text:
            self.say(_("Type both amounts (0 when there is none)."))
            self.query_one("#float-usd" if not usd_text else "#float-khr", Input).focus()
            return
        try:
            usd, khr = read_usd_cents(usd_text), read_riel(khr_text)
        except AmountError as exc:
            self.say(exc.message)
            return

        def record() -> bool:
            self.till.record_opening_float(usd, khr)
            return True

        self.run_call(record)

    def action_skip(self) -> None:
        if self._may_skip():
            self.dismiss(False)
        else:
            self.say(
                _(
                    "The opening float is needed before the first sale: count the drawer and "
                    "type it (0 when empty)."
                )
            )
