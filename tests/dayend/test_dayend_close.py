"""Opening cash, expected cash, X report and day close (Z report)."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from counter.services import (
    AuthError,
    DayEndRefused,
    NotAllowed,
    SaleRefused,
    VoidRefused,
    close_day,
    day_close,
    doctor,
    opening_cash_needed,
    record_opening_cash,
    sell,
    void_sale,
    x_report,
)
from tests.dayend.helpers import (
    DAY,
    EVENING,
    MORNING,
    expected_cash,
    exported,
    independent_totals,
    sell_morning,
    void,
)
from tests.ledger.conftest import ADMIN_PIN, CLERK_PIN, SUPERVISOR_PIN, Shop


def test_expected_cash_is_opening_cash_plus_received_minus_change_without_voids(shop: Shop) -> None:
    led = shop.ledger
    assert opening_cash_needed(led, DAY, "A")
    record_opening_cash(led, DAY, "A", 5000, 40000, by=shop.clerk, now=MORNING)
    assert not opening_cash_needed(led, DAY, "A")
    with pytest.raises(DayEndRefused, match="close it before opening another"):
        record_opening_cash(led, DAY, "A", 1, 1, by=shop.clerk, now=MORNING)
    sales = sell_morning(shop)
    void(shop, sales[0])  # paid in riel: its 20,000 KHR went back
    want = independent_totals(exported(shop))
    usd = 5000 + want["received_usd"] - want["change_usd"]
    khr = 40000 + want["received_khr"] - want["change_khr"]
    assert expected_cash(shop) == (usd, khr)
    assert want["received_khr"] == 5000 + 100000  # the voided 20,000 is left out


def test_x_report_leaves_the_day_open_and_z_closes_it(shop: Shop, tmp_path: Path) -> None:
    led = shop.ledger
    record_opening_cash(led, DAY, "A", 2000, 10000, by=shop.clerk, now=MORNING)
    sales = sell_morning(shop)
    x = x_report(led, DAY, "A", printed_by=shop.supervisor, now=EVENING)
    assert not x.closed and x.cash.counted_usd_cents is None
    assert (x.cash.expected_usd_cents, x.cash.expected_khr) == expected_cash(shop)
    assert day_close(led, DAY, "A") is None
    # The day stays open after an X report: selling goes on.
    sell(led, shop.clerk, "012 555 666", "2", now=EVENING)
    usd, khr = expected_cash(shop)

    closed = close_day(
        led,
        DAY,
        "A",
        counted_usd_cents=usd - 150,
        counted_khr=khr + 500,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
        by=shop.clerk,
        now=EVENING + timedelta(minutes=30),
        output=tmp_path,
    )
    assert (closed.expected_usd_cents, closed.expected_khr) == (usd, khr)
    assert (closed.difference_usd_cents, closed.difference_khr) == (-150, 500)
    assert (closed.opening_usd_cents, closed.opening_khr) == (2000, 10000)
    assert closed.closed_by == "Vanna" and closed.counted_by == "Dara"
    assert closed.sales_count == len(sales) + 1
    assert closed.report_path == tmp_path / "2026-11-25-A-z-report.pdf"
    assert closed.report_path.read_bytes().startswith(b"%PDF")
    assert day_close(led, DAY, "A") == closed.__class__(
        **{**closed.__dict__, "report_path": None, "code": ""}
    )
    assert x_report(led, DAY, "A", printed_by="Vanna").closed

    # Refused from now on: a sale of that business day, a void of its sales, a second close.
    with pytest.raises(SaleRefused, match="The day 2026-11-25 at counter A is closed"):
        sell(led, shop.clerk, "012 777 888", "1", now=EVENING + timedelta(hours=1))
    with pytest.raises(VoidRefused, match="closed"):
        void_sale(
            led,
            sales[1].receipt_no,
            reason="late",
            requested_by=shop.clerk,
            supervisor_name="Vanna",
            supervisor_pin=SUPERVISOR_PIN,
        )
    with pytest.raises(DayEndRefused, match="already closed"):
        close_day(
            led,
            DAY,
            "A",
            counted_usd_cents=usd,
            counted_khr=khr,
            supervisor_name="Vanna",
            supervisor_pin=SUPERVISOR_PIN,
            by=shop.clerk,
            now=EVENING + timedelta(hours=1),
        )
    with pytest.raises(DayEndRefused, match="closed"):
        record_opening_cash(led, DAY, "A", 1, 1, by=shop.clerk)
    assert not opening_cash_needed(led, DAY, "A")
    # After midnight (local) it is a new business day: selling works again.
    tomorrow = sell(led, shop.clerk, "012 777 888", "1", now=EVENING + timedelta(hours=4))
    assert tomorrow.business_date == DAY + timedelta(days=1)
    assert doctor(led) == []


def test_close_needs_a_supervisor_pin(shop: Shop) -> None:
    led = shop.ledger
    sell_morning(shop)
    with pytest.raises(NotAllowed, match="only a supervisor or admin can close the day"):
        close_day(
            led,
            DAY,
            "A",
            counted_usd_cents=0,
            counted_khr=0,
            supervisor_name="Dara",
            supervisor_pin=CLERK_PIN,
            by=shop.clerk,
            now=EVENING,
        )
    with pytest.raises(AuthError):
        close_day(
            led,
            DAY,
            "A",
            counted_usd_cents=0,
            counted_khr=0,
            supervisor_name="Vanna",
            supervisor_pin="0000",
            by=shop.clerk,
            now=EVENING,
        )
    with pytest.raises(DayEndRefused, match="has not started"):
        close_day(
            led,
            DAY + timedelta(days=1),
            "A",
            counted_usd_cents=0,
            counted_khr=0,
            supervisor_name="Sok",
            supervisor_pin=ADMIN_PIN,
            by=shop.clerk,
            now=EVENING,
        )
    assert day_close(led, DAY, "A") is None


@pytest.mark.system
def test_z_report_pdf_shows_the_cash_count(shop: Shop, tmp_path: Path, need_tool: object) -> None:
    tool = need_tool("pdftotext")  # type: ignore[operator]
    led = shop.ledger
    sell_morning(shop)
    usd, khr = expected_cash(shop)
    closed = close_day(
        led,
        DAY,
        "A",
        counted_usd_cents=usd + 25,
        counted_khr=khr - 1000,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
        by=shop.clerk,
        now=EVENING,
        output=tmp_path,
    )
    assert closed.report_path is not None
    text = subprocess.run(
        [tool, "-layout", str(closed.report_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Z report" in text and "Cash in the drawer" in text
    diff = next(line.split() for line in text.splitlines() if line.strip().startswith("Difference"))
    assert "$0.25" in diff and "-1,000" in diff
