"""Money: strict parsing of typed amounts, formatting, exchange and cash change."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter.domain.errors import AmountError, CounterError, PaymentError
from counter.domain.money import (
    Change,
    Currency,
    Money,
    compute_change,
    format_khr,
    format_money,
    format_usd,
    parse_amount,
    plain_decimal,
    round_to_step,
    usd_cents_of,
)

USD = Currency.USD
KHR = Currency.KHR


# --- parsing: accepted -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("5", 500),
        ("5.5", 550),
        ("5.50", 550),
        ("5.05", 505),
        ("0.01", 1),
        ("$5", 500),
        ("$ 5", 500),
        ("US$5", 500),
        ("5 USD", 500),
        ("5$", 500),  # as prices are often written in Cambodia
        ("1,000.00", 100_000),
        ("1,000", 100_000),
        ("123,456.78", 12_345_678),
        ("1000000", 100_000_000),  # the largest a counter handles
        # The code's choice, asserted so a change is deliberate: a bare decimal point
        # before or after the digits is read as a decimal point.
        (".5", 50),
        ("5.", 500),
        ("  5.50  ", 550),
        ("\u00a05\u00a0", 500),
        ("៥", 500),
        ("២.៥០", 250),
        ("១,០០០.០០", 100_000),
        ("５", 500),
        ("２．５０", 250),
        ("007", 700),
    ],
)
def test_usd_accepted(typed: str, cents: int) -> None:
    assert parse_amount(typed) == Money(cents, USD)
    assert parse_amount(typed, USD).minor == cents


@pytest.mark.parametrize(
    ("typed", "riel"),
    [
        ("20000", 20_000),
        ("20,000", 20_000),
        ("20000៛", 20_000),
        ("20,000 ៛", 20_000),
        ("20000 KHR", 20_000),
        ("5000 riel", 5_000),
        ("១០០០០", 10_000),
        ("100", 100),
    ],
)
def test_khr_accepted_as_whole_riel(typed: str, riel: int) -> None:
    assert parse_amount(typed, KHR) == Money(riel, KHR)


# --- parsing: refused ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("NaN", "not an amount"),
        ("nan", "not an amount"),
        ("Infinity", "not an amount"),
        ("inf", "not an amount"),
        ("-Infinity", "negative"),
        ("1e3", "not an amount"),
        ("1E3", "not an amount"),
        ("1_000", "not an amount"),
        ("-5", "negative"),
        ("−5", "negative"),  # U+2212 minus sign
        ("- 5", "negative"),
        ("-0.01", "negative"),
        ("+5", "without a sign"),
        ("", "Enter an amount"),
        ("   ", "Enter an amount"),
        ("\u00a0", "Enter an amount"),
        ("5 5", "not an amount"),
        ("1 000", "not an amount"),
        ("5.123", "more than 2 decimals"),
        ("0.001", "more than 2 decimals"),
        ("5..0", "not an amount"),
        ("5.0.0", "not an amount"),
        ("1,00", "not an amount"),
        ("1,0000", "not an amount"),
        (",100", "not an amount"),
        ("1,000,00", "not an amount"),
        (".", "not an amount"),
        ("$", "not an amount"),
        ("abc", "not an amount"),
        ("0x10", "not an amount"),
        ("1000000.01", "too large"),
        ("99999999999999999999", "too large"),
    ],
)
def test_usd_refused_with_a_message(typed: str, says: str) -> None:
    with pytest.raises(AmountError) as info:
        parse_amount(typed)
    assert says in info.value.message


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("20000.5", "whole numbers"),
        ("20000.00", "whole numbers"),
        ("20000.", "whole numbers"),
        ("-100", "negative"),
        ("+100", "without a sign"),
        ("1e4", "not an amount"),
        ("NaN", "not an amount"),
        ("10_000", "not an amount"),
        ("", "Enter an amount"),
        ("$5", "not an amount"),
        ("20,00", "not an amount"),
        ("10000000001", "too large"),
    ],
)
def test_khr_refused_with_a_message(typed: str, says: str) -> None:
    with pytest.raises(AmountError) as info:
        parse_amount(typed, KHR)
    assert says in info.value.message


def test_long_unreadable_input_is_shortened_in_the_message() -> None:
    with pytest.raises(AmountError) as info:
        parse_amount("x" * 200)
    assert len(info.value.message) < 120
    assert "…" in info.value.message


def test_amount_error_is_a_counter_error() -> None:
    assert issubclass(AmountError, CounterError)
    assert issubclass(PaymentError, CounterError)


def test_non_text_amount_is_refused() -> None:
    with pytest.raises(AmountError):
        parse_amount(5)  # type: ignore[arg-type]


@pytest.mark.parametrize("typed", ["٥", "५", "𝟓", "5٥"])
@pytest.mark.parametrize("currency", [USD, KHR])
def test_digits_of_other_scripts_are_refused(typed: str, currency: Currency) -> None:
    with pytest.raises(AmountError):
        parse_amount(typed, currency)


@pytest.mark.parametrize("currency", [USD, KHR])
def test_absurdly_long_amount_is_refused_as_too_large(currency: Currency) -> None:
    with pytest.raises(AmountError, match="too large"):
        parse_amount("1" * 5000, currency)


# --- Currency and Money ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "currency"),
    [
        ("USD", USD),
        ("usd", USD),
        ("$", USD),
        (" us$ ", USD),
        ("KHR", KHR),
        ("khr", KHR),
        ("riel", KHR),
        ("៛", KHR),
    ],
)
def test_currency_parse(typed: str, currency: Currency) -> None:
    assert Currency.parse(typed) is currency


@pytest.mark.parametrize("typed", ["EUR", "", "THB", "dong"])
def test_currency_parse_refuses_others(typed: str) -> None:
    with pytest.raises(AmountError, match="USD or KHR"):
        Currency.parse(typed)


def test_currency_exponent() -> None:
    assert USD.exponent == 2
    assert KHR.exponent == 0


@pytest.mark.parametrize("bad", [1.5, 5.0, True, "500", None])
def test_money_refuses_anything_but_int(bad: object) -> None:
    with pytest.raises(TypeError):
        Money(bad, USD)  # type: ignore[arg-type]


def test_money_constructors_and_order() -> None:
    assert Money.usd(500) == Money(500, USD)
    assert Money.khr(20000) == Money(20000, KHR)
    assert Money.usd(100) < Money.usd(200)
    assert Money.usd(500) != Money.khr(500)


# --- formatting ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cents", "shown"),
    [
        (0, "$0.00"),
        (1, "$0.01"),
        (500, "$5.00"),
        (550, "$5.50"),
        (125_000, "$1,250.00"),
        (100_000_000, "$1,000,000.00"),
        (-25, "-$0.25"),
        (-125_050, "-$1,250.50"),
    ],
)
def test_format_usd(cents: int, shown: str) -> None:
    assert format_usd(cents) == shown
    assert format_money(Money.usd(cents)) == shown
    assert str(Money.usd(cents)) == shown


@pytest.mark.parametrize(
    ("riel", "shown"),
    [(0, "0៛"), (100, "100៛"), (20_000, "20,000៛"), (1_234_567, "1,234,567៛"), (-500, "-500៛")],
)
def test_format_khr(riel: int, shown: str) -> None:
    assert format_khr(riel) == shown
    assert str(Money.khr(riel)) == shown


@pytest.mark.parametrize(
    ("cents", "text"),
    [(0, "0.00"), (5, "0.05"), (500, "5.00"), (125_000, "1250.00"), (-25, "-0.25")],
)
def test_plain_decimal(cents: int, text: str) -> None:
    assert plain_decimal(cents) == text


@given(st.integers(min_value=0, max_value=100_000_000))
def test_formatted_usd_parses_back(cents: int) -> None:
    assert parse_amount(format_usd(cents)) == Money.usd(cents)
    assert parse_amount(plain_decimal(cents)) == Money.usd(cents)


@given(st.integers(min_value=0, max_value=10_000_000_000))
def test_formatted_khr_parses_back(riel: int) -> None:
    assert parse_amount(format_khr(riel), KHR) == Money.khr(riel)


# --- rounding --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "step", "rounded"),
    [
        (1000, 100, 1000),
        (1025, 100, 1000),
        (1049, 100, 1000),
        (1050, 100, 1100),  # halves go to the customer
        (Fraction(2099, 2), 100, 1000),  # 1049.5
        (2747, 100, 2700),
        (2750, 500, 3000),
        (2749, 500, 2500),
        (0, 100, 0),
        (Fraction(41, 2), 1, 21),  # 20.5 rounds half up
    ],
)
def test_round_to_step(value: Fraction | int, step: int, rounded: int) -> None:
    assert round_to_step(value, step) == rounded


def test_round_to_step_refuses_a_non_positive_step() -> None:
    with pytest.raises(ValueError):
        round_to_step(100, 0)


# --- change ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "paid", "rate", "step", "change"),
    [
        # Exact payment in USD: nothing back.
        (500, Money.usd(500), 4000, 100, Change(0, 0, 0)),
        # Whole dollars over: only dollars back.
        (500, Money.usd(2000), 4000, 100, Change(1500, 0, 0)),
        # $4.75 paid with $10: $5 back and 25 cents as 1,000 riel at 4,000.
        (475, Money.usd(1000), 4000, 100, Change(500, 1000, 0)),
        # At 4,100 the 25 cents are 1,025 riel: 1,000 handed back, 25 kept by the rounding.
        (475, Money.usd(1000), 4100, 100, Change(500, 1000, 25)),
        # $4.33 with $10 at 4,100: 67 cents = 2,747 riel -> 2,700 and 47 kept.
        (433, Money.usd(1000), 4100, 100, Change(500, 2700, 47)),
        # 13 cents at 4,000 = 520 riel -> 500 and 20 kept.
        (487, Money.usd(500), 4000, 100, Change(0, 500, 20)),
        # 15 cents at 4,100 = 615 riel -> 600 and 15 kept.
        (485, Money.usd(500), 4100, 100, Change(0, 600, 15)),
        # Rounding up in the customer's favour: 37 cents = 1,480 -> 1,500, -20 kept.
        (463, Money.usd(500), 4000, 100, Change(0, 1500, -20)),
        # Half a step goes to the customer: 1 cent at 5,000 riel/$ = 50 riel -> 100.
        (499, Money.usd(500), 5000, 100, Change(0, 100, -50)),
        # A coarser step: 67 cents at 4,000 = 2,680 -> 2,500 with a 500 step.
        (433, Money.usd(500), 4000, 500, Change(0, 2500, 180)),
        # Sub-riel: 1 cent at 4,150 = 41.5 riel, rounded half up to 42 whole riel before the step.
        (499, Money.usd(500), 4150, 100, Change(0, 0, 42)),
        # Paid in riel: all change in riel.
        (475, Money.khr(20_000), 4000, 100, Change(0, 1000, 0)),
        (475, Money.khr(19_000), 4000, 100, Change(0, 0, 0)),
        (475, Money.khr(20_000), 4100, 100, Change(0, 500, 25)),  # due 19,475 riel
        (100, Money.khr(5_000), 4000, 100, Change(0, 1000, 0)),
    ],
)
def test_compute_change(due: int, paid: Money, rate: int, step: int, change: Change) -> None:
    assert compute_change(due, paid, rate, step) == change


def test_change_default_step_is_100_riel() -> None:
    assert compute_change(487, Money.usd(500), 4000) == Change(0, 500, 20)


def test_change_is_none() -> None:
    assert compute_change(500, Money.usd(500), 4000).is_none
    assert not compute_change(475, Money.usd(500), 4000).is_none


@pytest.mark.parametrize(
    ("due", "paid", "says"),
    [
        (475, Money.usd(400), "$0.75"),
        (500, Money.usd(499), "$0.01"),
        (475, Money.khr(18_000), "1,000៛"),
    ],
)
def test_short_payment_is_refused(due: int, paid: Money, says: str) -> None:
    with pytest.raises(PaymentError) as info:
        compute_change(due, paid, 4000)
    assert "short" in info.value.message
    assert says in info.value.message


@pytest.mark.parametrize("rate", [0, -4000])
def test_change_refuses_a_non_positive_rate(rate: int) -> None:
    with pytest.raises(PaymentError):
        compute_change(475, Money.usd(500), rate)


@given(
    due=st.integers(min_value=0, max_value=1_000_000),
    extra=st.integers(min_value=0, max_value=1_000_000),
    rate=st.integers(min_value=1000, max_value=10_000),
    step=st.sampled_from([1, 50, 100, 500, 1000]),
)
@settings(max_examples=300)
def test_change_in_usd_accounts_for_every_riel(due: int, extra: int, rate: int, step: int) -> None:
    """Contract: whole dollars back in USD, the rest in riel to the step, and
    usd back (in riel) + riel back + rounding kept == the excess in riel, rounded half up
    to the whole riel (the only part that is lost is below one riel: at most half a riel)."""
    change = compute_change(due, Money.usd(due + extra), rate, step)
    assert change.usd_cents % 100 == 0
    assert change.usd_cents == extra // 100 * 100
    assert change.khr % step == 0
    assert change.khr >= 0
    assert abs(change.rounding_khr) <= (step + 1) // 2 + 1
    accounted = Fraction(change.usd_cents * rate, 100) + change.khr + change.rounding_khr
    exact = Fraction(extra * rate, 100)
    assert accounted.denominator == 1
    assert abs(accounted - exact) <= Fraction(1, 2)
    if (extra * rate) % 100 == 0:
        assert accounted == exact


@given(
    due=st.integers(min_value=0, max_value=1_000_000),
    extra=st.integers(min_value=0, max_value=4_000_000),
    rate=st.integers(min_value=1000, max_value=10_000),
)
def test_change_in_riel_accounts_for_every_riel(due: int, extra: int, rate: int) -> None:
    due_riel = Fraction(due * rate, 100)
    paid = int(due_riel) + 1 + extra
    change = compute_change(due, Money.khr(paid), rate)
    assert change.usd_cents == 0
    assert change.khr % 100 == 0
    assert abs(change.khr + change.rounding_khr - (paid - due_riel)) <= Fraction(1, 2)


# --- converting riel to cents ------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "rate", "cents"),
    [
        (Money.khr(4000), 4000, 100),
        (Money.khr(5000), 4000, 125),
        (Money.khr(10_000), 4000, 250),
        (Money.khr(20_000), 4000, 500),
        (Money.khr(41), 4100, 1),
        (Money.khr(4100), 4100, 100),
        (Money.khr(0), 4000, 0),
        (Money.usd(550), 4000, 550),
        (Money.usd(550), 4100, 550),
    ],
)
def test_usd_cents_of_exact(amount: Money, rate: int, cents: int) -> None:
    assert usd_cents_of(amount, rate) == cents


@pytest.mark.parametrize(("riel", "rate"), [(5000, 4100), (100, 4100), (1, 4000), (39, 4000)])
def test_usd_cents_of_inexact_is_refused(riel: int, rate: int) -> None:
    with pytest.raises(AmountError) as info:
        usd_cents_of(Money.khr(riel), rate)
    assert "whole number of cents" in info.value.message
    assert f"{rate:,}" in info.value.message
