"""The daily sales report, built from the ledger: totals against the exported lines."""

from __future__ import annotations

import csv
import hashlib
import subprocess
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import insert, select

from counter.config import load_settings
from counter.domain.money import format_usd
from counter.services import day_report, write_report
from counter.storage.models import Base, SaleRow
from tests.dayend.helpers import (
    DAY,
    MORNING,
    exported,
    independent_totals,
    per_operator,
    sell_morning,
    void,
)
from tests.ledger.conftest import Shop
from tests.support.ledger import sql_uow
from tests.support.system import require_tool

PRINTED = datetime(2026, 11, 25, 14, 5, tzinfo=UTC)


def fingerprint(shop: Shop) -> str:
    """A hash of every row of every table: any write to the ledger changes it."""
    digest = hashlib.sha256()
    with sql_uow(shop.ledger) as uow:
        for table in Base.metadata.sorted_tables:
            rows = uow.connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest.update(f"{table.name}:{len(rows)}:{rows!r}".encode())
    return digest.hexdigest()


def test_totals_equal_sums_of_the_exported_lines(shop: Shop) -> None:
    sales = sell_morning(shop)
    sell_morning(shop, day_offset=1)  # another day: must not leak in
    lines = exported(shop)
    want = independent_totals(lines)
    summary = day_report(shop.ledger, DAY, "A", printed_by=shop.admin, now=PRINTED)

    assert summary.total.count == want["count"] == len(sales)
    assert summary.total.amount_cents == want["amount"]
    assert {o.operator_id: o.amount_cents for o in summary.operators if o.count} == per_operator(
        lines
    )
    pay = summary.payments
    assert (pay.received_usd_cents, pay.received_khr) == (
        want["received_usd"],
        want["received_khr"],
    )
    assert (pay.change_usd_cents, pay.change_khr) == (want["change_usd"], want["change_khr"])
    assert summary.printed_by == "Sok" and summary.counters == ("A",)
    ranges = summary.receipt_ranges
    assert [(r.first_no, r.last_no, r.has_gaps) for r in ranges] == [
        ("A-000001", "A-000006", False)
    ]
    # All counters gives the same here (one counter).
    assert day_report(shop.ledger, DAY, None, printed_by="Sok", now=PRINTED).total == summary.total


def test_a_void_changes_the_totals_and_shows_in_its_section(shop: Shop) -> None:
    sales = sell_morning(shop)
    before = day_report(shop.ledger, DAY, "A", printed_by="Sok", now=PRINTED)
    assert before.voids == ()
    void(shop, sales[2], "customer cancelled")
    after = day_report(shop.ledger, DAY, "A", printed_by="Sok", now=PRINTED)
    want = independent_totals(exported(shop))

    assert (
        after.total.amount_cents
        == before.total.amount_cents - sales[2].amount_cents
        == want["amount"]
    )
    assert after.total.count == before.total.count - 1
    assert [
        (v.receipt_no, v.amount_cents, v.requested_by, v.approved_by, v.reason) for v in after.voids
    ] == [(sales[2].receipt_no, sales[2].amount_cents, "Dara", "Vanna", "customer cancelled")]
    assert after.void_total_cents == want["voided"]
    # A voided receipt is not a gap.
    assert not after.receipt_ranges[0].has_gaps


def test_a_gap_made_by_hand_is_reported(shop: Shop) -> None:
    sell_morning(shop)
    with sql_uow(shop.ledger, write=True) as uow:
        table = SaleRow.__table__
        row = uow.connection.execute(select(table).where(table.c.receipt_no == "A-000006")).one()
        values = {c.key: getattr(row, c.key) for c in table.columns if c.key != "id"}
        values.update(
            receipt_no="A-000009",
            receipt_seq=9,
            idempotency_key="by-hand",
            created_at=row.created_at + timedelta(minutes=5),
        )
        uow.connection.execute(insert(table).values(**values))
        uow.commit()
    summary = day_report(shop.ledger, DAY, "A", printed_by="Sok", now=PRINTED)
    (rng,) = summary.receipt_ranges
    assert (rng.first_no, rng.last_no) == ("A-000001", "A-000009")
    assert rng.missing == ("A-000007", "A-000008")


