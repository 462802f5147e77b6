"""The same number and amount were sold moments ago: sell again only if asked to."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


def ago(seconds: int) -> str:
    """`40 seconds ago`, `1 minute ago`, `3 minutes ago`."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''} ago"
    minutes = seconds // 60
    return f"{minutes} minute{'s' if minutes != 1 else ''} ago"


class DuplicateScreen(ModalScreen[bool]):
    """`y` sells again (True); `n`, Enter or Escape does not (False): the safe key is the easy one."""

    CSS_PATH = "duplicate.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Sell again", id="duplicate-yes"),
        Binding("n", "answer(False)", "Do not sell", id="duplicate-no"),
        Binding("enter", "answer(False)", "Do not sell", id="duplicate-enter", show=False),
        Binding("escape", "answer(False)", "Do not sell", id="duplicate-escape", show=False),
    ]

    def __init__(self, message: str, seconds_ago: int) -> None:
        super().__init__()
        self.message = message
        self.seconds_ago = seconds_ago

    def compose(self) -> ComposeResult:
        with Vertical(id="duplicate-box") as box:
            box.border_title = f"Sold {ago(self.seconds_ago)}: sell again?"
            yield Static(self.message, id="duplicate-message")
            yield Static("y: sell again · n, Enter or Esc: do not sell", id="duplicate-keys")

    def action_answer(self, again: bool) -> None:
        self.dismiss(again)
