"""Mixed-script text in a ReportLab PDF: every run in an embedded font, Khmer shaped.

`TextBlock` is a flowable that wraps its text with `lines.wrap` and draws each run with
its own face: Latin in Vera, Khmer in Khmer OS (shaped by HarfBuzz through ReportLab's
`shapeStr`), Chinese in WenQuanYi Micro Hei. Every font is a TrueType subset embedded in
the file, so Ghostscript (what CUPS prints with) draws the same glyphs as any viewer.

Shaped Khmer glyphs do not map back to the letters they came from, so each Khmer run is
wrapped in a marked-content span with `/ActualText`: text extraction (pdftotext, search,
copy) gives back the original Khmer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, shapeStr
from reportlab.platypus import Flowable

from counter.typeset import lines as line_breaking
from counter.typeset.fonts import Face, latin
from counter.typeset.runs import Run, split_runs

Align = Literal["left", "center", "right"]

_registered: set[str] = set()


def register(face: Face) -> str:
    """Registers the face with ReportLab on first use; returns its name."""
    if face.name not in _registered:
        pdfmetrics.registerFont(TTFont(face.name, str(face.path), subfontIndex=face.index))
        _registered.add(face.name)
    return face.name


def base_font() -> str:
    """The font a canvas starts with (`initialFontName`): an embedded one, never Helvetica."""
    return register(latin())


@lru_cache(maxsize=4096)
def _shaped(text: str, font: str, size: float) -> tuple[Any, float]:
    shaped = shapeStr(text, font, size)
    data = getattr(shaped, "__shapeData__", None)
    if not data:  # HarfBuzz changed nothing: plain text, plain width
        return text, pdfmetrics.stringWidth(text, font, size)
    return shaped, sum(d.x_advance for d in data) * size / 1000


def run_width(run: Run, size: float, shaping: bool = True) -> float:
    font = register(run.face)
    if run.face.shaped and shaping:
        return _shaped(run.text, font, size)[1]
    return pdfmetrics.stringWidth(run.text, font, size)


def text_width(text: str, size: float, *, bold: bool = False, shaping: bool = True) -> float:
    return sum(run_width(run, size, shaping) for run in split_runs(text, bold=bold))


def leading_of(text: str, size: float, khmer_leading: float | None = None) -> float:
    """Line spacing for `text`: the largest any of its faces needs."""
    factors = [
        khmer_leading if run.face.script == "khmer" and khmer_leading else run.face.leading
        for run in split_runs(text)
    ]
    return round(size * max(factors, default=latin().leading), 1)


def _utf16_hex(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def draw_runs(
    canvas: Any,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    bold: bool = False,
    align: Align = "left",
    shaping: bool = True,
    color: Any = colors.black,
    khmer_color: Any = None,
) -> float:
    """Draws one line of `text` with its baseline at `y`; `x` is its left, centre or right.

    Returns the width drawn.
    """
    runs = split_runs(text, bold=bold)
    width = sum(run_width(run, size, shaping) for run in runs)
    left = {"left": x, "center": x - width / 2, "right": x - width}[align]
    for run in runs:
        font = register(run.face)
        canvas.setFillColor(khmer_color if khmer_color is not None and run.face.shaped else color)
        canvas.setFont(font, size)
        if run.face.shaped and shaping:
            shaped, advance = _shaped(run.text, font, size)
            canvas.addLiteral(f"/Span <</ActualText {_utf16_hex(run.text)}>> BDC")
            canvas.drawString(left, y, shaped)
            canvas.addLiteral("EMC")
        else:
            advance = pdfmetrics.stringWidth(run.text, font, size)
            canvas.drawString(left, y, run.text)
        left += advance
    canvas.setFillColor(color)
    return width


class TextBlock(Flowable):
    """A paragraph of plain text (never markup) in any mix of scripts, wrapped by words.

    `khmer_leading` overrides Khmer OS's line spacing (the compact receipt uses less);
    `shaping=False` and `khmer_color` exist for tests that compare shaped and unshaped
    Khmer, or the page with and without its Khmer ink.
    """

    def __init__(
        self,
        text: str,
        size: float,
        *,
        bold: bool = False,
        align: Align = "left",
        color: Any = colors.black,
        khmer_leading: float | None = None,
        shaping: bool = True,
        khmer_color: Any = None,
    ) -> None:
        super().__init__()
        self.text = " ".join(text.split())
        self.size = size
        self.bold = bold
        self.align = align
        self.color = color
        self.shaping = shaping
        self.khmer_color = khmer_color
        self.leading = leading_of(self.text, size, khmer_leading)
        self._lines: list[str] = [self.text]
        self._wrapped_at: float | None = None

    def _measure(self) -> Callable[[str], float]:
        def measure(piece: str) -> float:
            return text_width(piece, self.size, bold=self.bold, shaping=self.shaping)

        return measure

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._wrapped_at != availWidth:
            self._lines = line_breaking.wrap(self.text, availWidth, self._measure())
            self._wrapped_at = availWidth
        self.width = availWidth
        self.height = self.leading * len(self._lines)
        return self.width, self.height

    @property
    def lines(self) -> list[str]:
        return list(self._lines)

    def draw(self) -> None:
        x = {"left": 0.0, "center": self.width / 2, "right": self.width}[self.align]
        # The baseline sits a little below the middle of each line box, so marks above
        # Khmer letters and descenders below both have room.
        for index, line in enumerate(self._lines):
            y = self.height - (index + 0.5) * self.leading - 0.32 * self.size
            draw_runs(
                self.canv, x, y, line, self.size,
                bold=self.bold, align=self.align, shaping=self.shaping,
                color=self.color, khmer_color=self.khmer_color,
            )  # fmt: skip
