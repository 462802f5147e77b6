"""Shifts on a real ledger (SQLite file and PostgreSQL): two shifts closed on their own,
the day close adding them up, a reopened day closed again, each close's checkpoint and Z
code, and `doctor` clean after every step (the day close is sealed on the counter row)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from counter.domain.cash_count import CashCount as DrawerCount
from counter.domain.errors import ShiftRefused
from counter.domain.money import Money
from counter.domain.records import Approval, DayClose
from counter.services import close_day, doctor, sell, x_report
from counter.services.shifts import open_shift, reopen_day
from counter.services.upkeep import doctor_report
from counter.services.zreports import close_shift, z_report
from tests.dayend.helpers import DAY, MORNING
from tests.ledger.conftest import SUPERVISOR_PIN, Shop

VANNA = Approval("Vanna", SUPERVISOR_PIN)


def _close_day(
    shop: Shop, at: datetime, usd: int | None = None, khr: int | None = None
) -> DayClose:
    return close_day(
        shop.ledger,
        DAY,
        "A",
        counted_usd_cents=usd,
        counted_khr=khr,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
        by=shop.clerk,
        now=at,
    )


def test_two_shifts_a_reopened_day_and_a_second_close(shop: Shop) -> None:
    led, at = shop.ledger, MORNING
    open_shift(led, DAY, "A", DrawerCount(2000, 40_000), by=shop.clerk, now=at)
    sell(led, shop.clerk, "012 345 678", "5", paid=Money.khr(20_000), now=at + timedelta(hours=1))
    sell(led, shop.clerk, "010 222 333", "2.50", paid=Money.usd(1000), now=at + timedelta(hours=2))
    first = close_shift(
        led, "A", DrawerCount(2300, 57_500), counted_by=shop.clerk, now=at + timedelta(hours=4)
    )
    # $20 + $10 - $7 = $23; 40,000 + 20,000 - 2,000 = 58,000៛: 500៛ short.
    assert (first.cash.expected_usd_cents, first.cash.expected_khr) == (2300, 58_000)
    assert first.code.startswith(f"Z-{first.code.split('-')[1]}-") and len(first.code) > 8
    assert first.report_path is not None and first.report_path.exists()
    assert doctor(led) == []
    open_shift(led, DAY, "A", DrawerCount(1000, 0), by=shop.supervisor, now=at + timedelta(hours=5))
    sell(led, shop.clerk, "012 888 999", "1", paid=Money.usd(100), now=at + timedelta(hours=6))
    second = close_shift(
        led,
        "A",
        DrawerCount(1100, 0),
        counted_by=shop.clerk,
        supervisor=VANNA,
        now=at + timedelta(hours=8),
    )
    assert second.shift.number == 2
    assert second.shift.close is not None and second.shift.close.approved_by == "Vanna"
    closed = _close_day(shop, at + timedelta(hours=9))
    # The day: $20 opening, then what each shift counted above its own opening:
    # $20 + ($23 - $20) + ($11 - $10) = $24; 40,000 + 17,500 + 0 = 57,500៛.
    assert (closed.counted_usd_cents, closed.counted_khr) == (2400, 57_500)
    assert (closed.expected_usd_cents, closed.expected_khr) == (2400, 58_000)
    assert doctor(led) == []
    # Reopened: shift 3 opens with the drawer as last counted, a sale, closed again.
    shift = reopen_day(
        led, DAY, "A", reason="a sale was forgotten", by=VANNA, now=at + timedelta(hours=10)
    )
    assert (shift.number, shift.opening.usd_cents, shift.opening.khr) == (3, 1100, 0)
    assert doctor(led) == []
    assert not x_report(led, DAY, "A", printed_by="Vanna").closed
    late = sell(
        led, shop.clerk, "097 123 4567", "2", paid=Money.usd(200), now=at + timedelta(hours=11)
    )
    assert late.business_date == DAY
    again = _close_day(shop, at + timedelta(hours=12), 1300, 0)  # shift 3: $11 + $2
    assert again.close_no == 2
    assert doctor(led) == []
    report = doctor_report(led, codes=[first.code, again.code])
    assert report.ok and len(report.witnessed) == 2
    with pytest.raises(ShiftRefused, match=r"is closed \(its Z report is done\)"):
        open_shift(led, DAY, "A", DrawerCount(0, 0), by=shop.clerk, now=at + timedelta(hours=13))


def test_a_z_report_is_written_again_as_a_copy_with_its_code(shop: Shop) -> None:
    led, at = shop.ledger, MORNING
    open_shift(led, DAY, "A", DrawerCount(1000, 0), by=shop.clerk, now=at)
    sell(led, shop.clerk, "012 345 678", "5", paid=Money.usd(500), now=at + timedelta(hours=1))
    closed = _close_day(shop, at + timedelta(hours=2), 1500, 0)
    path = z_report(led, DAY, "A", printed_by="owner", now=at + timedelta(hours=3))
    assert path.name == "2026-11-25-A-z-report-copy.pdf" and path.exists()
    shift_copy = z_report(led, DAY, "A", shift_number=1, printed_by="owner")
    assert shift_copy.name == "2026-11-25-A-shift-1-z-report-copy.pdf"
    assert closed.code and doctor_report(led, codes=[closed.code]).ok
