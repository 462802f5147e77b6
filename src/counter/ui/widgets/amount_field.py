"""The amount field, with the operator's quick amounts on F2..F7 and the validity added."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from counter.domain.errors import AmountError
from counter.domain.money import Currency, Money, plain_decimal
from counter.domain.operators import DEFAULT_QUICK_AMOUNTS, Operator
from counter.domain.topup import topup_cents
from counter.i18n import _, ngettext
from counter.i18n import format_usd_for as format_usd
from counter.ui.css import css_next_to
from counter.ui.money_text import is_blank, read_money
from counter.ui.widgets.field_input import FieldInput

QUICK_KEYS = ("f2", "f3", "f4", "f5", "f6", "f7")
# Longer than any amount `read_amount` takes, so a long paste is refused in words by it
# rather than cut at the field's edge.
MAX_TYPED = 40


class AmountField(Vertical):
    """Label, input, quick keys, validity and problem line for the top-up amount."""

    DEFAULT_CSS = css_next_to(__file__)

    def __init__(
        self,
        riel_per_usd: int,
        *,
        on_enter: Callable[[], object] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.riel_per_usd = riel_per_usd
        self.on_enter = on_enter
        self.operator: Operator | None = None

    def compose(self) -> ComposeResult:
        yield Label(_("Amount (USD, or riel with r: 5000r)"), classes="field-label")
        yield FieldInput(
            placeholder=_("e.g. 5 or 5000r"),
            max_length=MAX_TYPED,
            id="amount",
            on_enter=self.on_enter,
        )
        yield Static("", id="quick-amounts", classes="field-info")
        yield Static("", id="amount-validity", classes="field-info")
        yield Static("", id="amount-problem", classes="field-problem")

    def on_mount(self) -> None:
        self._show_quick()

    @property
    def input(self) -> Input:
        return self.query_one("#amount", Input)

    @property
    def value(self) -> str:
        return self.input.value

    @property
    def quick_amounts(self) -> tuple[int, ...]:
        if self.operator is not None:
            return self.operator.quick_amounts()
        return DEFAULT_QUICK_AMOUNTS

    def set_operator(self, operator: Operator | None) -> None:
        if operator == self.operator:
            return
        self.operator = operator
        self._show_quick()
        self._show_validity()

    def use_quick(self, index: int) -> bool:
        """Put the amount of quick key `index` (0 = F2) in the field; False if there is none."""
        amounts = self.quick_amounts
        if index >= len(amounts):
            return False
        self.input.value = plain_decimal(amounts[index])
        self.input.cursor_position = len(self.input.value)
        return True

    def on_input_changed(self, event: Input.Changed) -> None:
        """Every key is kept as typed; what cannot be part of an amount is said at once."""
        event.stop()
        self._show_validity()
        self.show_problems(self._refusal())

    def _refusal(self) -> tuple[str, ...]:
        """Why the text typed so far is not an amount, once something is typed."""
        if is_blank(self.value):
            return ()
        try:
            read_money(self.value)
        except AmountError as exc:
            return (exc.message,)
        return ()

    def show_problems(self, problems: tuple[str, ...]) -> None:
        problem = self.query_one("#amount-problem", Static)
        problem.update("\n".join(problems))
        problem.set_class(bool(problems), "-error")

    def clear(self) -> None:
        self.input.value = ""
        self.show_problems(())

    def _reading(self) -> tuple[Money, int] | None:
        """The amount typed and its value in USD cents, or None while it is not an amount."""
        try:
            money = read_money(self.value)
            return money, topup_cents(money, self.operator, self.riel_per_usd)[0]
        except AmountError:
            return None

    def on_resize(self, _: events.Resize) -> None:
        self._show_quick()

    def _show_quick(self) -> None:
        """`F2 $1 F3 $2 ...`, dim until the operator is known; tighter when it would wrap."""
        line = Text()
        style = "" if self.operator is not None else "dim"
        # Whole dollars without `.00`, with the language's sign (`$1`, Chinese `US$1`)
        keys = [
            (key.upper(), format_usd(cents).removesuffix(".00"))
            for key, cents in zip(QUICK_KEYS, self.quick_amounts, strict=False)
        ]
        # A key and its amount are one word when the line would wrap: it wraps between keys
        wide = sum(len(key) + len(amount) + 2 for key, amount in keys)
        gap = " " if wide <= self.content_size.width else ""
        for key, amount in keys:
            line.append(key, style="bold reverse" if not style else "dim reverse")
            line.append(f"{gap}{amount} ", style=style)
        self.query_one("#quick-amounts", Static).update(line)

    def _show_validity(self) -> None:
        text = Text()
        reading = self._reading()
        if reading is not None and self.operator is not None:
            money, cents = reading
            days = self.operator.validity_days(cents)
            if days is not None:
                text.append(
                    ngettext(
                        "Adds {days} day of validity", "Adds {days} days of validity", days
                    ).format(days=days),
                    style="bold",
                )
            if money.currency is Currency.KHR:
                text.append(f"  (= {format_usd(cents)})")
        self.query_one("#amount-validity", Static).update(text)
