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

# Longer than any number as customers give it (`+855 (0)12 345 678`), so a long paste is
# refused in words by the check rather than cut at the field's edge.
MAX_TYPED = 40
_SEPARATORS = frozenset(" -./()")


@dataclass(frozen=True)
class Typed:
    """What the characters typed so far say, before they make a whole number."""

    national: str  # with its trunk 0, as far as typed; "" when nothing national yet
    operator: Operator | None
    incomplete: bool  # a Cambodian number on its way: "too short" is only a quiet hint


NOTHING_YET = Typed("", None, False)


def read_partial(text: str, rules: RuleBook) -> Typed:
    """The operator from the prefix typed so far; a hint only, `check_number` decides.

    Only a number on its way to a Cambodian one gets a hint: `+1 415 ...` or a letter gets
    none (the check says what is wrong), and `+855` alone has no national digits yet."""
    raw = to_ascii_digits(text).strip()
    plus = raw.startswith("+")
    body = raw[1:] if plus else raw
    if any(not (c.isascii() and c.isdigit()) and c not in _SEPARATORS for c in body):
        return NOTHING_YET
    digits = "".join(c for c in body if c.isdigit())
    lead = COUNTRY_CODE if plus else "00" + COUNTRY_CODE if digits.startswith("00") else None
    if lead is not None:
        if not (digits.startswith(lead) or lead.startswith(digits)):
            return NOTHING_YET  # another country
        digits = digits[len(lead) :].removeprefix("0")  # `+855 (0)12`: the trunk written
        national = "0" + digits if digits else ""
    elif digits.startswith(COUNTRY_CODE) and len(digits) > len(COUNTRY_CODE) + 1:
        national = "0" + digits[len(COUNTRY_CODE) :]
    else:
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
            max_length=MAX_TYPED,
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
        self.operator = self.check.operator if self.check.number else typed.operator
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
