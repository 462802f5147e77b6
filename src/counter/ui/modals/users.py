"""The Users screen's forms: add a user, a new PIN, unlock, disable. Each ends with the PIN
of the person acting (asked where `counter users ... --by` asks it) and runs the use case
the CLI runs (`counter.services.users`): its refusal is said on the form in its words. A
PIN is never shown; a new one is typed twice. Each dismisses with the sentence to show, or
None."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from counter.domain.records import Role, User
from counter.i18n import _
from counter.ui.lang import N_
from counter.ui.modals.form import FormModal
from counter.ui.till import Till
from counter.ui.widgets.field_input import FieldInput

Act = Callable[[User], str]  # the use case, called with the acting user: the sentence


def _pin_field(field_id: str, placeholder: str, next_field: str | None) -> FieldInput:
    return FieldInput(
        placeholder=placeholder,
        password=True,
        max_length=12,
        id=field_id,
        next_field=next_field,
        ready=lambda: True,
    )


def new_pin_fields(next_field: str) -> Iterator[Widget]:
    """The new PIN and the same again (`#user-new-pin`, `#user-new-pin-again`), masked."""
    yield Label(_("New PIN"), classes="fact-label")
    yield _pin_field("user-new-pin", _("4 to 8 digits"), "#user-new-pin-again")
    yield Label(_("New PIN again"), classes="fact-label")
    yield _pin_field("user-new-pin-again", _("the same PIN again"), next_field)


class UserTaskForm(FormModal):
    """One change to the users: the subclass's fields, then the acting person's PIN."""

    CSS_PATH = ["form.tcss", "users.tcss"]  # noqa: RUF012 (Textual declares it)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="user-form-back")
    ]
    FIRST = "#user-acting-pin"  # the field focused first

    def __init__(self, till: Till, title: str, intro: str) -> None:
        super().__init__()
        self.till = till
        self.title_text = title
        self.intro = intro

    def compose(self) -> ComposeResult:
        acting = self.till.clerk_now()
        with Vertical(classes="form-box user-form") as box:
            box.border_title = self.title_text
            yield Static(self.intro, id="user-form-intro", classes="form-intro")
            with Grid(classes="form-fields"):
                yield from self.fields()
                yield Label(_("Your PIN"), classes="fact-label")
                yield _pin_field(
                    "user-acting-pin", _("{name}'s PIN").format(name=acting.name), None
                )
            yield Static("", id="form-problem")
            yield Static(
                _("Enter goes to the next line; Enter on your PIN does it · Esc: back"),
                classes="form-keys",
            )

    def fields(self) -> Iterator[Widget]:
        """The form's own rows, before the acting person's PIN."""
        yield from ()

    def on_mount(self) -> None:
        self.query_one(self.FIRST, Input).focus()

    def problem(self) -> str | None:
        """What is missing or wrong before the use case is asked (subclasses)."""
        return None

    def use_case(self) -> Act:
        """The use case with the form's values (read here, on the screen's thread)."""
        raise NotImplementedError

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id != "user-acting-pin":
            return  # FieldInput moved on
        pin = self.query_one("#user-acting-pin", Input).value
        problem = self.problem() or (
            None if pin else _("Type your PIN: it confirms who does this.")
        )
        if problem is not None:
            self.say(problem)
            return
        till, name, act = self.till, self.till.clerk_now().name, self.use_case()

        def call() -> str:
            from counter.services.users import authenticate

            return act(authenticate(till.ledger, name, pin))

        self.run_call(call)

    def refused(self) -> None:
        self.query_one("#user-acting-pin", Input).value = ""
        self.query_one(self.FIRST, Input).focus()

    def action_back(self) -> None:
        if not self.busy:
            self.dismiss(None)


class _NewPin(UserTaskForm):
    """A form with a new PIN typed twice: they must match before anything is asked."""

    def new_pin(self) -> str:
        return self.query_one("#user-new-pin", Input).value

    def problem(self) -> str | None:
        again = self.query_one("#user-new-pin-again", Input)
        if self.new_pin() != again.value:
            again.value = ""
            self.query_one("#user-new-pin", Input).value = ""
            self.query_one("#user-acting-pin", Input).value = ""
            self.query_one("#user-new-pin", Input).focus()
            return _("The two new PINs are not the same: type the new PIN twice again.")
        return None


class AddUserScreen(_NewPin):
    FIRST = "#user-name"

    def __init__(self, till: Till) -> None:
        super().__init__(
            till,
            _("Add a user"),
            _("A clerk or a supervisor: name, role, their PIN twice, then your PIN."),
        )

    def fields(self) -> Iterator[Widget]:
        yield Label(_("Name"), classes="fact-label")
        yield FieldInput(
            placeholder=_("their name"), max_length=40, id="user-name", next_field="#user-role"
        )
        yield Label(_("Role"), classes="fact-label")
        yield FieldInput(
            placeholder=_("clerk or supervisor"),
            max_length=12,
            id="user-role",
            next_field="#user-new-pin",
            restrict=r"[A-Za-z\u4e00-\u9fff]*",  # the code, or the role in Chinese
        )
        yield from new_pin_fields("#user-acting-pin")

    def problem(self) -> str | None:
        if not self.value("#user-name") or not self.value("#user-role"):
            return _("Type the new user's name and role (clerk or supervisor).")
        typed = self.value("#user-role")
        if role_code(typed) is None:
            return _("{role!r} is not a role: type clerk or supervisor.").format(role=typed)
        return super().problem()

    def use_case(self) -> Act:
        ledger, pin = self.till.ledger, self.new_pin()
        name = self.query_one("#user-name", Input).value
        role = role_code(self.value("#user-role")) or ""

        def act(by: User) -> str:
            from counter.services.users import add_user

            user = add_user(ledger, name, role, pin, by=by)
            return _("Added {name} ({role}).").format(name=user.name, role=user.role.word)

        return act


def role_code(typed: str) -> str | None:
    """The role typed as its code (`clerk`) or as the reader says it (`店员`): its code."""
    typed = typed.strip().casefold()
    for role in Role:
        if typed in (role.value, role.word.casefold()):
            return role.value
    return None


class NewPinScreen(_NewPin):
    FIRST = "#user-new-pin"

    def __init__(self, till: Till, name: str) -> None:
        super().__init__(
            till,
            _("New PIN for {name}").format(name=name),
            _(
                "{name}'s new PIN twice, then your PIN. A lock on the account is cleared too."
            ).format(name=name),
        )
        self.user_name = name

    def fields(self) -> Iterator[Widget]:
        yield from new_pin_fields("#user-acting-pin")

    def use_case(self) -> Act:
        ledger, name, pin = self.till.ledger, self.user_name, self.new_pin()

        def act(by: User) -> str:
            from counter.services.users import set_pin

            user = set_pin(ledger, name, pin, by=by)
            return _("New PIN set for {name}.").format(name=user.name)

        return act


class UnlockScreen(UserTaskForm):
    def __init__(self, till: Till, name: str) -> None:
        super().__init__(
            till,
            _("Unlock {name}").format(name=name),
            _("{name} can log in again at once. Your PIN and Enter unlocks; Esc does not.").format(
                name=name
            ),
        )
        self.user_name = name

    def use_case(self) -> Act:
        ledger, name = self.till.ledger, self.user_name

        def act(by: User) -> str:
            from counter.services.users import unlock_user

            return _("{name} is unlocked.").format(name=unlock_user(ledger, name, by=by).name)

        return act


class DisableScreen(UserTaskForm):
    def __init__(self, till: Till, name: str) -> None:
        super().__init__(
            till,
            _("Disable {name}?").format(name=name),
            _(
                "Disable {name}? They can no longer log in; their sales stay in the ledger. "
                "Your PIN and Enter disables the account; Esc keeps it."
            ).format(name=name),
        )
        self.user_name = name

    def use_case(self) -> Act:
        ledger, name = self.till.ledger, self.user_name

        def act(by: User) -> str:
            from counter.services.users import disable_user

            return _("{name} is disabled.").format(name=disable_user(ledger, name, by=by).name)

        return act
