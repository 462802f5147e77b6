"""Void a sale: the reason, then a supervisor's name and PIN. Nothing is deleted; the
ledger records a void naming the sale."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from counter.domain.errors import CounterError
from counter.i18n import _
from counter.ui.errors import WorkerErrorsToApp
from counter.ui.key_path import hold_keys, release_keys
from counter.ui.lang import N_
from counter.ui.modals.form import supervisor_fields
from counter.ui.widgets.field_input import FieldInput
from counter.ui.work import in_thread

VoidSubmit = Callable[[str, str, str], Any]  # (reason, supervisor name, supervisor PIN)

_FIELDS = ("void-reason", "void-supervisor", "void-pin")
VOIDING = "void"  # what holds the keys while the void is checked and recorded


class VoidScreen(ModalScreen[Any], WorkerErrorsToApp):
    """Dismisses with what `submit` returned (the void), or None on Escape."""

    CSS_PATH = "void.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", N_("Back"), id="void-back")]

    @dataclass
    class Refused(Message):
        message: str

    @dataclass
    class Done(Message):
        result: Any

    def __init__(self, title: str, summary: Text | str, submit: VoidSubmit) -> None:
        super().__init__()
        self.title_text = title
        self.summary = summary
        self.submit = submit
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="void-box") as box:
            box.border_title = self.title_text
            yield Static(self.summary, id="void-summary")
            with Grid(id="void-fields"):
                yield Label(_("Reason"), classes="fact-label")
                yield FieldInput(
                    placeholder=_("why this sale is void"),
                    max_length=200,
                    id="void-reason",
                    next_field="#void-supervisor",
                    ready=lambda: True,
                )
                yield from supervisor_fields("void")
            yield Static("", id="void-problem")
            yield Static(
                _("Enter goes to the next line; Enter on the PIN voids · Esc: back"), id="void-keys"
            )

    def on_mount(self) -> None:
        self.query_one("#void-reason", Input).focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        index = _FIELDS.index(event.input.id or "")
        if index + 1 < len(_FIELDS):
            return  # FieldInput moved the focus on the Enter key itself
        values = [self.query_one(f"#{field}", Input).value.strip() for field in _FIELDS]
        for field, value in zip(_FIELDS, values, strict=True):
            if not value:
                self._say(_("Fill in the reason, the supervisor's name and PIN."))
                self.query_one(f"#{field}", Input).focus()
                return
        if not self._busy:
            self._busy = True
            hold_keys(self, VOIDING)
            self._say(_("Checking…"))
            self._void(*values)

    @in_thread(group="void")
    def _void(self, reason: str, supervisor: str, pin: str) -> None:
        try:
            result = self.submit(reason, supervisor, pin)
        except CounterError as exc:
            self.post_message(self.Refused(exc.message))
            return
        self.post_message(self.Done(result))

    def on_void_screen_refused(self, message: Refused) -> None:
        self._busy = False
        self._say(message.message)
        pin = self.query_one("#void-pin", Input)
        pin.value = ""
        pin.focus()
        release_keys(self, VOIDING)

    def on_void_screen_done(self, message: Done) -> None:
        self.dismiss(message.result)
        release_keys(self, VOIDING)

    def on_worker_state_changed(self, event: Any) -> None:
        if event.worker.group == "void" and event.state.name in ("ERROR", "CANCELLED"):
            self._busy = False
            self._say(_("The void could not be recorded."))
            release_keys(self, VOIDING)

    def _say(self, text: str) -> None:
        self.query_one("#void-problem", Static).update(text)

    def action_back(self) -> None:
        self.dismiss(None)