def test_the_report_is_a_pure_read_and_the_same_twice(shop: Shop, tmp_path: Path) -> None:
    sales = sell_morning(shop)
    void(shop, sales[0])
    before = fingerprint(shop)
    first = day_report(shop.ledger, DAY, "A", printed_by="Sok", now=PRINTED)
    pdf1 = write_report(
        shop.ledger, DAY, "A", "pdf", tmp_path / "one", printed_by="Sok", now=PRINTED
    )
    second = day_report(shop.ledger, DAY, "A", printed_by="Sok", now=PRINTED)
    pdf2 = write_report(
        shop.ledger, DAY, "A", "pdf", tmp_path / "two", printed_by="Sok", now=PRINTED
    )
    assert fingerprint(shop) == before
    # The CSV lists customers' numbers: its only write is the audit line saying who let
    # them out; its bytes are the same twice.
    by = shop.supervisor
    csv1 = write_report(
        shop.ledger, DAY, "A", "csv", tmp_path / "one", printed_by="Sok", now=PRINTED, by=by
    )
    csv2 = write_report(
        shop.ledger, DAY, "A", "csv", tmp_path / "two", printed_by="Sok", now=PRINTED, by=by
    )
    assert first == second
    assert pdf1[0].read_bytes() == pdf2[0].read_bytes()
    assert [p.read_bytes() for p in csv1] == [p.read_bytes() for p in csv2]


def test_files_are_named_by_day_and_counter_in_the_reports_folder(shop: Shop) -> None:
    sell_morning(shop)
    reports = load_settings().reports_path
    assert write_report(shop.ledger, DAY, "A", "pdf", printed_by="Sok") == [
        reports / "2026-11-25-A-sales.pdf"
    ]
    assert write_report(shop.ledger, DAY, "A", "csv", printed_by="Sok", by=shop.admin) == [
        reports / "2026-11-25-A-sales.csv",
        reports / "2026-11-25-A-totals.csv",
    ]
    assert write_report(shop.ledger, DAY, None, "xlsx", printed_by="Sok", by=shop.admin) == [
        reports / "2026-11-25-all-sales.xlsx"
    ]
    assert sorted(p.name for p in reports.iterdir()) == [
        "2026-11-25-A-sales.csv",
        "2026-11-25-A-sales.pdf",
        "2026-11-25-A-totals.csv",
        "2026-11-25-all-sales.xlsx",
    ]  # and no partial file left behind


def test_report_files_are_readable_by_their_owner_only(shop: Shop, tmp_path: Path) -> None:
    """Reports hold customers' numbers (the CSV and XLSX sales lines): 0600, like receipts."""
    sell_morning(shop)
    folder = tmp_path / "out"
    folder.mkdir()
    written = [
        path
        for fmt in ("pdf", "csv", "xlsx")
        for path in write_report(
            shop.ledger, DAY, "A", fmt, folder, printed_by="Sok", by=shop.admin
        )
    ]
    assert len(written) == 4
    for path in written:
        assert path.stat().st_mode & 0o777 == 0o600, path.name
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in written)


