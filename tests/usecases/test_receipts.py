"""Receipts on the in-memory unit of work: the print queue is the outbox, through the UoW."""

from __future__ import annotations

from counter.services import pending_receipts, print_sale, retry_pending, sell
from tests.fakes import FakePrinter, book_of
from tests.usecases.shop import FakeShop


def test_an_original_prints_once_and_a_failure_waits_in_the_queue(shop: FakeShop) -> None:
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "5")
    printer = FakePrinter(broken="the printer is offline")
    failed = print_sale(shop.ledger, printer, sale)
    assert not failed.ok
    assert failed.message == (
        "Receipt not printed: the printer is offline. The sale is recorded; the receipt waits "
        "in the print queue and prints when the printer is back."
    )
    assert [s.receipt_no for s in pending_receipts(shop.ledger)] == [sale.receipt_no]
    printer.broken = None
    assert [r.ok for r in retry_pending(shop.ledger, printer)] == [True]
    assert retry_pending(shop.ledger, printer) == []
    again = print_sale(shop.ledger, printer, sale)
    assert again.ok and "already printed" in again.message
    (receipt,) = printer.printed
    assert (receipt.receipt_no, receipt.shop_name, receipt.clerk_name) == (
        "A-000001",
        "Dara Phone",
        "Dara",
    )
    assert receipt.shop_address == "St 271, Phnom Penh"  # the shop's wording, from bootstrap


def test_a_copy_is_marked_and_sets_the_original_aside(shop: FakeShop) -> None:
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "5")
    printer = FakePrinter()
    assert print_sale(shop.ledger, printer, sale, copy=True, by=shop.clerk).ok
    (copy,) = printer.printed
    assert copy.is_copy and copy.copy_printed_at == shop.clock.now
    assert pending_receipts(shop.ledger) == []  # the original will not print by itself
    book = book_of(shop.ledger)
    assert [(j.copy, j.status) for j in book.jobs] == [(False, "failed"), (True, "printed")]
    assert [e.action for e in book.audit][-1] == "receipt_reprinted"
