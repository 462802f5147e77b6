"""What the sale screen does with deliveries: its status line says each change of the
last sale's delivery, the key lists the open ones (a mixin, so the screen stays short)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from counter.domain.delivery import Channel, manual_instruction
from counter.domain.phone import group_national
from counter.ui.widgets.deliveries_line import DeliveriesLine, delivery_words

if TYPE_CHECKING:
    from collections.abc import Callable

    from counter.domain.records import Sale
    from counter.ui.till import Till


class SaleDeliveries:
    """Mixed into SaleScreen (which has `till`, `_last_sale`, `_status_sale`, `_key`)."""

    till: Till
    _last_sale: Sale | None
    if TYPE_CHECKING:
        _status_sale: Callable[..., None]  # SaleScreen's

    def _line(self) -> DeliveriesLine:
        screen: Any = self  # a Screen, once mixed in
        return cast(DeliveriesLine, screen.query_one(DeliveriesLine))

    def on_screen_resume(self) -> None:
        """Back from Reports or a dialog: a shift may have been opened or closed there, so
        the no-shift banner reads the counter's shifts now, not at its next poll."""
        from counter.ui.widgets.shift_banner import ShiftBanner

        screen: Any = self  # a Screen, once mixed in
        for banner in screen.query(ShiftBanner):
            banner.refresh_shift()

    def on_deliveries_line_changed(self, message: DeliveriesLine.Changed) -> None:
        sale = self._last_sale
        if sale is not None and sale.receipt_no == message.delivery.receipt_no:
            text, kind = delivery_words(message.delivery, message.refund_cents)
            self._status_sale(sale, text, kind=kind)

    def delivery_started(self, sale: Sale) -> None:
        """After a sale: a manual one says what to do; the worker runs at once."""
        channel = self.till.ledger.delivery.channel_for(sale.operator_id)
        if channel is Channel.ASSUMED:
            return  # delivered when sold, as the status line already says
        if channel is Channel.MANUAL:
            national = "0" + sale.msisdn[4:] if sale.msisdn.startswith("+855") else sale.msisdn
            instruction = manual_instruction(group_national(national), sale.amount_cents)
            self._status_sale(sale, instruction, kind="-ok")
        self._line().sweep()

    def action_deliveries(self) -> None:
        from counter.ui.modals.deliveries import DeliveriesScreen

        def back(_: None) -> None:
            self._line().refresh_count()

        screen: Any = self
        screen.app.push_screen(DeliveriesScreen(self.till), back)
