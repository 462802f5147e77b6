"""Split text into runs, each in a font that has all its glyphs.

A Khmer letter goes to the Khmer font, a Chinese character (or full-width punctuation) to
the Chinese font, anything else to the Latin font, then the wide fallback. Spaces, digits,
punctuation and combining marks stay in the run they are in when its font has them, so a
Khmer phrase with a space or a `!` is shaped as one run. A character no font has is never
drawn as a box: it is replaced by U+FFFD (or `?`) and logged; `missing_glyphs` lists such
characters so a test or a form can refuse them first.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from counter.typeset.fonts import Face, chain, require

log = logging.getLogger(__name__)

REPLACEMENT: Final = "\ufffd"
# Zero-width format characters: kept with their run when its font has them, else dropped
# (they draw nothing, so dropping them changes nothing a reader sees).
INVISIBLE: Final = frozenset("\u200b\u200c\u200d\u2060\ufeff")


def is_khmer(char: str) -> bool:
    """Khmer letters, signs and symbols (U+1780-U+17FF, U+19E0-U+19FF)."""
    return "\u1780" <= char <= "\u17ff" or "\u19e0" <= char <= "\u19ff"


def is_han(char: str) -> bool:
    """Chinese characters, CJK and full-width punctuation, kana and hangul: the CJK font's."""
    if "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or char >= "\U00020000":
        return True
    if "\ufe30" <= char <= "\ufe4f" or "\uac00" <= char <= "\ud7af":
        return True
    return "\uff00" <= char <= "\uffef" and unicodedata.east_asian_width(char) in ("F", "W")


def has_khmer(text: str) -> bool:
    return any(is_khmer(c) for c in text)


def has_han(text: str) -> bool:
    return any(is_han(c) for c in text)


def is_neutral(char: str) -> bool:
    """Characters of no script of their own: they may stay in the run around them."""
    if char in INVISIBLE:
        return True
    category = unicodedata.category(char)
    return category[0] in "ZNPSM" or category == "Cf"


@dataclass(frozen=True)
class Run:
    """Consecutive characters drawn with one face."""

    text: str
    face: Face


def _script_face(char: str, bold: bool) -> Face | None:
    """The face a script demands (FontMissing if its package is absent), or None."""
    if is_khmer(char):
        return require("khmer")
    if is_han(char):
        return require("chinese")
    return None


def face_for(char: str, current: Face | None, bold: bool = False) -> Face | None:
    """The face that draws `char` after a run in `current`; None when no face has it."""
    scripted = _script_face(char, bold)
    if scripted is not None:
        if scripted.covers(char):
            return scripted
    elif current is not None and is_neutral(char) and current.covers(char):
        return current
    return next((face for face in chain(bold) if face.covers(char)), None)


def split_runs(text: str, *, bold: bool = False) -> list[Run]:
    """`text` as runs of one face each; characters no face has are replaced (and logged)."""
    return list(_split_runs(text, bold))


@lru_cache(maxsize=4096)
def _split_runs(text: str, bold: bool) -> tuple[Run, ...]:
    runs: list[Run] = []
    current: Face | None = None
    pieces: list[str] = []
    for char in text:
        face = face_for(char, current, bold)
        if face is None:
            if char in INVISIBLE:
                continue
            _warn_once(char)
            char, face = _replacement(current, bold)
        if face is not current and pieces and current is not None:
            runs.append(Run("".join(pieces), current))
            pieces = []
        current = face
        pieces.append(char)
    if pieces and current is not None:
        runs.append(Run("".join(pieces), current))
    return tuple(runs)


_warned: set[str] = set()


def _warn_once(char: str) -> None:
    if char not in _warned:
        _warned.add(char)
        log.warning("no font has U+%04X %s: printed as a replacement mark", ord(char), _name(char))


def _replacement(current: Face | None, bold: bool) -> tuple[str, Face]:
    for face in (current, *chain(bold)):
        if face is not None and face.covers(REPLACEMENT):
            return REPLACEMENT, face
    return "?", chain(bold)[0]


def missing_glyphs(texts: Iterable[str], *, bold: bool = False) -> list[str]:
    """Every character of `texts` that no available font can draw, once each, in order."""
    found: dict[str, None] = {}
    for text in texts:
        for char in text:
            if char in INVISIBLE or char in "\n\t":
                continue
            if face_for(char, None, bold) is None:
                found[char] = None
    return list(found)


def describe(chars: Iterable[str]) -> str:
    """`U+0E01 THAI CHARACTER KO KAI, U+1F600 GRINNING FACE`: for messages about missing glyphs."""
    return ", ".join(f"U+{ord(c):04X} {_name(c)}" for c in chars)


def _name(char: str) -> str:
    return unicodedata.name(char, "unnamed character")
