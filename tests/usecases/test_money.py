"""Riel and dollars at the counter, on the in-memory unit of work: a top-up asked for in
riel fitted to the operator's amounts at any rate, split cash, change rounded the shop's
way, and a payment far above the amount due never recorded without the second key.
Every figure is worked out by hand in the comments."""

from __future__ import annotations

import pytest

from counter.domain.cash import Payment, Rounding
from counter.domain.errors import CashDoubted, RateChanged
from counter.domain.money import Currency, Money
from counter.domain.plausible import CashDoubt
from counter.domain.records import Approval
from counter.services import sell, set_exchange_rate
from tests.fakes import book_of
from tests.usecases.shop import SUPERVISOR_PIN, FakeShop, with_policy

SMART, CELLCARD = "010 222 333", "012 345 678"  # Smart: any cent from $1; Cellcard: whole $


def _at(shop: FakeShop, rate: int) -> FakeShop:
    if rate != 4000:
        set_exchange_rate(shop.ledger, rate, approval=Approval("Vanna", SUPERVISOR_PIN))
    return shop


@pytest.mark.parametrize(
    ("rate", "number", "cents", "change_khr", "rounding_khr"),
    [
        # 5,000៛ at 4,000 = $1.25: Smart sells $1.25, nothing back.
        (4000, SMART, 125, 0, 0),
        # Cellcard sells whole dollars: $1.00 = 4,000៛, 1,000៛ back.
        (4000, CELLCARD, 100, 1000, 0),
        # At 4,100, 5,000៛ = $1.2195: Smart $1.21 = 4,961៛; 39៛ over rounds to nothing back.
        (4100, SMART, 121, 0, 39),
        # Cellcard $1.00 = 4,100៛: 900៛ back.
        (4100, CELLCARD, 100, 900, 0),
        # At 4,037, 5,000៛ = $1.2385: Smart $1.23 = 4,965.51៛; 34.49៛ over: nothing back.
        (4037, SMART, 123, 0, 34),
        # Cellcard $1.00 = 4,037៛: 963៛ over, 1,000៛ back to the nearest 100 (37៛ more).
        (4037, CELLCARD, 100, 1000, -37),
    ],
)
def test_a_riel_top_up_is_fitted_to_the_operators_amounts_at_any_rate(
    shop: FakeShop, rate: int, number: str, cents: int, change_khr: int, rounding_khr: int
) -> None:
    sale = sell(_at(shop, rate).ledger, shop.clerk, number, "5000r")
    assert (sale.amount_cents, sale.riel_per_usd) == (cents, rate)
    assert [(x.currency, x.minor) for x in sale.payment.lines] == [(Currency.KHR, 5000)]
    assert (sale.change_usd_cents, sale.change_khr, sale.rounding_khr) == (
        0,
        change_khr,
        rounding_khr,
    )
    assert book_of(shop.ledger).sales[sale.id] == sale


def test_a_riel_top_up_paid_with_more_riel_gives_the_rest_back(shop: FakeShop) -> None:
    # 10,000r asked of Cellcard at 4,100: $2.00 (8,200៛); 20,000៛ handed over: 11,800៛ back.
    sale = sell(_at(shop, 4100).ledger, shop.clerk, CELLCARD, "10000r", paid=Money.khr(20_000))
    assert (sale.amount_cents, sale.change_khr, sale.rounding_khr) == (200, 11_800, 0)


