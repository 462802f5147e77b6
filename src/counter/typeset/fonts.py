"""The fonts every receipt and report is set in, where each comes from, and what it covers.

Every font is a TrueType file that ReportLab embeds (as a subset) and Pillow draws, and whose
licence allows embedding and shipping (docs/printers.md, "Fonts"):

- Latin: Bitstream Vera Sans, regular and bold, inside the ReportLab wheel (always there).
- Khmer: Khmer OS (Debian `fonts-khmeros`, LGPL-2.1+), shaped by HarfBuzz.
- Chinese: WenQuanYi Micro Hei (Debian `fonts-wqy-microhei`, Apache-2.0), a TrueType-outline
  CJK font (ReportLab cannot embed the CFF outlines of Noto Sans CJK).
- Wide fallback: DejaVu Sans (Debian `fonts-dejavu-core`, free licence), when installed, for
  Latin letters and symbols Vera lacks (Vietnamese, Cyrillic, ✓).

The first file found in each list is used. A Khmer or Chinese font that is missing is
reported with the package to install (`FontMissing`) only when a text needs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Final

KHMER_FILES: Final = (
    "/usr/share/fonts/truetype/khmeros/KhmerOS.ttf",
    "/usr/share/fonts/truetype/khmeros/KhmerOSsys.ttf",
    "/usr/share/fonts/truetype/khmeros/KhmerOScontent.ttf",
    "/usr/local/share/fonts/KhmerOS.ttf",
    "/Library/Fonts/KhmerOS.ttf",
    "C:/Windows/Fonts/KhmerOS.ttf",
)
CHINESE_FILES: Final = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
FALLBACK_FILES: Final = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/local/share/fonts/DejaVuSans.ttf",
)
FALLBACK_BOLD_FILES: Final = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/local/share/fonts/DejaVuSans-Bold.ttf",
)

# Line spacing as a multiple of the font size: Khmer OS stacks marks high and low.
LEADING: Final = {"latin": 1.22, "khmer": 2.0, "chinese": 1.3, "fallback": 1.25}


class FontMissing(RuntimeError):
    """No font file for a script the text must print; the message says what to install."""


@dataclass(frozen=True)
class Face:
    """One font file, under the name ReportLab registers it as.

    `script` is what it is chosen for (`latin`, `khmer`, `chinese`, `fallback`); `shaped`
    texts (Khmer) go through HarfBuzz. `index` picks a face inside a `.ttc` collection.
    """

    name: str
    path: Path
    script: str
    bold: bool = False
    index: int = 0
    shaped: bool = False
    leading: float = field(default=1.22, compare=False)

    def covers(self, char: str) -> bool:
        return ord(char) in coverage(self)


@cache
def coverage(face: Face) -> frozenset[int]:
    """The code points the font has a glyph for (its cmap), read once per process."""
    from reportlab.pdfbase.ttfonts import TTFontFile  # the reader ReportLab embeds with

    font = TTFontFile(str(face.path), subfontIndex=face.index)
    # ReportLab's subsets map 16-bit code points only: characters beyond U+FFFF (emoji)
    # would draw but read back wrong, so no face claims them.
    return frozenset(code for code, glyph in font.charToGlyph.items() if glyph and code <= 0xFFFF)


def _reportlab_font(file: str) -> Path:
    """A font file shipped inside the ReportLab wheel (found without importing ReportLab)."""
    from importlib.util import find_spec

    spec = find_spec("reportlab")
    if spec is None or not spec.submodule_search_locations:
        raise FontMissing("ReportLab is not installed: pip install reportlab.")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts" / file


def _first(candidates: tuple[str, ...]) -> Path | None:
    return next((Path(c) for c in candidates if Path(c).is_file()), None)


@cache
def latin(bold: bool = False) -> Face:
    file = "VeraBd.ttf" if bold else "Vera.ttf"
    name = "CounterLatin-Bold" if bold else "CounterLatin"
    return Face(name, _reportlab_font(file), "latin", bold, leading=LEADING["latin"])


@cache
def khmer_face() -> Face | None:
    path = _first(KHMER_FILES)
    if path is None:
        return None
    return Face("CounterKhmer", path, "khmer", shaped=True, leading=LEADING["khmer"])


@cache
def chinese_face() -> Face | None:
    path = _first(CHINESE_FILES)
    if path is None:
        return None
    return Face("CounterChinese", path, "chinese", leading=LEADING["chinese"])


@cache
def fallback_face(bold: bool = False) -> Face | None:
    path = _first(FALLBACK_BOLD_FILES if bold else FALLBACK_FILES) or _first(FALLBACK_FILES)
    if path is None:
        return None
    name = "CounterFallback-Bold" if bold else "CounterFallback"
    return Face(name, path, "fallback", bold, leading=LEADING["fallback"])


def khmer_font() -> Path:
    """The Khmer OS file; FontMissing names the package when it is not installed."""
    face = khmer_face()
    if face is None:
        raise FontMissing(
            "Khmer text needs the Khmer OS font: install the Debian package fonts-khmeros "
            f"(looked for {KHMER_FILES[0]})."
        )
    return face.path


def cjk_font() -> Path:
    """The Chinese font file; FontMissing names the package when it is not installed."""
    face = chinese_face()
    if face is None:
        raise FontMissing(
            "Chinese text needs a Chinese font: install the Debian package fonts-wqy-microhei "
            f"(looked for {CHINESE_FILES[0]})."
        )
    return face.path


def require(script: str) -> Face:
    """The face for `script`, or FontMissing saying which package brings it."""
    if script == "khmer":
        khmer_font()
        return khmer_face()  # type: ignore[return-value]
    if script == "chinese":
        cjk_font()
        return chinese_face()  # type: ignore[return-value]
    raise ValueError(f"no required font for {script!r}")


def chain(bold: bool = False) -> tuple[Face, ...]:
    """Every face available, in the order a character without a script font tries them."""
    found = [latin(bold), fallback_face(bold), chinese_face(), khmer_face()]
    return tuple(face for face in found if face is not None)