def pdf_words(path: Path) -> str:
    tool = require_tool("pdftotext")
    return subprocess.run(
        [tool, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.system
def test_pdf_words_include_each_operator_total_and_the_grand_total(
    shop: Shop, tmp_path: Path
) -> None:
    sales = sell_morning(shop)
    void(shop, sales[1])
    (path,) = write_report(shop.ledger, DAY, "A", "pdf", tmp_path, printed_by="Sok", now=PRINTED)
    text = pdf_words(path)
    lines = exported(shop)
    summary = day_report(shop.ledger, DAY, "A", printed_by="Sok", now=PRINTED)
    names = {o.operator_id: o.name for o in summary.operators}
    for operator, amount in per_operator(lines).items():
        line = next(
            w for w in (ln.split() for ln in text.splitlines()) if w and w[0] == names[operator]
        )
        assert format_usd(amount) in line
    total = next(ln.split() for ln in text.splitlines() if ln.split()[:1] == ["TOTAL"])
    assert format_usd(independent_totals(lines)["amount"]) in total
    assert sales[1].receipt_no in text and "Voids" in text
    assert "Daily sales report" in text and "Dara Phone" in text


def test_xlsx_opens_and_equals_the_csv(shop: Shop, tmp_path: Path) -> None:
    sales = sell_morning(shop)
    void(shop, sales[3])
    sales_csv, totals_csv = write_report(
        shop.ledger, DAY, "A", "csv", tmp_path, printed_by="Sok", now=PRINTED, by=shop.admin
    )
    (xlsx,) = write_report(
        shop.ledger, DAY, "A", "xlsx", tmp_path, printed_by="Sok", now=PRINTED, by=shop.admin
    )
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["Sales", "Summary"]
    with sales_csv.open(encoding="utf-8", newline="") as handle:
        csv_sales = list(csv.DictReader(handle))
    header, *rows = book["Sales"].iter_rows(values_only=True)
    assert len(rows) == len(csv_sales) == 6
    for row, line in zip(rows, csv_sales, strict=True):
        cells = dict(zip(header, row, strict=False))
        assert cells["receipt_no"] == line["receipt_no"] and cells["status"] == line["status"]
        assert isinstance(cells["amount_usd"], int | float)
        assert Decimal(str(cells["amount_usd"])) == Decimal(line["amount_usd"])
    with totals_csv.open(encoding="utf-8", newline="") as handle:
        csv_totals = list(csv.DictReader(handle))
    header, *rows = book["Summary"].iter_rows(values_only=True)
    assert len(rows) == len(csv_totals)
    for row, line in zip(rows, csv_totals, strict=True):
        cells = dict(zip(header, row, strict=False))
        assert (cells["section"], str(cells["key"])) == (line["section"], line["key"])
        if line["amount_usd"]:
            assert Decimal(str(cells["amount_usd"])) == Decimal(line["amount_usd"])
    total = next(line for line in csv_totals if line["section"] == "total")
    assert Decimal(total["amount_usd"]) * 100 == independent_totals(exported(shop))["amount"]


def test_an_empty_day_says_so(shop: Shop, tmp_path: Path) -> None:
    sell_morning(shop, day_offset=1)
    summary = day_report(shop.ledger, DAY, "A", printed_by="Sok", now=PRINTED)
    assert summary.is_empty and summary.total.count == 0
    paths = [
        p
        for fmt in ("pdf", "csv", "xlsx")
        for p in write_report(
            shop.ledger, DAY, "A", fmt, tmp_path, printed_by="Sok", now=PRINTED, by=shop.admin
        )
    ]
    assert all(p.stat().st_size > 0 for p in paths)
    if require_tool_quiet("pdftotext"):
        text = pdf_words(paths[0])
        assert "No sales on this day." in text and "No voids today." in text


def require_tool_quiet(name: str) -> bool:
    import shutil

    return shutil.which(name) is not None


def test_unknown_counter_and_format_are_refused_with_a_sentence(shop: Shop) -> None:
    from counter.services import DayEndRefused

    with pytest.raises(DayEndRefused, match="no counter Z"):
        day_report(shop.ledger, DAY, "Z", printed_by="Sok")
    with pytest.raises(DayEndRefused, match="pdf, csv or xlsx"):
        write_report(shop.ledger, DAY, "A", "docx", printed_by="Sok")
    assert MORNING.date() == DAY
