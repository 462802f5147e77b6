"""Ctrl+Q with a sale half typed: quit only if asked to, so a slip of the hand does not
lose what the customer just said. Ctrl+Q again, or `y`, quits; `n`, Enter or Escape stays.

Keys typed ahead reach this question first: a key that is not an answer is refused in
words, never ignored (as the duplicate question does).
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from counter.i18n import _
from counter.ui.keys import key_for, keymap_of
from counter.ui.lang import N_


class QuitSaleScreen(ModalScreen[bool]):
    """`y` quits (True); `n`, Enter or Escape goes back to the sale (False)."""

    CSS_PATH = "duplicate.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", N_("Quit"), id="quit-sale-yes"),
        Binding("n", "answer(False)", N_("Back to the sale"), id="quit-sale-no"),
        Binding("enter", "answer(False)", N_("Back to the sale"), id="quit-sale-enter", show=False),
        Binding(
            "escape", "answer(False)", N_("Back to the sale"), id="quit-sale-escape", show=False
        ),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="duplicate-box") as box:
            box.border_title = _("Quit with a sale half typed?")
            yield Static(
                _("The number or the amount typed is lost if Counter closes now."),
                id="duplicate-message",
            )
            yield Static(self._answers(), id="duplicate-keys")
            yield Static("", id="duplicate-problem")

    def _answers(self) -> str:
        keymap = keymap_of(self.app)

        def key(binding_id: str, where: type[DOMNode] = QuitSaleScreen) -> str:
            return key_for(binding_id, keymap, where)

        return _("{yes} or {quit}: quit · {no}, {enter} or {escape}: back to the sale").format(
            yes=key("quit-sale-yes"),
            quit=key("quit", type(self.app)),
            no=key("quit-sale-no"),
            enter=key("quit-sale-enter"),
            escape=key("quit-sale-escape"),
        )

    def on_key(self, event: events.Key) -> None:
        """A key that answers nothing: say so (the answers are on the line above)."""
        if event.key in self.active_bindings:
            return  # an answer (or the app's Ctrl+Q): its binding runs
        event.stop()
        self.app.bell()
        typed = event.character if event.is_printable else event.key
        self.query_one("#duplicate-problem", Static).update(
            _("{key} is not an answer: Counter is still open.").format(key=typed)
        )

    def action_answer(self, quit_now: bool) -> None:
        self.dismiss(quit_now)
