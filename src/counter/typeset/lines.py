"""Line breaking by words in every script: ICU's line breaker, with Chinese kept to words.

ICU (through `icu4py`, a wheel that bundles ICU 78 with its data) finds where a line may
break: at spaces, between Khmer words by its Khmer dictionary, and never
before closing punctuation (`。`, `！`, `)`) or after opening punctuation. Chinese may break
between any two characters by that rule; here it breaks only between words too (ICU's word
breaker, dictionary-based for Chinese), so `收据` or `充值` never splits across lines. A hyphen inside a word (`top-up`,
`A-000042`) is not a break either: a receipt number or reference stays whole.

A piece with no break that is still wider than a line (an operator reference, a long
Khmer word on 58 mm paper) is broken between letter clusters, never inside one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Final

from counter.typeset.runs import has_han, is_han

COENG: Final = "\u17d2"

Measure = Callable[[str], float]


@lru_cache(maxsize=2048)
def segments(text: str) -> tuple[str, ...]:
    """`text` cut at every place a line may end (each piece keeps its trailing spaces)."""
    if not text:
        return ()
    from icu4py.breakers import LineBreaker, WordBreaker

    locale = "zh" if has_han(text) else "km"
    pieces = _keep_hyphenated(list(LineBreaker(text, locale)))
    if not has_han(text):
        return tuple(pieces)
    words = _ends(WordBreaker(text, "zh"))
    merged: list[str] = []
    at = 0
    for piece in pieces:
        end = at + len(piece)
        inside_word = merged and at not in words and is_han(text[at - 1]) and is_han(text[at])
        if inside_word:
            merged[-1] += piece
        else:
            merged.append(piece)
        at = end
    return tuple(merged)


def _keep_hyphenated(pieces: list[str]) -> list[str]:
    """No break after a hyphen inside a word: `top-up`, `A-000042`, `SM20261120-884213`."""
    kept: list[str] = []
    for piece in pieces:
        if kept and kept[-1].endswith("-") and piece[:1].isalnum():
            kept[-1] += piece
        else:
            kept.append(piece)
    return kept


def _ends(pieces: object) -> frozenset[int]:
    """Offsets (in characters) where the pieces of a breaker end."""
    ends, at = set(), 0
    for piece in pieces:  # type: ignore[attr-defined]
        at += len(piece)
        ends.add(at)
    return frozenset(ends)


def wrap(text: str, width: float, measure: Measure) -> list[str]:
    """Lines of `text` no wider than `width` (as `measure` says), broken at word breaks.

    White space is collapsed first (a receipt line has no layout of its own). Always at
    least one line, possibly empty.
    """
    text = " ".join(text.split())
    lines: list[str] = []
    line = ""
    for piece in segments(text):
        candidate = line + piece
        if measure(candidate.rstrip()) <= width:
            line = candidate
            continue
        if line.strip():
            lines.append(line.rstrip())
            line = ""
        if measure(piece.rstrip()) <= width:
            line = piece
            continue
        for cluster in clusters(piece):
            if line and measure((line + cluster).rstrip()) > width:
                lines.append(line.rstrip())
                line = ""
            line += cluster
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def clusters(text: str) -> list[str]:
    """Split where a line may break without tearing a letter apart.

    A Khmer cluster is a base letter with its vowel signs, marks and subscript
    consonants (COENG U+17D2 and the letter after it); other letters stand alone
    with any combining marks; closing punctuation stays with what it closes.
    """
    found: list[str] = []
    for char in text:
        joins = found and (
            found[-1].endswith(COENG)
            or "\u17b4" <= char <= "\u17d3"  # Khmer vowel signs and marks, COENG itself
            or char == "\u17dd"
            or unicodedata.combining(char)
            or char in "\u200b\u200c\u200d"
            or unicodedata.category(char) in ("Pe", "Pf", "Po")
        )
        if joins:
            found[-1] += char
        else:
            found.append(char)
    return found