@pytest.mark.parametrize(
    ("rounding", "change_khr", "rounding_khr"),
    [
        # $3.37 due at 4,100 = 13,817៛; $5 + 2,000៛ = 20,500 + 2,000 = 22,500៛; 8,683៛
        # over: two $1 notes back (8,200៛), 483៛ left: nearest 500៛ (17៛ more to the
        # customer), down 400៛ (83៛ kept by the shop).
        (Rounding.NEAREST, 500, -17),
        (Rounding.DOWN, 400, 83),
    ],
)
def test_split_cash_gives_change_in_riel_rounded_the_shops_way(
    shop: FakeShop, rounding: Rounding, change_khr: int, rounding_khr: int
) -> None:
    ledger = with_policy(_at(shop, 4100), khr_rounding=rounding).ledger
    paid = Payment.cash(Money.usd(500), Money.khr(2000))
    sale = sell(ledger, shop.clerk, SMART, "3.37", paid=paid)
    assert sale.payment == paid
    assert (sale.change_usd_cents, sale.change_khr, sale.rounding_khr) == (
        200,
        change_khr,
        rounding_khr,
    )


def test_twenty_thousand_typed_without_its_r_is_asked_again_not_recorded(
    shop: FakeShop,
) -> None:
    before = book_of(shop.ledger)
    with pytest.raises(CashDoubted) as doubted:
        sell(shop.ledger, shop.clerk, CELLCARD, "5", paid=Money.usd(2_000_000))
    assert doubted.value.message == "Cash received for $5.00: $20,000.00 or 20,000៛?"
    doubt = doubted.value.doubt
    assert isinstance(doubt, CashDoubt) and doubt.other_reading == Money.khr(20_000)
    assert book_of(shop.ledger).sales == before.sales
    assert book_of(shop.ledger).commits == before.commits
    # The second key: recorded as typed, $19,995 back as the clerk confirmed.
    sale = sell(
        shop.ledger, shop.clerk, CELLCARD, "5", paid=Money.usd(2_000_000), confirm_paid=True
    )
    assert (sale.change_usd_cents, sale.change_khr) == (1_999_500, 0)


@pytest.mark.parametrize(
    ("due", "paid", "doubted"),
    [
        ("1", Money.usd(10_000), False),  # a $100 note for $1: 100 times, believable
        ("1", Money.usd(10_100), True),  # above 100 times the amount due
        ("100", Money.usd(50_000), False),  # $500: the most for one sale
        ("100", Money.usd(50_100), True),  # above the most
        ("5", Money.khr(2_000_000), False),  # 2,000,000៛ = $500: 100 times $5, the most
        ("5", Money.khr(2_000_400), True),  # 2,000,400៛ = $500.10: above both
    ],
)
def test_the_limits_are_a_multiple_of_the_amount_due_and_a_maximum(
    shop: FakeShop, due: str, paid: Money, doubted: bool
) -> None:
    if doubted:
        with pytest.raises(CashDoubted):
            sell(shop.ledger, shop.clerk, SMART, due, paid=paid)
    else:
        assert sell(shop.ledger, shop.clerk, SMART, due, paid=paid).payment.lines[0].money == paid


def test_the_limits_are_the_shops_settings(shop: FakeShop) -> None:
    strict = with_policy(shop, cash_max_multiple=3, cash_max_received_cents=2000).ledger
    with pytest.raises(CashDoubted, match=r"Cash received for \$5.00: \$20.00 or 20៛\?"):
        sell(strict, shop.clerk, SMART, "5", paid=Money.usd(2000))  # 4 times $5
    with pytest.raises(CashDoubted):
        sell(strict, shop.clerk, SMART, "10", paid=Money.usd(2500))  # above $20
    assert sell(strict, shop.clerk, SMART, "10", paid=Money.usd(2000)).change_usd_cents == 1000


def test_a_rate_changed_since_the_confirmation_records_nothing(shop: FakeShop) -> None:
    _at(shop, 4100)
    with pytest.raises(RateChanged, match="changed from 4,000 to 4,100 riel per dollar"):
        sell(shop.ledger, shop.clerk, SMART, "5", paid=Money.khr(30_000), rate_seen=4000)
    assert book_of(shop.ledger).sales == {}
    assert sell(shop.ledger, shop.clerk, SMART, "5", rate_seen=4100).riel_per_usd == 4100
