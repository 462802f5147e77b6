"""Payment lines and change: in riel at the sale's rate, to the shop's step and direction,
and always balanced: received = due + change + rounding, exactly."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counter.domain.cash import (
    ChangePolicy,
    Payment,
    PaymentLine,
    Rounding,
    Settlement,
    Tender,
    riel_to_ask,
    sen_of,
    settle,
)
from counter.domain.errors import PaymentError
from counter.domain.money import Change, Currency, Money

USD = Currency.USD
KHR = Currency.KHR
NEAREST = ChangePolicy()
DOWN = ChangePolicy(rounding=Rounding.DOWN)
RIEL_ONLY = ChangePolicy(dollar_change=False)
FAST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def cash(*amounts: Money) -> Payment:
    return Payment.cash(*amounts)


# --- records ----------------------------------------------------------------------------


def test_a_payment_line_is_a_tender_a_currency_and_minor_units() -> None:
    line = PaymentLine(Tender.CASH, USD, 500)
    assert line.money == Money.usd(500)
    assert PaymentLine.cash(Money.khr(2000)) == PaymentLine(Tender.CASH, KHR, 2000)
    assert PaymentLine("khqr", "USD", 125) == PaymentLine(Tender.KHQR, USD, 125)  # type: ignore[arg-type]


@pytest.mark.parametrize("minor", [0, -500])
def test_a_payment_line_is_for_more_than_zero(minor: int) -> None:
    with pytest.raises(ValueError):
        PaymentLine(Tender.CASH, USD, minor)


@pytest.mark.parametrize("minor", [5.0, True, "500"])
def test_a_payment_line_is_never_a_float(minor: object) -> None:
    with pytest.raises(TypeError):
        PaymentLine(Tender.CASH, USD, minor)  # type: ignore[arg-type]


def test_a_payment_adds_lines_of_the_same_tender_and_currency() -> None:
    payment = cash(Money.usd(2000), Money.khr(2000), Money.usd(500))
    assert payment.lines == (
        PaymentLine(Tender.CASH, USD, 2500),
        PaymentLine(Tender.CASH, KHR, 2000),
    )
    assert payment.minor(USD) == 2500
    assert payment.minor(KHR) == 2000
    assert payment.text() == "$25.00 + 2,000៛"


def test_a_payment_keeps_cash_and_khqr_apart() -> None:
    payment = Payment.of(PaymentLine(Tender.KHQR, USD, 300), PaymentLine(Tender.CASH, USD, 200))
    assert payment.minor(USD) == 500
    assert payment.minor(USD, Tender.CASH) == 200
    assert payment.sen(4000, Tender.KHQR) == 300 * 4000


def test_a_payment_has_lines_and_one_per_kind() -> None:
    with pytest.raises(ValueError):
        Payment(())
    with pytest.raises(ValueError):
        Payment((PaymentLine(Tender.CASH, USD, 1), PaymentLine(Tender.CASH, USD, 2)))
    with pytest.raises(PaymentError, match="Enter the cash received"):
        cash(Money.usd(0))


@pytest.mark.parametrize(
    ("money", "rate", "sen"),
    [
        (Money.khr(5000), 4100, 500_000),
        (Money.usd(121), 4037, 488_477),
        (Money.usd(100), 4000, 400_000),
    ],
)
def test_every_amount_is_exact_in_sen(money: Money, rate: int, sen: int) -> None:
    assert sen_of(money, rate) == sen


# --- change -----------------------------------------------------------------------------

CASES = [
    # due, payment, rate, policy, (usd back, riel back, rounding in sen)
    (125, cash(Money.usd(500)), 4000, NEAREST, (300, 3000, 0)),
    (125, cash(Money.usd(500), Money.khr(2000)), 4000, NEAREST, (400, 1000, 0)),
    (125, cash(Money.khr(5000)), 4000, NEAREST, (0, 0, 0)),
    (125, cash(Money.khr(10000)), 4000, NEAREST, (0, 5000, 0)),  # paid in riel: riel back
    (500, cash(Money.khr(20000)), 4000, NEAREST, (0, 0, 0)),
    (125, cash(Money.usd(500)), 4000, RIEL_ONLY, (0, 15000, 0)),
    # $4.75 from $10 at 4,100: $5 and 25 cents = 1,025 riel -> 1,000, 25 riel kept.
    (475, cash(Money.usd(1000)), 4100, NEAREST, (500, 1000, 2500)),
    (433, cash(Money.usd(1000)), 4100, NEAREST, (500, 2700, 4700)),  # 2,747 riel
    (433, cash(Money.usd(1000)), 4100, DOWN, (500, 2700, 4700)),
    # 37 cents at 4,000 = 1,480 riel: nearest gives 1,500 (20 more), down 1,400 (80 kept).
    (463, cash(Money.usd(500)), 4000, NEAREST, (0, 1500, -2000)),
    (463, cash(Money.usd(500)), 4000, DOWN, (0, 1400, 8000)),
    # Half a step: 1 cent at 5,000 = 50 riel. Nearest: to the customer; down: to the shop.
    (499, cash(Money.usd(500)), 5000, NEAREST, (0, 100, -5000)),
    (499, cash(Money.usd(500)), 5000, DOWN, (0, 0, 5000)),
    # 4,037: 79 cents = 3,189.23 riel.
    (121, cash(Money.usd(200)), 4037, NEAREST, (0, 3200, -1077)),
    (121, cash(Money.usd(200)), 4037, DOWN, (0, 3100, 8923)),
    # $1.21 at 4,037 = 4,884.77 riel; 4,900 paid: 15.23 riel kept.
    (121, cash(Money.khr(4900)), 4037, NEAREST, (0, 0, 1523)),
    # Short by 34.77 riel, under half a step: nearest accepts it, nothing back.
    (121, cash(Money.khr(4850)), 4037, NEAREST, (0, 0, -3477)),
    # A 500-riel step.
    (433, cash(Money.usd(500)), 4000, ChangePolicy(step_khr=500), (0, 2500, 18000)),
    # Dollars back only up to the dollar notes handed over.
    (100, cash(Money.usd(500), Money.khr(50000)), 4000, NEAREST, (500, 46000, 0)),
    # KHQR for part, cash for the rest: change from the cash.
    (
        500,
        Payment.of(PaymentLine(Tender.KHQR, USD, 300), PaymentLine(Tender.CASH, KHR, 10000)),
        4000,
        NEAREST,
        (0, 2000, 0),
    ),
    (500, Payment.of(PaymentLine(Tender.KHQR, USD, 500)), 4037, NEAREST, (0, 0, 0)),
]


@pytest.mark.parametrize(("due", "payment", "rate", "policy", "expected"), CASES)
def test_change(
    due: int, payment: Payment, rate: int, policy: ChangePolicy, expected: tuple[int, int, int]
) -> None:
    settled = settle(due, payment, rate, policy)
    assert (settled.change_usd_cents, settled.change_khr, settled.rounding_sen) == expected
    assert settled.received_sen == settled.due_sen + settled.change_sen + settled.rounding_sen


def test_the_change_record_keeps_the_rounding_in_whole_riel() -> None:
    assert settle(475, cash(Money.usd(1000)), 4100).change == Change(500, 1000, 25)
    assert settle(121, cash(Money.usd(200)), 4037).change == Change(0, 3200, -11)
    assert settle(121, cash(Money.khr(4900)), 4037).change == Change(0, 0, 15)


@pytest.mark.parametrize(
    ("due", "payment", "rate", "policy", "says"),
    [
        (475, cash(Money.usd(400)), 4000, NEAREST, "$4.00 received is short of $4.75 by $0.75."),
        (500, cash(Money.usd(499)), 4000, DOWN, "$4.99 received is short of $5.00 by $0.01."),
        (500, cash(Money.usd(498)), 4000, NEAREST, "$4.98 received is short of $5.00 by $0.02."),
        (
            475,
            cash(Money.khr(18000)),
            4000,
            NEAREST,
            "18,000៛ received is short of 19,000៛ by 1,000៛.",
        ),
        (
            525,
            cash(Money.usd(500), Money.khr(500)),
            4000,
            NEAREST,
            "$5.00 + 500៛ received is short of 21,000៛ by 500៛.",
        ),
        (121, cash(Money.khr(4800)), 4037, NEAREST, "short of 4,885៛ by 85៛"),
        (121, cash(Money.khr(4850)), 4037, DOWN, "short of 4,885៛ by 35៛"),
    ],
)
def test_a_short_payment_is_refused_in_words(
    due: int, payment: Payment, rate: int, policy: ChangePolicy, says: str
) -> None:
    with pytest.raises(PaymentError) as info:
        settle(due, payment, rate, policy)
    assert says in info.value.message


def test_nearest_accepts_a_payment_short_by_under_half_a_step() -> None:
    """1 cent at 4,000 is 40 riel, under half the 100-riel step: the change (-40 riel)
    rounds to nothing, and the 40 riel are recorded as rounding given to the customer."""
    settled = settle(500, cash(Money.usd(499)), 4000)
    assert settled.change == Change(0, 0, -40)


def test_khqr_is_never_more_than_the_amount_due() -> None:
    payment = Payment.of(PaymentLine(Tender.KHQR, USD, 600))
    with pytest.raises(PaymentError, match="KHQR payment is for the amount due"):
        settle(500, payment, 4000)


@pytest.mark.parametrize("rate", [0, -4000])
def test_a_non_positive_rate_is_refused(rate: int) -> None:
    with pytest.raises(PaymentError, match="positive"):
        settle(500, cash(Money.usd(500)), rate)


def test_a_settlement_that_does_not_balance_cannot_be_made() -> None:
    with pytest.raises(ValueError, match="balances"):
        Settlement(125, cash(Money.usd(500)), 4000, 300, 3000, 1)


def test_a_policy_is_checked() -> None:
    with pytest.raises(ValueError):
        ChangePolicy(step_khr=0)
    with pytest.raises(ValueError):
        ChangePolicy(rounding="up")  # type: ignore[arg-type]
    assert ChangePolicy(rounding="down").rounding is Rounding.DOWN  # type: ignore[arg-type]


# --- the riel hint ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "rate", "policy", "riel"),
    [
        (125, 4000, NEAREST, 5000),
        (500, 4000, NEAREST, 20000),
        (121, 4100, NEAREST, 5000),  # 4,961
        (121, 4037, NEAREST, 4900),  # 4,884.77
        (121, 4037, DOWN, 4900),
        (101, 4000, NEAREST, 4000),  # 4,040: 40 riel kept, nothing back
        (101, 4000, DOWN, 4100),
        (1, 4000, NEAREST, 100),  # at least one step
        (433, 4000, ChangePolicy(step_khr=500), 17500),  # 17,320
    ],
)
def test_riel_to_ask(due: int, rate: int, policy: ChangePolicy, riel: int) -> None:
    assert riel_to_ask(due, rate, policy) == riel


# --- properties ---------------------------------------------------------------------------

rates = st.one_of(st.sampled_from([4000, 4100, 4037, 3000, 5000]), st.integers(1000, 10_000))
policies = st.builds(
    ChangePolicy,
    step_khr=st.sampled_from([1, 50, 100, 500, 1000]),
    rounding=st.sampled_from(list(Rounding)),
    dollar_change=st.booleans(),
)


@st.composite
def payments(draw: st.DrawFn) -> Payment:
    lines = [
        PaymentLine(tender, currency, draw(st.integers(1, 5_000_000)))
        for tender in Tender
        for currency in Currency
        if draw(st.booleans())
    ]
    if not lines:
        lines = [
            PaymentLine(
                Tender.CASH, draw(st.sampled_from(list(Currency))), draw(st.integers(1, 10**6))
            )
        ]
    return Payment(tuple(lines))


def received_sen(payment: Payment, rate: int) -> int:
    """Worked out here on its own, not with the code under test."""
    return sum(line.minor * (100 if line.currency is KHR else rate) for line in payment.lines)


@FAST
@given(st.integers(1, 2_000_000), payments(), rates, policies)
def test_every_settlement_balances_exactly(
    due: int, payment: Payment, rate: int, policy: ChangePolicy
) -> None:
    bank = sum(
        line.minor * rate if line.currency is USD else line.minor * 100
        for line in payment.lines
        if line.tender is not Tender.CASH
    )
    excess = received_sen(payment, rate) - due * rate
    half_step = policy.step_khr * 50 if policy.rounding is Rounding.NEAREST else 0
    refused = bank > due * rate or excess < -half_step
    try:
        settled = settle(due, payment, rate, policy)
    except PaymentError:
        assert refused
        return
    assert not refused
    change_sen = settled.change_usd_cents * rate + settled.change_khr * 100
    assert received_sen(payment, rate) == due * rate + change_sen + settled.rounding_sen
    assert settled.change_khr >= 0 and settled.change_khr % policy.step_khr == 0
    assert settled.change_usd_cents >= 0 and settled.change_usd_cents % 100 == 0
    assert settled.change_usd_cents <= payment.minor(USD, Tender.CASH)
    if not policy.dollar_change:
        assert settled.change_usd_cents == 0
    step_sen = policy.step_khr * 100
    if policy.rounding is Rounding.NEAREST:
        assert -step_sen / 2 <= settled.rounding_sen < step_sen / 2
    else:
        assert 0 <= settled.rounding_sen < step_sen


@FAST
@given(st.integers(1, 2_000_000), st.integers(0, 10**7), rates, policies)
def test_down_never_gives_more_than_the_exact_change(
    due: int, extra_sen: int, rate: int, policy: ChangePolicy
) -> None:
    """Paid in riel: down keeps the change at or under the exact change; nearest within half
    a step of it; both round the same exact change to neighbouring steps."""
    riel = -(-(due * rate + extra_sen) // 100)
    payment = cash(Money.khr(riel))
    exact = riel * 100 - due * rate
    down = settle(due, payment, rate, ChangePolicy(policy.step_khr, Rounding.DOWN))
    nearest = settle(due, payment, rate, ChangePolicy(policy.step_khr, Rounding.NEAREST))
    assert down.change_khr * 100 <= exact < (down.change_khr + policy.step_khr) * 100
    assert abs(nearest.change_khr * 100 - exact) <= policy.step_khr * 50
    assert nearest.change_khr - down.change_khr in (0, policy.step_khr)


@FAST
@given(st.integers(1, 2_000_000), rates, policies)
def test_the_riel_asked_settles_with_nothing_back_and_is_the_least(
    due: int, rate: int, policy: ChangePolicy
) -> None:
    ask = riel_to_ask(due, rate, policy)
    assert ask % policy.step_khr == 0 and ask >= policy.step_khr
    settled = settle(due, cash(Money.khr(ask)), rate, policy)
    if ask > policy.step_khr:
        assert settled.change_khr == 0 and settled.change_usd_cents == 0
        with pytest.raises(PaymentError):
            settle(due, cash(Money.khr(ask - policy.step_khr)), rate, policy)
