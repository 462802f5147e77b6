"""The confirmation: the number large, the operator, the amount, the validity, and the
cash received with the change in USD and riel computed as it is typed."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Digits, Input, Label, Static

from counter.domain.errors import AmountError, PaymentError
from counter.domain.money import (
    Currency,
    Money,
    compute_change,
    format_khr,
    format_usd,
    khr_for_cents,
    round_to_step,
)
from counter.ui.draft import Payment, SaleDraft
from counter.ui.money_text import is_blank, read_money
from counter.ui.widgets.badge import operator_badge
from counter.ui.widgets.field_input import FieldInput

_CASH_CHARS = r"[0-9០-៩０-９.,$៛rRkhKH ]*"


class ConfirmSaleScreen(ModalScreen[Payment | None]):
    """Dismisses with the payment (Enter or y), or None to go back and edit (Escape)."""

    CSS_PATH = "confirm_sale.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back to edit", id="confirm-back"),
        Binding("y", "confirm", "Sell", id="confirm-yes", priority=True),
        Binding("enter", "confirm", "Sell", id="confirm-enter", show=False),
    ]

    def __init__(self, draft: SaleDraft, *, riel_per_usd: int, khr_step: int) -> None:
        super().__init__()
        self.draft = draft
        self.riel_per_usd = riel_per_usd
        self.khr_step = khr_step

    def compose(self) -> ComposeResult:
        draft = self.draft
        with Vertical(id="confirm-box") as box:
            box.border_title = "Sell this top-up?"
            yield Digits(draft.number.display, id="confirm-number")
            with Grid(id="confirm-facts"):
                yield Label("Operator", classes="fact-label")
                yield Static(operator_badge(draft.operator), id="confirm-operator")
                yield Label("Amount", classes="fact-label")
                yield Static(self._amount_text(), id="confirm-amount", classes="fact-value")
                yield Label("Validity", classes="fact-label")
                yield Static(self._validity_text(), id="confirm-validity", classes="fact-value")
                yield Label("Cash received", classes="fact-label")
                yield FieldInput(
                    placeholder=f"exact ({format_usd(draft.cents)}) · riel: 20000r",
                    restrict=_CASH_CHARS,
                    max_length=16,
                    id="cash",
                )
                yield Label("Change", classes="fact-label")
                yield Static("", id="change", classes="fact-value")
            yield Static(
                Text.assemble(
                    ("Enter", "bold"),
                    " or ",
                    ("y", "bold"),
                    " sells · ",
                    ("Esc", "bold"),
                    " goes back to edit",
                ),
                id="confirm-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#cash", Input).focus()
        self._show_change("")

    def _amount_text(self) -> Text:
        draft = self.draft
        riel = round_to_step(khr_for_cents(draft.cents, self.riel_per_usd), 1)
        text = Text(format_usd(draft.cents), style="bold")
        text.append(f"   = {format_khr(riel)}", style="dim")
        return text

    def _validity_text(self) -> str:
        days = self.draft.validity_days
        return f"+{days} days" if days is not None else "as the operator sets it"

    @on(Input.Changed, "#cash")
    def _cash_changed(self, event: Input.Changed) -> None:
        self._show_change(event.value)

    @on(Input.Submitted, "#cash")
    def _cash_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()

    def _payment(self, text: str) -> Money | None:
        """The cash typed (None = exact); AmountError or PaymentError if it cannot be used."""
        if is_blank(text):
            return None
        paid = read_money(text)
        compute_change(self.draft.cents, paid, self.riel_per_usd, self.khr_step)
        return paid

    def _show_change(self, text: str) -> None:
        change = self.query_one("#change", Static)
        try:
            paid = self._payment(text)
        except (AmountError, PaymentError) as exc:
            change.update(Text(exc.message, style="bold red"))
            change.set_class(True, "-error")
            return
        change.set_class(False, "-error")
        if paid is None:
            change.update(Text("none (exact amount)", style="dim"))
            return
        result = compute_change(self.draft.cents, paid, self.riel_per_usd, self.khr_step)
        line = Text()
        if paid.currency is Currency.USD:
            line.append(format_usd(result.usd_cents), style="bold")
            line.append(" + ")
        line.append(format_khr(result.khr), style="bold")
        if result.is_none:
            line = Text("none", style="bold")
        change.update(line)

    def action_confirm(self) -> None:
        cash = self.query_one("#cash", Input)
        try:
            paid = self._payment(cash.value)
        except (AmountError, PaymentError):
            self.app.bell()
            cash.focus()
            return
        self.dismiss(Payment(paid))

    def action_back(self) -> None:
        self.dismiss(None)
