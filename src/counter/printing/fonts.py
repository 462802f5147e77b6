"""Font files for receipts: kept for callers of the old names; see `counter.typeset.fonts`."""

from __future__ import annotations

from counter.typeset.fonts import CHINESE_FILES as CJK_FONTS
from counter.typeset.fonts import KHMER_FILES as KHMER_FONTS
from counter.typeset.fonts import FontMissing, cjk_font, khmer_font

__all__ = ["CJK_FONTS", "KHMER_FONTS", "FontMissing", "cjk_font", "khmer_font"]
