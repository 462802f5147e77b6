"""Build a ledger with the code of before migration 0007 and print its figures as JSON.

Run by `test_migrate_0007` with PYTHONPATH at the source of main's commit before 0007
(`git archive`), so the ledger is the previous schema's, written by the previous code.
Two days at counter A: the first with opening cash, dollar and riel sales, a void and the
day close; the second with opening cash and sales, still open.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime

from counter.bootstrap import init_shop
from counter.config import load_settings
from counter.domain.money import Money
from counter.services import (
    add_user,
    authenticate,
    close_day,
    day_report,
    record_opening_cash,
    sell,
    void_sale,
    x_report,
)

DAY1, DAY2 = date(2026, 11, 24), date(2026, 11, 25)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour - 7, minute, tzinfo=UTC)


def figures(summary: object) -> dict[str, object]:
    s = summary
    return {
        "total": repr(s.total),  # type: ignore[attr-defined]
        # Operators that sold (0007's reports leave out a disabled one with no sales).
        "operators": repr(tuple(o for o in s.operators if o.count)),  # type: ignore[attr-defined]
        "payments": [
            s.payments.received_usd_cents,  # type: ignore[attr-defined]
            s.payments.received_khr,  # type: ignore[attr-defined]
            s.payments.change_usd_cents,  # type: ignore[attr-defined]
            s.payments.change_khr,  # type: ignore[attr-defined]
        ],
        "voids": len(s.voids),  # type: ignore[attr-defined]
    }


def drawer(report: object) -> list[object]:
    cash = report.cash  # type: ignore[attr-defined]
    figures = ("opening_usd_cents", "opening_khr", "expected_usd_cents", "expected_khr")
    return [getattr(cash, name) for name in figures] + [report.closed]  # type: ignore[attr-defined]


def main() -> None:
    ledger = init_shop(
        load_settings(),
        shop_name="Dara Phone",
        counter_code="A",
        admin_name="Sok",
        admin_pin="1234",
    )
    admin = authenticate(ledger, "Sok", "1234", now=at(DAY1, 8))
    clerk = add_user(ledger, "Dara", "clerk", "5678", by=admin)
    add_user(ledger, "Vanna", "supervisor", "2468", by=admin)
    record_opening_cash(ledger, DAY1, "A", 2000, 40_000, by=clerk, now=at(DAY1, 8, 5))
    sales = [
        ("012 345 678", "5", Money.khr(20_000), 9),
        ("010 222 333", "2.50", Money.usd(1000), 10),
        ("097 123 4567", "10", None, 11),
        ("012 345 679", "1", Money.usd(500), 12),
    ]
    for number, amount, paid, hour in sales:
        sell(ledger, clerk, number, amount, paid=paid, now=at(DAY1, hour))
    void_sale(
        ledger,
        "A-000004",
        reason="wrong number",
        requested_by=clerk,
        supervisor_name="Vanna",
        supervisor_pin="2468",
        now=at(DAY1, 12, 5),
    )
    close_day(
        ledger,
        DAY1,
        "A",
        counted_usd_cents=3700,
        counted_khr=59_000,
        supervisor_name="Vanna",
        supervisor_pin="2468",
        by=clerk,
        now=at(DAY1, 20),
    )
    record_opening_cash(ledger, DAY2, "A", 1500, 10_000, by=clerk, now=at(DAY2, 8))
    sell(ledger, clerk, "012 345 678", "3", paid=Money.khr(12_000), now=at(DAY2, 9))
    sell(ledger, clerk, "010 222 333", "2", paid=Money.usd(500), now=at(DAY2, 10))
    now = at(DAY2, 11)
    x1 = x_report(ledger, DAY1, "A", printed_by="Sok", now=now)
    x2 = x_report(ledger, DAY2, "A", printed_by="Sok", now=now)
    out = {
        "day1": figures(day_report(ledger, DAY1, "A", printed_by="Sok", now=now)),
        "day2": figures(day_report(ledger, DAY2, "A", printed_by="Sok", now=now)),
        "x1": drawer(x1),
        "x2": drawer(x2),
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
