"""Payment lines and shifts on the in-memory unit of work: split cash payments, change in
riel rounded the shop's way, a sale in its shift, the day close as the roll-up of the
day's shifts. Figures are checked against sums worked out by hand in the comments."""

from __future__ import annotations

from datetime import timedelta

import pytest

from counter.domain.cash import Payment, Rounding, Tender
from counter.domain.errors import PaymentError
from counter.domain.money import Currency, Money
from counter.services import close_day, record_opening_cash, sell, x_report
from tests.fakes import book_of
from tests.usecases.shop import SUPERVISOR_PIN, FakeShop, fake_shop, with_policy


def test_dollars_and_riel_in_one_payment_are_two_lines(shop: FakeShop) -> None:
    # $4.50 due, $5 + 2,000៛ handed over at 4,000: $0.50 + 2,000៛ ($0.50) = $1.00 over,
    # a whole dollar, which goes back as a dollar note (the shop hands dollar notes back).
    paid = Payment.cash(Money.usd(500), Money.khr(2000))
    sale = sell(shop.ledger, shop.clerk, "010 222 333", "4.50", paid=paid)
    assert [(x.tender, x.currency, x.minor) for x in sale.payment.lines] == [
        (Tender.CASH, Currency.USD, 500),
        (Tender.CASH, Currency.KHR, 2000),
    ]
    assert (sale.paid_usd_cents, sale.paid_khr) == (500, 2000)
    assert (sale.change_usd_cents, sale.change_khr, sale.rounding_khr) == (100, 0, 0)
    # $4.25 due from the same: $1.25 over, $1 back in a note and 1,000៛.
    again = sell(shop.ledger, shop.clerk, "010 222 334", "4.25", paid=paid)
    assert (again.change_usd_cents, again.change_khr) == (100, 1000)
    assert book_of(shop.ledger).sales[sale.id].payment == sale.payment


@pytest.mark.parametrize(
    ("rounding", "change_khr", "kept"),
    [
        # $4.87 due from $5 at 4,000: 13 cents = 520៛ exact.
        (Rounding.NEAREST, 500, 20),  # to the nearest 100៛: 500៛, the shop keeps 20៛
        (Rounding.DOWN, 500, 20),
    ],
)
def test_riel_change_is_rounded_the_shops_way(
    shop: FakeShop, rounding: Rounding, change_khr: int, kept: int
) -> None:
    ledger = with_policy(shop, khr_rounding=rounding).ledger
    sale = sell(ledger, shop.clerk, "010 222 333", "4.87", paid=Money.usd(500))
    assert (sale.change_usd_cents, sale.change_khr, sale.rounding_khr) == (0, change_khr, kept)


def test_rounding_up_or_down_differs_on_a_half_step_and_more(shop: FakeShop) -> None:
    # $4.86 due from $5 at 4,000: 14 cents = 560៛ exact; nearest gives 600៛, down 500៛.
    near = sell(shop.ledger, shop.clerk, "010 222 333", "4.86", paid=Money.usd(500))
    down_shop = with_policy(shop, khr_rounding=Rounding.DOWN)
    down = sell(down_shop.ledger, shop.clerk, "010 222 334", "4.86", paid=Money.usd(500))
    assert (near.change_khr, near.rounding_khr) == (600, -40)
    assert (down.change_khr, down.rounding_khr) == (500, 60)


def test_a_short_split_payment_records_nothing(shop: FakeShop) -> None:
    before = book_of(shop.ledger).commits
    with pytest.raises(PaymentError, match="short"):
        sell(
            shop.ledger,
            shop.clerk,
            "012 345 678",
            "5",
            paid=Payment.cash(Money.usd(400), Money.khr(2000)),
        )
    assert book_of(shop.ledger).sales == {} and book_of(shop.ledger).commits == before


def test_the_day_close_is_the_roll_up_of_the_days_shifts() -> None:
    shop = fake_shop(opening_cash=False)
    led, day = shop.ledger, shop.day
    record_opening_cash(led, day, "A", 2000, 40_000, by=shop.clerk)  # shift 1: $20 + 40,000៛
    sell(led, shop.clerk, "012 345 678", "5", paid=Money.khr(20_000))  # +20,000៛
    sell(led, shop.clerk, "010 222 333", "2.50", paid=Money.usd(1000))  # +$10 -$7 -2,000៛
    x = x_report(led, day, "A", printed_by=shop.supervisor)
    # Expected: $20 + $10 - $7 = $23; 40,000 + 20,000 - 2,000 = 58,000៛.
    assert (x.cash.expected_usd_cents, x.cash.expected_khr) == (2300, 58_000)
    assert x.state == "Shift 1 is open; the day stays open."
    shop.clock.advance(hours=10)  # 20:00 in Phnom Penh
    closed = close_day(
        led,
        day,
        "A",
        counted_usd_cents=2300,
        counted_khr=57_500,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
        by=shop.clerk,
    )
    assert (closed.expected_usd_cents, closed.expected_khr) == (2300, 58_000)
    assert (closed.difference_usd_cents, closed.difference_khr) == (0, -500)
    (shift,) = book_of(led).shifts.values()
    assert shift.close is not None
    assert (shift.close.counted_by, shift.close.approved_by) == ("Dara", "Vanna")
    assert (shift.close.sales_count, shift.close.sales_cents) == (2, 750)
    after = x_report(led, day, "A", printed_by="Vanna", now=shop.clock() + timedelta(minutes=1))
    assert after.closed and after.shift_closed
    assert after.state == "Shift 1 and the day are closed."
