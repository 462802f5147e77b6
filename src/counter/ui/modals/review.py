"""A supervisor decides a delivery that needs review (or another channel's than `manual`):
delivered with the operator's reference, or failed with a reason, after the supervisor's
name and PIN. The same use case as `counter deliveries confirm|fail`; dismisses with what
it recorded, or None on Escape."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Static

from counter.domain.deliveries import Delivery
from counter.domain.records import Approval
from counter.i18n import _
from counter.services.deliveries import Recorded, resolve
from counter.ui.lang import N_
from counter.ui.modals.form import FormModal, supervisor_fields
from counter.ui.till import Till
from counter.ui.widgets.field_input import FieldInput


class ReviewScreen(FormModal):
    CSS_PATH = ["form.tcss", "restock.tcss"]  # noqa: RUF012 (Textual declares it)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="review-back")
    ]

    def __init__(self, till: Till, delivery: Delivery, delivered: bool, words: str = "") -> None:
        super().__init__()
        self.till = till
        self.delivery = delivery
        self.delivered = delivered
        self.words = words

    def compose(self) -> ComposeResult:
        from counter.ui.modals.deliveries import delivery_row

        title = _("Record as delivered") if self.delivered else _("Record as failed")
        with Vertical(id="review-box", classes="form-box") as box:
            box.border_title = title
            yield Static(delivery_row(self.delivery), classes="form-intro")
            with Grid(classes="form-fields"):
                yield Label(_("Reference") if self.delivered else _("Reason"), classes="fact-label")
                yield FieldInput(
                    value=self.words,
                    placeholder=_("from the operator's SMS (optional)")
                    if self.delivered
                    else _("why it failed"),
                    max_length=200,
                    id="review-words",
                    next_field="#review-supervisor",
                    ready=lambda: True,
                )
                yield from supervisor_fields("review")
            yield Static("", id="form-problem")
            yield Static(
                _("Enter goes to the next line; Enter on the PIN records · Esc: back"),
                classes="form-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#review-supervisor" if self.words else "#review-words", Input).focus()

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id != "review-pin":
            return  # FieldInput moved on
        words, supervisor = self.value("#review-words"), self.value("#review-supervisor")
        pin = self.query_one("#review-pin", Input).value
        if not supervisor or not pin or not (words or self.delivered):
            self.say(
                _("Type the supervisor's name and PIN.")
                if self.delivered
                else _("Type the reason, the supervisor's name and PIN.")
            )
            return
        ledger, receipt, delivered = self.till.ledger, self.delivery.receipt_no, self.delivered

        def record() -> Recorded:
            return resolve(
                ledger,
                receipt,
                delivered=delivered,
                by=Approval(supervisor, pin),
                ref=(words or None) if delivered else None,
                reason=None if delivered else words,
            )

        self.run_call(record)

    def refused(self) -> None:
        pin = self.query_one("#review-pin", Input)
        pin.value = ""
        pin.focus()

    def action_back(self) -> None:
        if not self.busy:
            self.dismiss(None)
