"""First run: no ledger yet. The shop, the counter, the first admin and the exchange rate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from counter.domain.errors import CounterError
from counter.domain.rate import RateBounds
from counter.i18n import _
from counter.ui.errors import WorkerErrorsToApp
from counter.ui.key_path import hold_keys, release_keys
from counter.ui.lang import N_
from counter.ui.till import ShopSetup, Till
from counter.ui.widgets.field_input import FieldInput
from counter.ui.widgets.footer import CounterFooter
from counter.ui.work import in_thread

# (input id, label, placeholder, password); label and placeholder translated when shown
_FIELDS = (
    ("shop-name", N_("Shop name"), N_("e.g. Sokha Phone Shop"), False),
    (
        "shop-address",
        N_("Address on receipts (may stay empty)"),
        N_("e.g. St 271, Phnom Penh"),
        False,
    ),
    ("counter-code", N_("Counter code (a letter, then up to 7 letters or digits)"), "A", False),
    ("admin-name", N_("Your name (the first admin)"), N_("e.g. Sokha"), False),
    ("admin-pin", N_("Your PIN (4 to 8 digits)"), N_("PIN"), True),
    ("admin-pin-again", N_("Your PIN again"), N_("PIN"), True),
    ("riel-per-usd", N_("Riel per US dollar ({lowest} to {highest})"), N_("e.g. 4000"), False),
)


def _label(label: str) -> str:
    """A field's label, in the reader's language; the rate's says the bounds `check_rate`
    holds a new shop to (the defaults: a new shop has set none)."""
    bounds = RateBounds()
    return _(label).format(lowest=f"{bounds.lowest:,}", highest=f"{bounds.highest:,}")


SETTING_UP = "first-run"  # what holds the keys while the ledger is set up


def _next(field_id: str) -> str | None:
    ids = [field[0] for field in _FIELDS]
    index = ids.index(field_id)
    return f"#{ids[index + 1]}" if index + 1 < len(ids) else None


class FirstRunScreen(Screen[bool], WorkerErrorsToApp):
    """Dismisses with True once the ledger exists."""

    CSS_PATH = "first_run.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Set up"), id="first-run-save")
    ]

    @dataclass
    class Failed(Message):
        message: str

    class Done(Message):
        pass

    def __init__(self, till: Till) -> None:
        super().__init__()
        self.till = till
        self._fault: str | None = None  # the field the message is about

    def compose(self) -> ComposeResult:
        with Center(), VerticalScroll(id="first-run-box", classes="panel") as box:
            box.border_title = _("Counter · first run")
            yield Static(
                _("No ledger yet at this counter. Set up the shop; Enter goes to the next line."),
                id="first-run-intro",
            )
            for field_id, label, placeholder, password in _FIELDS:
                yield Label(_label(label), classes="field-label")
                yield FieldInput(
                    placeholder=_(placeholder) if placeholder != "A" else placeholder,
                    password=password,
                    id=field_id,
                    compact=True,
                    next_field=_next(field_id),
                    ready=lambda: True,
                )
            yield Static("", id="first-run-message")
        yield CounterFooter()

    def on_mount(self) -> None:
        self.query_one("#counter-code", Input).value = "A"
        rate = self.query_one("#riel-per-usd", Input)
        rate.value = str(self.till.settings.default_riel_per_usd)  # first run only: may wait
        self.query_one("#shop-name", Input).focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        if _next(event.input.id or "") is None:  # FieldInput moved the focus otherwise
            self.action_save()

    def _value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def action_save(self) -> None:
        setup, problem, at = self._read()
        if setup is None:
            self._say(problem, error=True)
            self._fault = at
            self.query_one(f"#{at}", Input).focus()
            return
        self._say(_("Setting up the ledger…"), error=False)
        hold_keys(self, SETTING_UP)  # the keys typed now are for the login that follows
        self._set_up(setup)

    def _read(self) -> tuple[ShopSetup | None, str, str]:
        """The form as a ShopSetup, or the first thing to fix and where."""
        for field_id, label, _placeholder, _password in _FIELDS:
            if field_id != "shop-address" and not self._value(field_id):
                name = _(label).split(" (")[0].split("（")[0]
                return None, _("{field}: please fill this in.").format(field=name), field_id
        if self._value("admin-pin") != self._value("admin-pin-again"):
            return None, _("The two PINs differ: type the same PIN twice."), "admin-pin-again"
        rate = self._value("riel-per-usd").replace(",", "")
        if not rate.isdigit():
            return (
                None,
                _("The exchange rate is whole riel per dollar, like 4000."),
                "riel-per-usd",
            )
        fault = self._rule_broken(int(rate))
        if fault is not None:
            return None, *fault
        return (
            ShopSetup(
                shop_name=self._value("shop-name"),
                counter_code=self._code(),
                admin_name=self._value("admin-name"),
                admin_pin=self._value("admin-pin"),
                riel_per_usd=int(rate),
                address=self._value("shop-address"),
            ),
            "",
            "",
        )

    def _rule_broken(self, rate: int) -> tuple[str, str] | None:
        """The ledger's own rules, field by field in the form's order: (what, field id)."""
        from counter.services.setup import check_rate, check_setup
        from counter.services.users import check_pin_rules, check_user_name

        name, pin = self._value("admin-name"), self._value("admin-pin")
        checks = (
            ("counter-code", lambda: check_setup("shop", self._code(), "admin", "0000")),
            ("admin-name", lambda: check_user_name(name)),
            ("admin-pin", lambda: check_pin_rules(pin)),
            ("riel-per-usd", lambda: check_rate(rate)),
        )
        for field_id, check in checks:
            try:
                check()
            except CounterError as exc:
                return exc.message, field_id
        return None

    def _code(self) -> str:
        return self._value("counter-code").upper()

    def on_input_changed(self, event: Input.Changed) -> None:
        """The field at fault changed: its message goes (Set up checks it again)."""
        if self._fault is not None and event.input.id == self._fault:
            self._fault = None
            self._say("", error=False)

    @in_thread(group="first-run")
    def _set_up(self, setup: ShopSetup) -> None:
        try:
            self.till.set_up(setup)
        except CounterError as exc:
            self.post_message(self.Failed(exc.message))
            return
        self.post_message(self.Done())

    def on_first_run_screen_failed(self, message: Failed) -> None:
        self._say(message.message, error=True)
        release_keys(self, SETTING_UP)

    def on_first_run_screen_done(self, _: Done) -> None:
        self.dismiss(True)
        release_keys(self, SETTING_UP)

    def on_worker_state_changed(self, event: Any) -> None:
        if event.worker.group == "first-run" and event.state.name in ("ERROR", "CANCELLED"):
            release_keys(self, SETTING_UP)  # the app says what failed

    def _say(self, text: str, *, error: bool) -> None:
        message = self.query_one("#first-run-message", Static)
        message.update(text)
        message.set_class(error, "-error")
