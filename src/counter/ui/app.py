"""CounterApp: which screen shows when, the keys that work everywhere, the idle lock,
and the one place where a worker's failure becomes a notification."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, ClassVar

from textual import events, work
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from counter.config import Settings
from counter.i18n import _, get_language, set_language
from counter.ui.errors import explain, log
from counter.ui.key_path import OrderedKeys
from counter.ui.lang import N_, localize_bindings
from counter.ui.themes import THEME_NAMES, THEMES, theme_name
from counter.ui.till import Clock, Till

# The language menu names each language in its own script, so anyone can find theirs.
LANGUAGE_COMMAND = "Language: English / 中文"
# Textual's own footer label for the command palette key: translated with the app's bindings.
PALETTE_LABEL = N_("palette")


class CounterApp(OrderedKeys):
    """The counter screen: first run, login, sale, history, reports, help.

    Keys take one ordered path (`OrderedKeys`): a burst does what the same keys typed
    slowly do."""

    TITLE = "Counter"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (96, "-wide")]  # noqa: RUF012 (Textual declares it)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", N_("Help"), id="help"),
        Binding("ctrl+l", "lock", N_("Lock"), id="lock"),
        Binding("ctrl+q", "quit", N_("Quit"), id="quit", priority=True),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        till: Till | None = None,
    ) -> None:
        keymap: dict[str, str] = {}
        if settings.keys:
            from counter.ui.keys import check_keymap

            keymap = check_keymap(settings.keys)  # KeymapError before anything is drawn
        super().__init__()
        self.settings = settings
        self.till = till or Till(settings, clock=clock)
        self._monotonic = monotonic
        self._last_input = monotonic()
        self.keys_setting = keymap
        for theme in THEMES.values():
            self.register_theme(theme)
        self.theme = theme_name(settings.theme)
        self._shown_language = ""  # the language the screens on the stack were built in
        self._use_language(settings.language)

    # -- language and looks ---------------------------------------------------------------

    def _use_language(self, language: str) -> None:
        """Speak `language` from now on: bindings at once, open screens rebuilt."""
        set_language(language)
        language = get_language()
        if language == self._shown_language:
            return
        self._shown_language = language
        localize_bindings(self)
        if not self.is_running:
            return
        for screen in self.screen_stack:
            localize_bindings(screen)
            rebuild = getattr(screen, "language_changed", None)
            if rebuild is not None:
                screen.call_later(rebuild)
        self.refresh_bindings()

    def _use_theme(self, choice: str | None) -> None:
        self.theme = theme_name(choice or self.settings.theme)

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(screen, Screen):
            localize_bindings(screen)
        return super().push_screen(screen, *args, **kwargs)

    # -- which screen -------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.keys_setting:
            self.set_keymap(self.keys_setting)
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

        self._use_language(self.settings.language)  # the login speaks the shop's language
        self._use_theme(None)
        self.push_screen(LoginScreen(self.till), self._logged_in)

    def _logged_in(self, clerk: Any) -> None:
        if clerk is None:
            return
        self.till.clerk = clerk
        self._use_language(clerk.language or self.settings.language)
        self._use_theme(getattr(clerk, "theme", None))
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
                    self.notify(_("Opening float recorded."), title=_("Opening float"))
                else:
                    self.notify(
                        _(SKIPPED), title=_("Opening float"), severity="warning", timeout=12
                    )

            self.push_screen(OpeningFloatScreen(self.till), done)

    @property
    def sale_screen(self) -> Any:
        from counter.ui.screens.sale import SaleScreen

        for screen in self.screen_stack:
            if isinstance(screen, SaleScreen):
                return screen
        return None

    # -- actions everywhere -------------------------------------------------------------

    def action_command_palette(self) -> None:
        """Textual's palette, with its search prompt in the clerk's language."""
        from textual.command import CommandPalette

        open_already = CommandPalette.is_open(self)  # type: ignore[arg-type]
        if self.use_command_palette and not open_already:
            self.push_screen(
                CommandPalette(placeholder=_("Search for commands…"), id="--command-palette")
            )

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
        from counter.ui.keys import key_for

        def key(binding_id: str, where: type[Any] | None = None) -> str:
            if where is None:
                from counter.ui.screens.sale import SaleScreen

                where = SaleScreen
            return key_for(binding_id, self._keymap, where)

        if self.till.clerk is not None:
            yield SystemCommand(
                _("History"),
                _("Today's sales, search, detail ({key})").format(key=key("history")),
                self.action_history,
            )
            yield SystemCommand(
                _("Reprint last receipt"),
                _("Print the last sale's receipt again, marked COPY ({key})").format(
                    key=key("reprint-last")
                ),
                self.action_reprint_last,
            )
            yield SystemCommand(
                _("Void a sale"),
                _("Open the history to choose the sale; needs a supervisor's PIN"),
                self.action_history,
            )
            yield SystemCommand(
                _("Reports"),
                _("X report, daily report (PDF, CSV, XLSX), close the day, restock ({key})").format(
                    key=key("reports")
                ),
                self.action_reports,
            )
            yield SystemCommand(
                _("Retry printing"),
                _("Print the receipts waiting in the print queue ({key})").format(
                    key=key("retry-printing")
                ),
                self.action_retry_printing,
            )
            yield SystemCommand(
                _("Lock"),
                _("Back to login; the sale being typed is kept ({key})").format(
                    key=key("lock", type(self))
                ),
                self.action_lock,
            )
            yield SystemCommand(
                LANGUAGE_COMMAND,
                _("Show the screen in English or in Chinese (中文), for you only"),
                self.action_switch_language,
            )
            for choice, name in THEME_NAMES.items():
                yield SystemCommand(
                    _("Theme: {name}").format(name=_(name)),
                    _("Colours of the screen, for you only"),
                    partial(self.action_choose_theme, choice),
                )
        yield SystemCommand(
            _("Help"),
            _("Every key, and what each screen is for ({key})").format(key=key("help", type(self))),
            self.action_help,
        )
        yield SystemCommand(
            _("Quit"), _("Close Counter ({key})").format(key=key("quit", type(self))), self.exit
        )

    # -- the clerk's own language and theme -----------------------------------------------

    def action_switch_language(self) -> None:
        """English <-> Chinese for the clerk logged in, kept in the ledger for next time."""
        if self.till.clerk is None:
            return
        self._save_language("en" if get_language() == "zh" else "zh")

    @work(thread=True, exit_on_error=False, group="user-language")
    def _save_language(self, language: str) -> None:
        clerk = self.till.set_language(language)
        self.call_from_thread(self._language_saved, clerk)

    def _language_saved(self, clerk: Any) -> None:
        self.till.clerk = clerk
        self._use_language(clerk.language or self.settings.language)

    def action_choose_theme(self, choice: str) -> None:
        if self.till.clerk is None:
            return
        self._use_theme(choice)  # at once; saved for the next login in a worker
        self._save_theme(choice)

    @work(thread=True, exit_on_error=False, group="user-theme")
    def _save_theme(self, choice: str) -> None:
        clerk = self.till.set_theme(choice)
        self.call_from_thread(setattr, self.till, "clerk", clerk)

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
        self.notify(explain(error), title=_("Problem"), severity="error", timeout=12)


def run(settings: Settings) -> None:
    """Open the counter screen (what `counter` with no command does)."""
    CounterApp(settings).run()
