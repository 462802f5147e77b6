"""Slips on the in-memory unit of work: each final change queues one in its own
transaction, an `assumed` sale none; a reversal after a delivery queues a second."""

from __future__ import annotations

from counter.domain.delivery import Answer, Channel, Outcome
from counter.domain.money import Money
from counter.services import sell
from counter.services.deliveries import delivery_of, record_outcome, resolve
from counter.services.slips import print_slips
from tests.fakes import FakePrinter, book_of
from tests.usecases.shop import FakeShop
from tests.usecases.test_deliveries import planned


def test_each_final_state_queues_one_slip_and_an_assumed_sale_none(shop: FakeShop) -> None:
    sell(shop.ledger, shop.clerk, "010 345 678", "5")  # smart: assumed
    assert book_of(shop.ledger).slips == []
    shop = planned(shop, Channel.API)
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "5", paid=Money.khr(25_000))
    assert book_of(shop.ledger).slips == []  # pending: the receipt says so, no slip yet
    delivery = delivery_of(shop.ledger, sale.receipt_no)
    record_outcome(shop.ledger, delivery.id, Outcome(Answer.DELIVERED, "x", provider_ref="R9"))
    record_outcome(shop.ledger, delivery.id, Outcome(Answer.REVERSED, "x"))
    assert [(j.sale_id, j.state) for j in book_of(shop.ledger).slips] == [
        (sale.id, "delivered"),
        (sale.id, "reversed"),
    ]
    printer = FakePrinter()
    assert [r.ok for r in print_slips(shop.ledger, printer)] == [True, True]
    delivered, reversed_ = printer.printed
    assert (delivered.slip, delivered.provider_ref) == ("delivery", "R9")
    assert (reversed_.slip, reversed_.delivery_state) == ("refund", "REVERSED, money back")
    assert reversed_.refund_lines == (("KHR", 20_000),)
    assert book_of(shop.ledger).slips == [] and print_slips(shop.ledger, printer) == []


def test_a_person_settling_a_manual_delivery_queues_its_slip(shop: FakeShop) -> None:
    shop = planned(shop, Channel.MANUAL)
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "5")
    resolve(shop.ledger, sale.receipt_no, delivered=False, by=shop.clerk, reason="no SMS")
    assert [j.state for j in book_of(shop.ledger).slips] == ["failed"]
