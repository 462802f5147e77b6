"""A receipt as ESC/POS commands, written to a python-escpos printer object.

The same words as the PDF (`receipt.sections`), laid out in the printer's character
columns: 48 on 80 mm paper and 32 on 58 mm with font A, or fewer when the printer
profile says so (an Epson TM-T88V prints 42). Long lines wrap; nothing runs off the edge.

Thermal printers have no Khmer code page, so every line with Khmer letters is drawn with
Pillow in the Khmer OS font and sent as a raster picture (`GS v 0`), at most 512 dots
wide on 80 mm paper and 384 on 58 mm. Pillow shapes Khmer (stacked subscripts, vowels
written before their consonant) only with libraqm: `KHMER_SHAPED` says whether it is
there; without it the picture still prints, with the letters unstacked. Chinese goes as
text only when the profile declares a Chinese code page (none of python-escpos 3.1's
profiles does), otherwise as a picture too. Text is never sent in a code page that lacks
its letters, so no `?` replaces a character.

The QR code is the printer's own (`GS ( k`); it encodes `receipt.qr_text`.
"""

from __future__ import annotations

import contextlib
import io
import logging
import textwrap
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, Literal

from escpos.constants import QR_ECLEVEL_M
from PIL import Image, ImageDraw, ImageFont, ImageOps, features

from counter.printing.fonts import cjk_font, khmer_font
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

log = logging.getLogger(__name__)

Align = Literal["left", "center", "right"]

COLUMNS: Final = {80: 48, 58: 32}  # font A, 12 x 24 dots
DOTS: Final = {80: 512, 58: 384}  # the widest picture each paper takes
QR_MODULE_DOTS: Final = {80: 6, 58: 5}
KHMER_SHAPED: Final = features.check("raqm")
CHINESE_CODE_PAGES: Final = frozenset({"GB18030", "GB2312", "CP936", "GBK"})
PICTURE_TEXT_PX: Final = 24  # the height of font A, so pictures sit well among text lines
FS: Final = b"\x1c"


@dataclass(frozen=True)
class EscposLayout:
    """Character columns and picture width (dots) for one printer on one paper width."""

    columns: int
    dots: int
    qr_size: int
    chinese_as_text: bool = False

    @classmethod
    def for_printer(cls, printer: Any, width_mm: float) -> EscposLayout:
        paper = 80 if width_mm >= 70 else 58
        columns, dots = COLUMNS[paper], DOTS[paper]
        profile = printer.profile
        with contextlib.suppress(Exception):  # a profile without fonts keeps the paper's own
            columns = min(columns, int(profile.get_columns("a")))
        with contextlib.suppress(Exception):  # "Unknown" in many profiles
            dots = min(dots, int(profile.profile_data["media"]["width"]["pixels"]))
        code_pages = set()
        with contextlib.suppress(Exception):
            code_pages = {str(name).upper() for name in profile.get_code_pages()}
        return cls(
            columns=columns,
            dots=dots,
            qr_size=QR_MODULE_DOTS[paper],
            chinese_as_text=bool(code_pages & CHINESE_CODE_PAGES),
        )


def render_escpos(
    receipt: Receipt, printer: Any, *, width_mm: float = 80, options: ReceiptOptions = PLAIN
) -> None:
    """Write the whole receipt, from `ESC @` to the cut, to a python-escpos printer."""
    layout = EscposLayout.for_printer(printer, width_mm)
    out = _Writer(printer, layout)
    printer.hw("INIT")  # ESC @: clear what a previous job left (sizes, alignment)
    _copy_banner(out, receipt, options)
    _header(out, receipt, options)
    for section in sections(receipt, options):
        out.rule()
        for line in section:
            _body_line(out, line)
    out.rule()
    _qr(out, receipt, options)
    _footer(out, receipt, options)
    printer.cut()


def _copy_banner(out: _Writer, receipt: Receipt, options: ReceiptOptions) -> None:
    banner = copy_banner(receipt)
    if banner is None:
        return
    word, when = banner
    out.big(word)
    out.translations(copy_translations(receipt, options), "center")
    out.text(when, "center", bold=True)
    out.feed()


