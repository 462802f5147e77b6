"""The PDF receipt, read back with poppler-utils: its words, its page, nothing cut off."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from counter.printing.pdf import render_pdf
from counter.printing.receipt import Receipt
from tests.printing.helpers import PHNOM_PENH, PdfReader, make_receipt

MM = 72 / 25.4
LONG_ADDRESS = (
    "Building 12B, ground floor, next to the big blue water tower, Street 271 corner of "
    "Street 182, Sangkat Tuol Tumpung Pir, Khan Chamkar Mon, Phnom Penh, Kingdom of Cambodia"
)
LONG_FOOTER = (
    "Thank you for shopping with us! Keep this receipt until your top-up arrives; if it "
    "has not arrived within fifteen minutes, bring this receipt back to the counter and "
    "we will check it with the operator straight away."
)


def write(tmp_path: Path, receipt: Receipt, width_mm: float = 80) -> Path:
    path = tmp_path / f"{receipt.receipt_no}-{width_mm}.pdf"
    path.write_bytes(render_pdf(receipt, width_mm))
    return path


def test_receipt_says_every_fact(tmp_path: Path, receipt: Receipt, pdf_reader: PdfReader) -> None:
    text = pdf_reader.text(write(tmp_path, receipt))
    for expected in (
        "Sokha Phone Shop", "No. 12, Street 271, Phnom Penh", "A-000042",
        "2026-11-20 14:05", "C1", "Dara", "Smart", "012 345 678", "$5.00",
        "+40 days", "*888#", "21,000 riel", "1,000 riel", "SM20261120-884213",
        "Keep this receipt until your top-up",
    ):  # fmt: skip
        assert expected in text, f"{expected!r} missing from:\n{text}"
    assert "COPY" not in text


def test_page_is_a_till_roll_one_page_titled_by_receipt_number(
    tmp_path: Path, receipt: Receipt, pdf_reader: PdfReader
) -> None:
    path = write(tmp_path, receipt)
    info = pdf_reader.info(path)
    width, height = pdf_reader.page_size(path)
    assert info["Pages"] == "1"
    assert info["Title"] == "A-000042"
    assert "2026" in info["CreationDate"], "dated by the sale, not a placeholder"
    assert width == pytest.approx(80 * MM, abs=0.1)
    assert 60 * MM < height < 200 * MM, "the page fits the content, not an A4 sheet"


def test_a_reprint_says_copy_and_when_at_the_top(tmp_path: Path, pdf_reader: PdfReader) -> None:
    reprint = make_receipt(copy_printed_at=datetime(2026, 11, 21, 9, 30, 5, tzinfo=PHNOM_PENH))
    text = pdf_reader.text(write(tmp_path, reprint))
    assert "Reprinted 2026-11-21 09:30" in text
    assert text.lstrip().startswith("COPY"), text


def test_shop_name_with_markup_characters_prints_as_typed(
    tmp_path: Path, pdf_reader: PdfReader
) -> None:
    shop = make_receipt(shop_name="Sok & Sons <Phones>")
    assert "Sok & Sons <Phones>" in pdf_reader.text(write(tmp_path, shop))


@pytest.mark.parametrize("width_mm", [58, 80])
def test_long_lines_wrap_inside_the_margins(
    tmp_path: Path, pdf_reader: PdfReader, width_mm: int
) -> None:
    receipt = make_receipt(
        shop_address=LONG_ADDRESS,
        footer=LONG_FOOTER,
        operator_ref="SMART-TXN-2026112014050912345678901234567890",
        copy_printed_at=datetime(2026, 11, 21, 9, 30, 5, tzinfo=PHNOM_PENH),
    )
    path = write(tmp_path, receipt, width_mm)
    width, height = pdf_reader.page_size(path)
    assert width == pytest.approx(width_mm * MM, abs=0.1)  # 58 mm = 164.4 pt
    assert pdf_reader.info(path)["Pages"] == "1"

    printed = " ".join(pdf_reader.text(path).split())
    for token in (LONG_ADDRESS + " " + LONG_FOOTER).split():
        assert token in printed, f"{token!r} cut off at {width_mm} mm"
    # A reference too long for one line is broken, not cut: all its characters are there.
    assert "SMART-TXN-2026112014050912345678901234567890" in re.sub(r"\s", "", printed)

    margin = 3 * MM  # the layout keeps 4 mm; allow for font side bearings
    words = pdf_reader.words(path)
    assert len(words) > 50, "pdftotext -bbox found the words"
    for word in words:
        assert margin <= word.x_min and word.x_max <= width - margin, f"{word} at the edge"
        assert word.y_min >= 0 and word.y_max <= height, f"{word} off the page"


def test_refuses_a_width_that_is_not_a_till_roll(receipt: Receipt) -> None:
    with pytest.raises(ValueError, match="80 or 58"):
        render_pdf(receipt, width_mm=210)


def test_same_receipt_renders_to_the_same_bytes(receipt: Receipt) -> None:
    assert render_pdf(receipt) == render_pdf(receipt)
