"""Line breaking by words: never inside a Khmer word, never a lone closing punctuation mark."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from icu4py.breakers import WordBreaker

from counter.printing.translations import THANKS, TRANSLATIONS
from counter.typeset.lines import clusters, segments, wrap
from counter.typeset.pdf import text_width
from counter.typeset.picture import line_width

KHMER_THANKS = TRANSLATIONS[THANKS]["km"]
CHINESE_THANKS = TRANSLATIONS[THANKS]["zh"]
CLOSING = set("。，、！？；：）」』】》")


def word_ends(text: str) -> set[int]:
    ends, at = set(), 0
    for word in WordBreaker(text, "km"):
        at += len(word)
        ends.add(at)
    return ends


def pdf_lines(text: str, width_mm: float, size: float = 8) -> list[str]:
    return wrap(text, width_mm * 72 / 25.4, lambda piece: text_width(piece, size))


def test_icu_finds_the_khmer_words() -> None:
    assert segments("សូមរក្សាទុកបង្កាន់ដៃនេះ") == ("សូម", "រក្សាទុក", "បង្កាន់ដៃ", "នេះ")


def test_the_khmer_thanks_breaks_only_between_words_at_every_width() -> None:
    """The bug: on 58 mm the thanks line broke inside a word."""
    ends = word_ends(KHMER_THANKS)
    seen_breaks = 0
    for width_mm in range(20, 80, 2):
        lines = pdf_lines(KHMER_THANKS, width_mm)
        assert "".join(lines).replace(" ", "") == KHMER_THANKS.replace(" ", "")
        at = 0
        for line in lines[:-1]:
            at = KHMER_THANKS.index(line, at) + len(line)
            assert at in ends, f"{width_mm} mm: broke inside a word after {line!r}"
            seen_breaks += 1
    assert seen_breaks > 20


def test_the_khmer_thanks_on_a_58_mm_picture_breaks_between_words() -> None:
    lines = wrap(KHMER_THANKS, 384, lambda piece: line_width(piece, 24))
    assert len(lines) >= 2
    ends, at = word_ends(KHMER_THANKS), 0
    for line in lines[:-1]:
        at = KHMER_THANKS.index(line, at) + len(line)
        assert at in ends


def test_chinese_never_starts_a_line_with_closing_punctuation() -> None:
    """The bug: on 58 mm the Chinese thanks left 。 alone on a line."""
    for width_mm in range(12, 70):
        lines = pdf_lines(CHINESE_THANKS, width_mm)
        assert "".join(lines) == CHINESE_THANKS
        for line in lines:
            assert line[0] not in CLOSING, f"{width_mm} mm: {lines}"


def test_chinese_breaks_between_words_not_inside_them() -> None:
    assert "收据，" in segments(CHINESE_THANKS)
    assert "直到" in segments(CHINESE_THANKS)
    for width_mm in range(12, 70):
        for line in pdf_lines(CHINESE_THANKS, width_mm)[:-1]:
            assert not line.endswith(("收", "直", "谢", "保")), f"{width_mm} mm split a word"


def test_hyphenated_references_and_receipt_numbers_stay_whole() -> None:
    assert segments("top-up A-000042 ok") == ("top-up ", "A-000042 ", "ok")


def test_a_word_longer_than_the_line_breaks_between_clusters() -> None:
    reference = "SMART-TXN-2026112014050912345678901234567890"
    lines = pdf_lines(reference, 20)
    assert len(lines) > 1 and "".join(lines) == reference
    assert clusters("បង្កាន់") == ["ប", "ង្កា", "ន់"]


texts = st.lists(
    st.sampled_from(["Sokha", "Phone", "012", "សុខា", "បង្កាន់ដៃ", "王明", "收据", "！", "。", " "]),
    min_size=1,
    max_size=20,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(text=texts, width_mm=st.integers(min_value=8, max_value=80))
def test_wrapping_loses_nothing_and_fits_the_width(text: str, width_mm: int) -> None:
    lines = pdf_lines(text, width_mm)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    width = width_mm * 72 / 25.4
    for line in lines:
        fits = text_width(line, 8) <= width + 0.01
        assert fits or len(clusters(line)) == 1, f"{line!r} wider than {width_mm} mm"
