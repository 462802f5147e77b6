"""How recorded sales read on screen: grouped numbers, local times, coloured operators."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from rich.cells import cell_len
from rich.text import Text

from counter.domain.operators import RuleBook
from counter.domain.phone import COUNTRY_CODE, group_national
from counter.domain.records import Role, Sale, User
from counter.i18n import _, format_date_for
from counter.i18n import format_khr_for as format_khr
from counter.i18n import format_usd_for as format_usd
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
    return _("Sold {receipt} · {operator} {number} · {amount}").format(
        receipt=sale.receipt_no,
        operator=operator_title(sale.operator_id, rules),
        number=national(sale.msisdn),
        amount=format_usd(sale.amount_cents),
    )


def day_text(day: date) -> str:
    """`Wed 25 Nov 2026` in English, `2026年11月25日 周三` in Chinese (a Babel pattern)."""
    # Translators: a Babel (CLDR) date pattern, not words: y year, M month, d day, EEE weekday.
    return format_date_for(day, fmt=_("EEE dd MMM y"))


def ljust(text: str, width: int) -> str:
    """`text` padded to `width` terminal cells (a Chinese character takes two)."""
    return text + " " * max(0, width - cell_len(text))


def rjust(text: str, width: int) -> str:
    return " " * max(0, width - cell_len(text)) + text


def change_words(sale: Sale) -> str:
    """`change $5.00 + 2,000៛`, or nothing when the exact amount was paid."""
    if not sale.change_usd_cents and not sale.change_khr:
        return ""
    if not sale.paid_usd_cents or not sale.change_usd_cents:
        return _("change {amount}").format(amount=format_khr(sale.change_khr))
    if not sale.change_khr:
        return _("change {amount}").format(amount=format_usd(sale.change_usd_cents))
    return _("change {usd} + {khr}").format(
        usd=format_usd(sale.change_usd_cents), khr=format_khr(sale.change_khr)
    )


def role_and_name(user: User) -> str:
    """` · supervisor Vanna`: the header names the role the user logged in with."""
    if user.role is Role.ADMIN:
        return _(" · admin {name}").format(name=user.name)
    if user.role is Role.SUPERVISOR:
        return _(" · supervisor {name}").format(name=user.name)
    return _(" · clerk {name}").format(name=user.name)
