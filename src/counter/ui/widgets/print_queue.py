"""The line under the sale form that says how many receipts and slips (a delivery's or a
refund's, issue 15) wait to print, and the retry: on the key, and by itself every
AUTO_RETRY_SECONDS while any wait (receipts first, then the slips that follow them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message
from textual.widgets import Static

from counter import services
from counter.domain.receipt import PrintResult
from counter.i18n import _, ngettext
from counter.services.queries import WaitingPaper, waiting_paper
from counter.ui.till import Till
from counter.ui.work import in_thread

AUTO_RETRY_SECONDS = 30.0


class PrintQueueLine(Static):
    """Shown only while receipts or slips wait; `key` names the retry key in force."""

    @dataclass
    class Loaded(Message):
        waiting: WaitingPaper

    @dataclass
    class Retried(Message):
        results: list[PrintResult]
        asked: bool  # the retry key, not the automatic retry

    @dataclass
    class Done(Message):
        """A retry the clerk asked for has finished (the screen says it is ready again)."""

        asked: bool

    def __init__(self, till: Till, key: Callable[[], str], *, id: str | None = None) -> None:
        super().__init__("", id=id, classes="notice")
        self.till = till
        self.key = key
        self.waiting = 0

    def on_mount(self) -> None:
        self.refresh_count()
        self.set_interval(AUTO_RETRY_SECONDS, self._auto_retry)

    @in_thread(group="print-queue", exclusive=True)
    def refresh_count(self) -> None:
        self.post_message(self.Loaded(waiting_paper(self.till.ledger)))

    def on_print_queue_line_loaded(self, message: Loaded) -> None:
        message.stop()
        paper = message.waiting
        self.waiting = paper.total
        self.update(
            _("{what} waiting to print · {key} retries (and every {seconds} s by itself)").format(
                what=waiting_words(paper), key=self.key(), seconds=f"{AUTO_RETRY_SECONDS:.0f}"
            )
            if paper.total
            else ""
        )
        self.set_class(bool(paper.total), "-shown")

    def retrying(self) -> bool:
        return any(worker.group == "retry" and worker.is_running for worker in self.workers)

    def _auto_retry(self) -> None:
        """Every AUTO_RETRY_SECONDS: retry what waits, unless a retry runs already; with
        nothing waiting, count again (a slip the delivery worker could not print waits)."""
        if self.waiting and not self.retrying():
            self.retry(asked=False)
        elif not self.waiting:
            self.refresh_count()

    @in_thread(group="retry")
    def retry(self, asked: bool) -> None:
        results = services.retry_pending(self.till.ledger, self.till.printer)
        self.post_message(self.Retried(results, asked))

    def on_print_queue_line_retried(self, message: Retried) -> None:
        message.stop()
        if message.asked and not message.results:
            self.notify(_("No receipt is waiting to print."), title=_("Retry printing"))
        for result in message.results:
            if result.ok or message.asked:
                self.notify(
                    result.message,
                    title=_("Receipt printed") if result.ok else _("Still not printed"),
                    severity="information" if result.ok else "warning",
                    timeout=10,
                )
        self.post_message(self.Done(message.asked))
        self.refresh_count()


def waiting_words(paper: WaitingPaper) -> str:
    """`1 receipt`, `2 receipts and 1 refund slip`, `1 receipt, 1 delivery slip and 1
    refund slip`: what waits, in the words a clerk reads."""
    parts = [
        text.format(n=n)
        for n, text in (
            (paper.receipts, ngettext("{n} receipt", "{n} receipts", paper.receipts)),
            (
                paper.delivery_slips,
                ngettext("{n} delivery slip", "{n} delivery slips", paper.delivery_slips),
            ),
            (
                paper.refund_slips,
                ngettext("{n} refund slip", "{n} refund slips", paper.refund_slips),
            ),
        )
        if n
    ]
    if len(parts) < 2:
        return "".join(parts)
    return _("{first} and {last}").format(first=_(", ").join(parts[:-1]), last=parts[-1])
