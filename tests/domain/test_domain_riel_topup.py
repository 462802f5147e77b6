"""A top-up asked for in riel: the nearest amount the operator allows at or below it, the
difference in the change, at any rate."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counter.domain.cash import ChangePolicy, Rounding
from counter.domain.errors import AmountError
from counter.domain.money import Money
from counter.domain.operators import Operator
from counter.domain.riel_topup import (
    fit_riel_topup,
    largest_allowed_at_or_below,
    smallest_allowed,
)
from counter.rules import load_rules

RULES = load_rules()
SMART = RULES["smart"]  # $1..$100 to the cent
CELLCARD = RULES["cellcard"]  # $1..$50 in whole dollars
METFONE = RULES["metfone"]  # $2, $5, $10, $20, $50, $100 only
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def operator(
    min_cents: int, max_cents: int, step: int, denominations: tuple[int, ...] = ()
) -> Operator:
    return Operator(
        id="test",
        name="Test",
        colour="white",
        enabled=True,
        prefixes={},
        min_cents=min_cents,
        max_cents=max_cents,
        step_cents=step,
        denominations=denominations,
    )


NICKELS = operator(100, 5000, 5)


@pytest.mark.parametrize(
    ("op", "riel", "rate", "cents", "back", "summary"),
    [
        (SMART, 5000, 4000, 125, 0, "5,000៛ → $1.25 top-up, nothing back"),
        (CELLCARD, 5000, 4000, 100, 1000, "5,000៛ → $1.00 top-up, 1,000៛ back"),
        (CELLCARD, 10000, 4000, 200, 2000, "10,000៛ → $2.00 top-up, 2,000៛ back"),
        # 4,100: 5,000 riel are $1.2195...; Smart sells $1.21 (4,961), 39 riel under a step.
        (SMART, 5000, 4100, 121, 0, "5,000៛ → $1.21 top-up, nothing back"),
        (CELLCARD, 5000, 4100, 100, 900, "5,000៛ → $1.00 top-up, 900៛ back"),
        (NICKELS, 5000, 4100, 120, 100, "5,000៛ → $1.20 top-up, 100៛ back"),  # 80 riel exact
        # 4,037: $1.23 is 4,965.51 riel; $1.00 is 4,037, 963 back rounds to 1,000.
        (SMART, 5000, 4037, 123, 0, "5,000៛ → $1.23 top-up, nothing back"),
        (CELLCARD, 5000, 4037, 100, 1000, "5,000៛ → $1.00 top-up, 1,000៛ back"),
        (METFONE, 25000, 4037, 500, 4800, "25,000៛ → $5.00 top-up, 4,800៛ back"),  # 4,815 exact
        (SMART, 5000, 3000, 166, 0, "5,000៛ → $1.66 top-up, nothing back"),  # 20 riel exact
        (SMART, 5000, 5000, 100, 0, "5,000៛ → $1.00 top-up, nothing back"),
        (METFONE, 40000, 4000, 1000, 0, "40,000៛ → $10.00 top-up, nothing back"),
        (METFONE, 39999, 4000, 500, 20000, "39,999៛ → $5.00 top-up, 20,000៛ back"),
        (SMART, 410_000, 4100, 10000, 0, "410,000៛ → $100.00 top-up, nothing back"),
    ],
)
def test_riel_top_ups_at_several_rates(
    op: Operator, riel: int, rate: int, cents: int, back: int, summary: str
) -> None:
    topup = fit_riel_topup(Money.khr(riel), op, rate)
    assert topup.amount_cents == cents
    assert topup.back_khr == back
    assert topup.summary == summary
    settled = topup.settlement
    assert riel * 100 == cents * rate + back * 100 + settled.rounding_sen
    assert op.amount_problems(cents) == []


def test_the_shops_rounding_decides_the_riel_back() -> None:
    down = ChangePolicy(rounding=Rounding.DOWN)
    assert fit_riel_topup(5000, CELLCARD, 4037, down).back_khr == 900
    assert fit_riel_topup(5000, CELLCARD, 4037).back_khr == 1000
    assert fit_riel_topup(5000, CELLCARD, 4037, ChangePolicy(step_khr=500)).back_khr == 1000


@pytest.mark.parametrize(
    ("op", "riel", "rate", "says"),
    [
        (
            METFONE,
            5000,
            4100,
            "5,000៛ is $1.21 at 4,100 riel per dollar, less than Metfone's smallest top-up "
            "of $2.00 (8,200៛).",
        ),
        (SMART, 4000, 4100, "less than Smart's smallest top-up of $1.00 (4,100៛)"),
        (SMART, 4036, 4037, "(4,037៛)"),
        (
            CELLCARD,
            500_000,
            4000,
            "500,000៛ is $125.00 at 4,000 riel per dollar, more than Cellcard's maximum "
            "of $50.00 (200,000៛).",
        ),
        (SMART, 0, 4000, "more than zero"),
        (SMART, -5000, 4000, "more than zero"),
        (operator(150, 160, 100), 6000, 4000, "rules allow no top-up amount"),
    ],
)
def test_nothing_fits_is_refused_in_words(op: Operator, riel: int, rate: int, says: str) -> None:
    with pytest.raises(AmountError) as info:
        fit_riel_topup(riel, op, rate)
    assert says in info.value.message


def test_only_riel_is_fitted() -> None:
    with pytest.raises(ValueError):
        fit_riel_topup(Money.usd(500), SMART, 4000)


@pytest.mark.parametrize(
    ("op", "cents", "allowed"),
    [
        (SMART, 121, 121),
        (SMART, 99, None),
        (SMART, 20000, 10000),
        (CELLCARD, 199, 100),
        (METFONE, 499, 200),
        (METFONE, 199, None),
        (NICKELS, 123, 120),
        (operator(150, 1000, 100), 199, None),  # 100 is under the minimum, 200 above 199
        (operator(150, 1000, 100), 250, 200),
    ],
)
def test_largest_allowed_at_or_below(op: Operator, cents: int, allowed: int | None) -> None:
    assert largest_allowed_at_or_below(op, cents) == allowed


def test_smallest_allowed() -> None:
    assert smallest_allowed(SMART) == 100
    assert smallest_allowed(METFONE) == 200
    assert smallest_allowed(operator(150, 1000, 100)) == 200
    assert smallest_allowed(operator(150, 160, 100)) is None


# --- properties ---------------------------------------------------------------------------

operators = st.sampled_from([SMART, CELLCARD, METFONE, NICKELS, RULES["seatel"], RULES["cootel"]])
rates = st.one_of(st.sampled_from([4000, 4100, 4037, 3000, 5000]), st.integers(3000, 5000))


def fitted(riel: int, op: Operator, rate: int) -> int | None:
    try:
        return fit_riel_topup(riel, op, rate).amount_cents
    except AmountError:
        return None


@FAST
@given(st.integers(1, 600_000), operators, rates)
def test_the_fit_is_allowed_at_or_below_and_the_nearest(riel: int, op: Operator, rate: int) -> None:
    cents = fitted(riel, op, rate)
    worth = riel * 100 // rate
    if cents is None:
        # Nothing fits only outside the operator's range.
        smallest = smallest_allowed(op)
        assert worth > op.max_cents or smallest is None or worth < smallest
        return
    assert op.amount_problems(cents) == []
    assert cents * rate <= riel * 100
    # No amount the operator sells lies between the fit and what the riel are worth.
    assert all(op.amount_problems(c) for c in range(cents + 1, min(worth, cents + 600) + 1))


@FAST
@given(st.integers(1, 600_000), st.integers(1, 600_000), operators, rates)
def test_fitting_is_monotonic(a: int, b: int, op: Operator, rate: int) -> None:
    low, high = sorted((a, b))
    fit_low, fit_high = fitted(low, op, rate), fitted(high, op, rate)
    if fit_low is not None and fit_high is not None:
        assert fit_low <= fit_high
    if fit_low is not None and high * 100 // rate <= op.max_cents:
        assert fit_high is not None


@FAST
@given(
    st.integers(1, 600_000),
    operators,
    rates,
    st.sampled_from([1, 100, 500]),
    st.sampled_from(list(Rounding)),
)
def test_the_riel_asked_balances(
    riel: int, op: Operator, rate: int, step: int, rounding: Rounding
) -> None:
    try:
        topup = fit_riel_topup(riel, op, rate, ChangePolicy(step_khr=step, rounding=rounding))
    except AmountError:
        return
    settled = topup.settlement
    assert riel * 100 == topup.amount_cents * rate + settled.change_khr * 100 + settled.rounding_sen
    assert settled.change_usd_cents == 0  # riel paid: riel back
    assert settled.change_khr >= 0
    if rounding is Rounding.DOWN:
        assert settled.change_khr * 100 <= riel * 100 - topup.amount_cents * rate
