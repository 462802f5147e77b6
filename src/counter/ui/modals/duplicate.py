"""The same number and amount were sold moments ago: sell again only if asked to.

Keys typed ahead (the next sale's digits, while this one was being recorded) reach this
question first: any key that is not an answer is refused in words, never ignored.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from counter.i18n import _, ngettext
from counter.ui.keys import key_for, keymap_of
from counter.ui.lang import N_


def ago(seconds: int) -> str:
    """`40 seconds ago`, `1 minute ago`, `3 minutes ago`."""
    if seconds < 60:
        return ngettext("{n} second ago", "{n} seconds ago", seconds).format(n=seconds)
    minutes = seconds // 60
    return ngettext("{n} minute ago", "{n} minutes ago", minutes).format(n=minutes)


class DuplicateScreen(ModalScreen[bool]):
    """`y` sells again (True); `n`, Enter or Escape does not (False): the safe key is the easy one."""

    CSS_PATH = "duplicate.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", N_("Sell again"), id="duplicate-yes"),
        Binding("n", "answer(False)", N_("Do not sell"), id="duplicate-no"),
        Binding("enter", "answer(False)", N_("Do not sell"), id="duplicate-enter", show=False),
        Binding("escape", "answer(False)", N_("Do not sell"), id="duplicate-escape", show=False),
    ]

    def __init__(self, message: str, seconds_ago: int) -> None:
        super().__init__()
        self.message = message
        self.seconds_ago = seconds_ago

    def compose(self) -> ComposeResult:
        with Vertical(id="duplicate-box") as box:
            box.border_title = _("Sold {ago}: sell again?").format(ago=ago(self.seconds_ago))
            yield Static(self.message, id="duplicate-message")
            yield Static(self._answers(), id="duplicate-keys")
            yield Static("", id="duplicate-problem")

    def _answers(self) -> str:
        keymap = keymap_of(self.app)

        def key(binding_id: str) -> str:
            return key_for(binding_id, keymap, DuplicateScreen)

        return _("{yes}: sell again · {no}, {enter} or {escape}: do not sell").format(
            yes=key("duplicate-yes"),
            no=key("duplicate-no"),
            enter=key("duplicate-enter"),
            escape=key("duplicate-escape"),
        )

    def on_key(self, event: events.Key) -> None:
        """A key that answers nothing: say so (the answers are on the line above)."""
        if event.key in self.active_bindings:
            return  # an answer (or a key of the app's): its binding runs
        event.stop()
        self.app.bell()
        typed = event.character if event.is_printable else event.key
        self.query_one("#duplicate-problem", Static).update(
            _("{key} is not an answer: the top-up is not sold again yet.").format(key=typed)
        )

    def action_answer(self, again: bool) -> None:
        self.dismiss(again)
