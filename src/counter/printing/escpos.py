"""A receipt as ESC/POS commands, written to a python-escpos printer object.

The same words as the PDF (`receipt.sections`), laid out in the printer's character
columns: 48 on 80 mm paper and 32 on 58 mm with font A, or fewer when the printer
profile says so (an Epson TM-T88V prints 42). Long lines wrap; nothing runs off the edge.

Text that is not plain ASCII (Khmer, Chinese, accented letters, a mix in one shop name) is
drawn as a raster picture (`GS v 0`), each script run in its own font (counter.typeset), broken
into lines by words, as wide as the printer's head: the profile's dot width (576 on a
TM-T20II, 512 on a TM-T88V, 384 on 58 mm printers), or `escpos_dots` for a profile that
does not say. Chinese goes as text only when the profile declares a Chinese code page (none
of python-escpos 3.1's profiles does). No text is sent in a code page that lacks its letters,
so no `?` replaces a character.

The QR code is the printer's own (`GS ( k`) when the profile supports it, otherwise a
picture of the code; it encodes `receipt.qr_text`.
"""

from __future__ import annotations

import contextlib
import io
import logging
import textwrap
import unicodedata
from dataclasses import dataclass
from typing import Any, Final, Literal

from escpos.constants import QR_ECLEVEL_M
from PIL import Image

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
from counter.typeset.lines import clusters
from counter.typeset.picture import SHAPED, text_picture
from counter.typeset.runs import has_han

log = logging.getLogger(__name__)

Align = Literal["left", "center", "right"]

COLUMNS: Final = {80: 48, 58: 32}  # font A, 12 x 24 dots
DOTS: Final = {80: 576, 58: 384}  # the print head of most printers for each paper (8 dots/mm)
QR_MODULE_DOTS: Final = {80: 6, 58: 5}
KHMER_SHAPED: Final = SHAPED
CHINESE_CODE_PAGES: Final = frozenset({"GB18030", "GB2312", "CP936", "GBK"})
PICTURE_TEXT_PX: Final = 24  # the height of font A, so pictures sit well among text lines
FS: Final = b"\x1c"
JOIN: Final = " / "


def _profile_dots(profile: Any) -> int | None:
    """The profile's dot width, or None where python-escpos says "Unknown"."""
    try:
        return int(profile.profile_data["media"]["width"]["pixels"])
    except (KeyError, TypeError, ValueError):
        return None


@dataclass(frozen=True)
class EscposLayout:
    """Character columns, picture width (dots) and QR support of one printer and paper."""

    columns: int
    dots: int
    qr_size: int
    chinese_as_text: bool = False
    native_qr: bool = True
    compact: bool = False

    @classmethod
    def for_printer(
        cls, printer: Any, width_mm: float, *, dots: int | None = None, compact: bool = False
    ) -> EscposLayout:
        """The layout for `printer`'s profile; `dots` is used when the profile has no width."""
        paper = 80 if width_mm >= 70 else 58
        columns = COLUMNS[paper]
        profile = printer.profile
        with contextlib.suppress(Exception):  # a profile without fonts keeps the paper's own
            columns = min(columns, int(profile.get_columns("a")))
        known = _profile_dots(profile)
        width = min(known, DOTS[paper]) if known else (dots or DOTS[paper])
        code_pages = set()
        with contextlib.suppress(Exception):
            code_pages = {str(name).upper() for name in profile.get_code_pages()}
        native_qr = False
        with contextlib.suppress(Exception):
            native_qr = bool(profile.supports("qrCode"))
        return cls(
            columns=columns,
            dots=width,
            qr_size=QR_MODULE_DOTS[paper],
            chinese_as_text=bool(code_pages & CHINESE_CODE_PAGES),
            native_qr=native_qr,
            compact=compact,
        )


def render_escpos(
    receipt: Receipt,
    printer: Any,
    *,
    width_mm: float = 80,
    options: ReceiptOptions = PLAIN,
    dots: int | None = None,
) -> None:
    """Write the whole receipt, from `ESC @` to the cut, to a python-escpos printer.

    `dots`: the picture width for a profile that does not give one (`escpos_dots`).
    """
    layout = EscposLayout.for_printer(printer, width_mm, dots=dots, compact=options.compact)
    out = Writer(printer, layout)
    printer.hw("INIT")  # ESC @: clear what a previous job left (sizes, alignment)
    _copy_banner(out, receipt, options)
    _header(out, receipt, options)
    for section in sections(receipt, options):
        out.rule()
        for line in section:
            _body_line(out, line)
    out.rule()
    out.qr(qr_text(receipt, options))
    _footer(out, receipt, options)
    printer.cut()


def _copy_banner(out: Writer, receipt: Receipt, options: ReceiptOptions) -> None:
    banner = copy_banner(receipt)
    if banner is None:
        return
    word, when = banner
    out.big(word)
    out.translations(copy_translations(receipt, options), "center")
    out.text(when, "center", bold=True)
    out.feed()


