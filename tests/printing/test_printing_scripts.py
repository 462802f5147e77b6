"""Khmer, Chinese and both in one field, on PDF receipts and reports, read back with real tools.

pdffonts says every font is embedded; pdftotext gives the names back; Ghostscript (what CUPS
prints with) draws the same glyphs as poppler; the ink stays within the thermal head's
printable width; the compact layout is shorter and says the same.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from counter.domain.dayend import CashCount
from counter.printing.pdf import render_pdf, render_pdf_page
from counter.printing.receipt import ReceiptOptions
from counter.reporting.pdf import render_day_report_pdf
from tests.printing.helpers import (
    PHNOM_PENH,
    PdfReader,
    gs_picture,
    ink_disagreement,
    make_receipt,
    page_picture,
    pdf_fonts,
    pdf_pages,
)
from tests.printing.test_printing_pdf import LONG_ADDRESS, LONG_FOOTER
from tests.reporting.sample import sample_rows, sample_voids, summary_of

SHOP = "ហាងទូរស័ព្ទ សុខា 王明手机店"
CLERK = "សុខា 王明"
ADDRESS = "ផ្ទះលេខ ១២ ផ្លូវ ២៧១ 金边 Phnom Penh"
FOOTER = "អរគុណ 谢谢 Thank you"
REASON = "លេខខុស 号码错了"
NAMES = {"shop_name": SHOP, "clerk_name": CLERK, "shop_address": ADDRESS, "footer": FOOTER}
KM, ZH, KM_ZH = (ReceiptOptions(languages=langs) for langs in (("km",), ("zh",), ("km", "zh")))
COMPACT = ReceiptOptions(languages=("km", "zh"), compact=True)
OPTIONS = {"en": ReceiptOptions(), "km": KM, "zh": ZH, "km+zh": KM_ZH, "compact": COMPACT}
PRINTABLE_MM = {80: 72, 58: 48}


def receipt_pdf(tmp_path: Path, width_mm: int, options: str, **changes: Any) -> Path:
    path = tmp_path / f"r-{width_mm}-{options}.pdf"
    reprint = datetime(2026, 11, 21, 9, 30, 5, tzinfo=PHNOM_PENH)
    receipt = make_receipt(**{**NAMES, "copy_printed_at": reprint, **changes})
    path.write_bytes(render_pdf(receipt, width_mm, OPTIONS[options]))
    return path


def report_pdf(tmp_path: Path, language: str) -> Path:
    rows = [
        dataclasses.replace(r, clerk_name=[r.clerk_name, "សុខា", "王明"][i % 3])
        for i, r in enumerate(sample_rows())
    ]
    voids = [dataclasses.replace(v, reason=REASON) for v in sample_voids()]
    summary = dataclasses.replace(summary_of(rows, voids), shop_name=SHOP)
    cash = CashCount(1000, 40_000, 5000, 80_000, 5000, 79_000, "Chenda")
    path = tmp_path / f"report-{language}.pdf"
    path.write_bytes(
        render_day_report_pdf(summary, title="Z report (day close)", cash=cash, language=language)
    )
    return path


@pytest.fixture
def tool(need_tool: Callable[[str], str]) -> Callable[[str], str]:
    return need_tool


@pytest.mark.parametrize("width_mm", [80, 58])
@pytest.mark.parametrize("options", list(OPTIONS))
def test_every_font_of_a_receipt_is_embedded(
    tmp_path: Path, tool: Callable[[str], str], width_mm: int, options: str
) -> None:
    fonts = pdf_fonts(tool("pdffonts"), receipt_pdf(tmp_path, width_mm, options))
    assert fonts, "pdffonts found no font"
    assert all(emb == "yes" for _name, emb in fonts), fonts
    names = " ".join(name for name, _emb in fonts)
    for script_font in ("KhmerOS", "WenQuanYiMicroHei", "BitstreamVeraSans"):
        assert script_font in names, fonts
    assert "Helvetica" not in names and "STSong" not in names


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_font_of_a_report_is_embedded(
    tmp_path: Path, tool: Callable[[str], str], language: str
) -> None:
    fonts = pdf_fonts(tool("pdffonts"), report_pdf(tmp_path, language))
    assert fonts and all(emb == "yes" for _name, emb in fonts), fonts
    names = " ".join(name for name, _emb in fonts)
    assert "KhmerOS" in names and "WenQuanYiMicroHei" in names
    assert "Helvetica" not in names and "STSong" not in names


@pytest.mark.parametrize("width_mm", [80, 58])
@pytest.mark.parametrize("options", ["en", "km+zh", "compact"])
def test_khmer_and_chinese_names_read_back_from_the_receipt(
    tmp_path: Path, pdf_reader: PdfReader, width_mm: int, options: str
) -> None:
    """Shop, address, clerk and footer in Khmer and Chinese, mixed in one field."""
    text = " ".join(pdf_reader.text(receipt_pdf(tmp_path, width_mm, options)).split())
    joined = text.replace(" ", "")
    for words in (SHOP, CLERK, ADDRESS, FOOTER):
        assert words.replace(" ", "") in joined, f"{words!r} not read back at {width_mm} mm"
    for khmer_word in ("ហាងទូរស័ព្ទ", "សុខា", "អរគុណ"):
        assert khmer_word in text  # shaped Khmer reads back through /ActualText
    assert "\ufffd" not in text


@pytest.mark.parametrize("language", ["en", "zh"])
def test_khmer_and_chinese_names_read_back_from_the_report(
    tmp_path: Path, pdf_reader: PdfReader, language: str
) -> None:
    text = pdf_reader.text(report_pdf(tmp_path, language))
    joined = "".join(text.split())
    for words in (SHOP, "សុខា", "王明", REASON):
        assert words.replace(" ", "") in joined, words
    assert "\ufffd" not in text, "a character drawn without a glyph"
    footer = next(line for line in text.splitlines() if "2026-11-25" in line and "·" in line)
    assert SHOP.replace(" ", "") in footer.replace(" ", ""), footer


@pytest.mark.parametrize(
    ("width_mm", "options"), [(80, "zh"), (80, "km+zh"), (58, "km+zh"), (58, "compact")]
)
def test_ghostscript_draws_the_receipt_as_poppler_does(
    tmp_path: Path, tool: Callable[[str], str], width_mm: int, options: str
) -> None:
    """The bug: Ghostscript printed 充值收据 as `QEP<e6cn` (a font that was not embedded)."""
    path = receipt_pdf(tmp_path, width_mm, options)
    poppler = pdf_pages(tool("pdftoppm"), path)
    ghostscript = gs_picture(tool("gs"), path)
    assert ink_disagreement(poppler, ghostscript) < 0.08
    assert ink_disagreement(ghostscript, poppler) < 0.08


@pytest.mark.parametrize("language", ["en", "zh"])
def test_ghostscript_draws_every_report_page_as_poppler_does(
    tmp_path: Path, tool: Callable[[str], str], pdf_reader: PdfReader, language: str
) -> None:
    path = report_pdf(tmp_path, language)
    pages = int(pdf_reader.info(path)["Pages"])
    assert pages >= 1
    for page in range(1, pages + 1):
        poppler = pdf_pages(tool("pdftoppm"), path, page=page)
        ghostscript = gs_picture(tool("gs"), path, page=page)
        assert ink_disagreement(poppler, ghostscript) < 0.08, f"page {page}"


def test_the_disagreement_check_catches_a_font_that_is_not_embedded(
    tmp_path: Path, tool: Callable[[str], str]
) -> None:
    """What the old receipt did (STSong-Light, not embedded) fails the check above."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "stsong.pdf"
    canvas = Canvas(str(path), pagesize=(226, 120))
    canvas.setFont("STSong-Light", 14)
    canvas.drawString(10, 80, "充值收据 副本 手机号码")
    canvas.drawString(10, 50, "谢谢！请保留此收据")
    canvas.showPage()
    canvas.save()
    poppler = pdf_pages(tool("pdftoppm"), path)
    ghostscript = gs_picture(tool("gs"), path)
    assert ink_disagreement(poppler, ghostscript) > 0.2


