"""What the day-end forms share: a service call in a thread worker, its refusal said in
words on the form, its result handed to `done`. The form stays usable meanwhile."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Static
from textual.worker import Worker, WorkerState

from counter.domain.errors import AmountError, CounterError, OpenDeliveries
from counter.domain.money import Currency, parse_amount
from counter.i18n import _
from counter.ui.errors import WorkerErrorsToApp
from counter.ui.key_path import hold_keys, release_keys
from counter.ui.widgets.field_input import FieldInput
from counter.ui.work import in_thread


def read_usd_cents(text: str) -> int:
    """`12.50` -> 1250; empty is 0. AmountError says what is wrong."""
    text = text.strip().removeprefix("$").replace(",", "")
    return parse_amount(text, Currency.USD).minor if text else 0


def read_riel(text: str) -> int:
    """`40,000` -> 40000; empty is 0."""
    text = text.strip().replace(",", "")
    return parse_amount(text, Currency.KHR).minor if text else 0


def supervisor_fields(prefix: str) -> Iterator[Widget]:
    """The supervisor's name and PIN rows every approving form ends with (`#<prefix>-supervisor`,
    `#<prefix>-pin`); Enter on the name moves to the PIN."""
    yield Label(_("Supervisor"), classes="fact-label")
    yield FieldInput(
        placeholder=_("supervisor's name"),
        max_length=40,
        id=f"{prefix}-supervisor",
        next_field=f"#{prefix}-pin",
        ready=lambda: True,
    )
    yield Label(_("PIN"), classes="fact-label")
    yield FieldInput(
        placeholder=_("supervisor's PIN"), password=True, max_length=12, id=f"{prefix}-pin"
    )


def count_fields(prefix: str, next_field: str) -> Iterator[Widget]:
    """The counted USD and riel rows of a drawer count (`#<prefix>-usd`, `#<prefix>-khr`,
    their labels `-label`): a total, or the notes (`20x3 1x4`)."""
    yield Label(_("Counted USD"), classes="fact-label", id=f"{prefix}-usd-label")
    yield FieldInput(
        placeholder=_("e.g. {example}").format(example="120.50"),
        restrict=r"[0-9.,$xX× +]*",
        max_length=60,
        id=f"{prefix}-usd",
        next_field=f"#{prefix}-khr",
        ready=lambda: True,
    )
    yield Label(_("Counted riel"), classes="fact-label", id=f"{prefix}-khr-label")
    yield FieldInput(
        placeholder=_("e.g. {example}").format(example="250000"),
        restrict=r"[0-9,xX× +]*",
        max_length=80,
        id=f"{prefix}-khr",
        next_field=next_field,
        ready=lambda: True,
    )


def try_read(read: Callable[[str], int], text: str) -> int | None:
    try:
        return read(text)
    except AmountError:
        return None


FORM_CALL = "form"  # what holds the keys while a form's call runs


class FormModal(ModalScreen[Any], WorkerErrorsToApp):
    """A modal form whose submit runs one use case off the screen's thread."""

    @dataclass
    class Refused(Message):
        message: str

    @dataclass
    class Done(Message):
        result: Any

    PROBLEM = "#form-problem"

    def __init__(self) -> None:
        super().__init__()
        self.busy = False
        self.accept_open = False  # a close's next try accepts deliveries still open
        self._open_refused = ""

    def guard_open(self, call: Callable[[bool], Any]) -> Callable[[], Any]:
        """`call(accept_open)` for `run_call`, noting a refusal for deliveries still open so
        that `offer_open` can say how to accept them."""
        accept = self.accept_open

        def run() -> Any:
            try:
                return call(accept)
            except OpenDeliveries as exc:
                self._open_refused = str(exc)
                raise

        return run

    def offer_open(self, hint: str) -> None:
        """After a refusal for open deliveries: the sentence, and `hint` (how the next try,
        a supervisor's PIN retyped, accepts them as open items)."""
        if self._open_refused:
            self.say(self._open_refused + "\n" + hint)
            self._open_refused = ""
            self.accept_open = True

    def value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def say(self, text: str) -> None:
        """Show `text` on the form's problem line, scrolled into view: on a short terminal
        (60x20) a form scrolls, and its problem line is its last."""
        problem = self.query_one(self.PROBLEM, Static)
        problem.update(text)
        if text:
            self.call_after_refresh(problem.scroll_visible, animate=False)

    def run_call(self, call: Callable[[], Any]) -> None:
        if self.busy:
            return
        self.busy = True
        hold_keys(self, FORM_CALL)  # the keys typed now are for what follows the form
        self.say(_("Checking…"))
        self._call(call)

    @in_thread(group="form")
    def _call(self, call: Callable[[], Any]) -> None:
        try:
            result = call()
        except CounterError as exc:
            from counter.ui.advice import with_advice

            self.post_message(self.Refused(with_advice(exc, self.app)))
            return
        self.post_message(self.Done(result))

    def on_form_modal_refused(self, message: Refused) -> None:
        self.busy = False
        self.say(message.message)
        self.refused()
        release_keys(self, FORM_CALL)

    def on_form_modal_done(self, message: Done) -> None:
        self.busy = False
        self.dismiss(message.result)
        release_keys(self, FORM_CALL)

    def refused(self) -> None:
        """After a refusal: clear the PIN, focus what to fix (subclasses)."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "form" and event.state in (
            WorkerState.ERROR,
            WorkerState.CANCELLED,
        ):
            self.busy = False
            self.say(_("Not recorded (see the message)."))
            release_keys(self, FORM_CALL)
