"""The export columns of a sale, defined once: `counter export`, the daily report's sales
CSV and its XLSX Sales sheet all use them. Other tools read them: they are a contract.

`paid_currency`/`paid_amount` are a sale's first payment line (as before payment lines);
`paid_usd` and `paid_khr` are the whole payment (`5 + 2000r`: 5.00 and 2000), with the
sale's rate and the amount's worth in whole riel at it, after the columns of before."""

from __future__ import annotations

from counter.domain.money import Currency, plain_decimal
from counter.domain.records import Sale
from counter.domain.text import shown

# The columns, in order.
EXPORT_COLUMNS: tuple[str, ...] = (
    "receipt_no",
    "created_at",
    "business_date",
    "counter",
    "clerk",
    "operator",
    "msisdn",
    "amount_usd",
    "paid_currency",
    "paid_amount",
    "change_usd",
    "change_khr",
    "operator_ref",
    "status",
    "void_reason",
    "paid_usd",
    "paid_khr",
    "riel_per_usd",
    "amount_khr",
)


def export_row(sale: Sale, void_reason: str = "") -> list[str]:
    """One sale as the export columns: amounts as plain decimals (`5.00`), riel whole,
    times in UTC to the second (`2026-11-25T05:00:00+00:00`). Text recorded before the
    boundary check (an old ledger) comes out escaped (`domain.text.shown`), never raw."""
    first = sale.payment.lines[0]
    paid = plain_decimal(first.minor) if first.currency is Currency.USD else str(first.minor)
    row = [
        sale.receipt_no,
        sale.created_at.isoformat(timespec="seconds"),
        sale.business_date.isoformat(),
        sale.counter_code,
        sale.clerk_name,
        sale.operator_id,
        sale.msisdn,
        plain_decimal(sale.amount_cents),
        first.currency.value,
        paid,
        plain_decimal(sale.change_usd_cents),
        str(sale.change_khr),
        sale.operator_ref or "",
        sale.status,
        void_reason if sale.voided else "",
        plain_decimal(sale.paid_usd_cents),
        str(sale.paid_khr),
        str(sale.riel_per_usd),
        str(sale.amount_khr),
    ]
    return [shown(value) for value in row]