def _header(out: Writer, receipt: Receipt, options: ReceiptOptions) -> None:
    name, *rest = header_lines(receipt) or [""]
    out.text(name, "center", bold=True, tall=True)
    for text in rest:
        out.text(text, "center")
    title = title_lines(options)
    if title is not None:
        english, translations = title
        if out.layout.compact:
            out.text(JOIN.join([english, *(t.text for t in translations)]), "center", bold=True)
            return
        out.text(english, "center", bold=True)
        out.translations(translations, "center")


def _body_line(out: Writer, line: ReceiptLine) -> None:
    label = line.label
    translations = line.translations
    if out.layout.compact and translations:  # one picture: `Number / លេខទូរស័ព្ទ / 手机号码`
        label, translations = JOIN.join([label, *(t.text for t in translations)]), ()
    if line.large:
        out.text(label)
        out.translations(translations, "left")
        out.big(line.value)
        return
    out.pair(label, line.value)
    out.translations(translations, "left")


def _footer(out: Writer, receipt: Receipt, options: ReceiptOptions) -> None:
    if receipt.footer.strip():
        out.text(receipt.footer, "center")
    out.translations(thanks_lines(options), "center")


class Writer:
    """Lines onto the printer: wrapped text, big values, rules, pictures of text, QR codes."""

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
        if needs_picture(text, self.layout):
            size = round(PICTURE_TEXT_PX * 1.5) if tall else PICTURE_TEXT_PX
            self.picture(text, align, bold=bold, size_px=size)
            return
        self.printer.set(align=align, bold=bold, double_height=tall, normal_textsize=not tall)
        if has_han(text):  # only when the profile has a Chinese code page
            self._chinese(text)
        else:
            for row in wrap(text, self.layout.columns):
                self.printer.text(row + "\n")
        self._plain()

    def big(self, text: str) -> None:
        """The number and the amount: double width and height, centred."""
        if needs_picture(text, self.layout):
            self.picture(text, "center", size_px=2 * PICTURE_TEXT_PX, bold=True)
            return
        self.printer.set(align="center", bold=True, double_width=True, double_height=True)
        for row in wrap(text, self.layout.columns // 2):
            self.printer.text(row + "\n")
        self._plain()

    def pair(self, label: str, value: str) -> None:
        """`Label ........ value` on one line when it fits, else the value right under it."""
        if needs_picture(label, self.layout) or needs_picture(value, self.layout):
            self.text(label)
            self.text(value, "right", bold=True)
            return
        for row in pair_rows(label, value, self.layout.columns):
            self.printer.text(row + "\n")

    def translations(self, lines: tuple[Translation, ...], align: Align) -> None:
        for line in lines:
            self.text(line.text, align)

    def picture(
        self, text: str, align: Align, *, size_px: int = PICTURE_TEXT_PX, bold: bool = False
    ) -> None:
        line_gap = 1.45 if self.layout.compact else None
        image = text_picture(
            text, width_px=self.layout.dots, size_px=size_px, align=align, bold=bold,
            line_gap=line_gap,
        )  # fmt: skip
        self.image(image)

    def image(self, image: Image.Image) -> None:
        """A picture exactly `dots` wide (the alignment is inside it), as `GS v 0`."""
        self.printer.set(align="left")
        # python-escpos prints a notice on stdout for profiles of unknown width: keep it
        # off the terminal (the counter screen runs there).
        with contextlib.redirect_stdout(io.StringIO()):
            self.printer.image(image, impl="bitImageRaster")

    def qr(self, content: str) -> None:
        """The printer's own QR command where the profile has one, else a picture of it."""
        if self.layout.native_qr:
            self.printer.set(align="center")
            self.printer.qr(content, ec=QR_ECLEVEL_M, size=self.layout.qr_size, native=True)
            self.printer.set(align="left")
        else:
            self.image(qr_picture(content, self.layout.qr_size, self.layout.dots))
        self.feed()

    def _chinese(self, text: str) -> None:
        """Chinese as GB18030 text in the printer's Chinese mode (FS &, then FS . to leave)."""
        for row in wrap_cells(text, self.layout.columns):
            self.printer._raw(FS + b"&" + row.encode("gb18030") + FS + b".\n")

    def _plain(self) -> None:
        self.printer.set(align="left", bold=False, normal_textsize=True)


def needs_picture(text: str, layout: EscposLayout) -> bool:
    """Anything beyond printable ASCII, unless it is Chinese for a printer with Chinese text."""
    if all(" " <= c <= "~" for c in text):
        return False
    if layout.chinese_as_text and has_han(text):
        return not all(" " <= c <= "~" or _gb18030(c) for c in text)
    return True


def _gb18030(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def qr_picture(content: str, module_dots: int, width_px: int) -> Image.Image:
    """A QR code (error correction M, 4-module quiet zone) centred in a `width_px` picture."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=module_dots, border=4)
    code.add_data(content)
    code.make(fit=True)
    square = code.make_image(fill_color="black", back_color="white").get_image().convert("L")
    if square.width > width_px:  # a long text on a narrow head: smaller modules
        square = square.resize((width_px, width_px), Image.Resampling.NEAREST)
    picture = Image.new("L", (width_px, square.height), 255)
    picture.paste(square, ((width_px - square.width) // 2, 0))
    return picture


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


__all__ = ["KHMER_SHAPED", "EscposLayout", "Writer", "clusters", "render_escpos", "text_picture"]
