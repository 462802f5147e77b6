"""A rate change at noon in the day report, on SQLite and PostgreSQL: the totals file,
the XLSX and the PDF list the rates used that day, and every riel sale carries its rate
and its riel value. Figures are hand sums in the comments."""

from __future__ import annotations

import csv
import subprocess
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest

from counter.domain.money import Money
from counter.domain.records import Approval
from counter.services import day_report, sell, set_exchange_rate, write_report
from tests.dayend.helpers import DAY, MORNING
from tests.ledger.conftest import SUPERVISOR_PIN, Shop
from tests.support.system import require_tool

NOON = MORNING + timedelta(hours=4)  # 12:00 in Phnom Penh


def _day_with_a_rate_change(shop: Shop) -> None:
    led, clerk = shop.ledger, shop.clerk
    sell(led, clerk, "012 345 678", "5", paid=Money.khr(20_000), now=MORNING)  # 4,000
    sell(led, clerk, "010 222 333", "2", paid=Money.usd(500), now=MORNING + timedelta(hours=1))
    set_exchange_rate(led, 4100, approval=Approval("Vanna", SUPERVISOR_PIN), now=NOON)
    sell(led, clerk, "012 345 679", "5", paid=Money.khr(30_000), now=NOON + timedelta(hours=1))
    sell(led, clerk, "010 222 334", "5000r", now=NOON + timedelta(hours=2))  # Smart $1.21


def test_the_day_report_lists_the_rates_used_that_day(shop: Shop, tmp_path: Path) -> None:
    _day_with_a_rate_change(shop)
    summary = day_report(shop.ledger, DAY, "A", printed_by="Sok")
    # 4,000: $5 + $2 ($7.00), 20,000៛ received. 4,100: $5 + $1.21 ($6.21), 35,000៛.
    assert [(r.riel_per_usd, r.count, r.amount_cents, r.received_khr) for r in summary.rates] == [
        (4000, 2, 700, 20_000),
        (4100, 2, 621, 35_000),
    ]
    sales_csv, totals_csv = write_report(
        shop.ledger, DAY, "A", "csv", tmp_path, printed_by="Sok", by=shop.supervisor
    )
    with totals_csv.open(encoding="utf-8", newline="") as handle:
        rates = [line for line in csv.DictReader(handle) if line["section"] == "rate"]
    assert [(r["key"], r["count"], r["amount_usd"], r["amount_khr"]) for r in rates] == [
        ("4000", "2", "7.00", "20000"),
        ("4100", "2", "6.21", "35000"),
    ]
    with sales_csv.open(encoding="utf-8", newline="") as handle:
        sales = {line["receipt_no"]: line for line in csv.DictReader(handle)}
    # $5 at 4,100 = 20,500៛; $1.21 at 4,100 = 4,961៛.
    assert (sales["A-000003"]["riel_per_usd"], sales["A-000003"]["amount_khr"]) == ("4100", "20500")
    assert (sales["A-000004"]["paid_khr"], sales["A-000004"]["amount_khr"]) == ("5000", "4961")


def test_xlsx_riel_cells_are_whole_numbers_in_a_riel_format(shop: Shop, tmp_path: Path) -> None:
    _day_with_a_rate_change(shop)
    (xlsx,) = write_report(
        shop.ledger, DAY, "A", "xlsx", tmp_path, printed_by="Sok", by=shop.supervisor
    )
    book = openpyxl.load_workbook(xlsx)
    sheet = book["Sales"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, row, strict=False)) for row in sheet.iter_rows(min_row=2)]
    riel_sale = next(r for r in rows if r["receipt_no"].value == "A-000003")
    for key, value in [("paid_amount", 30_000), ("paid_khr", 30_000), ("amount_khr", 20_500)]:
        cell = riel_sale[key]
        assert (cell.value, type(cell.value)) == (value, int), key
        assert cell.number_format == '#,##0 "៛"', key
    assert riel_sale["riel_per_usd"].value == 4100
    summary = book["Summary"]
    head = [c.value for c in summary[1]]
    rates = [
        dict(zip(head, (c.value for c in row), strict=False))
        for row in summary.iter_rows(min_row=2)
        if row[0].value == "rate"
    ]
    assert [(r["key"], r["count"], r["amount_khr"]) for r in rates] == [
        ("4000", 2, 20_000),
        ("4100", 2, 35_000),
    ]


@pytest.mark.system
def test_the_pdf_lists_the_rates_used(shop: Shop, tmp_path: Path) -> None:
    _day_with_a_rate_change(shop)
    (pdf,) = write_report(shop.ledger, DAY, "A", "pdf", tmp_path, printed_by="Sok")
    text = subprocess.run(
        [require_tool("pdftotext"), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Exchange rates used" in text
    rows = [line.split() for line in text.splitlines()]
    assert ["4,000", "2", "$7.00", "20,000", "KHR"] in rows
    assert ["4,100", "2", "$6.21", "35,000", "KHR"] in rows
