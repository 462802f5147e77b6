"""The receipt of a recorded sale, and printing it: what the screen and `counter sell` share.

A sale is recorded before its receipt prints; printing never raises (the printer
answers with a PrintResult), so a paper jam can never look like a failed sale.
"""

from __future__ import annotations

from datetime import datetime

from counter.domain.phone import parse_number
from counter.domain.records import Sale
from counter.printing.printers import Printer, PrintResult
from counter.printing.receipt import Receipt
from counter.services.ledger import Ledger, utc_now


def receipt_for(
    ledger: Ledger, sale: Sale, *, copy: bool = False, now: datetime | None = None
) -> Receipt:
    """The receipt of `sale`; `copy=True` marks it COPY with the time it is reprinted."""
    shop = ledger.shop()
    operator = ledger.rules.get(sale.operator_id)
    return Receipt(
        shop_name=shop.name,
        shop_address=shop.address or ledger.settings.shop_address,
        receipt_no=sale.receipt_no,
        created_at=sale.created_at,
        counter_code=sale.counter_code,
        clerk_name=sale.clerk_name,
        operator_name=operator.name if operator else sale.operator_id,
        balance_code=operator.balance_code if operator else "",
        number_display=parse_number(sale.msisdn).display,
        amount_cents=sale.amount_cents,
        validity_days=sale.validity_days,
        paid_currency="KHR" if sale.paid_currency.value == "KHR" else "USD",
        paid_minor=sale.paid_minor,
        change_usd_cents=sale.change_usd_cents,
        change_khr=sale.change_khr,
        operator_ref=sale.operator_ref,
        footer=ledger.settings.receipt_footer,
        copy_printed_at=(now or utc_now()) if copy else None,
        tz=ledger.settings.zone,
    )


def print_sale(
    ledger: Ledger, printer: Printer, sale: Sale, *, copy: bool = False, now: datetime | None = None
) -> PrintResult:
    """Print the receipt of `sale` (a reprint when `copy`); the result says what happened."""
    try:
        receipt = receipt_for(ledger, sale, copy=copy, now=now)
    except Exception as exc:  # the sale is recorded; the clerk needs words, not a traceback
        return PrintResult(
            False, f"Receipt {sale.receipt_no} not printed: {exc}. Reprint it from History."
        )
    return printer.print_receipt(receipt)
