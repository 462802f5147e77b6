"""Users (Reports `u`, the palette): who may use the counter, with their role and state,
and the owner's changes to them: add a clerk or supervisor, a new PIN, unlock, disable.

Only a supervisor or admin is offered it; the list itself comes from `list_users(by=...)`,
which refuses a clerk, and each change is the CLI's use case, whose refusal (a supervisor
adding a user, the last admin disabled) is said on the form in its own words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from counter.domain.errors import CounterError
from counter.domain.records import User
from counter.domain.text import shown
from counter.i18n import _
from counter.ui.errors import WorkerErrorsToApp
from counter.ui.lang import N_
from counter.ui.modals.users import AddUserScreen, DisableScreen, NewPinScreen, UnlockScreen
from counter.ui.till import Till
from counter.ui.widgets.footer import CounterFooter
from counter.ui.work import in_thread


class UsersScreen(Screen[None], WorkerErrorsToApp):
    CSS_PATH = "users.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", N_("Add a user"), id="users-add"),
        Binding("n", "new_pin", N_("New PIN"), id="users-pin"),
        Binding("u", "unlock", N_("Unlock"), id="users-unlock"),
        Binding("d", "disable", N_("Disable"), id="users-disable"),
        Binding("escape", "back", N_("Back"), id="users-back"),
    ]

    @dataclass
    class Loaded(Message):
        users: list[User]
        now: datetime

    @dataclass
    class Refused(Message):
        message: str

    def __init__(self, till: Till) -> None:
        super().__init__()
        self.till = till

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Users"), style="bold"), id="users-title", classes="shop-bar")
        table: DataTable[str] = DataTable(id="users-table", cursor_type="row", zebra_stripes=True)
        table.add_column(_("Name"), key="name", width=24)
        table.add_column(_("Role"), key="role", width=12)
        table.add_column(_("State"), key="state", width=10)
        yield table
        yield Static(
            _("a add a clerk or supervisor · n new PIN · u unlock · d disable · Esc back"),
            id="users-message",
            classes="status",
        )
        yield CounterFooter()

    def on_mount(self) -> None:
        self.query_one("#users-table", DataTable).focus()
        self.reload()

    async def language_changed(self) -> None:
        await self.recompose()
        self.on_mount()

    @in_thread(group="users-load", exclusive=True)
    def reload(self) -> None:
        from counter.services.users import list_users

        ledger = self.till.ledger
        try:
            users = list_users(ledger, by=self.till.clerk_now())
        except CounterError as exc:
            self.post_message(self.Refused(exc.message))
            return
        self.post_message(self.Loaded(users, ledger.now()))

    def on_users_screen_loaded(self, message: Loaded) -> None:
        from counter.services.users import user_state

        table = self.query_one("#users-table", DataTable)
        chosen = self._chosen()
        table.clear()
        for user in message.users:
            table.add_row(
                shown(user.name), user.role.word, user_state(user, message.now), key=user.name
            )
        if chosen is not None and chosen in [user.name for user in message.users]:
            table.move_cursor(row=table.get_row_index(chosen))

    def on_users_screen_refused(self, message: Refused) -> None:
        self._say(message.message)

    def _chosen(self) -> str | None:
        table = self.query_one("#users-table", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return None if key.value is None else str(key.value)

    # -- the changes ----------------------------------------------------------------------

    def action_add(self) -> None:
        self.app.push_screen(AddUserScreen(self.till), self._done)

    def action_new_pin(self) -> None:
        self._for_chosen(NewPinScreen)

    def action_unlock(self) -> None:
        self._for_chosen(UnlockScreen)

    def action_disable(self) -> None:
        self._for_chosen(DisableScreen)

    def _for_chosen(self, form: type[NewPinScreen | UnlockScreen | DisableScreen]) -> None:
        name = self._chosen()
        if name is None:
            self._say(_("Choose a user in the list first (↑ ↓)."))
            return
        self.app.push_screen(form(self.till, name), self._done)

    def _done(self, said: str | None) -> None:
        if said is None:
            return
        self._say(said, ok=True)
        self.reload()

    def action_back(self) -> None:
        self.dismiss(None)

    def _say(self, text: str, *, ok: bool = False) -> None:
        line = self.query_one("#users-message", Static)
        line.update(text)
        line.set_class(ok, "-ok")
        line.set_class(not ok and bool(text), "-problem")
