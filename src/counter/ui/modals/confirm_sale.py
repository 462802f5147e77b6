"""The confirmation: the number large, the operator, the amount, the validity, and the
cash received with the change in USD and riel computed as it is typed."""

from __future__ import annotations

import re
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Digits, Input, Label, Static

from counter.domain.cash import ChangePolicy, Settlement, settle
from counter.domain.cash import Payment as CashPayment
from counter.domain.errors import AmountError, PaymentError
from counter.domain.money import (
    Currency,
    Money,
    khr_for_cents,
    round_to_step,
)
from counter.i18n import _, ngettext
from counter.i18n import format_khr_for as format_khr
from counter.i18n import format_usd_for as format_usd
from counter.ui.draft import Payment, SaleDraft
from counter.ui.keys import key_for, keymap_of
from counter.ui.lang import N_
from counter.ui.money_text import is_blank, read_money
from counter.ui.widgets.badge import operator_badge
from counter.ui.widgets.field_input import FieldInput

_CASH_CHARS = r"[0-9០-៩０-９.,$៛rRkhKH ]*"


class ConfirmSaleScreen(ModalScreen[Payment | None]):
    """Dismisses with the payment (Enter or y), or None to go back and edit (Escape)."""

    CSS_PATH = "confirm_sale.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back to edit"), id="confirm-back"),
        Binding("y", "confirm", N_("Sell"), id="confirm-yes", priority=True),
        Binding("enter", "confirm", N_("Sell"), id="confirm-enter", show=False),
        Binding("q", "khqr", N_("Pay by KHQR"), id="confirm-khqr", priority=True),
    ]

    def __init__(
        self, draft: SaleDraft, *, riel_per_usd: int, khr_step: int, khqr: bool | None = None
    ) -> None:
        super().__init__()
        self._khqr = khqr  # the shop takes KHQR: `q` pays by KHQR instead of cash
        self.draft = draft
        self.riel_per_usd = riel_per_usd
        self.khr_step = khr_step

    def compose(self) -> ComposeResult:
        draft = self.draft
        with Vertical(id="confirm-box") as box:
            box.border_title = _("Sell this top-up?")
            yield Digits(draft.number.display, id="confirm-number")
            with Grid(id="confirm-facts"):
                yield Label(_("Operator"), classes="fact-label")
                yield Static(operator_badge(draft.operator), id="confirm-operator")
                yield Label(_("Amount"), classes="fact-label")
                yield Static(self._amount_text(), id="confirm-amount", classes="fact-value")
                yield Label(_("Validity"), classes="fact-label")
                yield Static(self._validity_text(), id="confirm-validity", classes="fact-value")
                yield Label(_("Cash received"), classes="fact-label")
                yield FieldInput(
                    placeholder=_("exact ({amount}) · riel: 20000r").format(
                        amount=format_usd(draft.cents)
                    ),
                    restrict=_CASH_CHARS,
                    max_length=16,
                    id="cash",
                )
                yield Label(_("Change"), classes="fact-label")
                yield Static("", id="change", classes="fact-value")
            yield Static(self._keys_text(), id="confirm-keys")

    def _keys_text(self) -> Text:
        """`Enter or y sells · Esc goes back to edit`, with the keys in force in bold."""
        keymap = keymap_of(self.app)

        def key(binding_id: str) -> tuple[str, str]:
            return key_for(binding_id, keymap, ConfirmSaleScreen), "bold"

        sells = _("{enter} or {yes} sells").format(enter="\0", yes="\1")
        back = _("{back} goes back to edit").format(back="\2")
        parts: list[str | tuple[str, str]] = []
        keys = {"\0": key("confirm-enter"), "\1": key("confirm-yes"), "\2": key("confirm-back")}
        khqr = _(" · {key} KHQR").format(key="\3") if self.khqr else ""
        keys["\3"] = key("confirm-khqr")
        for piece in re.split(r"([\0\1\2\3])", f"{sells}{khqr} · {back}"):
            if piece in keys:
                parts.append(keys[piece])
            elif piece:
                parts.append(piece)
        return Text.assemble(*parts)

    def on_mount(self) -> None:
        self.query_one("#cash", Input).focus()
        self._show_change("")

    def _amount_text(self) -> Text:
        draft = self.draft
        riel = round_to_step(khr_for_cents(draft.cents, self.riel_per_usd), 1)
        text = Text(format_usd(draft.cents), style="bold")
        text.append(f"   = {format_khr(riel)}", style="dim")  # no words: nothing to translate
        return text

    def _validity_text(self) -> str:
        days = self.draft.validity_days
        if days is None:
            return _("as the operator sets it")
        return ngettext("+{days} day", "+{days} days", days).format(days=days)

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
        self._settle(paid)
        return paid

    def _settle(self, paid: Money) -> Settlement:
        """The change as the sale will record it (`domain.cash.settle`), or PaymentError."""
        policy = ChangePolicy(self.khr_step)
        return settle(self.draft.cents, CashPayment.cash(paid), self.riel_per_usd, policy)

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
            change.update(Text(_("none (exact amount)"), style="dim"))
            return
        result = self._settle(paid).change
        line = Text()
        if paid.currency is Currency.USD:
            line.append(format_usd(result.usd_cents), style="bold")
            line.append(" + ")
        line.append(format_khr(result.khr), style="bold")
        if result.is_none:
            line = Text(_("none"), style="bold")
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

    @property
    def khqr(self) -> bool:
        """Whether `q` pays by KHQR: given, or the shop's `[khqr]` account is set."""
        if self._khqr is None:
            till = getattr(self.app, "till", None)
            self._khqr = bool(till is not None and till.ledger.khqr.enabled)
        return self._khqr

    def action_khqr(self) -> None:
        if self.khqr:
            self.dismiss(Payment(None, khqr=True))
        else:
            self.app.bell()

    def action_back(self) -> None:
        self.dismiss(None)
