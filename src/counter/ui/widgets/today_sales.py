"""Today's sales at this counter, most recent first.

Drawn as a plain table that drops the receipt column when the panel is narrow
(80 columns), so the amount always shows.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.table import Table
from rich.text import Text
from textual import events
from textual.widgets import Static

from counter.domain.operators import RuleBook
from counter.domain.records import Sale
from counter.i18n import _
from counter.i18n import format_usd_for as format_usd
from counter.ui.css import css_next_to
from counter.ui.show import national, operator_label, sale_time

WIDE_ENOUGH_FOR_RECEIPTS = 48


class TodaySales(Static):
    """Read-only; the History screen (F8) is where a sale is opened."""

    DEFAULT_CSS = css_next_to(__file__)

    def __init__(self, rules: RuleBook, zone: ZoneInfo, *, id: str | None = None) -> None:
        super().__init__("", id=id, classes="panel")
        self.rules = rules
        self.zone = zone
        self.sales: list[Sale] = []
        self.border_title = _("Today at this counter")

    def show(self, sales: list[Sale]) -> None:
        self.sales = sales
        self.border_subtitle = _("{n} shown").format(n=len(sales)) if sales else _("no sales yet")
        self._draw()

    def on_resize(self, _: events.Resize) -> None:
        self._draw()

    def _draw(self) -> None:
        if not self.sales:
            self.update(Text(_("Sales appear here as they are made."), style="dim"))
            return
        with_receipt = self.content_size.width >= WIDE_ENOUGH_FOR_RECEIPTS
        table = Table(box=None, padding=(0, 1, 0, 0), expand=True, header_style="dim")
        table.add_column(_("Time"), no_wrap=True)
        if with_receipt:
            table.add_column(_("Receipt"), no_wrap=True)
        table.add_column(_("Operator"), no_wrap=True, overflow="ellipsis")
        table.add_column(_("Number"), no_wrap=True)
        amounts = [
            Text(_("void"), style="dim") if sale.voided else Text(format_usd(sale.amount_cents))
            for sale in self.sales
        ]
        widest = max((amount.cell_len for amount in amounts), default=0)
        # The amount never shrinks: the operator's name gives way first (US$ is wider than $).
        table.add_column(_("Amount"), justify="right", no_wrap=True, min_width=widest)
        for sale, amount in zip(self.sales, amounts, strict=True):
            cells = [sale_time(sale, self.zone)]
            if with_receipt:
                cells.append(sale.receipt_no)
            table.add_row(
                *cells, operator_label(sale.operator_id, self.rules), national(sale.msisdn), amount
            )
        self.update(table)
