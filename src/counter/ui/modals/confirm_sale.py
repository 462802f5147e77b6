"""The confirmation: the number large, the operator, the amount, the validity, and the
cash received with the change in USD and riel computed as it is typed.

The cash field takes dollars, riel or both at once (`5 + 2000r`), read by the domain's
`read_cash`; the change is the domain's `settle`, with the shop's step and rounding, so
what the clerk sees is what the sale records. A top-up asked for in riel shows what it
buys (`5,000៛ → $1.00 top-up, 900៛ back`). Cash far above the amount due is asked
again with both readings (`$20,000.00 or 20,000៛?`): only `y` then sells it as typed.
"""

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

from counter.domain.amounts import read_cash
from counter.domain.cash import ChangePolicy, Settlement, riel_to_ask, settle
from counter.domain.cash import Payment as CashPayment
from counter.domain.errors import AmountError, PaymentError
from counter.domain.money import Currency, Money
from counter.domain.plausible import CashDoubt, CashLimits, doubt_cash
from counter.domain.policy import Policy
from counter.domain.rate import riel_value
from counter.domain.riel_topup import RielTopup, fit_riel_topup
from counter.i18n import _, ngettext
from counter.i18n import format_khr_for as format_khr
from counter.i18n import format_usd_for as format_usd
from counter.ui.draft import Payment, SaleDraft
from counter.ui.keys import key_for, keymap_of
from counter.ui.lang import N_
from counter.ui.money_text import is_blank
from counter.ui.widgets.badge import operator_badge
from counter.ui.widgets.field_input import FieldInput

_CASH_CHARS = r"[0-9០-៩０-９.,$៛rRkhKH +]*"
_CASH_TYPED = 40


