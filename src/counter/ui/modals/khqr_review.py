"""The supervisor's late KHQR payments: codes paid after they were cancelled or expired
(or for another amount), which the late check put before a supervisor. For each, `s`
sells the top-up after all, `r` records that the money went back to the customer
outside the app; either asks a reason and the supervisor's name and PIN, and runs the same
use case as `counter khqr-review` (`resolve_khqr_review`), whose sentences the screen
shows. Dismisses with the sales it recorded (the sale screen prints and delivers them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from counter.domain.khqr import KhqrRequest
from counter.domain.money import format_money_text
from counter.domain.records import Approval, Sale
from counter.i18n import _, format_datetime_for
from counter.services.khqr import KhqrFinish, needing_review, resolve_khqr_review
from counter.ui.lang import N_
from counter.ui.modals.form import FormModal, supervisor_fields
from counter.ui.till import Till
from counter.ui.widgets.field_input import FieldInput
from counter.ui.work import in_thread


def late_row(request: KhqrRequest, till: Till) -> str:
    return _("{bill} · {amount} · {number} · shown {when} by {clerk} · bank ref {ref}").format(
        bill=request.bill_number,
        amount=format_money_text(request.charge),
        number=request.msisdn,
        when=format_datetime_for(request.created_at.astimezone(till.zone)),
        clerk=request.clerk_name,
        ref=request.bank_ref or "-",
    )


class KhqrReviewsScreen(ModalScreen[list[Sale]]):
    """The late payments; `s` sells, `r` records the refund outside the app, Esc back."""

    CSS_PATH = "khqr_review.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "decide(True)", N_("Sell"), id="khqr-review-sell"),
        Binding("r", "decide(False)", N_("Refunded"), id="khqr-review-refunded"),
        Binding("escape", "back", N_("Back"), id="khqr-review-back"),
    ]

    @dataclass
    class Listed(Message):
        found: list[KhqrRequest]

    def __init__(self, till: Till) -> None:
        super().__init__()
        self.till = till
        self.found: list[KhqrRequest] = []
        self.sold: list[Sale] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="khqr-review-box") as box:
            box.border_title = _("Late KHQR payments (a supervisor decides)")
            yield OptionList(id="khqr-review-list")
            yield Static(
                _(
                    "s sells the top-up after all · r records that the money went back to the "
                    "customer outside the app · Esc back"
                ),
                id="khqr-review-help",
            )
            yield Static("", id="khqr-review-said")

    def on_mount(self) -> None:
        self.load()

    @in_thread(group="khqr-review-list", exclusive=True)
    def load(self) -> None:
        self.post_message(self.Listed(needing_review(self.till.ledger)))

    def on_khqr_reviews_screen_listed(self, message: Listed) -> None:
        self.found = message.found
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options([Option(late_row(r, self.till), id=str(r.id)) for r in self.found])
        if self.found:
            listing.highlighted = 0
            listing.focus()
        else:
            self.query_one("#khqr-review-help", Static).update(
                _("No KHQR payment waits for a supervisor. Esc goes back.")
            )

    def action_decide(self, sell_it: bool) -> None:
        index = self.query_one(OptionList).highlighted
        if index is None or not self.found:
            self.app.bell()
            return
        self.app.push_screen(KhqrDecisionScreen(self.till, self.found[index], sell_it), self._done)

    def _done(self, finish: KhqrFinish | None) -> None:
        if finish is None:
            return
        request = finish.request
        if finish.sale is not None:
            self.sold.append(finish.sale)
            text = _("{bill} sold as {receipt}.").format(
                bill=request.bill_number, receipt=finish.sale.receipt_no
            )
        else:
            text = _("{bill}: recorded as refunded outside the app.").format(
                bill=request.bill_number
            )
        self.query_one("#khqr-review-said", Static).update(text)
        self.load()

    def action_back(self) -> None:
        self.dismiss(self.sold)


class KhqrDecisionScreen(FormModal):
    """Why, and the supervisor's name and PIN; dismisses with what was recorded, or None."""

    CSS_PATH = ["form.tcss", "khqr_review.tcss"]  # noqa: RUF012 (Textual declares it)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="khqr-decision-back")
    ]

    def __init__(self, till: Till, request: KhqrRequest, sell_it: bool) -> None:
        super().__init__()
        self.till = till
        self.request = request
        self.sell_it = sell_it

    def compose(self) -> ComposeResult:
        if self.sell_it:
            title = _("Sell the top-up after all")
        else:
            title = _("Record the refund outside the app")
        with Vertical(id="khqr-decision-box", classes="form-box") as box:
            box.border_title = title
            yield Static(late_row(self.request, self.till), classes="form-intro")
            with Grid(classes="form-fields"):
                yield Label(_("Reason"), classes="fact-label")
                yield FieldInput(
                    placeholder=_("for example: customer still here, refunded by ABA"),
                    max_length=200,
                    id="khqr-decision-reason",
                    next_field="#khqr-decision-supervisor",
                    ready=lambda: True,
                )
                yield from supervisor_fields("khqr-decision")
            yield Static("", id="form-problem")
            yield Static(
                _("Enter goes to the next line; Enter on the PIN records · Esc: back"),
                classes="form-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#khqr-decision-reason", Input).focus()

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id != "khqr-decision-pin":
            return  # FieldInput moved on
        reason = self.value("#khqr-decision-reason")
        supervisor = self.value("#khqr-decision-supervisor")
        pin = self.query_one("#khqr-decision-pin", Input).value
        if not reason or not supervisor or not pin:
            self.say(_("Type the reason, the supervisor's name and PIN."))
            return
        ledger, bill, sell_it = self.till.ledger, self.request.bill_number, self.sell_it

        def record() -> KhqrFinish:
            return resolve_khqr_review(
                ledger, bill, sell_it=sell_it, approval=Approval(supervisor, pin), reason=reason
            )

        self.run_call(record)

    def refused(self) -> None:
        pin = self.query_one("#khqr-decision-pin", Input)
        pin.value = ""
        pin.focus()

    def action_back(self) -> None:
        if not self.busy:
            self.dismiss(None)
