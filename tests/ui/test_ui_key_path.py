"""The ordered key path's own rules: how a paste becomes pieces and keys."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from counter.ui.key_path import split_paste


def test_lines_become_pieces_with_an_enter_between() -> None:
    assert split_paste("012 345 678\n5\r\n") == (["012 345 678", "\r", "5", "\r"], False)


def test_a_tab_is_a_tab_and_control_characters_are_refused() -> None:
    assert split_paste("012345678\t5\x1b\x07") == (["012345678", "\t", "5"], True)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_pieces_give_back_the_text_without_control_characters(text: str) -> None:
    pieces, refused = split_paste(text)
    kept = "".join(c for c in text if c in "\t\r\n" or not _control(c))
    normalised = kept.replace("\r\n", "\r").replace("\n", "\r")
    assert "".join(pieces) == normalised
    assert refused == (kept != text)
    assert all(piece in ("\r", "\t") or not set(piece) & set("\r\n\t") for piece in pieces)


def _control(c: str) -> bool:
    return ord(c) < 0x20 or ord(c) == 0x7F
