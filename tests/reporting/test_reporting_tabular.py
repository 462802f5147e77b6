"""CSV and XLSX: the export columns, totals that match the summary, real numbers in XLSX."""

from __future__ import annotations

import csv
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from counter.domain.dayend import DaySummary
from counter.domain.records import Sale, Void
from counter.reporting.export import EXPORT_COLUMNS, export_row
from counter.reporting.tabular import TOTALS_COLUMNS, write_csv, write_xlsx
from tests.reporting.sample import sample_rows, sample_voids, summary_of

NUMERIC_SALES_COLUMNS = ("amount_usd", "paid_amount", "change_usd", "change_khr")


def write_all(
    tmp_path: Path,
    rows: list[Sale],
    summary: DaySummary,
    tag: str = "",
    voids: list[Void] | None = None,
) -> tuple[Path, Path, Path]:
    sales, totals, xlsx = (
        tmp_path / f"sales{tag}.csv",
        tmp_path / f"totals{tag}.csv",
        tmp_path / f"report{tag}.xlsx",
    )
    voids = sample_voids() if voids is None else voids
    write_csv(rows, voids, summary, sales, totals)
    write_xlsx(rows, voids, summary, xlsx)
    return sales, totals, xlsx


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def sheet_dicts(sheet: Any) -> list[dict[str, Any]]:
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    rows = sample_rows()
    return write_all(tmp_path, rows, summary_of(rows, sample_voids()))


def test_sales_csv_has_the_export_columns_in_order_and_every_sale(
    files: tuple[Path, Path, Path],
) -> None:
    sales, _, _ = files
    with sales.open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == list(EXPORT_COLUMNS)
    lines = read_csv(sales)
    assert len(lines) == len(sample_rows())
    assert [line["receipt_no"] for line in lines][:3] == ["A-000001", "A-000002", "A-000003"]
    reasons = {v.sale_id: v.reason for v in sample_voids()}
    by_receipt = {
        r.receipt_no: dict(zip(EXPORT_COLUMNS, export_row(r, reasons.get(r.id, "")), strict=True))
        for r in sample_rows()
    }
    for line in lines:
        assert line == by_receipt[line["receipt_no"]]
    assert by_receipt["A-000004"]["void_reason"] == "wrong number"
    assert by_receipt["A-000002"]["paid_amount"] == "8000"
    assert by_receipt["A-000001"]["change_usd"] == "5.00"


def test_totals_csv_matches_the_summary_and_the_sales_lines(files: tuple[Path, Path, Path]) -> None:
    sales, totals, _ = files
    with totals.open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == list(TOTALS_COLUMNS)
    lines = read_csv(totals)
    sold = [line for line in read_csv(sales) if line["status"] == "sold"]
    total = next(line for line in lines if line["section"] == "total")
    assert int(total["count"]) == len(sold)
    assert Decimal(total["amount_usd"]) == sum(Decimal(s["amount_usd"]) for s in sold)
    operators = [line for line in lines if line["section"] == "operator"]
    assert sum(Decimal(o["amount_usd"]) for o in operators) == Decimal(total["amount_usd"])
    assert sum(Decimal(o["commission_usd"]) for o in operators) == Decimal(total["commission_usd"])
    payments = {line["key"]: line for line in lines if line["section"] == "payment"}
    assert payments["received_khr"]["amount_khr"] == "67000"
    assert {(v["key"], v["amount_usd"]) for v in lines if v["section"] == "void"} == {
        ("A-000004", "10.00")
    }
    missing = {m["key"]: m["count"] for m in lines if m["section"] == "missing_receipts"}
    assert missing == {"A": "1", "B": "0"}


def test_xlsx_numbers_are_numbers_equal_to_the_csv(files: tuple[Path, Path, Path]) -> None:
    sales, _, xlsx = files
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["Sales", "Summary"]
    sheet = book["Sales"]
    header = [c.value for c in sheet[1]]
    assert header[: len(EXPORT_COLUMNS)] == list(EXPORT_COLUMNS)
    csv_lines = read_csv(sales)
    for excel_row, line in zip(sheet.iter_rows(min_row=2), csv_lines, strict=True):
        cells = dict(zip(header, excel_row, strict=False))
        assert cells["receipt_no"].value == line["receipt_no"]
        for key in NUMERIC_SALES_COLUMNS:
            cell = cells[key]
            assert cell.data_type == "n", f"{key} of {line['receipt_no']} is stored as text"
            assert Decimal(str(cell.value)) == Decimal(line[key])
        assert cells["amount_usd"].number_format == "0.00"
        assert isinstance(cells["created_at"].value, datetime)
        assert cells["created_at"].value == datetime.fromisoformat(line["created_at"]).replace(
            tzinfo=None
        )
        business = cells["business_date"].value
        assert isinstance(business, date | datetime)
        assert (business.date() if isinstance(business, datetime) else business) == date(
            2026, 11, 25
        )


def test_xlsx_summary_sheet_equals_the_totals_csv(files: tuple[Path, Path, Path]) -> None:
    _, totals, xlsx = files
    sheet = openpyxl.load_workbook(xlsx)["Summary"]
    assert [c.value for c in sheet[1]] == [
        "section",
        "key",
        "name",
        "count",
        "amount_usd",
        "commission_usd",
        "amount_khr",
    ]
    excel = sheet_dicts(sheet)
    csv_lines = read_csv(totals)
    assert len(excel) == len(csv_lines)
    for row, line in zip(excel, csv_lines, strict=True):
        assert (row["section"], str(row["key"])) == (line["section"], line["key"])
        for key in ("count", "amount_usd", "commission_usd", "amount_khr"):
            if line[key] == "":
                assert row[key] is None
            else:
                assert isinstance(row[key], int | float), f"{line['section']}/{line['key']} {key}"
                assert Decimal(str(row[key])) == Decimal(line[key])
    smart = next(r for r in excel if r["key"] == "smart")
    assert smart["name"] == "Smart"


def test_generating_twice_gives_identical_csv_bytes_and_xlsx_numbers(tmp_path: Path) -> None:
    rows = sample_rows()
    first = write_all(tmp_path, rows, summary_of(rows, sample_voids()), "1")
    second = write_all(tmp_path, list(reversed(rows)), summary_of(rows, sample_voids()), "2")
    assert first[0].read_bytes() == second[0].read_bytes()
    assert first[1].read_bytes() == second[1].read_bytes()
    books = [openpyxl.load_workbook(p) for p in (first[2], second[2])]
    for name in ("Sales", "Summary"):
        values = [list(b[name].iter_rows(values_only=True)) for b in books]
        assert values[0] == values[1]


def test_an_empty_day_writes_headers_and_zero_totals(tmp_path: Path) -> None:
    sales, totals, xlsx = write_all(tmp_path, [], summary_of([], [], counters=("A",)), voids=[])
    assert sales.read_text(encoding="utf-8") == ",".join(EXPORT_COLUMNS) + "\n"
    total = next(line for line in read_csv(totals) if line["section"] == "total")
    assert (total["count"], total["amount_usd"], total["commission_usd"]) == ("0", "0.00", "0.00")
    book = openpyxl.load_workbook(xlsx)
    assert book["Sales"].max_row == 1
