"""A drawer count as typed: a total, or notes (`20x3 1x4`), totals computed as typed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter.domain.cash_count import KHR_NOTES, USD_NOTES_CENTS
from counter.domain.errors import AmountError
from counter.domain.money import Currency
from counter.domain.note_count import notes_text, read_drawer, read_notes


def test_notes_and_a_loose_amount_add_up() -> None:
    count = read_drawer("20x3 1x4", "1000x12 + 500")
    assert (count.usd_cents, count.khr) == (6400, 12_500)  # $60 + $4; 12,000 + 500 riel
    assert count.by_note and count.other_khr == 500
    assert notes_text(count, Currency.USD) == "20x3 1x4"
    assert notes_text(count, Currency.KHR) == "1000x12"


def test_a_plain_total_is_still_a_count() -> None:
    count = read_drawer("64.50", "12,000")
    assert (count.usd_cents, count.khr, count.by_note) == (6450, 12_000, False)
    assert read_drawer("", "") == read_drawer("0", "0")


@pytest.mark.parametrize(
    ("usd", "khr", "words"),
    [
        ("20x", "", "is not a count by note"),
        ("3x20", "", "not a note"),  # $3 is no note
        ("", "x2", "is not a count by note"),
        ("20r x1", "", "this line counts USD notes"),
        ("20x3", "1000x-2", "is negative"),
    ],
)
def test_a_slip_is_refused_in_words(usd: str, khr: str, words: str) -> None:
    with pytest.raises(AmountError, match=words):
        read_drawer(usd, khr)


@given(
    st.dictionaries(st.sampled_from(USD_NOTES_CENTS), st.integers(1, 500), max_size=4),
    st.dictionaries(st.sampled_from(KHR_NOTES), st.integers(1, 500), max_size=4),
)
def test_notes_typed_back_read_the_same(usd: dict[int, int], khr: dict[int, int]) -> None:
    usd_text = " ".join(f"{face // 100}x{n}" for face, n in usd.items())
    khr_text = " ".join(f"{face}x{n}" for face, n in khr.items())
    count = read_drawer(usd_text, khr_text)
    assert count.usd_cents == sum(face * n for face, n in usd.items())
    assert count.khr == sum(face * n for face, n in khr.items())
    again = read_drawer(notes_text(count, Currency.USD), notes_text(count, Currency.KHR))
    assert again == count
    assert read_notes(usd_text, Currency.USD)[0] == count.usd_cents
