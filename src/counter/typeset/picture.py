"""Mixed-script text as a black-and-white picture, for printers that have no font for it.

Thermal printers have no Khmer code page and rarely a Chinese one, so such lines go as
raster pictures. Each run is drawn in its own face (the same faces as the PDF), lines break
by words (`lines.wrap`) at the picture's width. Pillow shapes Khmer (stacked subscripts,
vowels written before their consonant) only with libraqm: `SHAPED` says whether it is there;
without it the picture still prints, with the letters unstacked.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Final, Literal

from PIL import Image, ImageDraw, ImageFont, ImageOps, features

from counter.typeset import lines as line_breaking
from counter.typeset.fonts import Face
from counter.typeset.runs import Run, has_khmer, split_runs

log = logging.getLogger(__name__)

Align = Literal["left", "center", "right"]
SHAPED: Final = features.check("raqm")
THRESHOLD: Final = 160  # grey below this prints black: no dithered, fuzzy edges


@lru_cache(maxsize=32)
def pillow_font(face: Face, size_px: int) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if SHAPED else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(face.path), size_px, index=face.index, layout_engine=engine)


def _run_width(run: Run, size_px: int) -> float:
    return float(pillow_font(run.face, size_px).getlength(run.text))


def line_width(text: str, size_px: int, *, bold: bool = False) -> float:
    return sum(_run_width(run, size_px) for run in split_runs(text, bold=bold))


def picture_lines(text: str, width_px: int, size_px: int, *, bold: bool = False) -> list[str]:
    """`text` broken into lines that fit `width_px` at `size_px`."""
    return line_breaking.wrap(text, width_px, lambda piece: line_width(piece, size_px, bold=bold))


def text_picture(
    text: str,
    *,
    width_px: int,
    size_px: int = 24,
    align: Align = "left",
    bold: bool = False,
    line_gap: float | None = None,
) -> Image.Image:
    """`text` drawn black on white, `width_px` wide, wrapped to fit: ready for `GS v 0`.

    The picture keeps the full width (the alignment is in it) but only a little paper above
    and below the ink: Khmer OS's line box is much taller than its letters.
    """
    if not SHAPED and has_khmer(text):
        log.warning("Pillow has no libraqm: Khmer on the thermal printer is not shaped")
    rows = picture_lines(text, width_px, size_px, bold=bold)
    pad = size_px // 3  # Khmer marks reach above the ascent and below the descent
    row_height = round(size_px * (line_gap or (1.7 if has_khmer(text) else 1.25)))
    image = Image.new("L", (width_px, row_height * len(rows) + 2 * pad), 255)
    draw = ImageDraw.Draw(image)
    for index, row in enumerate(rows):
        runs = split_runs(row, bold=bold)
        width = sum(_run_width(run, size_px) for run in runs)
        x = {"left": 0.0, "center": (width_px - width) / 2, "right": width_px - width}[align]
        baseline = pad + index * row_height + round(size_px * 1.05)
        for run in runs:
            font = pillow_font(run.face, size_px)
            draw.text((max(0.0, x), baseline), run.text, font=font, fill=0, anchor="ls")
            x += _run_width(run, size_px)
    image = image.point(lambda value: 0 if value < THRESHOLD else 255)
    ink = ImageOps.invert(image).getbbox()
    if ink is None:
        return image.crop((0, 0, width_px, 1))
    margin = 3
    return image.crop((0, max(0, ink[1] - margin), width_px, min(image.height, ink[3] + margin)))
