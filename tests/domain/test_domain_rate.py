"""The shop's rate: inside its bounds or refused in words; typed as whole riel per dollar."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter.domain.errors import CounterError, RateError
from counter.domain.rate import RateBounds, read_rate, riel_value


@pytest.mark.parametrize("rate", [3000, 4000, 4037, 4100, 5000])
def test_rates_within_the_default_bounds_are_kept(rate: int) -> None:
    assert RateBounds().check(rate) == rate


@pytest.mark.parametrize(
    ("rate", "says"),
    [
        (2999, "2,999 riel per dollar is below this shop's lowest rate of 3,000"),
        (410, "410 riel per dollar is below"),
        (5001, "5,001 riel per dollar is above this shop's highest rate of 5,000"),
        (41000, "41,000 riel per dollar is above"),
        (0, "below"),
        (-4100, "below"),
    ],
)
def test_rates_outside_the_bounds_are_refused_in_words(rate: int, says: str) -> None:
    with pytest.raises(RateError) as info:
        RateBounds().check(rate)
    assert says in info.value.message
    assert "typing slip" in info.value.message
    assert info.value.rate == rate
    assert isinstance(info.value, CounterError)


def test_the_bounds_are_the_shops() -> None:
    bounds = RateBounds(lowest=3900, highest=4200)
    assert bounds.check(3900) == 3900
    assert bounds.check(4200) == 4200
    with pytest.raises(RateError, match="3,900"):
        bounds.check(3899)
    with pytest.raises(RateError, match="4,200"):
        bounds.check(4201)


@pytest.mark.parametrize(("low", "high"), [(0, 5000), (5000, 3000), (-1, 10)])
def test_bounds_that_cannot_hold_a_rate_are_refused(low: int, high: int) -> None:
    with pytest.raises(ValueError):
        RateBounds(low, high)


@pytest.mark.parametrize("bad", [4100.0, True, "4100"])
def test_a_rate_is_a_whole_number(bad: object) -> None:
    with pytest.raises(RateError, match="whole number"):
        RateBounds().check(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        RateBounds(bad, 5000)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "rate"),
    [
        ("4100", 4100),
        ("4,100", 4100),
        (" 4100 ", 4100),
        ("4100r", 4100),
        ("4100 ៛", 4100),
        ("៤១០០", 4100),
        ("4100 riel", 4100),
        ("4037", 4037),
    ],
)
def test_rates_typed(typed: str, rate: int) -> None:
    assert read_rate(typed) == rate


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Enter the rate"),
        ("4100.5", "not a rate"),
        ("-4100", "not a rate"),
        ("+4100", "not a rate"),
        ("4e3", "not a rate"),
        ("4_100", "not a rate"),
        ("NaN", "not a rate"),
        ("41,00", "not a rate"),
        ("410", "below"),
        ("41000", "above"),
        ("9" * 40, "not a rate"),
    ],
)
def test_rates_refused_in_words(typed: str, says: str) -> None:
    with pytest.raises(RateError) as info:
        read_rate(typed)
    assert says in info.value.message


def test_read_rate_uses_the_shops_bounds() -> None:
    assert read_rate("5500", RateBounds(4000, 6000)) == 5500
    with pytest.raises(RateError, match="above"):
        read_rate("5500")


@pytest.mark.parametrize(
    ("cents", "rate", "riel"),
    [(125, 4000, 5000), (121, 4100, 4961), (121, 4037, 4885), (1, 4150, 42), (0, 4000, 0)],
)
def test_riel_value_is_the_nearest_riel(cents: int, rate: int, riel: int) -> None:
    assert riel_value(cents, rate) == riel


@given(st.text())
def test_read_rate_gives_a_rate_or_our_error(text: str) -> None:
    try:
        rate = read_rate(text)
    except RateError as exc:
        assert exc.message.strip()
        return
    assert 3000 <= rate <= 5000
