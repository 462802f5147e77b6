"""KHQR at the sale screen: the confirmation's KHQR key opens the code for this sale; a
paid code comes back as a recorded sale, which the screen handles like any sale (receipt,
delivery, status "Sold ..."). The KHQR line (`widgets.khqr_line`) runs the worker's pass
and the late check while the screen is up: a code paid meanwhile is sold and printed
here too, a late payment is counted on the line for a supervisor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from counter.domain.records import Sale
from counter.i18n import _
from counter.ui.draft import Payment, SaleDraft
from counter.ui.key_path import hold_keys
from counter.ui.screens.sale_display import SaleDisplay
from counter.ui.widgets.khqr_line import KhqrLine

__all__ = ["SaleDisplay", "SaleKhqr"]


class SaleKhqr:
    """Mixed into the sale screen (which gives `till`, `app`, the fields and messages)."""

    till: Any
    app: Any
    _reviewing: bool
    _selling: bool

    def khqr_line(self) -> KhqrLine:
        """The KHQR line for the screen's layout (under the deliveries line)."""
        return KhqrLine(self.till, self._khqr_where, id="khqr-line")

    def _khqr_where(self) -> str:
        """Where the late payments are decided: Reports, then its KHQR key."""
        from counter.ui.keys import key_for, keymap_of
        from counter.ui.screens.reports import ReportsScreen

        screen: Any = self
        return _("Reports ({reports}), then {key}").format(
            reports=screen._key("reports"),
            key=key_for("reports-khqr", keymap_of(self.app), ReportsScreen),
        )

    def action_khqr_review(self) -> None:
        """The supervisor's late KHQR payments; the sales they record are printed here."""
        from counter.ui.modals.khqr_review import KhqrReviewsScreen

        self.app.push_screen(KhqrReviewsScreen(self.till), self._khqr_reviewed)

    def _khqr_reviewed(self, sold: list[Sale] | None) -> None:
        screen: Any = self
        for sale in sold or ():
            screen._last_sale = sale
            screen._status_receipt = sale.receipt_no
            screen._status_sale(sale, _("sold after a supervisor's review"), kind="-ok")
            screen._print(sale, copy=False)
            screen.delivery_started(sale)
        if sold:
            screen.refresh_today()
        screen.query_one(KhqrLine).refresh_count()

    def on_khqr_line_sold(self, message: KhqrLine.Sold) -> None:
        """A code paid while no screen watched it: sold, so printed and delivered here."""
        screen: Any = self
        sale = message.finish.sale
        assert sale is not None
        screen._last_sale = sale
        screen._status_receipt = sale.receipt_no
        words = _("KHQR {bill} paid: printing receipt…").format(
            bill=message.finish.request.bill_number
        )
        screen._status_sale(sale, words, kind="-ok")
        screen.refresh_today()
        screen._print(sale, copy=False)
        screen.delivery_started(sale)

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
