"""The shop's rate: the rate in force and its last change, a new rate, and the name and
PIN of the supervisor or admin who sets it. The same use case as `counter rate set`:
a slip outside the shop's bounds is refused in words; the rate is in force from the next
sale. Dismisses with the RateChange, or None."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Static

from counter.domain.rate import RateBook, RateChange
from counter.domain.records import Approval
from counter.i18n import _
from counter.ui.lang import N_
from counter.ui.modals.form import FormModal, supervisor_fields
from counter.ui.till import Till
from counter.ui.widgets.field_input import FieldInput


class RateScreen(FormModal):
    CSS_PATH = ["form.tcss", "rate.tcss"]  # noqa: RUF012 (Textual declares it)
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", N_("Back"), id="rate-back")]

    def __init__(self, till: Till, book: RateBook) -> None:
        super().__init__()
        self.till = till
        self.book = book

    def compose(self) -> ComposeResult:
        bounds = self.till.policy.rate_bounds
        with Vertical(id="rate-box", classes="form-box") as box:
            box.border_title = _("Exchange rate")
            yield Static(self._intro(), id="rate-intro", classes="form-intro")
            with Grid(classes="form-fields"):
                yield Label(_("New rate"), classes="fact-label")
                yield FieldInput(
                    placeholder=_("riel per dollar, {lowest} to {highest}").format(
                        lowest=bounds.lowest, highest=bounds.highest
                    ),
                    id="rate-new",
                    next_field="#rate-supervisor",
                    ready=lambda: True,
                    max_length=12,
                    restrict=r"[0-9០-៩,rR៛ ]*",
                )
                yield from supervisor_fields("rate")
            yield Static("", id="form-problem")
            yield Static(
                _("Enter goes to the next line; Enter on the PIN records · Esc: back"),
                classes="form-keys",
            )

    def _intro(self) -> str:
        """`In force: 4,000 riel per dollar (set by Vanna at 12:00 on 2026-11-25).`"""
        rate = f"{self.book.riel_per_usd:,}"
        last = self.book.history[0] if self.book.history else None
        if last is None:
            return _("In force: {rate} riel per dollar.").format(rate=rate)
        when = last.at.astimezone(self.till.zone)
        return _(
            "In force: {rate} riel per dollar (set by {name} at {time} on {day}). "
            "A new rate is in force from the next sale; a supervisor or admin confirms."
        ).format(rate=rate, name=last.by, time=when.strftime("%H:%M"), day=when.date().isoformat())

    def on_mount(self) -> None:
        self.query_one("#rate-new", Input).focus()

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id != "rate-pin":
            return  # FieldInput moved on
        rate, supervisor = self.value("#rate-new"), self.value("#rate-supervisor")
        pin = self.query_one("#rate-pin", Input).value
        if not rate or not supervisor or not pin:
            self.say(_("Type the new rate, the supervisor's name and PIN."))
            return
        till = self.till

        def record() -> RateChange:
            from counter.services.rate import set_exchange_rate

            change = set_exchange_rate(till.ledger, rate, approval=Approval(supervisor, pin))
            till.shop(fresh=True)  # the next sale's confirmation works at the new rate
            return change

        self.run_call(record)

    def refused(self) -> None:
        pin = self.query_one("#rate-pin", Input)
        pin.value = ""
        self.query_one("#rate-new", Input).focus()

    def action_back(self) -> None:
        if not self.busy:
            self.dismiss(None)


def open_rate_form(app: App[Any], till: Till, said: Callable[[str], object]) -> None:
    """The rate form over the screen; after a change, `said` gets the sentence to show."""
    from counter.services.rate import rate_book

    def done(change: RateChange | None) -> None:
        if change is None:
            return
        said(change.sentence)
        app.notify(change.sentence, title=_("Exchange rate"))

    app.push_screen(RateScreen(till, rate_book(till.ledger)), done)
