"""How recorded sales read on screen: grouped numbers, local times, coloured operators."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.text import Text

from counter.domain.money import format_usd
from counter.domain.operators import RuleBook
from counter.domain.phone import COUNTRY_CODE, group_national
from counter.domain.records import Sale
from counter.ui.widgets.badge import operator_name


def national(msisdn: str) -> str:
    """`+85512345678` -> `012 345 678`."""
    return group_national("0" + msisdn.removeprefix("+" + COUNTRY_CODE))


def sale_time(sale: Sale, zone: ZoneInfo) -> str:
    return sale.created_at.astimezone(zone).strftime("%H:%M")


def sale_moment(sale: Sale, zone: ZoneInfo) -> str:
    return sale.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def operator_label(operator_id: str, rules: RuleBook) -> Text:
    operator = rules.get(operator_id)
    return operator_name(operator) if operator else Text(operator_id)


def operator_title(operator_id: str, rules: RuleBook) -> str:
    operator = rules.get(operator_id)
    return operator.name if operator else operator_id


def sold_line(sale: Sale, rules: RuleBook) -> str:
    """`Sold A-000042 · Smart 012 345 678 · $5.00`: the status line after a sale."""
    return (
        f"Sold {sale.receipt_no} · {operator_title(sale.operator_id, rules)} "
        f"{national(sale.msisdn)} · {format_usd(sale.amount_cents)}"
    )
