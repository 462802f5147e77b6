"""A receipt as a PDF page the width of a till roll (80 or 58 mm), as tall as its content.

Built from the same words as every renderer (`receipt.sections`), in small `_build_*`
steps. Every text is a `TextBlock` (counter.typeset.pdf): split into script runs, each in an
embedded font that has its glyphs (Vera, Khmer OS shaped by HarfBuzz, WenQuanYi Micro Hei),
wrapped by words, so a shop name, clerk or footer in Khmer, Chinese or both prints right,
also through CUPS and Ghostscript. The content stays inside the printable width of a thermal
head: 72 mm on 80 mm paper, 48 mm on 58 mm. The page height is measured from the laid-out
blocks, then the blocks are drawn top to bottom on that one page.

The compact layout (`ReceiptOptions.compact`) puts each label's second-language words on the
label's own line, tightens spacing and draws a smaller QR code. A QR code (ReportLab's own
encoder) carries `receipt.qr_text`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, HRFlowable, Spacer, Table, TableStyle

from counter.printing.receipt import (
    PLAIN,
    Receipt,
    ReceiptLine,
    ReceiptOptions,
    copy_banner,
    copy_translations,
    header_lines,
    qr_text,
    sections,
    thanks_lines,
    title_lines,
)
from counter.printing.translations import Translation
from counter.typeset.pdf import Align, TextBlock, base_font, text_width

PAPER_WIDTHS_MM = (58, 80)
MIN_WIDTH_MM, MAX_WIDTH_MM = 40, 120
PRINTABLE_MM = {58: 48.0, 80: 72.0}  # what a thermal head prints: 384 and 576 dots at 8/mm
MARGIN_MM = 4  # on any other width
_MEASURE_HEIGHT = 10_000.0  # points: room to measure any block without it splitting
_LABEL_SHARE = 0.42  # of the inner width; values get the rest
QR_SIZE_MM = {58: 26.0, 80: 32.0}  # with its 4-module quiet zone
COMPACT_QR_SIZE_MM = {58: 22.0, 80: 24.0}
QR_LEVEL = "M"  # recovers from 15 % damage: a scuffed thermal receipt still scans
COMPACT_KHMER_LEADING = 1.6  # of the size; the standard layout keeps Khmer OS's 2.0
JOIN = " / "  # between a word and its translations on one compact line


@dataclass(frozen=True)
class _Look:
    """Sizes for one paper width and layout, in points."""

    width: float
    margin: float
    body: float
    title: float
    large: float
    qr: float
    compact: bool = False
    # For tests only: shaping=False shows what unshaped Khmer looks like; khmer_ink=False
    # draws Khmer in white, so two pictures differ exactly by the Khmer ink.
    shaping: bool = True
    khmer_ink: bool = True

    @property
    def inner(self) -> float:
        return self.width - 2 * self.margin

    @property
    def gap(self) -> float:
        return (0.8 if self.compact else 1.5) * mm

    def text(
        self, text: str, size: float, *, bold: bool = False, align: Align = "left"
    ) -> TextBlock:
        """Plain text (never markup) in the fonts its scripts need."""
        return TextBlock(
            text, size, bold=bold, align=align, shaping=self.shaping,
            khmer_leading=COMPACT_KHMER_LEADING if self.compact else None,
            khmer_color=None if self.khmer_ink else colors.white,
        )  # fmt: skip


def _look(width_mm: float, options: ReceiptOptions, **test: Any) -> _Look:
    if not MIN_WIDTH_MM <= width_mm <= MAX_WIDTH_MM:
        raise ValueError(
            f"receipt width {width_mm} mm is not a till roll: use {MIN_WIDTH_MM}-{MAX_WIDTH_MM} mm "
            f"(usually 80 or 58)"
        )
    narrow = width_mm < 70
    printable = PRINTABLE_MM.get(round(width_mm))
    margin = (width_mm - printable) / 2 if printable else MARGIN_MM
    qr_sizes = COMPACT_QR_SIZE_MM if options.compact else QR_SIZE_MM
    return _Look(
        width=width_mm * mm,
        margin=margin * mm,
        body=8 if narrow else 9,
        title=12 if narrow else 14,
        large=14 if narrow else 16,
        qr=(qr_sizes[58] if narrow else qr_sizes[80]) * mm,
        compact=options.compact,
        **test,
    )


@dataclass(frozen=True)
class PdfPage:
    """A rendered receipt and its page size in millimetres (for `lp -o media=...`)."""

    data: bytes
    width_mm: float
    height_mm: float


def render_pdf(receipt: Receipt, width_mm: float = 80, options: ReceiptOptions = PLAIN) -> bytes:
    """The receipt as a one-page PDF `width_mm` wide; its title is the receipt number."""
    return render_pdf_page(receipt, width_mm, options).data


def render_pdf_page(
    receipt: Receipt,
    width_mm: float = 80,
    options: ReceiptOptions = PLAIN,
    *,
    _shaping: int = 1,
    _khmer_ink: bool = True,
) -> PdfPage:
    """`render_pdf`, also saying how tall the page came out."""
    look = _look(width_mm, options, shaping=bool(_shaping), khmer_ink=_khmer_ink)
    story = _build_story(receipt, look, options)
    return draw_story(story, look.width, look.margin, _metadata(receipt), width_mm)


def draw_story(
    story: list[Flowable],
    width: float,
    margin: float,
    metadata: dict[str, str],
    width_mm: float,
) -> PdfPage:
    """One page `width` wide and as tall as `story`, the blocks drawn top to bottom."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, width), invariant=True, initialFontName=base_font())
    for key, setter in (("title", canvas.setTitle), ("author", canvas.setAuthor)):
        setter(metadata.get(key, ""))
    canvas.setSubject(metadata.get("subject", ""))
    canvas.setCreator("Counter")
    # `invariant=True` keeps the bytes reproducible; the document's date is then the sale's
    # (or the reprint's) time rather than ReportLab's fixed placeholder.
    stamp = metadata.get("date", "")
    canvas.setDateFormatter(lambda *_ignored: stamp)
    inner = width - 2 * margin
    heights = [block.wrapOn(canvas, inner, _MEASURE_HEIGHT)[1] for block in story]
    page_height = sum(heights) + 2 * margin
    canvas.setPageSize((width, page_height))
    y = page_height - margin
    for block, height in zip(story, heights, strict=True):
        y -= height
        block.drawOn(canvas, margin, y)
    canvas.showPage()
    canvas.save()
    return PdfPage(buffer.getvalue(), width_mm, page_height / mm)


