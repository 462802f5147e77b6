"""The recent top-ups of the number being typed: it catches a mistyped number, too."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widgets import Static

from counter.domain.money import format_usd
from counter.domain.records import Sale
from counter.ui.css import css_next_to


class NumberHistory(Static):
    DEFAULT_CSS = css_next_to(__file__)

    def __init__(self, zone: ZoneInfo, *, id: str | None = None) -> None:
        super().__init__("", id=id, classes="panel")
        self.zone = zone
        self.border_title = "This number before"
        self.clear()

    def clear(self) -> None:
        self.update(Text("Recent top-ups of the number appear here.", style="dim"))

    def show(self, sales: Sequence[Sale]) -> None:
        if not sales:
            self.update(
                Text("No top-up of this number yet: check it with the customer.", style="dim")
            )
            return
        text = Text()
        for index, sale in enumerate(sales):
            day = sale.created_at.astimezone(self.zone).strftime("%Y-%m-%d")
            if index:
                text.append("\n")
            text.append("last top-up " if index == 0 else "before      ", style="dim")
            text.append(format_usd(sale.amount_cents), style="bold")
            text.append(f" on {day}")
            if sale.voided:
                text.append(" (void)", style="dim")
        self.update(text)
