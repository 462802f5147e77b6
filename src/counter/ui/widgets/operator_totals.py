"""Today's totals per operator at this counter (voided sales left out)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from counter.domain.dayend import OperatorTotal
from counter.domain.operators import RuleBook
from counter.i18n import _, ngettext
from counter.i18n import format_usd_for as format_usd
from counter.ui.css import css_next_to
from counter.ui.show import operator_label


class OperatorTotals(Static):
    DEFAULT_CSS = css_next_to(__file__)

    def __init__(self, rules: RuleBook, *, id: str | None = None) -> None:
        super().__init__("", id=id, classes="panel")
        self.rules = rules
        self.border_title = _("Today's totals")

    def show(self, totals: Sequence[OperatorTotal]) -> None:
        table = Table.grid(expand=True, padding=(0, 1))
        table.add_column("operator", ratio=1)
        table.add_column("count", justify="right")
        table.add_column("amount", justify="right")
        count = amount = 0
        for line in totals:
            sales = ngettext("{n} sale", "{n} sales", line.count).format(n=line.count)
            table.add_row(
                operator_label(line.operator_id, self.rules), sales, format_usd(line.amount_cents)
            )
            count += line.count
            amount += line.amount_cents
        if not totals:
            table.add_row(Text(_("nothing sold yet"), style="dim"), "", "")
        self.border_subtitle = f"{count} · {format_usd(amount)}"
        self.update(table)
