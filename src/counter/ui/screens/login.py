"""Login: the clerk's name, Enter, the PIN (masked), Enter.

Enter on the name always moves to the PIN, so whatever follows an Enter is masked: a PIN
can never show in the name field, however fast the keys come. The keys typed while the
PIN is checked wait for the screen that follows (the sale, or the opening float).

After a lock, the screen asks the PIN of the clerk who was logged in (the name is filled
in, the PIN focused): that clerk finds the sale as it was left. Esc empties the name for
another clerk, who starts with an empty form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from counter.domain.errors import CounterError, NotInitialised
from counter.i18n import _
from counter.ui.errors import WorkerErrorsToApp
from counter.ui.key_path import hold_keys, release_keys
from counter.ui.lang import N_
from counter.ui.till import Till
from counter.ui.widgets.field_input import FieldInput
from counter.ui.widgets.footer import CounterFooter
from counter.ui.work import in_thread

if TYPE_CHECKING:
    from counter.domain.records import User

CHECKING = "login"  # what holds the keys while the PIN is checked


class LoginScreen(Screen["User"], WorkerErrorsToApp):
    """Dismisses with the clerk who logged in."""

    CSS_PATH = "login.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "restart", N_("Start again"), id="login-restart")
    ]

    @dataclass
    class Refused(Message):
        message: str

    @dataclass
    class Accepted(Message):
        clerk: User

    def __init__(self, till: Till, *, locked: User | None = None) -> None:
        super().__init__()
        self.till = till
        self.locked = locked
        self._checking = False

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="login-box", classes="panel") as box:
            box.border_title = _("Counter · log in")
            yield Static("", id="login-shop")
            yield Label(_("Your name"), classes="field-label", id="login-name-label")
            yield FieldInput(
                placeholder=_("name"),
                id="login-name",
                max_length=40,
                next_field="#login-pin",
                ready=lambda: True,
                value=self.locked.name if self.locked is not None else "",
            )
            yield Label(_("PIN"), classes="field-label", id="login-pin-label")
            yield Input(placeholder=_("PIN"), password=True, id="login-pin", max_length=12)
            yield Static(self._first_words(), id="login-message")
            yield Static("", id="login-token")
        yield CounterFooter()

    @dataclass
    class NotSetUp(Message):
        pass

    def _first_words(self) -> str:
        if self.locked is None:
            return _("Type your name, Enter, then your PIN, Enter.")
        return _("Locked. {name}: type your PIN, Enter. Someone else: Esc, then your name.").format(
            name=self.locked.name
        )

    def language_changed(self) -> None:
        """The same words in the language now spoken (Esc at a lock: the shop's), said in
        place: the fields and what is typed in them stay as they are."""
        self.query_one("#login-box").border_title = _("Counter · log in")
        self.query_one("#login-name-label", Label).update(_("Your name"))
        self.query_one("#login-pin-label", Label).update(_("PIN"))
        self.query_one("#login-name", Input).placeholder = _("name")
        self.query_one("#login-pin", Input).placeholder = _("PIN")
        if not self._checking:
            self._say(self._first_words(), error=False)
        self._show_shop()

    def on_mount(self) -> None:
        self.query_one("#login-pin" if self.locked else "#login-name", Input).focus()
        self.call_after_refresh(self._show_shop)  # open the ledger once the screen is up

    @in_thread(group="login-shop")
    def _show_shop(self) -> None:
        try:
            shop = self.till.shop()
        except NotInitialised:
            self.post_message(self.NotSetUp())
            return
        text = _("{shop} · counter {counter}").format(shop=shop.name, counter=shop.counter_code)
        self.app.call_from_thread(self.query_one("#login-shop", Static).update, text)
        self._show_token()

    def _show_token(self) -> None:
        """The Bakong token's expiry in words, days ahead (or what KHQR does without it)."""
        from counter.khqr_link import token_notice

        notice = token_notice(self.till.settings.khqr, self.till.now(), self.till.zone)
        if notice:
            self.app.call_from_thread(self._token_shown, notice)

    def _token_shown(self, notice: str) -> None:
        token = self.query_one("#login-token", Static)
        token.update(notice)
        token.add_class("-shown")

    def on_login_screen_not_set_up(self, _: NotSetUp) -> None:
        handler = getattr(self.app, "not_set_up", None)
        if handler is not None:
            handler()

    @on(Input.Submitted, "#login-name")
    def _name_entered(self, event: Input.Submitted) -> None:
        event.stop()  # the name's FieldInput moved to the PIN on the Enter key itself

    @on(Input.Submitted, "#login-pin")
    def _pin_entered(self, event: Input.Submitted) -> None:
        name = self.query_one("#login-name", Input).value.strip()
        if not name:
            event.input.value = ""
            self.query_one("#login-name", Input).focus()
            self._say(_("Type your name first, then Enter, then your PIN."), error=True)
            return
        if not event.value or self._checking:
            return
        self._checking = True
        hold_keys(self, CHECKING)  # the keys typed now are for the screen after the login
        self._say(_("Checking…"), error=False)
        self._authenticate(name, event.value)

    @in_thread(group="login")
    def _authenticate(self, name: str, pin: str) -> None:
        try:
            clerk = self.till.login(name, pin)
        except CounterError as exc:
            self.post_message(self.Refused(exc.message))
            return
        self.post_message(self.Accepted(clerk))

    def on_login_screen_refused(self, message: Refused) -> None:
        self._checking = False
        pin = self.query_one("#login-pin", Input)
        pin.value = ""
        pin.focus()
        self._say(message.message, error=True)
        release_keys(self, CHECKING)

    def on_login_screen_accepted(self, message: Accepted) -> None:
        self.dismiss(message.clerk)
        release_keys(self, CHECKING)  # once the next screen is up and focused

    def on_worker_state_changed(self, event: Any) -> None:
        if event.worker.group == "login" and event.state.name in ("ERROR", "CANCELLED"):
            self._checking = False
            self._say(_("Could not check the PIN; try again."), error=True)
            release_keys(self, CHECKING)

    def action_restart(self) -> None:
        was_locked, self.locked = self.locked is not None, None  # another clerk's name
        for field in self.query(Input):
            field.value = ""
        self.query_one("#login-name", Input).focus()
        self._say(self._first_words(), error=False)
        anyone = getattr(self.app, "login_for_anyone", None)
        if was_locked and anyone is not None:
            anyone()  # the lock spoke to its clerk; someone else reads the shop's language

    def _say(self, text: str, *, error: bool) -> None:
        message = self.query_one("#login-message", Static)
        message.update(text)
        message.set_class(error, "-error")
