"""Counting the drawer by note, totals computed; a plain total still accepted."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter.domain.cash_count import (
    KHR_NOTES,
    USD_NOTES_CENTS,
    CashCount,
    NoteCount,
    count_by_note,
    plain_count,
)
from counter.domain.errors import AmountError
from counter.domain.money import Currency


def test_the_notes_in_use() -> None:
    assert USD_NOTES_CENTS == (100, 200, 500, 1000, 2000, 5000, 10000)
    assert KHR_NOTES[0] == 100 and KHR_NOTES[-1] == 200_000
    assert {15_000, 30_000, 100_000} <= set(KHR_NOTES)
    assert 50 not in KHR_NOTES


def test_a_count_by_note_computes_the_totals() -> None:
    count = count_by_note(usd={2000: 3, 100: 4, 5000: 0}, khr={1000: 12, 100_000: 1, 500: 3})
    assert count.usd_cents == 6400
    assert count.khr == 113_500
    assert count.by_note
    assert count.count_of(Currency.USD, 2000) == 3
    assert count.count_of(Currency.USD, 5000) == 0
    # Largest note first; notes counted as none are left out.
    assert count.notes == (
        NoteCount(Currency.USD, 2000, 3),
        NoteCount(Currency.USD, 100, 4),
        NoteCount(Currency.KHR, 100_000, 1),
        NoteCount(Currency.KHR, 1000, 12),
        NoteCount(Currency.KHR, 500, 3),
    )


def test_other_cash_is_added_as_a_plain_amount() -> None:
    count = count_by_note(khr={1000: 2}, other_khr=150, other_usd_cents=25)
    assert (count.usd_cents, count.khr) == (25, 2150)


def test_a_plain_total_is_still_accepted() -> None:
    count = plain_count(12_500, 48_000)
    assert count == CashCount(12_500, 48_000)
    assert not count.by_note


@pytest.mark.parametrize(
    ("usd", "khr", "says"),
    [
        ({300: 1}, {}, "$3.00 is not a note in use"),
        ({}, {50: 4}, "50៛ is not a note in use; the notes counted are 100៛, 200៛"),
        ({2000: -1}, {}, "a count cannot be below zero"),
        ({}, {100: 10_001}, "more than a drawer holds"),
    ],
)
def test_a_wrong_count_is_refused_in_words(
    usd: dict[int, int], khr: dict[int, int], says: str
) -> None:
    with pytest.raises(AmountError) as info:
        count_by_note(usd=usd, khr=khr)
    assert says in info.value.message


def test_plain_totals_are_checked() -> None:
    with pytest.raises(AmountError, match="below zero"):
        plain_count(-1, 0)
    with pytest.raises(AmountError, match="more than a counter's drawer holds"):
        plain_count(0, 10**12)


def test_a_count_by_note_that_does_not_add_up_cannot_be_made() -> None:
    with pytest.raises(ValueError):
        CashCount(100, 0, notes=(NoteCount(Currency.USD, 500, 1),))


@given(
    st.dictionaries(st.sampled_from(USD_NOTES_CENTS), st.integers(0, 1000)),
    st.dictionaries(st.sampled_from(KHR_NOTES), st.integers(0, 1000)),
)
def test_the_totals_are_the_sum_of_the_notes(usd: dict[int, int], khr: dict[int, int]) -> None:
    count = count_by_note(usd=usd, khr=khr)
    assert count.usd_cents == sum(face * n for face, n in usd.items())
    assert count.khr == sum(face * n for face, n in khr.items())
    for face, n in usd.items():
        assert count.count_of(Currency.USD, face) == n
