"""A receipt as a PDF page the width of a till roll (80 or 58 mm), as tall as its content.

Built from the same words as every renderer (`receipt.sections`), in small `_build_*`
steps. Every text goes through a Paragraph, so long lines wrap instead of running off
the paper's edge. The page height is measured from the laid-out blocks, then the blocks
are drawn top to bottom on that one page.

Latin text uses the built-in Helvetica fonts (nothing to embed). Any text with Khmer
letters is set in the Khmer OS font (embedded, shaped by HarfBuzz through `Paragraph`'s
`shaping=1`, with about twice the font size as line spacing); Chinese uses ReportLab's
built-in CID font `STSong-Light` (not embedded: the viewer supplies a CJK font).
A QR code (ReportLab's own encoder) carries `receipt.qr_text`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, HRFlowable, Paragraph, Spacer, Table, TableStyle

from counter.printing.fonts import khmer_font
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
from counter.printing.translations import Translation, has_cjk, has_khmer

PAPER_WIDTHS_MM = (58, 80)
MIN_WIDTH_MM, MAX_WIDTH_MM = 40, 120
MARGIN_MM = 4
_MEASURE_HEIGHT = 10_000.0  # points: room to measure any block without it splitting
_LABEL_SHARE = 0.42  # of the inner width; values get the rest
KHMER_FONT = "CounterKhmerOS"  # the Khmer OS file, registered under this name on first use
CHINESE_FONT = "STSong-Light"  # ReportLab's built-in CID font: Adobe-GB1, nothing embedded
KHMER_LEADING = 2.0  # Khmer OS stacks marks high and low: line spacing twice the size
QR_SIZE_MM = {58: 26.0, 80: 32.0}  # with its 4-module quiet zone
QR_LEVEL = "M"  # recovers from 15 % damage: a scuffed thermal receipt still scans


@dataclass(frozen=True)
class _Look:
    """Sizes and fonts for one paper width, in points."""

    width: float
    margin: float
    body: float
    title: float
    large: float
    qr: float
    regular: str = "Helvetica"
    bold: str = "Helvetica-Bold"
    khmer: str = KHMER_FONT
    chinese: str = CHINESE_FONT
    # For tests only: shaping=0 shows what unshaped Khmer looks like; khmer_ink=False
    # draws Khmer in white, so two pictures differ exactly by the Khmer ink.
    shaping: int = 1
    khmer_ink: bool = True

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

    def style_for(
        self, text: str, size: float, *, bold: bool = False, align: int = TA_LEFT
    ) -> ParagraphStyle:
        """The Latin style, or the Khmer or Chinese one when `text` has such letters.

        Khmer OS and STSong-Light carry Latin letters too, so mixed text stays readable;
        they have no bold face, so those lines print regular.
        """
        if has_khmer(text):
            _register_khmer()
            return ParagraphStyle(
                f"km{size}{align}{self.shaping}{self.khmer_ink}",
                fontName=self.khmer,
                fontSize=size,
                leading=round(size * KHMER_LEADING, 1),
                alignment=align,
                splitLongWords=True,
                shaping=self.shaping,
                textColor=colors.black if self.khmer_ink else colors.white,
            )
        if has_cjk(text):
            _register_chinese()
            return ParagraphStyle(
                f"zh{size}{align}",
                fontName=self.chinese,
                fontSize=size,
                leading=round(size * 1.3, 1),
                alignment=align,
                splitLongWords=True,
                wordWrap="CJK",  # Chinese breaks between any two characters
            )
        return self.style(size, bold=bold, align=align)

    def para(
        self, text: str, size: float, *, bold: bool = False, align: int = TA_LEFT
    ) -> Paragraph:
        """Plain text (never markup) as a Paragraph in the font its script needs."""
        return Paragraph(_text(text), self.style_for(text, size, bold=bold, align=align))


_registered: set[str] = set()


def _register_khmer() -> None:
    """Registers the Khmer OS file on first use; FontMissing says what to install."""
    if KHMER_FONT not in _registered:
        pdfmetrics.registerFont(TTFont(KHMER_FONT, str(khmer_font())))
        _registered.add(KHMER_FONT)


def _register_chinese() -> None:
    if CHINESE_FONT not in _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(CHINESE_FONT))
        _registered.add(CHINESE_FONT)


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
        qr=(QR_SIZE_MM[58] if narrow else QR_SIZE_MM[80]) * mm,
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
    look = replace(_look(width_mm), shaping=_shaping, khmer_ink=_khmer_ink)
    story = _build_story(receipt, look, options)
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
    return PdfPage(buffer.getvalue(), width_mm, page_height / mm)


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


def _build_story(receipt: Receipt, look: _Look, options: ReceiptOptions) -> list[Flowable]:
    story: list[Flowable] = []
    story += _build_copy_banner(receipt, look, options)
    story += _build_header(receipt, look)
    story += _build_title(look, options)
    for section in sections(receipt, options):
        story += _build_rule(look)
        story.append(_build_section(section, look))
    story += _build_rule(look)
    story += _build_qr(receipt, look, options)
    story += _build_footer(receipt, look, options)
    return story


def _translated(
    translations: tuple[Translation, ...], look: _Look, size: float, align: int = TA_LEFT
) -> list[Paragraph]:
    return [look.para(line.text, size, align=align) for line in translations]


def _text(text: str) -> str:
    """Paragraph markup of plain text: `&` and `<` in a shop name stay literal."""
    return escape(text)


def _build_copy_banner(receipt: Receipt, look: _Look, options: ReceiptOptions) -> list[Flowable]:
    banner = copy_banner(receipt)
    if banner is None:
        return []
    word, when = banner
    rows = [[Paragraph(_text(word), look.style(look.large, bold=True, align=TA_CENTER))]]
    rows += [
        [p] for p in _translated(copy_translations(receipt, options), look, look.body, TA_CENTER)
    ]
    rows.append([Paragraph(_text(when), look.style(look.body, bold=True, align=TA_CENTER))])
    box = Table(rows, colWidths=[look.inner])
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
    blocks: list[Flowable] = [look.para(name, look.title, bold=True, align=TA_CENTER)]
    blocks += [look.para(text, look.body, align=TA_CENTER) for text in rest]
    return blocks


def _build_title(look: _Look, options: ReceiptOptions) -> list[Flowable]:
    """`Top-up receipt` and its second-language lines, when the shop chose languages."""
    title = title_lines(options)
    if title is None:
        return []
    english, translations = title
    return [
        Spacer(look.inner, 1 * mm),
        look.para(english, look.body, bold=True, align=TA_CENTER),
        *_translated(translations, look, look.body, TA_CENTER),
    ]


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
    small = look.body - 1
    rows: list[list[Paragraph | list[Paragraph] | str]] = []
    spans: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    for line in section:
        label: Paragraph | list[Paragraph] = Paragraph(_text(line.label), label_style)
        if line.translations:  # the label, then its second-language lines under it
            label = [label, *_translated(line.translations, look, small)]
        if line.large:
            spans.append(("SPAN", (0, len(rows)), (1, len(rows))))
            rows.append([label, ""])
            spans.append(("SPAN", (0, len(rows)), (1, len(rows))))
            rows.append([Paragraph(_text(line.value), large_style), ""])
        else:
            rows.append([label, Paragraph(_text(line.value), value_style)])
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


def _build_qr(receipt: Receipt, look: _Look, options: ReceiptOptions) -> list[Flowable]:
    """The QR code, centred; it encodes `qr_text` (receipt number, time, number, amount)."""
    size = min(look.qr, look.inner)
    code = QrCodeWidget(
        qr_text(receipt, options), barLevel=QR_LEVEL, barWidth=size, barHeight=size, barBorder=4
    )
    code.x = (look.inner - size) / 2
    drawing = Drawing(look.inner, size)
    drawing.add(code)
    return [drawing]


def _build_footer(receipt: Receipt, look: _Look, options: ReceiptOptions) -> list[Flowable]:
    blocks: list[Flowable] = []
    if receipt.footer.strip():
        blocks.append(look.para(receipt.footer, look.body, align=TA_CENTER))
    blocks += _translated(thanks_lines(options), look, look.body, TA_CENTER)
    return blocks
