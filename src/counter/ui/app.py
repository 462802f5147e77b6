"""CounterApp: which screen shows when, the keys that work everywhere, the idle lock,
and the one place where a worker's failure becomes a notification.

The app speaks with its own `Voice` (`counter.i18n`): the shop's language at login, the
clerk's after it. It never changes the process's language, so nothing else in the
process (a report, a test) hears the clerk's choice.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from counter.i18n import Voice, _, bind_voice
from counter.settings_source import screen_start
from counter.ui.errors import explain, log
from counter.ui.key_path import OrderedKeys, hold_keys, release_keys
from counter.ui.keys import keymap_of
from counter.ui.lang import N_
from counter.ui.themes import THEME_NAMES, THEMES, theme_name
from counter.ui.till import Clock, Till
from counter.ui.work import in_thread

if TYPE_CHECKING:
    from counter.config import Settings
    from counter.domain.records import User
    from counter.ui.screens.sale import SaleScreen

# The language menu names each language in its own script, so anyone can find theirs.
LANGUAGE_COMMAND = "Language: English / 中文"
# Textual's own footer label for the command palette key: translated with the app's bindings.
PALETTE_LABEL = N_("palette")
HANDOVER = "handover"  # what holds the keys while another clerk's form is emptied


class CounterApp(OrderedKeys):
    """The counter screen: first run, login, sale, history, reports, help.

    Keys take one ordered path (`OrderedKeys`): a burst does what the same keys typed
    slowly do."""

    TITLE = "Counter"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    # -tiny (a 60-column terminal): the side panels give way to the form, fewer footer keys.
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (70, "-narrow"), (96, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", N_("Help"), id="help"),
        Binding("ctrl+l", "lock", N_("Lock"), id="lock"),
        Binding("ctrl+q", "quit", N_("Quit"), id="quit", priority=True),
    ]

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        clock: Clock | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        till: Till | None = None,
    ) -> None:
        """With `settings`, or (`counter` without a command) with only the few the first
        frame needs: the rest are validated in a worker once the screen is up."""
        start = settings.screen_start() if settings is not None else screen_start()
        keymap: dict[str, str] = {}
        if start.keys:
            from counter.ui.keys import check_keymap

            keymap = check_keymap(start.keys)  # KeymapError before anything is drawn
        super().__init__()
        self.start = start
        self.till = till or Till(settings, start=start, clock=clock)
        self._monotonic = monotonic
        self._last_input = monotonic()
        self._locked_by: User | None = None  # whose sale stays under the lock screen
        self._handover: asyncio.Task[None] | None = None
        self.keys_setting = keymap
        for theme in THEMES.values():
            self.register_theme(theme)
        self.theme = theme_name(start.theme)
        self.voice = Voice(start.language)

    def on_load(self) -> None:
        # In the app's own task: every screen and widget task started from it, and every
        # thread worker (`ui.work.in_thread`), speaks with this voice.
        bind_voice(self.voice)

    @in_thread(group="settings")
    def _read_settings(self) -> None:
        """Every setting validated, after the first frame; a wrong one stops the app."""
        from counter.config import load_settings
        from counter.domain.errors import CounterError

        try:
            self.till.provide(load_settings())
        except CounterError as exc:
            self.till.provide(None, exc)
            self.call_from_thread(self.exit, None, 1, exc.message)

    # -- language and looks ---------------------------------------------------------------

    def _use_language(self, language: str) -> None:
        """Speak `language` from now on: open screens rebuilt, the footer's keys renamed."""
        if Voice(language).language == self.voice.language:
            return
        self.voice.speak(language)
        if not self.is_running:
            return
        for screen in self.screen_stack:
            rebuild = getattr(screen, "language_changed", None)
            if rebuild is not None:
                screen.call_later(rebuild)
            screen.refresh_bindings()
        self.refresh_bindings()

    def _use_theme(self, choice: str | None) -> None:
        self.theme = theme_name(choice or self.start.theme)

    # -- which screen -------------------------------------------------------------------

    def on_mount(self) -> None:
        if not self.till.has_settings:
            self.call_after_refresh(self._read_settings)
        if self.keys_setting:
            self.set_keymap(self.keys_setting)
        if self.start.idle_lock_seconds:
            self.set_timer(self.start.idle_lock_seconds, self._idle_timer)
        if self.till.surely_new():
            self._first_run()
        else:
            self._ask_login()  # the login screen opens the ledger behind it, in a worker

    def _first_run(self) -> None:
        from counter.ui.screens.first_run import FirstRunScreen

        if not self.till.has_settings:  # the set-up form reads them on this thread
            self._read_settings()
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

    def _ask_login(self, locked: User | None = None) -> None:
        """The login, in the shop's language; after a lock (`locked`), it asks that clerk's
        PIN first, in that clerk's language (Esc for someone else: `login_for_anyone`)."""
        from counter.ui.screens.login import LoginScreen

        self._use_language((locked.language if locked else None) or self.start.language)
        self._use_theme(None)
        self.push_screen(LoginScreen(self.till, locked=locked), self._logged_in)

    def login_for_anyone(self) -> None:
        """Esc at a locked login: another clerk logs in, so it speaks the shop's language."""
        self._use_language(self.start.language)

    def _logged_in(self, clerk: User | None) -> None:
        if clerk is None:
            return
        self.till.clerk = clerk
        self._use_language(clerk.language or self.start.language)
        self._use_theme(clerk.theme)
        self._last_input = self._monotonic()
        from counter.ui.screens.sale import SaleScreen

        sale, locked_by, self._locked_by = self.sale_screen, self._locked_by, None
        if sale is None:
            self.push_screen(SaleScreen(self.till))
        else:
            if locked_by is not None and locked_by.id == clerk.id:
                sale.clerk_changed()
            else:  # what the clerk before left open is not for this one
                self._hand_over(sale)
        if self.till.opening_cash_due:  # the day's first login: the drawer before any sale
            from counter.ui.modals.opening_cash import OpeningCashScreen, skipped_words

            def done(recorded: bool | None) -> None:
                if recorded:
                    self.notify(_("Opening cash recorded."), title=_("Opening cash"))
                else:
                    self.notify(
                        skipped_words(), title=_("Opening cash"), severity="warning", timeout=12
                    )

            self.push_screen(OpeningCashScreen(self.till), done)

    def _hand_over(self, sale: SaleScreen) -> None:
        """Another clerk logged in over the lock: every screen over the sale screen is
        dismissed with no answer (a confirmation left open does not sell), then, once their
        callbacks have run, the form is emptied. The keys typed meanwhile wait for it."""
        hold_keys(self, HANDOVER)
        stack = self.screen_stack
        for screen in reversed(stack[stack.index(sale) + 1 :]):
            screen.dismiss(None)

        async def empty_form() -> None:
            await self.key_path.until_still()
            sale.clerk_changed(same_clerk=False)
            release_keys(self, HANDOVER)

        self._handover = asyncio.get_running_loop().create_task(empty_form())

    @property
    def sale_screen(self) -> SaleScreen | None:
        from counter.ui.screens.sale import SaleScreen

        for screen in self.screen_stack:
            if isinstance(screen, SaleScreen):
                return screen
        return None

    # -- actions everywhere -------------------------------------------------------------

    def action_command_palette(self) -> None:
        """Textual's palette, with its search prompt in the clerk's language."""
        from counter.ui.palette import CounterPalette

        open_already = CounterPalette.is_open(self)  # type: ignore[arg-type]
        if self.use_command_palette and not open_already:
            self.push_screen(
                CounterPalette(placeholder=_("Search for commands…"), id="--command-palette")
            )

    def action_quit(self) -> None:  # type: ignore[override]
        """Close Counter; with a sale half typed, ask first (Ctrl+Q again, or `y`, quits).
        While a sale is being recorded it quits at once: the ledger has it already."""
        from counter.ui.modals.quit_sale import QuitSaleScreen
        from counter.ui.screens.sale import SaleScreen

        if isinstance(self.screen, QuitSaleScreen) or not any(
            isinstance(s, SaleScreen) and s.sale_in_progress for s in self.screen_stack
        ):
            self.exit()
            return
        self.push_screen(QuitSaleScreen(), lambda yes: self.exit() if yes else None)

    def action_help(self) -> None:
        """The help, built once per language and kept (installed), so F1 after the first
        time only shows it again (scripts/bench_help.py)."""
        from counter.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        name = f"help-{self.voice.language}"
        if not self.is_screen_installed(name):
            self.install_screen(HelpScreen(), name)
        self.push_screen(name)

    def action_lock(self) -> None:
        """Back to login, asking the same clerk's PIN; whatever is on screen (a sale being
        typed) stays under it for that clerk only."""
        clerk = self.till.clerk
        if clerk is None:
            return
        self.till.clerk = None
        self._locked_by = clerk
        self._ask_login(locked=clerk)

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

    def action_khqr_review(self) -> None:
        sale = self.sale_screen
        if sale is not None and self.till.clerk is not None:
            sale.action_khqr_review()

    def action_rate(self) -> None:
        """The rate form (from the palette; Reports has it on a key)."""
        if self.till.clerk is None:
            return
        from counter.ui.modals.rate import open_rate_form

        open_rate_form(self, self.till, lambda text: None)

    def action_retry_printing(self) -> None:
        sale = self.sale_screen
        if sale is not None and self.till.clerk is not None:
            sale.action_retry_printing()

    def _key(self, binding_id: str, where: type[Any] | None = None) -> str:
        """The key in force for an action of `where` (default: the sale screen)."""
        from counter.ui.keys import key_for

        if where is None:
            from counter.ui.screens.sale import SaleScreen

            where = SaleScreen
        return key_for(binding_id, keymap_of(self), where)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        key = self._key
        if self.till.clerk is not None:
            yield from self._clerk_commands()
            yield SystemCommand(
                _("Late KHQR payments"),
                _(
                    "Payments that came after their code closed: sell or refunded; a supervisor's PIN"
                ),
                self.action_khqr_review,
            )
        yield SystemCommand(
            _("Help"),
            _("Every key, and what each screen is for ({key})").format(key=key("help", type(self))),
            self.action_help,
        )
        yield SystemCommand(
            _("Quit"),
            _("Close Counter ({key})").format(key=key("quit", type(self))),
            self.action_quit,
        )

    def _clerk_commands(self) -> Iterable[SystemCommand]:
        """What the palette offers a clerk who is logged in."""
        key = self._key
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
            _("Exchange rate"),
            _("The rate in force, its last change, a new rate; needs a supervisor's PIN"),
            self.action_rate,
        )
        yield SystemCommand(
            _("Retry printing"),
            _("Print the receipts waiting in the print queue ({key})").format(
                key=key("retry-printing")
            ),
            self.action_retry_printing,
        )
        from counter.ui.owner_commands import owner_commands

        yield from owner_commands(self)
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

    # -- the clerk's own language and theme -----------------------------------------------

    def action_switch_language(self) -> None:
        """English <-> Chinese for the clerk logged in, kept in the ledger for next time."""
        if self.till.clerk is None:
            return
        self._save_language("en" if self.voice.language == "zh" else "zh")

    @in_thread(group="user-language")
    def _save_language(self, language: str) -> None:
        from counter.services.users import set_user_language

        clerk = self.till.clerk_now()
        saved = set_user_language(self.till.ledger, clerk.name, language, by=clerk)
        self.call_from_thread(self._language_saved, saved)

    def _language_saved(self, clerk: User) -> None:
        self.till.clerk = clerk
        self._use_language(clerk.language or self.start.language)

    def action_choose_theme(self, choice: str) -> None:
        if self.till.clerk is None:
            return
        self._use_theme(choice)  # at once; saved for the next login in a worker
        self._save_theme(choice)

    @in_thread(group="user-theme")
    def _save_theme(self, choice: str) -> None:
        from counter.services.users import set_user_theme

        clerk = self.till.clerk_now()
        saved = set_user_theme(self.till.ledger, clerk.name, choice, by=clerk)
        self.call_from_thread(setattr, self.till, "clerk", saved)

    # -- idle lock ------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown) and not event.is_forwarded:
            self._last_input = self._monotonic()
        await super().on_event(event)

    def lock_if_idle(self) -> float:
        """Lock after `idle_lock_seconds` without a key or click; the seconds until the
        next look (when the last key would make the time up), so the lock is never late by
        more than the timer's own delay."""
        limit = self.start.idle_lock_seconds
        idle = self._monotonic() - self._last_input
        if not limit:
            return 0.0
        if idle < limit:
            return limit - idle
        if self.till.clerk is not None:
            self.action_lock()
        return float(limit)  # locked, or nobody logged in: a whole idle time from now

    def _idle_timer(self) -> None:
        self.set_timer(max(self.lock_if_idle(), 0.05), self._idle_timer)

    # -- failures -----------------------------------------------------------------------

    def worker_failed(self, error: BaseException) -> None:
        """The one place a worker's failure reaches the clerk: a sentence, never a traceback."""
        log.error("worker failed", exc_info=error)
        self.notify(explain(error, self), title=_("Problem"), severity="error", timeout=12)


def run(settings: Settings | None = None) -> int:
    """Open the counter screen (what `counter` with no command does); the exit code."""
    app = CounterApp(settings)
    try:
        app.run()
    finally:
        app.till.close()
    return app.return_code or 0