class ConfirmSaleScreen(ModalScreen[Payment | None]):
    """Dismisses with the payment (Enter or y), or None to go back and edit (Escape)."""

    CSS_PATH = "confirm_sale.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back to edit"), id="confirm-back"),
        Binding("y", "confirm_yes", N_("Sell"), id="confirm-yes", priority=True),
        Binding("enter", "confirm", N_("Sell"), id="confirm-enter", show=False),
        Binding("q", "khqr", N_("Pay by KHQR"), id="confirm-khqr", priority=True),
    ]

    def __init__(
        self,
        draft: SaleDraft,
        *,
        riel_per_usd: int,
        policy: Policy | None = None,
        khqr: bool | None = None,
    ) -> None:
        super().__init__()
        self._khqr = khqr  # the shop takes KHQR: `q` pays by KHQR instead of cash
        self.draft = draft
        self.riel_per_usd = riel_per_usd
        shop = policy or Policy()
        self.policy: ChangePolicy = shop.change  # the shop's step, rounding, dollar notes
        self.limits: CashLimits = shop.cash_limits
        self._doubted: str | None = None  # the cash text asked about; `y` sells it as typed

    @property
    def riel_topup(self) -> RielTopup | None:
        """What a top-up asked for in riel buys at the rate, or None for dollars."""
        amount = self.draft.amount
        if amount.currency is not Currency.KHR:
            return None
        try:
            return fit_riel_topup(amount, self.draft.operator, self.riel_per_usd, self.policy)
        except AmountError:
            return None

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
                    placeholder=self._cash_hint(),
                    restrict=_CASH_CHARS,
                    max_length=_CASH_TYPED,
                    id="cash",
                )
                yield Label(_("Change"), classes="fact-label")
                yield Static("", id="change", classes="fact-value")
            yield Static(self._keys_text(), id="confirm-keys")

    def _cash_hint(self) -> str:
        """`exact ($1.25) · riel: 5000r`: the riel to ask at the shop's rate and step."""
        topup = self.riel_topup
        if topup is not None:  # the customer pays the riel asked
            return _("exact ({amount})").format(amount=format_khr(topup.asked_khr))
        riel = riel_to_ask(self.draft.cents, self.riel_per_usd, self.policy)
        return _("exact ({amount}) · riel: {riel}r").format(
            amount=format_usd(self.draft.cents), riel=riel
        )

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
        """`$5.00   = 20,000៛`, or for riel `5,000៛ → $1.00 top-up, 900៛ back`."""
        topup = self.riel_topup
        if topup is not None:
            return Text(topup.summary, style="bold")
        riel = riel_value(self.draft.cents, self.riel_per_usd)
        text = Text(format_usd(self.draft.cents), style="bold")
        text.append(f"   = {format_khr(riel)}", style="dim")  # no words: nothing to translate
        return text

    def _validity_text(self) -> str:
        days = self.draft.validity_days
        if days is None:
            return _("as the operator sets it")
        return ngettext("+{days} day", "+{days} days", days).format(days=days)

    @on(Input.Changed, "#cash")
    def _cash_changed(self, event: Input.Changed) -> None:
        if event.value != self._doubted:
            self._doubted = None
        self._show_change(event.value)

    @on(Input.Submitted, "#cash")
    def _cash_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()

    def _payment(self, text: str) -> CashPayment:
        """The cash typed (blank: the exact amount); AmountError or PaymentError if it
        cannot be used."""
        if is_blank(text):
            topup = self.riel_topup
            exact = Money.khr(topup.asked_khr) if topup else Money.usd(self.draft.cents)
            return CashPayment.cash(exact)
        return CashPayment.cash(*read_cash(text, Currency.USD))

    def _settle(self, paid: CashPayment) -> Settlement:
        """The change as the sale will record it (`domain.cash.settle`), or PaymentError."""
        return settle(self.draft.cents, paid, self.riel_per_usd, self.policy)

    def _doubt(self, paid: CashPayment) -> CashDoubt | None:
        return doubt_cash(self.draft.cents, paid, self.riel_per_usd, self.limits)

    def _show_change(self, text: str) -> None:
        change = self.query_one("#change", Static)
        try:
            paid = self._payment(text)
            result = self._settle(paid).change
        except (AmountError, PaymentError) as exc:
            change.update(Text(exc.message, style="bold red"))
            change.set_class(True, "-error")
            return
        change.set_class(False, "-error")
        if is_blank(text) and result.is_none:
            change.update(Text(_("none (exact amount)"), style="dim"))
            return
        line = Text()
        if paid.minor(Currency.USD):
            line.append(format_usd(result.usd_cents), style="bold")
            line.append(" + ")
        line.append(format_khr(result.khr), style="bold")
        if result.is_none:
            line = Text(_("none"), style="bold")
        if self._doubted is not None:
            self._show_doubt(line, paid)
        change.update(line)

    def _show_doubt(self, line: Text, paid: CashPayment) -> None:
        """Under the change: the question with both readings and the one key that sells."""
        doubt = self._doubt(paid)
        if doubt is None:
            return
        line.append("\n")
        line.append(doubt.message, style="bold yellow")
        line.append("\n")
        line.append(
            _("{yes} sells it as typed; or type it again.").format(
                yes=key_for("confirm-yes", keymap_of(self.app), ConfirmSaleScreen)
            )
        )

    def action_confirm(self, *, second_key: bool = False) -> None:
        cash = self.query_one("#cash", Input)
        try:
            paid = self._payment(cash.value)
            self._settle(paid)
        except (AmountError, PaymentError):
            self.app.bell()
            cash.focus()
            return
        doubted = self._doubt(paid) is not None
        if doubted and not (second_key and self._doubted == cash.value):
            self._doubted = cash.value  # asked again: only `y` sells it now, as typed
            self.app.bell()
            self._show_change(cash.value)
            cash.focus()
            return
        given = None if is_blank(cash.value) else paid
        self.dismiss(Payment(given, confirmed=doubted, riel_per_usd=self.riel_per_usd))

    def action_confirm_yes(self) -> None:
        self.action_confirm(second_key=True)

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
