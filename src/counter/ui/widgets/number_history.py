"""The recent top-ups of the number being typed: it catches a mistyped number, too."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from counter.domain.records import Sale
from counter.i18n import _
from counter.i18n import format_usd_for as format_usd
from counter.ui.css import css_next_to
from counter.ui.show import ljust


class NumberHistory(Static):
    DEFAULT_CSS = css_next_to(__file__)

    def __init__(self, zone: ZoneInfo, *, id: str | None = None) -> None:
        super().__init__("", id=id, classes="panel")
        self.zone = zone
        self.border_title = _("This number before")
        self.clear()

    def clear(self) -> None:
        self.update(Text(_("Recent top-ups of the number appear here."), style="dim"))

    def show(self, sales: Sequence[Sale]) -> None:
        if not sales:
            self.update(
                Text(_("No top-up of this number yet: check it with the customer."), style="dim")
            )
            return
        text = Text()
        for index, sale in enumerate(sales):
            day = sale.created_at.astimezone(self.zone).strftime("%Y-%m-%d")
            if index:
                text.append("\n")
            label = _("last top-up") if index == 0 else _("before")
            width = max(cell_len(_("last top-up")), cell_len(_("before")))
            text.append(ljust(label, width) + " ", style="dim")
            text.append(format_usd(sale.amount_cents), style="bold")
            text.append(_(" on {day}").format(day=day))
            if sale.voided:
                text.append(_(" (void)"), style="dim")
        self.update(text)
