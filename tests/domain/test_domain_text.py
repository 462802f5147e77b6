"""`domain.text`: the one check of text at the boundary, and text from the ledger as shown."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter.domain.errors import UnsafeText
from counter.domain.text import check_text, shown, unsafe_character

KHMER_FORMAT = "\u200b\u200c\u200d"  # zero-width space and the joiners: Khmer needs them


def _refusable(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp") and char not in KHMER_FORMAT


# Every character the ledger refuses: the C0 and C1 controls, DEL, the bidi embeddings,
# overrides and isolates, the marks, the separators, BOM, tags, lone surrogates.
refused = st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp"]).filter(
    lambda c: c not in KHMER_FORMAT
)
clean = st.text(st.characters(codec="utf-8").filter(lambda c: not _refusable(c)))


@pytest.mark.parametrize(
    "char",
    ["\x1b", "\x00", "\x7f", "\x9b", "\t", "\n", "\u2028", "\ufeff", "\U000e0041"]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c", "\u00ad"],
)
def test_every_control_bidi_and_format_character_is_refused_naming_the_field(char: str) -> None:
    with pytest.raises(UnsafeText) as refused_text:
        check_text(f"A{char}B", "The operator reference")
    sentence = refused_text.value.message
    assert sentence.startswith(f"The operator reference contains U+{ord(char):04X}")
    assert sentence.endswith("type it again without it.")


def test_the_bidi_override_is_named_in_words() -> None:
    with pytest.raises(UnsafeText, match=r"U\+202E \(RIGHT-TO-LEFT OVERRIDE\)"):
        check_text("A-000042\u202e", "The reason for the void")


def test_khmer_text_with_its_zero_width_characters_is_accepted() -> None:
    khmer = "ហាង\u200bទូរស័ព្ទ\u200c\u200dដារ៉ា"
    assert check_text(khmer, "The shop name") == khmer
    assert check_text("Ｏｗｎｅｒ 店 ✓ 😀", "The user name") == "Ｏｗｎｅｒ 店 ✓ 😀"


@given(clean, refused, clean)
def test_a_refused_character_anywhere_is_found_and_refused(
    before: str, char: str, after: str
) -> None:
    text = before + char + after
    found = unsafe_character(text)
    assert found is not None and _refusable(chr(int(found[2:], 16)))
    with pytest.raises(UnsafeText):
        check_text(text, "The reason")


@given(clean)
def test_clean_text_passes_unchanged(text: str) -> None:
    assert check_text(text, "The reason") == text
    assert shown(text) == text


@given(st.text())
def test_shown_text_never_holds_a_refused_character(text: str) -> None:
    escaped = shown(text)
    assert unsafe_character(escaped) is None
    if unsafe_character(text) is None:
        assert escaped == text


def test_shown_escapes_an_escape_sequence_and_an_override_readably() -> None:
    assert shown("ref\x1b[2J\u202e42") == "ref\\x1b[2J\\u202e42"
