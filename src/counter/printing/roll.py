"""X and Z reports on the receipt roll: a pure layout of plain lines, for PDF and ESC/POS.

`RollReport` holds words and figures already formatted and translated (the caller builds it
from the day's summary); this module only lays them out, 80 or 58 mm wide, through the same
fonts, widths and printers as receipts: a PDF page (pdf and cups printers) or ESC/POS
commands (thermal printers, with pictures for any text beyond ASCII).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, Spacer, Table, TableStyle

from counter.printing.pdf import PRINTABLE_MM, PdfPage, draw_story, pdf_date
from counter.typeset.pdf import TextBlock, base_font, text_width


@dataclass(frozen=True)
class RollLine:
    """`label ..... value`; a line with no value is a sentence (a note) across the roll."""

    label: str
    value: str = ""
    bold: bool = False


@dataclass(frozen=True)
class RollSection:
    heading: str
    lines: tuple[RollLine, ...]


@dataclass(frozen=True)
class RollReport:
    """An X or Z report as the roll prints it, top to bottom."""

    title: str
    shop_name: str
    printed_at: datetime  # aware; shown in the PDF's metadata
    header: tuple[RollLine, ...] = ()
    sections: tuple[RollSection, ...] = ()
    footer: str = ""
    signatures: tuple[str, ...] = field(default=())  # e.g. "Counted by", "Approved by"


# -- PDF ------------------------------------------------------------------------------


def render_roll_pdf(report: RollReport, width_mm: float = 80) -> PdfPage:
    """The report as one page the roll's width, as tall as its content."""
    narrow = width_mm < 70
    printable = PRINTABLE_MM.get(round(width_mm), width_mm - 8)
    margin = (width_mm - printable) / 2 * mm
    inner = width_mm * mm - 2 * margin
    body, title = (8, 12) if narrow else (9, 14)
    story: list[Flowable] = [
        TextBlock(report.shop_name, title, bold=True, align="center"),
        TextBlock(report.title, body + 1, bold=True, align="center"),
        Spacer(inner, 1.5 * mm),
    ]
    story += [_pair(line, inner, body) for line in report.header]
    for section in report.sections:
        story += [_rule(inner), TextBlock(section.heading, body, bold=True)]
        story += [_pair(line, inner, body) for line in section.lines]
    for role in report.signatures:
        story += [Spacer(inner, 6 * mm), _rule(inner, dash=None), TextBlock(role, body - 1)]
    if report.footer.strip():
        story += [_rule(inner), TextBlock(report.footer, body - 1, align="center")]
    metadata = {"title": report.title, "author": report.shop_name, "subject": report.title}
    metadata["date"] = pdf_date(report.printed_at)
    return draw_story(story, width_mm * mm, margin, metadata, width_mm)


def _rule(inner: float, dash: tuple[int, int] | None = (2, 2)) -> Flowable:
    return HRFlowable(
        width=inner, thickness=0.6, color=colors.black, dash=dash, spaceBefore=4, spaceAfter=3
    )


def _pair(line: RollLine, inner: float, size: float) -> Flowable:
    if not line.value:
        return TextBlock(line.label, size - 1)
    value_width = min(text_width(line.value, size, bold=True) + 1, inner * 0.58)
    label_width = inner - value_width
    cells: list[list[Any]] = [
        [
            TextBlock(line.label, size, bold=line.bold),
            TextBlock(line.value, size, bold=True, align="right"),
        ]
    ]
    table = Table(cells, colWidths=[label_width, value_width])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), base_font()),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


# -- ESC/POS --------------------------------------------------------------------------


def render_roll_escpos(
    report: RollReport, printer: Any, *, width_mm: float = 80, dots: int | None = None
) -> None:
    """The report from `ESC @` to the cut, in the printer's columns (pictures beyond ASCII)."""
    from counter.printing.escpos import EscposLayout, Writer

    out = Writer(printer, EscposLayout.for_printer(printer, width_mm, dots=dots))
    printer.hw("INIT")
    out.text(report.shop_name, "center", bold=True, tall=True)
    out.text(report.title, "center", bold=True)
    out.feed()
    for line in report.header:
        _escpos_line(out, line)
    for section in report.sections:
        out.rule()
        out.text(section.heading, bold=True)
        for line in section.lines:
            _escpos_line(out, line)
    for role in report.signatures:
        out.feed()
        out.feed()
        out.text("_" * out.layout.columns)
        out.text(role)
    if report.footer.strip():
        out.rule()
        out.text(report.footer, "center")
    printer.cut()


def _escpos_line(out: Any, line: RollLine) -> None:
    if line.value:
        out.pair(line.label, line.value)
    else:
        out.text(line.label)
