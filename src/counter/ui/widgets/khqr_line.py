"""The line under the sale form for KHQR: how many late payments wait for a supervisor,
and where they are decided. It also runs the KHQR worker's pass while the screen is up
(`resume_khqr`: codes still waiting are asked of Bakong, paid ones sold, old ones
expired) and the late check (`find_late_khqr`), in a thread worker every CHECK_SECONDS,
never on the screen's thread, and only when `[khqr]` has a token. While a code is on the
screen its own wait asks Bakong: the pass waits for the next turn."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message
from textual.widgets import Static

from counter.domain.khqr import KhqrState
from counter.i18n import _, ngettext
from counter.services.khqr import KhqrFinish
from counter.ui.till import Till
from counter.ui.work import in_thread

CHECK_SECONDS = 30.0


class KhqrLine(Static):
    """Shown only while a KHQR payment needs a supervisor, or Bakong cannot be asked;
    `where` names the way to the supervisor's decisions in force."""

    @dataclass
    class Checked(Message):
        finished: tuple[KhqrFinish, ...]
        review: int  # this counter's payments waiting for a supervisor
        problem: str | None = None

    @dataclass
    class Sold(Message):
        """A code paid while no screen watched it: its sale is recorded."""

        finish: KhqrFinish

    def __init__(self, till: Till, where: Callable[[], str], *, id: str | None = None) -> None:
        super().__init__("", id=id, classes="notice")
        self.till = till
        self.where = where
        self.review = 0

    def on_mount(self) -> None:
        if not self.till.ledger.khqr.enabled:
            return  # the shop takes no KHQR: nothing to ask, nothing to show
        self.call_after_refresh(self.turn)
        self.set_interval(CHECK_SECONDS, self.turn)

    def turn(self) -> None:
        from counter.ui.modals.khqr_pay import KhqrPayScreen

        if any(isinstance(s, KhqrPayScreen) for s in self.app.screen_stack):
            return  # the code's own wait is asking Bakong
        self.check()

    @in_thread(group="khqr-check", exclusive=True)
    def check(self) -> None:
        """One pass of the worker and the late check, then the count for a supervisor."""
        from counter.khqr_link import has_token
        from counter.services.khqr import find_late_khqr, resume_khqr

        ledger = self.till.ledger
        if not has_token(self.till.settings.khqr):
            return
        waiting = resume_khqr(ledger, self.till.khqr)
        late = find_late_khqr(ledger, self.till.khqr) if waiting.problem is None else None
        for finish in waiting.finished:
            if finish.sale is not None and finish.request.state is KhqrState.PAID:
                self.post_message(self.Sold(finish))
        problem = waiting.problem or (late.problem if late else None)
        self._count((*waiting.finished, *(late.finished if late else ())), problem)

    def _count(self, finished: tuple[KhqrFinish, ...], problem: str | None = None) -> None:
        from counter.services.khqr import needing_review

        ledger = self.till.ledger
        review = [r for r in needing_review(ledger) if r.counter_code == ledger.counter_code]
        self.post_message(self.Checked(finished, len(review), problem))

    @in_thread(group="khqr-count", exclusive=True)
    def refresh_count(self) -> None:
        self._count(())

    def on_khqr_line_checked(self, message: Checked) -> None:
        message.stop()
        self.review = message.review
        parts = []
        if message.review:
            parts.append(
                ngettext(
                    "{n} KHQR payment needs a supervisor: {where}.",
                    "{n} KHQR payments need a supervisor: {where}.",
                    message.review,
                ).format(n=message.review, where=self.where())
            )
        if message.problem:
            parts.append(_("KHQR check: {problem}").format(problem=message.problem))
        self.update(" ".join(parts))
        self.set_class(bool(parts), "-shown")
