"""A large amount: the clerk types the number's last 4 digits again, from the customer."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from counter.i18n import _
from counter.i18n import format_usd_for as format_usd
from counter.ui.draft import SaleDraft
from counter.ui.lang import N_


class RetypeLast4Screen(ModalScreen[bool]):
    """Dismisses True when the 4 digits match the number; Escape gives False."""

    CSS_PATH = "retype_last4.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="retype-back")
    ]

    def __init__(self, draft: SaleDraft) -> None:
        super().__init__()
        self.draft = draft

    def compose(self) -> ComposeResult:
        with Vertical(id="retype-box") as box:
            box.border_title = _("Large amount: {amount}").format(
                amount=format_usd(self.draft.cents)
            )
            yield Static(
                _("Ask the customer for the last 4 digits of the number and type them here."),
                id="retype-intro",
            )
            yield Input(
                placeholder=_("last 4 digits"), restrict=r"[0-9]*", max_length=4, id="last4"
            )
            yield Static("", id="retype-problem")

    def on_mount(self) -> None:
        self.query_one("#last4", Input).focus()

    @on(Input.Submitted, "#last4")
    def _check(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value == self.draft.number.last4:
            self.dismiss(True)
            return
        self.query_one("#retype-problem", Static).update(
            _(
                "{digits} is not how this number ends. "
                "Check the number with the customer, or Esc to go back and fix it."
            ).format(digits=event.value or _("Nothing"))
        )
        event.input.value = ""

    def action_back(self) -> None:
        self.dismiss(False)