def _metadata(receipt: Receipt) -> dict[str, str]:
    return {
        "title": receipt.receipt_no,
        "author": receipt.shop_name,
        "subject": _subject(receipt),
        "date": pdf_date(
            receipt.local_slip_printed_at
            or receipt.local_copy_printed_at
            or receipt.local_created_at
        ),
    }


def _subject(receipt: Receipt) -> str:
    if receipt.slip is not None:
        return f"Top-up {receipt.slip} slip"
    return "Top-up receipt (copy)" if receipt.is_copy else "Top-up receipt"


def pdf_date(moment: datetime) -> str:
    """PDF date syntax: `D:20261120140509+07'00'`."""
    offset = moment.strftime("%z") or "+0000"
    return f"D:{moment.strftime('%Y%m%d%H%M%S')}{offset[:3]}'{offset[3:]}'"


def _build_story(receipt: Receipt, look: _Look, options: ReceiptOptions) -> list[Flowable]:
    story: list[Flowable] = []
    story += _build_copy_banner(receipt, look, options)
    story += _build_header(receipt, look)
    story += _build_title(look, options)
    for section in sections(receipt, options):
        story += _build_rule(look)
        story += _build_section(section, look)
    story += _build_rule(look)
    story += _build_qr(receipt, look, options)
    story += _build_footer(receipt, look, options)
    return story


def _joined(english: str, translations: tuple[Translation, ...]) -> str:
    return JOIN.join([english, *(line.text for line in translations)])


def _worded(
    english: str,
    translations: tuple[Translation, ...],
    look: _Look,
    size: float,
    *,
    bold: bool = False,
    align: Align = "left",
    small: float | None = None,
) -> list[Flowable]:
    """A word and its translations, one line each; compact: the translations share one line.

    With no `small` size, the compact layout puts the word and its translations on one line.
    """
    if look.compact and small is None:
        return [look.text(_joined(english, translations), size, bold=bold, align=align)]
    first = look.text(english, size, bold=bold, align=align)
    if look.compact and translations:
        joined = JOIN.join(line.text for line in translations)
        return [first, look.text(joined, small or size, align=align)]
    return [first, *(look.text(t.text, small or size, align=align) for t in translations)]


