"""The daily report PDF, read back as a person would: its words, through pdftotext."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter.domain.dayend import CashCount
from counter.domain.money import format_usd
from counter.reporting.pdf import axis_top, render_day_report_pdf
from tests.reporting.sample import random_day, sample_rows, sample_voids, summary_of
from tests.support.system import require_tool


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    tool = require_tool("pdftotext")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        [tool, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture
def sample_text(tmp_path: Path) -> str:
    return pdf_text(render_day_report_pdf(summary_of(sample_rows(), sample_voids())), tmp_path)


def line_with(text: str, first_word: str) -> list[str]:
    """The words of the first line that starts with `first_word`."""
    for line in text.splitlines():
        words = line.split()
        if words and words[0] == first_word:
            return words
    raise AssertionError(f"no line starts with {first_word!r}")


@pytest.mark.system
def test_header_names_shop_day_counters_and_printer(sample_text: str) -> None:
    assert "Daily sales report" in sample_text
    assert "Sok Phone Shop" in sample_text
    assert "Wednesday 25 November 2026" in sample_text
    assert "A, B" in sample_text
    assert "Chenda" in sample_text
    assert "2026-11-25 21:05 (Asia/Phnom_Penh)" in sample_text


@pytest.mark.system
def test_each_operator_total_and_the_grand_total_are_printed(sample_text: str) -> None:
    summary = summary_of(sample_rows(), sample_voids())
    for op in summary.operators:
        words = line_with(sample_text, op.name)
        assert words[1:4] == [
            str(op.count),
            format_usd(op.amount_cents),
            f"{op.commission_bp / 100:.2f}",
        ]
        assert words[-1] == format_usd(op.commission_cents)
    total = line_with(sample_text, "TOTAL")
    # Commission on each operator's day total, rounded once (issue 14): 2.13, not 2.15.
    assert total == ["TOTAL", "11", "$51.25", "$2.13"]


@pytest.mark.system
def test_payments_voids_and_receipt_ranges_are_printed(sample_text: str) -> None:
    assert line_with(sample_text, "Received")[1:] == ["$46.00", "67,000", "KHR"]
    assert "their cash was handed back" in sample_text
    assert "Voids" in sample_text
    assert line_with(sample_text, "A-000004") == [
        "A-000004",
        "$10.00",
        "Sokha",
        "Chenda",
        "wrong",
        "number",
    ]
    assert "No voids today." not in sample_text
    assert "Receipts A-000001 to A-000010: 1 number missing: A-000007." in sample_text
    assert "Receipts B-000001 to B-000003: no gaps." in sample_text


@pytest.mark.system
def test_every_page_is_numbered(tmp_path: Path) -> None:
    pdf = render_day_report_pdf(summary_of(sample_rows(), sample_voids()))
    text = pdf_text(pdf, tmp_path)
    pages = text.count("\f")
    assert pages >= 1
    for n in range(1, pages + 1):
        assert f"Page {n} of {pages}" in text


@pytest.mark.system
def test_many_voids_spill_onto_more_numbered_pages(tmp_path: Path) -> None:
    rows, voids = random_day(1000, void_every=5)
    text = pdf_text(render_day_report_pdf(summary_of(rows, voids, counters=("A",))), tmp_path)
    pages = text.count("\f")
    assert pages >= 4
    assert f"Page {pages} of {pages}" in text
    assert "200 voids" in text


@pytest.mark.system
def test_a_day_without_voids_says_so(tmp_path: Path) -> None:
    rows = [replace(r, voided=False) for r in sample_rows()]
    text = pdf_text(render_day_report_pdf(summary_of(rows, [])), tmp_path)
    assert "Voids" in text
    assert "No voids today." in text


@pytest.mark.system
def test_an_empty_day_says_so(tmp_path: Path) -> None:
    text = pdf_text(render_day_report_pdf(summary_of([], [], counters=("A",))), tmp_path)
    assert "No sales on this day." in text
    assert "No voids today." in text
    assert "No receipts were issued on this day." in text
    assert "Page 1 of 1" in text


def test_the_same_summary_gives_the_same_pdf_bytes() -> None:
    summary = summary_of(sample_rows(), sample_voids())
    first = render_day_report_pdf(summary)
    assert first.startswith(b"%PDF-")
    assert render_day_report_pdf(summary) == first


def test_markup_in_names_is_printed_not_parsed() -> None:
    rows = [replace(r, clerk_name="<b>Dara & Co</b>") for r in sample_rows()]
    voids = [replace(sample_voids()[0], reason="<para>bad & worse")]
    assert render_day_report_pdf(summary_of(rows, voids)).startswith(b"%PDF-")


# --- fonts, translation, layout ------------------------------------------------------


@pytest.mark.system
def test_a_chinese_report_says_total_and_the_void_count_in_chinese(tmp_path: Path) -> None:
    pdf = render_day_report_pdf(summary_of(sample_rows(), sample_voids()), language="zh")
    text = pdf_text(pdf, tmp_path)
    assert "TOTAL" not in text and "void" not in text
    assert line_with(text, "合计")[1:] == ["11", "$51.25", "$2.13"]  # commission on each day total
    assert "作废 1 笔" in text


@pytest.mark.system
def test_the_chinese_footer_keeps_its_middle_dot(tmp_path: Path) -> None:
    """The bug: STSong-Light had no `·`, so the footer showed `�`."""
    pdf = render_day_report_pdf(summary_of(sample_rows(), sample_voids()), language="zh")
    text = pdf_text(pdf, tmp_path)
    assert "\ufffd" not in text
    assert "Sok Phone Shop · 每日销售报表 · 2026-11-25" in text


@pytest.mark.system
def test_a_z_report_opens_with_the_cash_and_fills_its_first_page(tmp_path: Path) -> None:
    """The bug: page one was half empty, the hours section pushed whole to page two."""
    cash = CashCount(1000, 40_000, 5000, 80_000, 5000, 79_000, "Chenda")
    pdf = render_day_report_pdf(
        summary_of(sample_rows(), sample_voids()), title="Z report (day close)", cash=cash
    )
    first_page = pdf_text(pdf, tmp_path).split("\f")[0]
    for heading in (
        "Cash in the drawer",
        "Sales per operator",
        "Sales per clerk",
        "Sales per hour",
    ):
        assert heading in first_page, f"{heading} not on page one"
    assert first_page.index("Cash in the drawer") < first_page.index("Sales per operator")


@given(cents=st.lists(st.integers(min_value=0, max_value=10_000_000), min_size=1, max_size=24))
def test_the_chart_axis_covers_its_largest_bar(cents: list[int]) -> None:
    top, step = axis_top(cents)
    assert top * 100 >= max(cents), "the axis stops under the largest bar"
    assert top % step == 0 and 1 <= top // step <= 5
    assert str(step).rstrip("0") in ("1", "2", "5")
    assert (top - step) * 100 < max(cents) or top == step, "no empty step at the top"


def test_the_chart_axis_of_the_issue_covers_66_dollars() -> None:
    assert axis_top([6619]) == (80, 20)