DPI = 150


@pytest.mark.parametrize("width_mm", [80, 58])
@pytest.mark.parametrize("options", ["en", "km+zh", "compact"])
def test_all_ink_is_within_the_printable_width(
    tmp_path: Path, tool: Callable[[str], str], width_mm: int, options: str
) -> None:
    """The thermal head prints 72 mm of 80 and 48 mm of 58: nothing may lie outside it."""
    path = receipt_pdf(
        tmp_path, width_mm, options, shop_address=LONG_ADDRESS + " " + ADDRESS,
        footer=LONG_FOOTER + " " + FOOTER, operator_ref="SMART-TXN-2026112014050912345678901234",
    )  # fmt: skip
    picture = page_picture(tool("pdftoppm"), path, DPI)
    px_per_mm = DPI / 25.4
    assert picture.size[0] == pytest.approx(width_mm * px_per_mm, abs=2)
    box = picture.point(lambda v: 255 if v < 200 else 0).getbbox()
    assert box is not None
    edge = (width_mm - PRINTABLE_MM[width_mm]) / 2 * px_per_mm
    left, _top, right, _bottom = box
    assert left >= edge - 1 and right <= picture.size[0] - edge + 1, (
        f"ink {left / px_per_mm:.1f}-{right / px_per_mm:.1f} mm on {width_mm} mm paper"
    )


@pytest.mark.parametrize("width_mm", [80, 58])
def test_the_compact_receipt_is_shorter_and_says_the_same(
    tmp_path: Path, pdf_reader: PdfReader, width_mm: int
) -> None:
    receipt = make_receipt()
    standard = render_pdf_page(receipt, width_mm, KM_ZH)
    compact = render_pdf_page(receipt, width_mm, COMPACT)
    assert compact.height_mm < 0.8 * standard.height_mm, (standard.height_mm, compact.height_mm)
    words = []
    for name, page in (("standard", standard), ("compact", compact)):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(page.data)
        words.append("".join(pdf_reader.text(path).split()).replace("/", ""))
    for chinese in ("充值收据", "手机号码", "充值金额", "有效期", "谢谢"):
        assert chinese in words[1]
    assert sorted(words[0]) == sorted(words[1]), "the same letters, only laid out closer"