def _build_copy_banner(receipt: Receipt, look: _Look, options: ReceiptOptions) -> list[Flowable]:
    banner = copy_banner(receipt)
    if banner is None:
        return []
    word, when = banner
    worded = _worded(
        word, copy_translations(receipt, options), look, look.large, bold=True, align="center",
        small=look.body,
    )  # fmt: skip
    rows: list[list[Any]] = [[block] for block in worded]
    rows.append([look.text(when, look.body, bold=True, align="center")])
    line = 1.5  # points; the frame is drawn inside the printable width, not across its edge
    box = Table(rows, colWidths=[look.inner - 2 * line])
    box.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), base_font()),  # empty cells too: no Helvetica
                ("BOX", (0, 0), (-1, -1), line, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    inset = Table([[box]], colWidths=[look.inner])
    inset.setStyle(TableStyle([*_table_padding(line), ("LEFTPADDING", (0, 0), (-1, -1), line)]))
    box = inset
    return [box, Spacer(look.inner, look.gap + 0.5 * mm)]


def _build_header(receipt: Receipt, look: _Look) -> list[Flowable]:
    name, *rest = header_lines(receipt) or [""]
    blocks: list[Flowable] = [look.text(name, look.title, bold=True, align="center")]
    blocks += [look.text(text, look.body, align="center") for text in rest]
    return blocks


def _build_title(look: _Look, options: ReceiptOptions) -> list[Flowable]:
    """`Top-up receipt` and its second-language lines, when the shop chose languages."""
    title = title_lines(options)
    if title is None:
        return []
    english, translations = title
    return [
        Spacer(look.inner, look.gap / 1.5),
        *_worded(english, translations, look, look.body, bold=True, align="center"),
    ]


def _build_rule(look: _Look) -> list[Flowable]:
    rule = HRFlowable(
        width=look.inner, thickness=0.6, color=colors.black, dash=(2, 2),
        spaceBefore=0, spaceAfter=0,
    )  # fmt: skip
    return [Spacer(look.inner, look.gap), rule, Spacer(look.inner, look.gap)]


def _build_section(section: list[ReceiptLine], look: _Look) -> list[Flowable]:
    """Label left, value right; a large value gets its own centred row under its label.

    Each line is its own two-column table whose value column is as wide as the value (at
    most 58 % of the line), so a long label wraps beside a short value, never the reverse.
    """
    blocks: list[Flowable] = []
    small = None if look.compact else look.body - 1
    for line in section:
        label = _worded(line.label, line.translations, look, look.body, small=small)
        if line.large:
            blocks += [_table([[label]], [look.inner], look)]
            blocks.append(
                _table(
                    [[look.text(line.value, look.large, bold=True, align="center")]],
                    [look.inner],
                    look,
                )
            )
            continue
        value = look.text(line.value, look.body, bold=True, align="right")
        value_width = _value_width(line, look)
        blocks.append(_table([[label, value]], [look.inner - value_width, value_width], look))
    return blocks


def _value_width(line: ReceiptLine, look: _Look) -> float:
    """The value's natural width when label and value fit side by side, else at most 58 %."""
    gap = 2 * mm
    value = text_width(line.value, look.body, bold=True) + 1
    labels = (
        [line.label]
        if not line.translations
        else [line.label, *(t.text for t in line.translations)]
    )
    if look.compact:
        labels = [_joined(line.label, line.translations)]
    label = max(text_width(text, look.body) for text in labels)
    if label + gap + value <= look.inner:
        return look.inner - label - gap
    return min(value, look.inner * 0.58)


def _table(rows: list[list[Any]], widths: list[float], look: _Look) -> Table:
    table = Table(rows, colWidths=widths)
    table.setStyle(TableStyle(_table_padding(0.4 if look.compact else 0.8)))
    return table


def _table_padding(vertical: float) -> list[tuple[Any, ...]]:
    return [
        ("FONTNAME", (0, 0), (-1, -1), base_font()),  # empty cells too: no Helvetica
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), vertical),
        ("BOTTOMPADDING", (0, 0), (-1, -1), vertical),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]


def qr_drawing(text: str, size: float, width: float) -> Drawing:
    """A QR code `size` points square (with its quiet zone), centred in `width`."""
    size = min(size, width)
    code = QrCodeWidget(text, barLevel=QR_LEVEL, barWidth=size, barHeight=size, barBorder=4)
    code.x = (width - size) / 2
    drawing = Drawing(width, size, initialFontName=base_font())  # never Helvetica
    drawing.add(code)
    return drawing


def _build_qr(receipt: Receipt, look: _Look, options: ReceiptOptions) -> list[Flowable]:
    """The QR code, centred; it encodes `qr_text` (receipt number, time, number, amount)."""
    return [qr_drawing(qr_text(receipt, options), look.qr, look.inner)]


def _build_footer(receipt: Receipt, look: _Look, options: ReceiptOptions) -> list[Flowable]:
    blocks: list[Flowable] = []
    if receipt.footer.strip():
        blocks.append(look.text(receipt.footer, look.body, align="center"))
    blocks += [look.text(line.text, look.body, align="center") for line in thanks_lines(options)]
    return blocks
