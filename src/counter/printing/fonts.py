"""Font files for receipt lines in Khmer and Chinese, found on the system.

Khmer: the Khmer OS fonts (Debian `fonts-khmeros`). ReportLab shapes them correctly;
with Noto Sans Khmer, ReportLab 5.1 drops glyphs after deep marks, so it is not used.
Chinese: the PDF uses ReportLab's built-in CID font `STSong-Light` (no file needed);
thermal printers get Chinese as a picture drawn with a CJK font file (Debian
`fonts-wqy-microhei`, or Noto Sans CJK). The first file found in the lists below is used.
"""

from __future__ import annotations

from pathlib import Path

KHMER_FONTS = (
    "/usr/share/fonts/truetype/khmeros/KhmerOS.ttf",
    "/usr/share/fonts/truetype/khmeros/KhmerOSsys.ttf",
    "/usr/share/fonts/truetype/khmeros/KhmerOScontent.ttf",
    "/usr/local/share/fonts/KhmerOS.ttf",
    "/Library/Fonts/KhmerOS.ttf",
    "C:/Windows/Fonts/KhmerOS.ttf",
)
CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)


class FontMissing(RuntimeError):
    """No font file for a script the receipt must print; the message says what to install."""


def khmer_font() -> Path:
    return _find(
        KHMER_FONTS,
        "Khmer lines need the Khmer OS font: install the Debian package fonts-khmeros "
        f"(looked for {KHMER_FONTS[0]})",
    )


def cjk_font() -> Path:
    return _find(
        CJK_FONTS,
        "Chinese lines on a thermal printer need a Chinese font: install the Debian package "
        f"fonts-wqy-microhei (looked for {CJK_FONTS[0]})",
    )


def _find(candidates: tuple[str, ...], missing: str) -> Path:
    for candidate in candidates:
        path = Path(candidate)
        if path.is_file():
            return path
    raise FontMissing(f"{missing}.")
