"""Signs are read once, strictly (`money.parse_signed_amount`): `--5` is refused in words,
never read as -5.00; one sign, then the one strict reading of an amount."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter.domain.errors import AmountError
from counter.domain.money import Currency, parse_signed_amount

SIGNS = ["-", "+", "\u2212", "\u2013", "\uff0d", "\uff0b"]


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("-2.50", -250),
        ("+10", 1000),
        ("10", 1000),
        (" -5 ", -500),
        ("\u22125", -500),
        ("－1,000.00", -100_000),
        ("-$5", -500),
    ],
)
def test_one_sign_is_read(text: str, cents: int) -> None:
    assert parse_signed_amount(text, Currency.USD) == cents


@pytest.mark.parametrize("text", ["--5", "+-5", "-+5", "- -5", "++5", "-−5", "－-5"])
def test_a_second_sign_is_refused_in_words(text: str) -> None:
    with pytest.raises(AmountError) as refused:
        parse_signed_amount(text, Currency.USD)
    assert refused.value.message == (
        f"{text!r} has more than one sign: type one, like -2.50 or 10.00."
    )


@pytest.mark.parametrize("text", ["-", "", "-5-", "5-", "-5000r", "-1e3", "-5.001"])
def test_the_rest_is_the_strict_reading_of_an_amount(text: str) -> None:
    with pytest.raises(AmountError):
        parse_signed_amount(text, Currency.USD)


@given(
    signs=st.lists(st.sampled_from(SIGNS), min_size=2, max_size=4),
    cents=st.integers(1, 10_000_000),
    gap=st.sampled_from(["", " "]),
)
def test_any_run_of_signs_is_refused_never_folded(signs: list[str], cents: int, gap: str) -> None:
    text = gap.join(signs) + f"{cents // 100}.{cents % 100:02d}"
    with pytest.raises(AmountError, match="more than one sign"):
        parse_signed_amount(text, Currency.USD)


@given(cents=st.integers(1, 10_000_000), minus=st.booleans())
def test_a_signed_amount_reads_back(cents: int, minus: bool) -> None:
    text = ("-" if minus else "") + f"{cents // 100}.{cents % 100:02d}"
    assert parse_signed_amount(text, Currency.USD) == (-cents if minus else cents)
