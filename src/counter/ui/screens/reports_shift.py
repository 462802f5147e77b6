"""The Reports screen's shift close (`k`): a shift closed on its own, with its Z report,
the day left open for the next shift; and the drawer's line of the figures.

`ShiftCloseReports` is the Reports screen's base: the screen gives `till`, `_say` and
`reload`. The count form is `ui.modals.close_shift`.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.screen import Screen

from counter.domain.cash_count import CashCount as DrawerCount
from counter.domain.dayend import CashCount, DaySummary
from counter.domain.shifts import Shift, ShiftClosed, count_words, difference_words
from counter.i18n import _
from counter.i18n import format_khr_for as format_khr
from counter.i18n import format_usd_for as format_usd
from counter.services.shifts import shift_status
from counter.ui.till import Till
from counter.ui.work import in_thread


class ShiftCloseReports(Screen[None]):
    """Closing the counter's open shift from the Reports screen."""

    till: Till

    @dataclass
    class ShiftReady(Message):
        shift: Shift | None
        expected: CashCount | None  # None: the reader counts blind

    def reload(self) -> None:
        """The screen's figures again (the Reports screen's own)."""

    def _say(self, text: str, *, ok: bool = False) -> None:
        """The screen's message line (the Reports screen's own)."""

    # -- shift close (its own Z report; the day stays open) ---------------------------

    def action_close_shift(self) -> None:
        self._say(_("Reading the open shift…"))
        self._prepare_shift_close()

    @in_thread(group="report-close")
    def _prepare_shift_close(self) -> None:
        till = self.till
        status = shift_status(
            till.ledger, till.counter_code, till.today(), role=till.clerk_now().role
        )
        self.post_message(self.ShiftReady(status.open, status.expected))

    def on_shift_close_reports_shift_ready(self, message: ShiftReady) -> None:
        from counter.ui.modals.close_shift import CloseShiftScreen

        if message.shift is None:
            self._say(
                _("No shift is open at counter {counter}: there is no shift to close.").format(
                    counter=self.till.counter_code
                )
            )
            return
        self._say("")
        self.app.push_screen(
            CloseShiftScreen(self.till, message.shift, message.expected), self._shift_closed
        )

    def _shift_closed(self, closed: ShiftClosed | None) -> None:
        if closed is None:
            self._say(_("Shift not closed."))
            return
        shift, cash = closed.shift, closed.cash
        text = _(
            "Closed shift {number} of {day}: counted {counted}, expected {expected}: {difference}."
        ).format(
            number=shift.number,
            day=shift.business_date.isoformat(),
            counted=count_words(DrawerCount(cash.counted_usd_cents or 0, cash.counted_khr or 0)),
            expected=count_words(DrawerCount(cash.expected_usd_cents, cash.expected_khr)),
            difference=difference_words(cash.difference_usd_cents or 0, cash.difference_khr or 0),
        )
        if closed.report_path is not None:
            text += " " + _("Z report: {path}").format(path=closed.report_path)
        else:
            text += " " + _("The Z report was not written: {error}").format(
                error=closed.report_error
            )
        if closed.printed:
            text += " " + closed.printed
        self._say(text, ok=closed.report_path is not None)
        self.notify(text, title=_("Shift closed"), timeout=15)
        self.reload()


def cash_text(text: Text, summary: DaySummary, cash: CashCount) -> None:
    """The drawer's line: what was taken by tender, then the expected cash, or, for whoever
    counts blind while the shift is open, that it comes after the count (withheld by the
    use case, `CashCount.blind`); once counted, the difference."""
    pay, khqr = summary.payments, summary.khqr
    taken = _("Taken in cash {usd} and {khr} (received less change)").format(
        usd=format_usd(pay.net_usd_cents), khr=format_khr(pay.net_khr)
    )
    if khqr.lines:
        taken += _(", by KHQR {usd} and {khr}").format(
            usd=format_usd(khqr.usd_cents), khr=format_khr(khqr.khr)
        )
    text.append(taken + "\n")
    text.append(_("Expected cash: "), style="bold")
    if cash.blind:
        text.append(
            _("shown after the count (blind count); opening cash {usd} and {khr}").format(
                usd=format_usd(cash.opening_usd_cents), khr=format_khr(cash.opening_khr)
            )
        )
        return
    text.append(
        _("{usd} and {khr} (opening cash {opening_usd} and {opening_khr})").format(
            usd=format_usd(cash.expected_usd_cents),
            khr=format_khr(cash.expected_khr),
            opening_usd=format_usd(cash.opening_usd_cents),
            opening_khr=format_khr(cash.opening_khr),
        )
    )
    if cash.difference_usd_cents is not None and cash.difference_khr is not None:
        text.append(
            "\n"
            + _("Counted {counted}: {difference}").format(
                counted=count_words(
                    DrawerCount(cash.counted_usd_cents or 0, cash.counted_khr or 0)
                ),
                difference=difference_words(cash.difference_usd_cents, cash.difference_khr),
            )
        )
