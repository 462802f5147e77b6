"""KHQR at the sale screen: the confirmation's KHQR key opens the code for this sale; a
paid code comes back as a recorded sale, which the screen handles like any sale (receipt,
delivery, status "Sold ...")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from counter.domain.records import Sale
from counter.i18n import _
from counter.ui.draft import Payment, SaleDraft
from counter.ui.key_path import hold_keys
from counter.ui.screens.sale_display import SaleDisplay

__all__ = ["SaleDisplay", "SaleKhqr"]


class SaleKhqr:
    """Mixed into the sale screen (which gives `till`, `app`, the fields and messages)."""

    till: Any
    app: Any
    _reviewing: bool
    _selling: bool

    def khqr_or(
        self,
        draft: SaleDraft,
        payment: Payment | None,
        then: Callable[[SaleDraft, Payment | None], None],
    ) -> None:
        """The confirmation's answer: KHQR opens its own screen, anything else goes on."""
        if payment is None or not payment.khqr:
            then(draft, payment)
            return
        from counter.ui.modals.khqr_pay import KhqrPayScreen

        self._reviewing = False
        self.app.push_screen(
            KhqrPayScreen(self.till, draft), lambda sale: self._khqr_done(payment, sale)
        )

    def _khqr_done(self, payment: Payment, sale: Sale | None) -> None:
        screen: Any = self
        if sale is None:
            if self.till.display is not None:
                self.till.display.back_to_sale()
            screen._status(
                _("Not paid by KHQR: the code was cancelled or expired. Enter sells for cash."),
                kind="-problem",
            )
            screen.amount_field.input.focus()
            return
        self._selling = True
        hold_keys(screen, "sale")  # released by the Recorded handler, as for cash
        screen.post_message(screen.Recorded(sale, payment))
