"""The expected float on the X and Z reports is the ledger's float at the moment of the
last dealer balance reading (opening float + restocks - delivered + reversed, as the
ledger computes it), so the difference means something even when the reading is old."""

from __future__ import annotations

from datetime import timedelta

from counter.domain.delivery import Answer, Channel, Outcome
from counter.domain.money import Money
from counter.services import restock, sell, x_report
from counter.services.dealer_balance import read_balances
from counter.services.deliveries import delivery_of, record_outcome
from tests.fakes import book_of
from tests.usecases.shop import FakeShop
from tests.usecases.test_deliveries import planned


class _Courier:
    def __init__(self, money: Money | None) -> None:
        self.money = money

    def balance(self, channel: Channel, operator_id: str) -> Money | None:
        return self.money


def _cellcard_check(shop: FakeShop) -> tuple[int, int | None, int | None]:
    """(expected float, dealer balance read, difference) on the X report now."""
    section = x_report(shop.ledger, shop.day, "A", printed_by="Vanna").summary.deliveries
    assert section is not None
    (check,) = section.floats
    read = check.reading.minor if check.reading else None
    return check.expected_cents, read, check.difference_cents


def test_the_expected_float_is_the_ledger_s_at_the_reading_not_at_the_report(
    shop: FakeShop,
) -> None:
    shop = planned(shop, Channel.API)
    led, clock = shop.ledger, shop.clock
    restock(led, "cellcard", 10_000, ref="OPEN", by=shop.supervisor)  # opening float $100
    for number, dollars in (("1", "5"), ("2", "2"), ("3", "3")):
        sell(led, shop.clerk, f"012 345 67{number}", dollars)
    assert _cellcard_check(shop) == (10_000, None, None)  # no reading: the float now
    clock.advance(minutes=5)  # 10:05: A-1 delivered, and its answer told the balance
    one = delivery_of(led, "A-000001")
    record_outcome(
        led, one.id, Outcome(Answer.DELIVERED, "x", provider_ref="R1", balance=Money.usd(9_500))
    )
    read_at = clock()
    clock.advance(hours=3)  # 13:05: more happened since, none of it read
    two = delivery_of(led, "A-000002")
    record_outcome(led, two.id, Outcome(Answer.DELIVERED, "x", provider_ref="R2"))
    restock(led, "cellcard", 5_000, ref="MORE", by=shop.supervisor)
    record_outcome(led, one.id, Outcome(Answer.REVERSED, "x", provider_ref="R1"))
    record_outcome(led, delivery_of(led, "A-000003").id, Outcome(Answer.FAILED, "x"))
    # Hand sums: at 10:05, 100.00 - 5.00 = 95.00 beside the $95.00 read: no difference.
    # Now it is 100.00 - 5.00 - 2.00 + 50.00 + 5.00 = 148.00, which the old reading says
    # nothing about.
    assert book_of(led).floats["cellcard"] == 14_800
    assert _cellcard_check(shop) == (9_500, 9_500, 0)
    section = x_report(led, shop.day, "A", printed_by="Vanna").summary.deliveries
    assert section is not None and section.floats[0].reading is not None
    assert section.floats[0].reading.read_at == read_at
    # A fresh reading at 13:05 of $147.00 stands beside 148.00: $1.00 short.
    clock.advance(minutes=1)
    read_balances(led, _Courier(Money.usd(14_700)), by="Vanna")
    assert _cellcard_check(shop) == (14_800, 14_700, -100)


def test_a_reading_kept_before_the_float_was_kept_with_it_falls_back_to_the_float_now(
    shop: FakeShop,
) -> None:
    shop = planned(shop, Channel.MODEM)
    led = shop.ledger
    restock(led, "cellcard", 2_000, ref="OPEN", by=shop.supervisor)
    with led.uow() as uow:  # as an older Counter wrote it: no `float_cents`
        uow.audit.append(
            led.clock() - timedelta(minutes=1),
            "Vanna",
            "dealer_balance_read",
            operator="cellcard",
            channel="modem",
            currency="USD",
            minor=1_900,
        )
        uow.commit()
    assert _cellcard_check(shop) == (2_000, 1_900, -100)
