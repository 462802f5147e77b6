"""The open deliveries, and a person's decision on one: delivered (with the reference from
the operator's SMS, if any) or failed with a reason (the refund is recorded).

A clerk settles a pending `manual` delivery at once; one that needs review (or another
channel's) opens the supervisor's form first (`ReviewScreen`: name and PIN). The list and
each decision run in thread workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from counter.domain.deliveries import OPEN_STATES, Delivery
from counter.domain.delivery import channel_label, state_label
from counter.domain.errors import CounterError
from counter.i18n import _, format_usd_for
from counter.services.deliveries import Recorded, deliveries, needs_supervisor, resolve
from counter.ui.lang import N_
from counter.ui.till import Till
from counter.ui.work import in_thread


def delivery_row(delivery: Delivery) -> str:
    return _("{receipt} · {state} · {number} · {amount} · {channel}").format(
        receipt=delivery.receipt_no,
        state=state_label(delivery.state),
        number=delivery.msisdn,
        amount=format_usd_for(delivery.amount_cents),
        channel=channel_label(delivery.channel),
    )


class DeliveriesScreen(ModalScreen[None]):
    """Enter or `d`: delivered (the typed reference, if any); `f`: failed (the typed reason)."""

    CSS_PATH = "deliveries.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "decide(True)", N_("Delivered"), id="delivery-delivered"),
        Binding("f", "decide(False)", N_("Failed"), id="delivery-failed"),
        Binding("escape", "back", N_("Back"), id="deliveries-back"),
    ]

    @dataclass
    class Listed(Message):
        found: list[Delivery]

    @dataclass
    class Decided(Message):
        recorded: Recorded | None
        problem: str | None

    def __init__(self, till: Till) -> None:
        super().__init__()
        self.till = till
        self.found: list[Delivery] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="deliveries-box") as box:
            box.border_title = _("Open deliveries")
            yield OptionList(id="deliveries-list")
            yield Input(placeholder=_("reference or reason"), id="delivery-words")
            yield Static(
                _("d delivered (with the reference) · f failed (with the reason) · Esc back"),
                id="deliveries-help",
            )
            yield Static("", id="deliveries-said")

    def on_mount(self) -> None:
        self.load()

    @in_thread(group="deliveries-list", exclusive=True)
    def load(self) -> None:
        ledger = self.till.ledger
        self.post_message(
            self.Listed(deliveries(ledger, states=tuple(OPEN_STATES), counter=ledger.counter_code))
        )

    def on_deliveries_screen_listed(self, message: Listed) -> None:
        self.found = message.found
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options([Option(delivery_row(d), id=str(d.id)) for d in self.found])
        if self.found:
            listing.highlighted = 0
            listing.focus()
        else:  # said beside the help, so the last decision stays on screen
            self.query_one("#deliveries-help", Static).update(_("No delivery is open."))

    @on(Input.Submitted, "#delivery-words")
    def _words_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(OptionList).focus()

    def action_decide(self, delivered: bool) -> None:
        listing = self.query_one(OptionList)
        index = listing.highlighted
        if index is None or not self.found:
            return
        words = self.query_one("#delivery-words", Input).value.strip() or None
        delivery = self.found[index]
        if needs_supervisor(delivery):  # a review: the supervisor's name and PIN first
            from counter.ui.modals.review import ReviewScreen

            def back(recorded: Recorded | None) -> None:
                if recorded is not None:
                    self.on_deliveries_screen_decided(self.Decided(recorded, None))

            self.app.push_screen(ReviewScreen(self.till, delivery, delivered, words or ""), back)
            return
        self.decide(delivery, delivered, words)

    @in_thread(group="delivery-decide", exclusive=True)
    def decide(self, delivery: Delivery, delivered: bool, words: str | None) -> None:
        try:
            recorded = resolve(
                self.till.ledger,
                delivery.receipt_no,
                delivered=delivered,
                by=self.till.clerk_now(),
                ref=words if delivered else None,
                reason=None if delivered else (words or _("marked failed at the counter")),
            )
        except CounterError as exc:
            self.post_message(self.Decided(None, str(exc)))
            return
        self.post_message(self.Decided(recorded, None))

    def on_deliveries_screen_decided(self, message: Decided) -> None:
        if message.problem is not None or message.recorded is None:
            self._say(message.problem or "")
            return
        recorded = message.recorded
        self.query_one("#delivery-words", Input).value = ""
        if recorded.refund is not None:
            self._say(
                _("{receipt} failed: give back {amount}.").format(
                    receipt=recorded.delivery.receipt_no,
                    amount=format_usd_for(recorded.refund.amount_cents),
                )
            )
        else:
            self._say(
                _("{receipt} is {state}.").format(
                    receipt=recorded.delivery.receipt_no,
                    state=state_label(recorded.delivery.state),
                )
            )
        self.load()

    def _say(self, text: str) -> None:
        self.query_one("#deliveries-said", Static).update(text)

    def action_back(self) -> None:
        self.dismiss(None)
