"""CounterApp: which screen shows when, the keys that work everywhere, the idle lock,
and the one place where a worker's failure becomes a notification."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from counter.config import Settings
from counter.ui.errors import explain, log
from counter.ui.till import Clock, Till


class CounterApp(App[None]):
    """The counter screen: first run, login, sale, history, reports, help."""

    TITLE = "Counter"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (96, "-wide")]  # noqa: RUF012 (Textual declares it)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="help"),
        Binding("ctrl+l", "lock", "Lock", id="lock"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        till: Till | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.till = till or Till(settings, clock=clock)
        self._monotonic = monotonic
        self._last_input = monotonic()

    # -- which screen -------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.settings.idle_lock_seconds:
            self.set_interval(min(5.0, self.settings.idle_lock_seconds / 4), self.lock_if_idle)
        if self.till.surely_new():
            self._first_run()
        else:
            self._ask_login()  # the login screen opens the ledger behind it, in a worker

    def _first_run(self) -> None:
        from counter.ui.screens.first_run import FirstRunScreen

        self.push_screen(FirstRunScreen(self.till), self._after_first_run)

    def not_set_up(self) -> None:
        """The login screen found no shop in the ledger: set it up first."""
        self.pop_screen()
        self._first_run()

    def _after_first_run(self, done: bool | None) -> None:
        if done:
            self._ask_login()
        else:
            self.exit()

    def _ask_login(self) -> None:
        from counter.ui.screens.login import LoginScreen

        self.push_screen(LoginScreen(self.till), self._logged_in)

    def _logged_in(self, clerk: Any) -> None:
        if clerk is None:
            return
        self.till.clerk = clerk
        self._last_input = self._monotonic()
        from counter.ui.screens.sale import SaleScreen

        sale = self.sale_screen
        if sale is None:
            self.push_screen(SaleScreen(self.till))
        else:
            sale.clerk_changed()
        if self.till.opening_float_due:  # the day's first login: the drawer before any sale
            from counter.ui.modals.opening_float import SKIPPED, OpeningFloatScreen

            def done(recorded: bool | None) -> None:
                if recorded:
                    self.notify("Opening float recorded.", title="Opening float")
                else:
                    self.notify(SKIPPED, title="Opening float", severity="warning", timeout=12)

            self.push_screen(OpeningFloatScreen(self.till), done)

    @property
    def sale_screen(self) -> Any:
        from counter.ui.screens.sale import SaleScreen

        for screen in self.screen_stack:
            if isinstance(screen, SaleScreen):
                return screen
        return None

    # -- actions everywhere -------------------------------------------------------------

    def action_help(self) -> None:
        from counter.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_lock(self) -> None:
        """Back to login; whatever is on screen (a sale being typed) stays under it."""
        if self.till.clerk is None:
            return
        self.till.clerk = None
        self._ask_login()

    def action_history(self) -> None:
        sale = self.sale_screen
        if sale is not None and self.till.clerk is not None:
            sale.action_history()

    def action_reprint_last(self) -> None:
        sale = self.sale_screen
        if sale is not None and self.till.clerk is not None:
            sale.action_reprint_last()

    def action_reports(self) -> None:
        sale = self.sale_screen
        if sale is not None and self.till.clerk is not None:
            sale.action_reports()

    def action_retry_printing(self) -> None:
        sale = self.sale_screen
        if sale is not None and self.till.clerk is not None:
            sale.action_retry_printing()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        if self.till.clerk is not None:
            yield SystemCommand(
                "History", "Today's sales, search, detail (F8)", self.action_history
            )
            yield SystemCommand(
                "Reprint last receipt",
                "Print the last sale's receipt again, marked COPY (F9)",
                self.action_reprint_last,
            )
            yield SystemCommand(
                "Void a sale",
                "Open the history to choose the sale; needs a supervisor's PIN",
                self.action_history,
            )
            yield SystemCommand(
                "Reports",
                "X report, daily report (PDF, CSV, XLSX), close the day, restock (F10)",
                self.action_reports,
            )
            yield SystemCommand(
                "Retry printing",
                "Print the receipts waiting in the print queue (F12)",
                self.action_retry_printing,
            )
            yield SystemCommand(
                "Lock", "Back to login; the sale being typed is kept (Ctrl+L)", self.action_lock
            )
        yield SystemCommand("Help", "Every key, and what each screen is for (F1)", self.action_help)
        yield SystemCommand("Quit", "Close Counter (Ctrl+Q)", self.exit)

    # -- idle lock ------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown) and not event.is_forwarded:
            self._last_input = self._monotonic()
        await super().on_event(event)

    def lock_if_idle(self) -> None:
        """Lock after `idle_lock_seconds` without a key; called by a timer."""
        limit = self.settings.idle_lock_seconds
        idle = self._monotonic() - self._last_input
        if limit and self.till.clerk is not None and idle >= limit:
            self.action_lock()

    # -- failures -----------------------------------------------------------------------

    def worker_failed(self, error: BaseException) -> None:
        """The one place a worker's failure reaches the clerk: a sentence, never a traceback."""
        log.error("worker failed", exc_info=error)
        self.notify(explain(error), title="Problem", severity="error", timeout=12)


def run(settings: Settings) -> None:
    """Open the counter screen (what `counter` with no command does)."""
    CounterApp(settings).run()