def _header(out: _Writer, receipt: Receipt, options: ReceiptOptions) -> None:
    name, *rest = header_lines(receipt) or [""]
    out.text(name, "center", bold=True, tall=True)
    for text in rest:
        out.text(text, "center")
    title = title_lines(options)
    if title is not None:
        english, translations = title
        out.text(english, "center", bold=True)
        out.translations(translations, "center")


def _body_line(out: _Writer, line: ReceiptLine) -> None:
    if line.large:
        out.text(line.label)
        out.translations(line.translations, "left")
        out.big(line.value)
        return
    out.pair(line.label, line.value)
    out.translations(line.translations, "left")


def _qr(out: _Writer, receipt: Receipt, options: ReceiptOptions) -> None:
    out.printer.set(align="center")
    out.printer.qr(qr_text(receipt, options), ec=QR_ECLEVEL_M, size=out.layout.qr_size, native=True)
    out.printer.set(align="left")
    out.feed()


def _footer(out: _Writer, receipt: Receipt, options: ReceiptOptions) -> None:
    if receipt.footer.strip():
        out.text(receipt.footer, "center")
    out.translations(thanks_lines(options), "center")


class _Writer:
    """Lines onto the printer: wrapped text, big values, rules, and pictures of text."""

    def __init__(self, printer: Any, layout: EscposLayout) -> None:
        self.printer = printer
        self.layout = layout

    def feed(self) -> None:
        self.printer.text("\n")

    def rule(self) -> None:
        self.printer.text("-" * self.layout.columns + "\n")

    def text(
        self, text: str, align: Align = "left", *, bold: bool = False, tall: bool = False
    ) -> None:
        if _needs_picture(text, self.layout):
            self.picture(text, align)
            return
        self.printer.set(align=align, bold=bold, double_height=tall, normal_textsize=not tall)
        if has_cjk(text):  # only when the profile has a Chinese code page
            self._chinese(text)
        else:
            for row in wrap(text, self.layout.columns):
                self.printer.text(row + "\n")
        self._plain()

    def big(self, text: str) -> None:
        """The number and the amount: double width and height, centred."""
        if _needs_picture(text, self.layout):
            self.picture(text, "center", size_px=2 * PICTURE_TEXT_PX)
            return
        self.printer.set(align="center", bold=True, double_width=True, double_height=True)
        for row in wrap(text, self.layout.columns // 2):
            self.printer.text(row + "\n")
        self._plain()

    def pair(self, label: str, value: str) -> None:
        """`Label ........ value` on one line when it fits, else the value right under it."""
        if _needs_picture(label, self.layout) or _needs_picture(value, self.layout):
            self.text(label)
            self.text(value, "right", bold=True)
            return
        for row in pair_rows(label, value, self.layout.columns):
            self.printer.text(row + "\n")

    def translations(self, lines: tuple[Translation, ...], align: Align) -> None:
        for line in lines:
            self.text(line.text, align)

    def picture(self, text: str, align: Align, *, size_px: int = PICTURE_TEXT_PX) -> None:
        image = text_picture(text, width_px=self.layout.dots, size_px=size_px, align=align)
        self.printer.set(align="left")
        # python-escpos prints a notice on stdout for profiles of unknown width: keep it
        # off the terminal (the counter screen runs there).
        with contextlib.redirect_stdout(io.StringIO()):
            self.printer.image(image, impl="bitImageRaster")

    def _chinese(self, text: str) -> None:
        """Chinese as GB18030 text in the printer's Chinese mode (FS &, then FS . to leave)."""
        for row in wrap_cells(text, self.layout.columns):
            self.printer._raw(FS + b"&" + row.encode("gb18030") + FS + b".\n")

    def _plain(self) -> None:
        self.printer.set(align="left", bold=False, normal_textsize=True)


def _needs_picture(text: str, layout: EscposLayout) -> bool:
    """Khmer always; Chinese unless the printer has a Chinese code page."""
    return has_khmer(text) or (has_cjk(text) and not layout.chinese_as_text)


# -- text in columns ------------------------------------------------------------------


def wrap(text: str, columns: int) -> list[str]:
    """Lines of at most `columns` characters; a word longer than a line is broken."""
    return textwrap.wrap(
        " ".join(text.split()), columns, break_long_words=True, break_on_hyphens=False
    ) or [""]


def pair_rows(label: str, value: str, columns: int) -> list[str]:
    """Label left and value right on one line, or the value right-aligned under the label."""
    label, value = " ".join(label.split()), " ".join(value.split())
    if len(label) + 1 + len(value) <= columns:
        return [label + " " * (columns - len(label) - len(value)) + value]
    return wrap(label, columns) + [row.rjust(columns) for row in wrap(value, columns)]


def wrap_cells(text: str, columns: int) -> list[str]:
    """Chinese lines: a Chinese character takes two columns; break between any two."""
    rows, row, used = [], "", 0
    for char in text:
        cells = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        if used + cells > columns and row:
            rows.append(row)
            row, used = "", 0
        row += char
        used += cells
    return [*rows, row] if row else rows or [""]


# -- text as a picture ----------------------------------------------------------------


@lru_cache(maxsize=8)
def _font(path: Path, size_px: int) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if KHMER_SHAPED else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(path), size_px, layout_engine=engine)


