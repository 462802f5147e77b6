"""The line under the sale form that says how many receipts wait to print, and the retry:
on the key, and by itself every AUTO_RETRY_SECONDS while any wait."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message
from textual.widgets import Static

from counter import services
from counter.domain.receipt import PrintResult
from counter.i18n import _, ngettext
from counter.ui.till import Till
from counter.ui.work import in_thread

AUTO_RETRY_SECONDS = 30.0


class PrintQueueLine(Static):
    """Shown only while receipts wait; `key` names the retry key in force."""

    @dataclass
    class Loaded(Message):
        waiting: int

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
        self.post_message(self.Loaded(len(services.pending_receipts(self.till.ledger))))

    def on_print_queue_line_loaded(self, message: Loaded) -> None:
        message.stop()
        self.waiting = n = message.waiting
        self.update(
            ngettext(
                "{n} receipt waiting to print · {key} retries (and every {seconds} s by itself)",
                "{n} receipts waiting to print · {key} retries (and every {seconds} s by itself)",
                n,
            ).format(n=n, key=self.key(), seconds=f"{AUTO_RETRY_SECONDS:.0f}")
            if n
            else ""
        )
        self.set_class(bool(n), "-shown")

    def retrying(self) -> bool:
        return any(worker.group == "retry" and worker.is_running for worker in self.workers)

    def _auto_retry(self) -> None:
        """Every AUTO_RETRY_SECONDS: retry the waiting receipts, unless a retry runs already."""
        if self.waiting and not self.retrying():
            self.retry(asked=False)

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
