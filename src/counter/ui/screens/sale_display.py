"""The sale screen driving the customer's display: every change of the number or the
amount, and "Thank you" with the receipt number once sold (`ui.customer_display`).

Mixed into the sale screen: Textual calls these handlers as well as the screen's own."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from counter.domain.errors import AmountError
from counter.domain.money import Money
from counter.domain.topup import check_topup
from counter.ui.money_text import read_money
from counter.ui.widgets.number_field import read_partial


class SaleDisplay:
    till: Any

    def on_mount(self) -> None:
        driver = self.till.display
        if driver is None:
            return
        screen: Any = self
        screen.run_worker(driver.start, thread=True, group="customer-display")
        for field in (screen.number_field, screen.amount_field):  # every change, as typed
            screen.watch(field.input, "value", self._form_changed, init=False)

    def _form_changed(self, _value: str) -> None:
        driver = self.till.display
        if driver is None:
            return
        screen: Any = self
        number, amount_text = screen.number_field.value, screen.amount_field.value
        typed = read_partial(number, self.till.rules)
        amount: Money | None = None
        with suppress(AmountError):
            amount = read_money(amount_text) if amount_text.strip() else None
        validity = None
        if typed.operator is not None and amount is not None:
            verdict = check_topup(number, amount, self.till.rules)
            validity = verdict.validity_days if verdict.ok else None
        driver.typing(typed.national, typed.operator, amount, validity)

    def on_sale_screen_recorded(self, message: Any) -> None:
        driver = self.till.display
        if driver is not None:
            driver.thanks(message.sale.receipt_no)
