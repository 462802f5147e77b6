"""A receipt as a PDF page the width of a till roll (80 or 58 mm), as tall as its content.

Built from the same words as every renderer (`receipt.sections`), in small `_build_*`
steps. Every text goes through a Paragraph, so long lines wrap instead of running off
the paper's edge. The page height is measured from the laid-out blocks, then the blocks
are drawn top to bottom on that one page.

Uses the built-in Helvetica fonts (nothing to embed, Latin text only); Khmer and Chinese
lines need embedded fonts, which the receipt-languages work adds in `_Look`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, HRFlowable, Paragraph, Spacer, Table, TableStyle

from counter.printing.receipt import Receipt, ReceiptLine, copy_banner, header_lines, sections

PAPER_WIDTHS_MM = (58, 80)
MIN_WIDTH_MM, MAX_WIDTH_MM = 40, 120
MARGIN_MM = 4
_MEASURE_HEIGHT = 10_000.0  # points: room to measure any block without it splitting
_LABEL_SHARE = 0.42  # of the inner width; values get the rest


@dataclass(frozen=True)
class _Look:
    """Sizes and fonts for one paper width, in points."""

    width: float
    margin: float
    body: float
    title: float
    large: float
    regular: str = "Helvetica"
    bold: str = "Helvetica-Bold"

    @property
    def inner(self) -> float:
        return self.width - 2 * self.margin

    def style(self, size: float, *, bold: bool = False, align: int = TA_LEFT) -> ParagraphStyle:
        return ParagraphStyle(
            f"r{size}{bold}{align}",
            fontName=self.bold if bold else self.regular,
            fontSize=size,
            leading=round(size * 1.22, 1),
            alignment=align,
            splitLongWords=True,
        )


def _look(width_mm: float) -> _Look:
    if not MIN_WIDTH_MM <= width_mm <= MAX_WIDTH_MM:
        raise ValueError(
            f"receipt width {width_mm} mm is not a till roll: use {MIN_WIDTH_MM}-{MAX_WIDTH_MM} mm "
            f"(usually 80 or 58)"
        )
    narrow = width_mm < 70
    return _Look(
        width=width_mm * mm,
        margin=MARGIN_MM * mm,
        body=8 if narrow else 9,
        title=12 if narrow else 14,
        large=14 if narrow else 16,
    )


def render_pdf(receipt: Receipt, width_mm: float = 80) -> bytes:
    """The receipt as a one-page PDF `width_mm` wide; its title is the receipt number."""
    look = _look(width_mm)
    story = _build_story(receipt, look)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(look.width, look.width), invariant=True)
    _set_metadata(canvas, receipt)
    heights = [block.wrapOn(canvas, look.inner, _MEASURE_HEIGHT)[1] for block in story]
    page_height = sum(heights) + 2 * look.margin
    canvas.setPageSize((look.width, page_height))
    y = page_height - look.margin
    for block, height in zip(story, heights, strict=True):
        y -= height
        block.drawOn(canvas, look.margin, y)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _set_metadata(canvas: Canvas, receipt: Receipt) -> None:
    canvas.setTitle(receipt.receipt_no)
    canvas.setAuthor(receipt.shop_name)
    canvas.setSubject("Top-up receipt (copy)" if receipt.is_copy else "Top-up receipt")
    canvas.setCreator("Counter")
    # `invariant=True` keeps the bytes reproducible; the document's date is then the sale's
    # (or the reprint's) time rather than ReportLab's fixed placeholder.
    stamp = _pdf_date(receipt.local_copy_printed_at or receipt.local_created_at)
    canvas.setDateFormatter(lambda *_ignored: stamp)


def _pdf_date(moment: datetime) -> str:
    """PDF date syntax: `D:20261120140509+07'00'`."""
    offset = moment.strftime("%z") or "+0000"
    return f"D:{moment.strftime('%Y%m%d%H%M%S')}{offset[:3]}'{offset[3:]}'"


def _build_story(receipt: Receipt, look: _Look) -> list[Flowable]:
    story: list[Flowable] = []
    story += _build_copy_banner(receipt, look)
    story += _build_header(receipt, look)
    for section in sections(receipt):
        story += _build_rule(look)
        story.append(_build_section(section, look))
    story += _build_rule(look)
    story += _build_footer(receipt, look)
    return story


def _text(text: str) -> str:
    """Paragraph markup of plain text: `&` and `<` in a shop name stay literal."""
    return escape(text)


def _build_copy_banner(receipt: Receipt, look: _Look) -> list[Flowable]:
    banner = copy_banner(receipt)
    if banner is None:
        return []
    word, when = banner
    box = Table(
        [[Paragraph(_text(word), look.style(look.large, bold=True, align=TA_CENTER))],
         [Paragraph(_text(when), look.style(look.body, bold=True, align=TA_CENTER))]],
        colWidths=[look.inner],
    )  # fmt: skip
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.5, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return [box, Spacer(look.inner, 2 * mm)]


def _build_header(receipt: Receipt, look: _Look) -> list[Flowable]:
    name, *rest = header_lines(receipt) or [""]
    blocks: list[Flowable] = [
        Paragraph(_text(name), look.style(look.title, bold=True, align=TA_CENTER))
    ]
    blocks += [Paragraph(_text(text), look.style(look.body, align=TA_CENTER)) for text in rest]
    return blocks


def _build_rule(look: _Look) -> list[Flowable]:
    gap = 1.5 * mm
    rule = HRFlowable(
        width=look.inner, thickness=0.6, color=colors.black, dash=(2, 2),
        spaceBefore=0, spaceAfter=0,
    )  # fmt: skip
    return [Spacer(look.inner, gap), rule, Spacer(look.inner, gap)]


def _build_section(section: list[ReceiptLine], look: _Look) -> Table:
    """Label left, value right; a large value gets its own centred row under its label."""
    label_style = look.style(look.body)
    value_style = look.style(look.body, bold=True, align=TA_RIGHT)
    large_style = look.style(look.large, bold=True, align=TA_CENTER)
    rows: list[list[Paragraph | str]] = []
    spans: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    for line in section:
        if line.large:
            rows.append([Paragraph(_text(line.label), label_style), ""])
            spans.append(("SPAN", (0, len(rows)), (1, len(rows))))
            rows.append([Paragraph(_text(line.value), large_style), ""])
        else:
            rows.append(
                [Paragraph(_text(line.label), label_style),
                 Paragraph(_text(line.value), value_style)]
            )  # fmt: skip
    label_width = look.inner * _LABEL_SHARE
    table = Table(rows, colWidths=[label_width, look.inner - label_width])
    table.setStyle(TableStyle([*_TABLE_PADDING, *spans]))
    return table


_TABLE_PADDING = [
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0.8),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0.8),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
]


def _build_footer(receipt: Receipt, look: _Look) -> list[Flowable]:
    if not receipt.footer.strip():
        return []
    return [Paragraph(_text(receipt.footer), look.style(look.body, align=TA_CENTER))]
