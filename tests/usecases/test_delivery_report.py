"""The deliveries section of the reports on the in-memory unit of work: by state, the
refunds, the open ones oldest first, the float beside the dealer balance read."""

from __future__ import annotations

from counter.domain.delivery import Answer, Channel, DeliveryState, Outcome
from counter.domain.money import Money
from counter.services import sell, x_report
from counter.services.dealer_balance import read_balances
from counter.services.deliveries import delivery_of, record_outcome, resolve
from tests.fakes import book_of
from tests.usecases.shop import FakeShop
from tests.usecases.test_deliveries import planned


class _Courier:
    """Only the balance: what the report's reading needs from the channels."""

    def __init__(self, money: Money | None) -> None:
        self.money = money

    def balance(self, channel: Channel, operator_id: str) -> Money | None:
        return self.money


def test_an_assumed_shop_has_no_deliveries_section(shop: FakeShop) -> None:
    sell(shop.ledger, shop.clerk, "010 345 678", "5")
    assert x_report(shop.ledger, shop.day, "A", printed_by="Vanna").summary.deliveries is None


def test_the_section_counts_states_lists_refunds_and_open_ones_oldest_first(
    shop: FakeShop,
) -> None:
    shop = planned(shop, Channel.API)
    led, clock = shop.ledger, shop.clock
    for last in "1234":
        sell(led, shop.clerk, f"012 345 67{last}", "2", paid=Money.usd(500))
        clock.advance(minutes=10)
    one = delivery_of(led, "A-000001")
    record_outcome(
        led, one.id, Outcome(Answer.DELIVERED, "x", provider_ref="R1", balance=Money.usd(9_800))
    )
    two = delivery_of(led, "A-000002")
    record_outcome(led, two.id, Outcome(Answer.FAILED, "x"))
    three = delivery_of(led, "A-000003")
    record_outcome(led, three.id, Outcome(Answer.UNKNOWN, "x"), overdue=True)
    report = x_report(led, shop.day, "A", printed_by="Vanna").summary.deliveries
    assert report is not None
    assert [(s.channel, s.state, s.count, s.amount_cents) for s in report.states] == [
        (Channel.API, DeliveryState.PENDING, 1, 200),
        (Channel.API, DeliveryState.DELIVERED, 1, 200),
        (Channel.API, DeliveryState.FAILED, 1, 200),
        (Channel.API, DeliveryState.NEEDS_REVIEW, 1, 200),
    ]
    assert [(r.receipt_no, r.usd_cents) for r in report.refunds] == [("A-000002", 200)]
    assert [d.receipt_no for d in report.open_items] == ["A-000003", "A-000004"]
    (cellcard,) = report.floats  # only the operator that is not `assumed`
    assert cellcard.operator_id == "cellcard" and cellcard.expected_cents == -200
    assert cellcard.reading is not None and cellcard.reading.minor == 9_800
    assert cellcard.difference_cents == 10_000
    resolve(led, "A-000003", delivered=True, by=shop.supervisor, ref="R3")
    again = x_report(led, shop.day, "A", printed_by="Vanna").summary.deliveries
    assert again is not None and [d.receipt_no for d in again.open_items] == ["A-000004"]


def test_a_balance_read_on_request_is_its_own_record_and_the_newest_counts(
    shop: FakeShop,
) -> None:
    shop = planned(shop, Channel.MODEM)
    led = shop.ledger
    sell(led, shop.clerk, "012 345 678", "5")
    (first,) = read_balances(led, _Courier(Money.usd(12_000)), by="Vanna")
    assert first.reading is not None and first.reading.by == "Vanna"
    shop.clock.advance(minutes=5)
    read_balances(led, _Courier(Money.usd(11_500)), by="Vanna")
    (silent,) = read_balances(led, _Courier(None), by="Vanna")
    assert silent.reading is None and "did not tell" in silent.problem
    entries = [e for e in book_of(led).audit if e.action == "dealer_balance_read"]
    assert len(entries) == 2
    report = x_report(led, shop.day, "A", printed_by="Vanna").summary.deliveries
    assert report is not None
    (cellcard,) = report.floats
    assert cellcard.reading is not None and cellcard.reading.minor == 11_500
    assert cellcard.difference_cents == 11_500  # nothing delivered yet: the float is $0
