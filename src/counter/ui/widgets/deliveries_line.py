"""The line under the sale form for deliveries: how many are pending or need review, with
the key that lists them. It also runs this counter's delivery worker, in a thread worker
every SWEEP_SECONDS (and at once after a sale), never on the screen's thread; each change
of a delivery is posted to the screen (its status line says it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message
from textual.widgets import Static

from counter.domain.deliveries import Delivery
from counter.domain.delivery import Channel, DeliveryState, manual_instruction
from counter.domain.phone import group_national
from counter.i18n import _, format_usd_for, ngettext
from counter.services.deliveries import Recorded, deliveries, open_counts
from counter.ui.till import Till
from counter.ui.work import in_thread

SWEEP_SECONDS = 5.0


def delivery_words(delivery: Delivery, refund_cents: int | None) -> tuple[str, str]:
    """(what the status line says, its kind) for one change of a delivery."""
    state = delivery.state
    if state is DeliveryState.DELIVERED:
        ref = delivery.provider_ref
        text = _("delivered, ref {ref}").format(ref=ref) if ref else _("delivered")
        return text, "-ok"
    if state in (DeliveryState.FAILED, DeliveryState.REVERSED):
        amount = format_usd_for(refund_cents if refund_cents is not None else delivery.amount_cents)
        return _("FAILED: give back {amount}").format(amount=amount), "-problem"
    if state is DeliveryState.NEEDS_REVIEW:
        return _("no answer in time: a supervisor decides"), "-problem"
    if delivery.channel is Channel.MANUAL:
        national = (
            "0" + delivery.msisdn[4:] if delivery.msisdn.startswith("+855") else delivery.msisdn
        )
        return manual_instruction(group_national(national), delivery.amount_cents), "-ok"
    return _("delivering…"), "-ok"


class DeliveriesLine(Static):
    """Shown only while deliveries are open; `key` names the list's key in force."""

    @dataclass
    class Loaded(Message):
        pending: int
        review: int
        todo: str = ""  # what the clerk does for the newest manual one

    @dataclass
    class Changed(Message):
        """A delivery moved (or was just written, for the screen to say what to do)."""

        delivery: Delivery
        refund_cents: int | None = None

    def __init__(self, till: Till, key: Callable[[], str], *, id: str | None = None) -> None:
        super().__init__("", id=id, classes="notice")
        self.till = till
        self.key = key
        self.counts = (0, 0)

    def on_mount(self) -> None:
        plan = self.till.ledger.delivery
        if plan.default is Channel.ASSUMED and not plan.channels:
            return  # every top-up is delivered when sold: nothing to send, nothing to show
        self.sweep()
        self.set_interval(SWEEP_SECONDS, self.sweep)

    @in_thread(group="deliveries", exclusive=True)
    def sweep(self) -> None:
        """One pass of the worker (sends, looks up, sends to review), then the counts."""
        from counter.services.delivery_worker import DeliveryWorker

        ledger = self.till.ledger
        worker = DeliveryWorker(
            ledger, self.till.courier, on_change=self._changed, printer=self.till.printer
        )
        worker.run_once()
        self._count()

    def _changed(self, recorded: Recorded) -> None:
        refund = recorded.refund.amount_cents if recorded.refund else None
        self.post_message(self.Changed(recorded.delivery, refund))

    @in_thread(group="deliveries-count", exclusive=True)
    def refresh_count(self) -> None:
        self._count()

    def _count(self) -> None:
        ledger = self.till.ledger
        pending, review = open_counts(ledger, ledger.counter_code)
        waiting = deliveries(ledger, states=(DeliveryState.PENDING,), counter=ledger.counter_code)
        manual = [d for d in waiting if d.channel is Channel.MANUAL]
        todo = delivery_words(manual[-1], None)[0] if manual else ""
        self.post_message(self.Loaded(pending, review, todo))

    def on_deliveries_line_loaded(self, message: Loaded) -> None:
        message.stop()
        self.counts = (message.pending, message.review)
        parts = [message.todo] if message.todo else []
        if message.pending:
            parts.append(
                ngettext("{n} delivery pending", "{n} deliveries pending", message.pending).format(
                    n=message.pending
                )
            )
        if message.review:
            parts.append(
                ngettext(
                    "{n} delivery needs review", "{n} deliveries need review", message.review
                ).format(n=message.review)
            )
        shown = bool(message.pending or message.review)
        if shown:
            parts.append(_("{key} lists them").format(key=self.key()))
        self.update(" · ".join(parts))
        self.set_class(shown, "-shown")
