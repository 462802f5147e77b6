"""Cash received that is not believable is flagged with both readings, never let through."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter.domain.amounts import read_cash
from counter.domain.cash import Payment, PaymentLine, Tender
from counter.domain.money import Currency, Money
from counter.domain.plausible import CashLimits, doubt_cash, other_reading


def paid(typed: str) -> Payment:
    return Payment.cash(*read_cash(typed))


@pytest.mark.parametrize(
    ("due", "typed", "rate", "message"),
    [
        # `20000` typed without its r for a $5 top-up.
        (500, "20000", 4000, "Cash received for $5.00: $20,000.00 or 20,000៛?"),
        (125, "5000", 4100, "Cash received for $1.25: $5,000.00 or 5,000៛?"),
        # A riel amount far too large: the other reading is dollars.
        (100, "500000r", 4000, "Cash received for $1.00: 500,000៛ or $500,000.00?"),
        (100, "5000000r", 4000, "Cash received for $1.00 is 5,000,000៛: more than expected"),
        (
            500,
            "20000 + 2000r",
            4000,
            "Cash received for $5.00 is $20,000.00 + 2,000៛: $20,000.00 or 20,000៛?",
        ),
        (500, "20000.50", 4000, "Cash received for $5.00 is $20,000.50: more than expected"),
    ],
)
def test_unbelievable_cash_is_flagged_with_both_readings(
    due: int, typed: str, rate: int, message: str
) -> None:
    doubt = doubt_cash(due, paid(typed), rate)
    assert doubt is not None
    assert message in doubt.message


@pytest.mark.parametrize(
    ("due", "typed"),
    [
        (100, "100"),  # a $100 note for a $1 top-up: 100 times, believable
        (500, "20000r"),
        (500, "20 + 5000r"),
        (125, "200000r"),  # a 200,000 riel note for $1.25: 40 times
        (10000, "200"),
        (10000, "500"),  # $500: the most, included
    ],
)
def test_believable_cash_is_not_flagged(due: int, typed: str) -> None:
    assert doubt_cash(due, paid(typed), 4000) is None


def test_both_limits_are_reported() -> None:
    over_multiple = doubt_cash(100, paid("101"), 4000)
    assert over_multiple is not None
    assert over_multiple.over_multiple and not over_multiple.over_maximum
    over_maximum = doubt_cash(10000, paid("600"), 4000)
    assert over_maximum is not None
    assert over_maximum.over_maximum and not over_maximum.over_multiple
    assert over_maximum.message == "Cash received for $100.00: $600.00 or 600៛?"


def test_the_limits_are_the_shops() -> None:
    limits = CashLimits(max_multiple=10, max_received_cents=20_000)
    assert doubt_cash(100, paid("11"), 4000, limits) is not None
    assert doubt_cash(100, paid("10"), 4000, limits) is None
    assert doubt_cash(10000, paid("201"), 4000, limits) is not None
    with pytest.raises(ValueError):
        CashLimits(max_multiple=0)


def test_a_bank_payment_is_not_cash_to_doubt() -> None:
    khqr = Payment.of(PaymentLine(Tender.KHQR, Currency.USD, 500))
    assert doubt_cash(500, khqr, 4000) is None


def test_the_largest_line_is_the_one_read_both_ways() -> None:
    doubt = doubt_cash(100, paid("2000r + 20000"), 4000)
    assert doubt is not None
    assert doubt.line.money == Money.usd(2_000_000)
    assert doubt.other_reading == Money.khr(20000)


@pytest.mark.parametrize(
    ("money", "other"),
    [
        (Money.usd(2_000_000), Money.khr(20000)),
        (Money.khr(20000), Money.usd(2_000_000)),
        (Money.usd(2_000_050), None),
        (Money.khr(10_000_000_000), None),
    ],
)
def test_other_reading(money: Money, other: Money | None) -> None:
    assert other_reading(money) == other


@given(
    st.integers(1, 100_000),
    st.integers(1, 10**8),
    st.sampled_from(list(Currency)),
    st.sampled_from([3000, 4000, 4037, 4100, 5000]),
)
def test_doubt_exactly_when_a_limit_is_passed(
    due: int, minor: int, currency: Currency, rate: int
) -> None:
    payment = Payment.cash(Money(minor, currency))
    worth_sen = minor * (rate if currency is Currency.USD else 100)
    expected = worth_sen > 100 * due * rate or worth_sen > 50_000 * rate
    assert (doubt_cash(due, payment, rate) is not None) == expected
