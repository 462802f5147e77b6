"""The opening cash: the cash in the drawer at the day's first login, before any sale.

A clerk cannot skip it (the day's expected cash counts from it, and a clerk's sales wait
for it: `Policy.sale_needs_opening_cash`); a supervisor or admin may press Esc to skip,
and is told the expected cash then starts from zero.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Static

from counter import services
from counter.domain.errors import AmountError
from counter.i18n import _
from counter.ui.lang import N_
from counter.ui.modals.form import FormModal, read_riel, read_usd_cents
from counter.ui.till import Till
from counter.ui.widgets.field_input import FieldInput

SKIPPED = N_(
    "Opening cash not entered: today's expected cash counts from {usd} and {riel}. "
    "It can still be entered at the next login."
)  # translated where shown (`skipped_words`)


def skipped_words() -> str:
    """SKIPPED, with zero in each currency as the language writes money (`US$0.00`)."""
    from counter.i18n import format_khr_for, format_usd_for

    return _(SKIPPED).format(usd=format_usd_for(0), riel=format_khr_for(0))


class OpeningCashScreen(FormModal):
    """Dismisses True once recorded, False when a supervisor skipped it."""

    CSS_PATH = ["form.tcss", "opening_cash.tcss"]  # noqa: RUF012 (Textual declares it)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "skip", N_("Skip"), id="opening-cash-skip")
    ]

    def __init__(self, till: Till) -> None:
        super().__init__()
        self.till = till

    def compose(self) -> ComposeResult:
        with Vertical(id="opening-box", classes="form-box") as box:
            box.border_title = _("Opening cash · {day}").format(day=self.till.today().isoformat())
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
                    id="opening-usd",
                    next_field="#opening-khr",
                )
                yield Label(_("Riel"), classes="fact-label")
                yield FieldInput(
                    placeholder=_("e.g. {example}").format(example="100000"),
                    restrict=r"[0-9,]*",
                    max_length=14,
                    id="opening-khr",
                )
            yield Static("", id="form-problem")
            yield Static(self._keys(), classes="form-keys")

    def _keys(self) -> str:
        if self._may_skip():
            return _("Enter on the riel records · Esc skips (expected cash then starts at zero)")
        return _("Enter on the riel records the opening cash (needed before the first sale)")

    def _may_skip(self) -> bool:
        clerk = self.till.clerk
        return clerk is not None and self.till.policy.may_skip_opening_cash(clerk.role)

    def on_mount(self) -> None:
        self.query_one("#opening-usd", Input).focus()

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "opening-usd":
            return  # FieldInput moved on to the riel
        usd_text, khr_text = self.value("#opening-usd"), self.value("#opening-khr")
        if not usd_text or not khr_text:
            self.say(_("Type both amounts (0 when there is none)."))
            self.query_one("#opening-usd" if not usd_text else "#opening-khr", Input).focus()
            return
        try:
            usd, khr = read_usd_cents(usd_text), read_riel(khr_text)
        except AmountError as exc:
            self.say(exc.message)
            return

        till = self.till

        def record() -> bool:
            services.record_opening_cash(
                till.ledger, till.today(), till.counter_code, usd, khr, by=till.clerk_now()
            )
            till.opening_cash_due = False
            return True

        self.run_call(record)

    def action_skip(self) -> None:
        if self._may_skip():
            self.dismiss(False)
        else:
            self.say(
                _(
                    "The opening cash is needed before the first sale: count the drawer and "
                    "type it (0 when empty)."
                )
            )
