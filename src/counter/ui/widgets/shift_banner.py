"""The banner over the sale form while no shift is open: said before the clerk types.

Every sale needs an open shift (the drawer counted into it); without one the clerk would
type a whole sale only to have it refused. The banner reads the counter's shifts when it
is shown, then every POLL_SECONDS while it is shown and every IDLE_POLL_SECONDS while a
shift is open (a shift may be opened or closed from the Reports screen or the command
line), and names the keys in force to open one.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widgets import Static

from counter.i18n import _
from counter.services.shifts import shift_status
from counter.ui.keys import key_for, keymap_of
from counter.ui.till import Till
from counter.ui.work import in_thread

POLL_SECONDS = 2.0
IDLE_POLL_SECONDS = 15.0


class ShiftBanner(Static):
    """Shown only while no shift is open at the counter."""

    @dataclass
    class Loaded(Message):
        open: bool
        day_closed: bool

    def __init__(self, till: Till, *, id: str | None = None) -> None:
        super().__init__("", id=id, classes="notice")
        self.till = till
        self.shown: tuple[bool, bool] | None = None  # what it says now (nothing redrawn twice)

    def on_mount(self) -> None:
        self.refresh_shift()
        self.set_interval(POLL_SECONDS, self._poll)
        self.ticks = 0

    def _poll(self) -> None:
        """Often while the banner is shown, seldom while a shift is open."""
        self.ticks += 1
        idle = self.shown is not None and self.shown[0]
        if not idle or self.ticks % round(IDLE_POLL_SECONDS / POLL_SECONDS) == 0:
            self.refresh_shift()

    @in_thread(group="shift-banner", exclusive=True)
    def refresh_shift(self) -> None:
        till = self.till
        status = shift_status(till.ledger, till.counter_code, till.today())
        self.post_message(self.Loaded(status.open is not None, status.day_closed))

    def on_shift_banner_loaded(self, message: Loaded) -> None:
        message.stop()
        if self.shown == (message.open, message.day_closed):
            return
        self.shown = (message.open, message.day_closed)
        self.update("" if message.open else self.words(message.day_closed))
        self.set_class(not message.open, "-shown")

    def words(self, day_closed: bool) -> str:
        from counter.ui.screens.reports import ReportsScreen
        from counter.ui.screens.sale import SaleScreen

        keymap = keymap_of(self.app)
        reports = key_for("reports", keymap, SaleScreen)
        opening = key_for("reports-open-shift", keymap, ReportsScreen)
        if day_closed:
            return _(
                "The day is closed: no open shift. A supervisor may reopen it "
                "(`counter reopen-day`)."
            )
        return _("No open shift: {reports} then {key} to open one.").format(
            reports=reports, key=opening
        )
