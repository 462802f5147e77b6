"""A busy morning at counter A, sold through the real services at fixed times."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from counter.domain.money import Money
from counter.reporting.export import EXPORT_COLUMNS, export_row
from counter.services import Sale, expected_in_drawer, export_sales, sell, void_sale
from tests.ledger.conftest import SUPERVISOR_PIN, Shop

DAY = date(2026, 11, 25)
# 08:00 in Phnom Penh (UTC+7) on DAY.
MORNING = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
EVENING = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)  # 20:00 local

# number, amount, paid
SALES: list[tuple[str, str, Money | None]] = [
    ("012 345 678", "5", Money.khr(20000)),
    ("010 222 333", "2.50", Money.usd(1000)),
    ("097 123 4567", "10", None),
    ("012 888 999", "1", Money.khr(5000)),
    ("010 444 555", "3", Money.usd(500)),
    ("097 765 4321", "20", Money.khr(100000)),
]


def sell_morning(shop: Shop, day_offset: int = 0) -> list[Sale]:
    start = MORNING + timedelta(days=day_offset)
    return [
        sell(
            shop.ledger,
            shop.clerk,
            number,
            amount,
            paid=paid,
            now=start + timedelta(minutes=37 * i),
        )
        for i, (number, amount, paid) in enumerate(SALES)
    ]


def void(shop: Shop, sale: Sale, reason: str = "wrong number") -> None:
    void_sale(
        shop.ledger,
        sale.receipt_no,
        reason=reason,
        requested_by=shop.clerk,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
        now=sale.created_at + timedelta(minutes=2),
    )


def exported(shop: Shop, day: date = DAY) -> list[dict[str, str]]:
    """The day's `counter export` lines, as an owner reads them."""
    return [
        dict(zip(EXPORT_COLUMNS, export_row(sale, reason), strict=True))
        for sale, reason in export_sales(shop.ledger, day, day, by=shop.supervisor)
    ]


def expected_cash(shop: Shop, day: date = DAY, counter: str = "A") -> tuple[int, int]:
    """(USD cents, riel) the drawer should hold now."""
    cash = expected_in_drawer(shop.ledger, day, counter)
    return cash.expected_usd_cents, cash.expected_khr


def cents(text: str) -> int:
    return int(Decimal(text) * 100)


def independent_totals(lines: list[dict[str, str]]) -> dict[str, int]:
    """The figures an owner would add up by hand from `counter export` lines."""
    sold = [line for line in lines if line["status"] == "sold"]
    usd = [line for line in sold if line["paid_currency"] == "USD"]
    khr = [line for line in sold if line["paid_currency"] == "KHR"]
    return {
        "count": len(sold),
        "amount": sum(cents(line["amount_usd"]) for line in sold),
        "received_usd": sum(cents(line["paid_amount"]) for line in usd),
        "received_khr": sum(int(line["paid_amount"]) for line in khr),
        "change_usd": sum(cents(line["change_usd"]) for line in sold),
        "change_khr": sum(int(line["change_khr"]) for line in sold),
        "voided": sum(cents(line["amount_usd"]) for line in lines if line["status"] == "voided"),
    }


def per_operator(lines: list[dict[str, str]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for line in lines:
        if line["status"] == "sold":
            out[line["operator"]] = out.get(line["operator"], 0) + cents(line["amount_usd"])
    return out
