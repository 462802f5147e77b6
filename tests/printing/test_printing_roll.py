"""X and Z reports laid out for the receipt roll (the renderer; wiring it is the merge step's)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from escpos.printer import Dummy

from counter.printing.roll import (
    RollLine,
    RollReport,
    RollSection,
    render_roll_escpos,
    render_roll_pdf,
)
from tests.printing.helpers import PdfReader, page_picture, pdf_fonts, printed_lines, split_escpos

Z = RollReport(
    title="Z report (day close)",
    shop_name="ហាងទូរស័ព្ទ សុខា 王明手机店",
    printed_at=datetime(2026, 11, 25, 14, 5, tzinfo=UTC),
    header=(RollLine("Business day", "2026-11-25"), RollLine("Counter", "A")),
    sections=(
        RollSection(
            "Sales per operator",
            (
                RollLine("Smart", "4  $13.50"),
                RollLine("Cellcard", "2  $2.50"),
                RollLine("TOTAL", "11  $51.25", bold=True),
            ),
        ),
        RollSection(
            "Cash in the drawer",
            (
                RollLine("Expected (USD)", "$50.00"),
                RollLine("Counted (USD)", "$50.00"),
                RollLine("Difference (riel)", "-1,000 KHR", bold=True),
                RollLine("Counted by សុខា, approved by 王明."),
            ),
        ),
    ),
    footer="Receipts A-000001 to A-000010: no gaps.",
    signatures=("Counted by", "Approved by"),
)


@pytest.mark.parametrize("width_mm", [80, 58])
def test_the_z_report_on_the_roll_reads_back(
    tmp_path: Path, pdf_reader: PdfReader, need_tool: Callable[[str], str], width_mm: int
) -> None:
    page = render_roll_pdf(Z, width_mm)
    path = tmp_path / "z.pdf"
    path.write_bytes(page.data)
    text = " ".join(pdf_reader.text(path).split())
    for words in ("Z report (day close)", "$51.25", "-1,000 KHR", "Counted by", "no gaps."):
        assert words in text
    assert "ហាងទូរស័ព្ទសុខា王明手机店" in text.replace(" ", "") and "សុខា" in text
    assert all(emb == "yes" for _name, emb in pdf_fonts(need_tool("pdffonts"), path))
    assert pdf_reader.page_size(path)[0] == pytest.approx(width_mm * 72 / 25.4, abs=0.1)
    picture = page_picture(need_tool("pdftoppm"), path, 150)
    box = picture.point(lambda v: 255 if v < 200 else 0).getbbox()
    edge = (width_mm - {80: 72, 58: 48}[width_mm]) / 2 * 150 / 25.4
    assert box is not None and box[0] >= edge - 1 and box[2] <= picture.size[0] - edge + 1


@pytest.mark.parametrize(
    ("profile", "width_mm", "columns"), [("TM-T20II", 80, 48), ("POS-5890", 58, 32)]
)
def test_the_z_report_on_a_thermal_printer(profile: str, width_mm: int, columns: int) -> None:
    printer = Dummy(profile=profile)
    render_roll_escpos(Z, printer, width_mm=width_mm)
    parsed = split_escpos(bytes(printer.output))
    lines = printed_lines(parsed)
    assert f"{'TOTAL':<{columns - 9}}{'11 $51.25':>9}" in lines
    assert all(len(line) <= columns for line in lines)
    assert len(parsed.pictures) == 2, "the shop name and the note with names are pictures"
    assert b"?" not in parsed.rest
