"""The PDF receipt, read back with poppler-utils: its words, its page, nothing cut off."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from counter.printing.pdf import render_pdf, render_pdf_page
from counter.printing.receipt import Receipt, ReceiptOptions, qr_text
from tests.printing.helpers import (
    PHNOM_PENH,
    PdfReader,
    ink_bands,
    ink_difference,
    make_receipt,
    page_picture,
)

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
    text = " ".join(pdf_reader.text(write(tmp_path, receipt)).split())  # lines may wrap
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


# --- QR code, second languages ----------------------------------------------------------


KM = ReceiptOptions(languages=("km",))
KM_ZH = ReceiptOptions(languages=("km", "zh"))


@pytest.fixture
def tools(need_tool: Callable[[str], str]) -> dict[str, str]:
    return {name: need_tool(name) for name in ("pdftoppm", "zbarimg")}


def decode_qr(tools: dict[str, str], pdf: Path) -> list[str]:
    """Every QR code on the page, as `zbarimg` reads it from a 300 dpi picture."""
    png = pdf.with_suffix(".png")
    subprocess.run(
        [tools["pdftoppm"], "-png", "-r", "300", "-singlefile", str(pdf), str(png.with_suffix(""))],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    done = subprocess.run(
        [tools["zbarimg"], "--quiet", "--raw", str(png)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, f"zbarimg found no code: {done.stderr}"
    return done.stdout.splitlines()


@pytest.mark.parametrize("width_mm", [58, 80])
@pytest.mark.parametrize(
    "options",
    [ReceiptOptions(), ReceiptOptions(qr_mask=False), KM_ZH],
    ids=["masked", "unmasked", "languages"],
)
def test_qr_code_decodes_to_exactly_the_qr_text(
    tmp_path: Path, tools: dict[str, str], width_mm: int, options: ReceiptOptions
) -> None:
    receipt = make_receipt()
    path = tmp_path / "r.pdf"
    path.write_bytes(render_pdf(receipt, width_mm, options))
    assert decode_qr(tools, path) == [qr_text(receipt, options)]


def test_unmasked_qr_code_carries_the_whole_number(tmp_path: Path, tools: dict[str, str]) -> None:
    path = tmp_path / "r.pdf"
    path.write_bytes(render_pdf(make_receipt(), 80, ReceiptOptions(qr_mask=False)))
    assert decode_qr(tools, path) == ["A-000042|2026-11-20T14:05:09+07:00|012345678|5.00"]


def test_masked_number_on_paper(tmp_path: Path, pdf_reader: PdfReader) -> None:
    path = tmp_path / "r.pdf"
    path.write_bytes(render_pdf(make_receipt(), 80, ReceiptOptions(mask_number=True)))
    text = pdf_reader.text(path)
    assert "012 ***678" in text
    assert "345" not in text.replace("No. 12, Street 271", "")


@pytest.mark.parametrize("width_mm", [58, 80])
def test_chinese_lines_are_real_text(tmp_path: Path, pdf_reader: PdfReader, width_mm: int) -> None:
    path = tmp_path / "r.pdf"
    reprint = make_receipt(copy_printed_at=datetime(2026, 11, 21, 9, 30, 5, tzinfo=PHNOM_PENH))
    path.write_bytes(render_pdf(reprint, width_mm, ReceiptOptions(languages=("zh",))))
    text = "".join(pdf_reader.text(path).split())
    for chinese in ("副本", "充值收据", "收据", "手机号码", "充值金额", "有效期", "查询余额"):
        assert chinese in text, f"{chinese} missing at {width_mm} mm"
    assert "谢谢！请保留此收据，直到充值到账。" in text, "the thanks line wraps but loses nothing"
    for english in ("Top-up receipt", "Number", "A-000042", "$5.00"):
        assert english in pdf_reader.text(path)


def khmer_ink(
    tmp_path: Path, pdftoppm: str, width_mm: int, options: ReceiptOptions, shaping: int = 1
) -> Any:
    """A mask of the page's Khmer ink: the receipt with Khmer drawn, minus the same in white."""
    pictures = []
    for ink in (True, False):
        path = tmp_path / f"k-{width_mm}-{ink}-{shaping}.pdf"
        page = render_pdf_page(make_receipt(), width_mm, options, _khmer_ink=ink, _shaping=shaping)
        path.write_bytes(page.data)
        pictures.append(page_picture(pdftoppm, path, DPI))
    return ink_difference(*pictures)


DPI = 150


@pytest.mark.parametrize("width_mm", [58, 80])
def test_khmer_lines_are_inked_inside_the_margins(
    tmp_path: Path, need_tool: Callable[[str], str], width_mm: int
) -> None:
    mask = khmer_ink(tmp_path, need_tool("pdftoppm"), width_mm, KM)
    box = mask.getbbox()
    assert box is not None, "no Khmer ink at all: the lines are missing or in a font without Khmer"
    px_per_mm = DPI / 25.4
    margin = 3 * px_per_mm  # the layout keeps 4 mm; allow for side bearings
    assert mask.size[0] == pytest.approx(width_mm * px_per_mm, abs=2)
    left, top, right, bottom = box
    assert left >= margin and right <= mask.size[0] - margin, f"Khmer ink {box} at the edge"
    assert top > 0 and bottom < mask.size[1]
    # Title, Receipt, Number, Amount, Validity, Check balance, and the thanks (one or two rows).
    bands = ink_bands(mask)
    assert len(bands) >= 7, bands


def test_khmer_is_shaped_not_laid_out_letter_by_letter(
    tmp_path: Path, need_tool: Callable[[str], str]
) -> None:
    """With shaping, subscript consonants stack under their base and the title is narrower."""
    pdftoppm = need_tool("pdftoppm")
    shaped = khmer_ink(tmp_path, pdftoppm, 80, KM)
    unshaped = khmer_ink(tmp_path, pdftoppm, 80, KM, shaping=0)
    assert shaped.tobytes() != unshaped.tobytes()

    def title_width(mask: Any) -> int:
        top, bottom = ink_bands(mask)[0]  # the first Khmer line is the title
        box = mask.crop((0, top, mask.size[0], bottom + 1)).getbbox()
        return int(box[2] - box[0])

    # បង្កាន់ដៃបញ្ចូលទឹកប្រាក់ has subscripts (្ក ្ច ្រ): stacked under their base, they add no width.
    assert title_width(shaped) < 0.95 * title_width(unshaped)  # 195 vs 224 px at 150 dpi


@pytest.mark.parametrize("width_mm", [58, 80])
def test_all_languages_fit_on_one_page_inside_the_margins(
    tmp_path: Path, pdf_reader: PdfReader, width_mm: int
) -> None:
    receipt = make_receipt(shop_address=LONG_ADDRESS, footer=LONG_FOOTER)
    path = tmp_path / "r.pdf"
    path.write_bytes(render_pdf(receipt, width_mm, KM_ZH))
    width, _height = pdf_reader.page_size(path)
    assert pdf_reader.info(path)["Pages"] == "1"
    for word in pdf_reader.words(path):
        assert word.x_min >= 3 * MM and word.x_max <= width - 3 * MM, f"{word} at the edge"


def test_a_khmer_shop_name_prints_in_the_khmer_font(
    tmp_path: Path, need_tool: Callable[[str], str]
) -> None:
    receipt = make_receipt(shop_name="ហាងទូរស័ព្ទ សុខា")
    path = tmp_path / "r.pdf"
    path.write_bytes(render_pdf(receipt))
    fonts = subprocess.run(
        [need_tool("pdffonts"), str(path)], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    assert "KhmerOS" in fonts, fonts
