"""The number field: the operator appears as the clerk types, with the number grouped.

The verdict comes from `domain.check_number` on every keystroke. While the number is
still being typed its operator is found from the prefix alone, and "too short" is a
quiet hint rather than a red refusal.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static

from counter.domain.operators import Operator, RuleBook
from counter.domain.phone import COUNTRY_CODE, group_national
from counter.domain.text import to_ascii_digits
from counter.domain.topup import NumberCheck, check_number
from counter.i18n import _
from counter.ui.css import css_next_to
from counter.ui.widgets.badge import operator_badge
from counter.ui.widgets.field_input import FieldInput

_NUMBER_CHARS = r"[0-9០-៩０-９+\-. ()]*"


@dataclass(frozen=True)
class Typed:
    """What the digits typed so far say, before they make a whole number."""

    national: str  # with its trunk 0, as far as typed
    operator: Operator | None
    incomplete: bool


def read_partial(text: str, rules: RuleBook) -> Typed:
    """The operator from the prefix typed so far; a hint only, `check_number` decides."""
    digits = "".join(c for c in to_ascii_digits(text) if c.isdigit())
    for lead in ("00" + COUNTRY_CODE, COUNTRY_CODE):
        if digits.startswith(lead) and len(digits) > len(lead) + 1:
            digits = digits[len(lead) :]
            break
    national = digits if digits.startswith("0") else "0" + digits if digits else ""
    match = rules.match_prefix(national[:3]) if len(national) >= 3 else None
    longest = max(match.lengths) + 1 if match else 10
    return Typed(national, match.operator if match else None, len(national) < longest)


class NumberField(Vertical):
    """Label, input, operator line and problem line for the customer's number."""

    DEFAULT_CSS = css_next_to(__file__)

    @dataclass
    class Changed(Message):
        """The number changed: its check, and the operator as far as the prefix tells."""

        field: NumberField
        check: NumberCheck
        operator: Operator | None

    def __init__(self, rules: RuleBook, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rules = rules
        self.check = check_number("", rules)
        self.operator: Operator | None = None

    def compose(self) -> ComposeResult:
        yield Label(_("Customer's number"), classes="field-label")
        yield FieldInput(
            placeholder=_("e.g. {example}").format(example="012 345 678"),
            next_field="#amount",
            ready=lambda: self.ok,
            restrict=_NUMBER_CHARS,
            max_length=20,
            id="number",
        )
        yield Static("", id="number-operator", classes="field-info")
        yield Static("", id="number-problem", classes="field-problem")

    @property
    def input(self) -> Input:
        return self.query_one("#number", Input)

    @property
    def value(self) -> str:
        return self.input.value

    @property
    def ok(self) -> bool:
        return not self.check.errors

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.refresh_check(event.value)

    def refresh_check(self, text: str) -> None:
        self.check = check_number(text, self.rules)
        typed = read_partial(text, self.rules)
        self.operator = self.check.operator or typed.operator
        self._show_operator(typed)
        if not text.strip() or (self.check.errors and typed.incomplete):
            self._show_problem("", pending=True)
        else:
            self._show_problem(self.check.errors[0] if self.check.errors else "")
        self.post_message(self.Changed(self, self.check, self.operator))

    def insist(self) -> None:
        """Enter on a number that cannot be sold: say why, in red, even if still short."""
        if self.check.errors:
            self._show_problem(self.check.errors[0])

    def show_problem(self, message: str) -> None:
        self._show_problem(message)

    def clear(self) -> None:
        self.input.value = ""
        self.refresh_check("")

    def _show_operator(self, typed: Typed) -> None:
        line = Text()
        if self.operator is not None:
            line.append_text(operator_badge(self.operator))
            line.append("  ")
        if self.check.number is not None:
            line.append(self.check.number.display, style="bold")
        elif typed.national:
            line.append(group_national(typed.national), style="dim")
        self.query_one("#number-operator", Static).update(line)

    def _show_problem(self, message: str, *, pending: bool = False) -> None:
        problem = self.query_one("#number-problem", Static)
        problem.update(message)
        problem.set_class(bool(message) and not pending, "-error")