def picture_font(text: str, size_px: int = PICTURE_TEXT_PX) -> ImageFont.FreeTypeFont:
    """Khmer OS for Khmer (and mixed) text, the CJK font for Chinese; FontMissing if absent."""
    if has_khmer(text) or not has_cjk(text):
        return _font(khmer_font(), size_px)
    return _font(cjk_font(), size_px)


def text_picture(
    text: str, *, width_px: int, size_px: int = PICTURE_TEXT_PX, align: Align = "left"
) -> Image.Image:
    """`text` drawn black on white, `width_px` wide, wrapped to fit: ready for `GS v 0`."""
    if not KHMER_SHAPED and has_khmer(text):
        log.warning("Pillow has no libraqm: Khmer on the thermal printer is not shaped")
    font = picture_font(text, size_px)
    rows = _picture_rows(text, font, width_px)
    ascent, descent = font.getmetrics()
    # Khmer marks reach above the ascent and below the descent: leave them room.
    pad = size_px // 3
    row_height = ascent + descent + pad
    image = Image.new("L", (width_px, row_height * len(rows) + pad), 255)
    draw = ImageDraw.Draw(image)
    for index, row in enumerate(rows):
        row_width = font.getlength(row)
        x = {"left": 0.0, "center": (width_px - row_width) / 2, "right": width_px - row_width}[
            align
        ]
        draw.text((max(0.0, x), pad + index * row_height), row, font=font, fill=0)
    # Hard black and white: python-escpos would otherwise dither the anti-aliased edges.
    image = image.point(lambda value: 0 if value < 160 else 255)
    # Keep the full width (alignment is in the picture) but only a little paper above
    # and below the ink: Khmer OS's line box is much taller than its letters.
    ink = ImageOps.invert(image).getbbox()
    if ink is None:
        return image.crop((0, 0, width_px, 1))
    margin = 3
    return image.crop((0, max(0, ink[1] - margin), width_px, min(image.height, ink[3] + margin)))


def _picture_rows(text: str, font: ImageFont.FreeTypeFont, width_px: int) -> list[str]:
    """Greedy wrap by measured width: at spaces, else between Khmer or Chinese clusters."""
    rows: list[str] = []
    row = ""
    for word in " ".join(text.split()).split(" "):
        candidate = f"{row} {word}" if row else word
        if font.getlength(candidate) <= width_px:
            row = candidate
            continue
        if row:
            rows.append(row)
            row = ""
        for cluster in clusters(word):
            if row and font.getlength(row + cluster) > width_px:
                rows.append(row)
                row = ""
            row += cluster
    if row or not rows:
        rows.append(row)
    return rows


COENG: Final = "\u17d2"


def clusters(text: str) -> list[str]:
    """Split where a line may break without tearing a letter apart.

    A Khmer cluster is a base letter with its vowel signs, marks and subscript
    consonants (COENG U+17D2 and the letter after it); other letters stand alone
    with any combining marks.
    """
    found: list[str] = []
    for char in text:
        joins = found and (
            found[-1].endswith(COENG)
            or "\u17b4" <= char <= "\u17d3"  # Khmer vowel signs and marks, COENG itself
            or char == "\u17dd"
            or unicodedata.combining(char)
            or char in "\u200b\u200c\u200d"
        )
        if joins:
            found[-1] += char
        else:
            found.append(char)
    return found
