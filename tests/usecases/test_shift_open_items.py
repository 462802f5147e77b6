"""Issue 15: a shift does not close with deliveries of its sales still open, unless the
supervisor approving the close accepts them as open items (as the day close does)."""

from __future__ import annotations

import json

import pytest

from counter.domain.cash_count import CashCount as DrawerCount
from counter.domain.delivery import Channel
from counter.domain.errors import OpenDeliveries
from counter.domain.money import Money
from counter.domain.records import Approval
from counter.services import record_opening_cash, sell
from counter.services.deliveries import OPEN_ITEMS_ACCEPTED, resolve
from counter.services.zreports import close_shift
from tests.fakes import book_of
from tests.usecases.shop import SUPERVISOR_PIN, FakeShop, fake_shop
from tests.usecases.test_deliveries import planned


def _shop_with_an_open_delivery() -> FakeShop:
    shop = planned(fake_shop(opening_cash=False), Channel.MANUAL)  # cellcard by hand
    record_opening_cash(shop.ledger, shop.day, "A", 1000, 0, by=shop.clerk)
    sell(shop.ledger, shop.clerk, "012 345 671", "5", paid=Money.usd(500))  # A-000001
    sell(shop.ledger, shop.clerk, "012 345 672", "5", paid=Money.usd(500))  # A-000002
    resolve(shop.ledger, "A-1", delivered=True, by=shop.clerk, ref="SMS1")
    return shop


def test_a_shift_with_an_open_delivery_is_refused_in_words() -> None:
    shop = _shop_with_an_open_delivery()
    with pytest.raises(OpenDeliveries) as refused:
        close_shift(shop.ledger, "A", DrawerCount(2000, 0), counted_by=shop.clerk)
    assert str(refused.value) == (
        "1 delivery of shift 1 is still open (A-000002): settle it, or have a supervisor "
        "accept it as an open item to close the shift."
    )
    (shift,) = book_of(shop.ledger).shifts.values()
    assert shift.close is None  # nothing recorded


def test_accepting_open_items_needs_a_supervisor() -> None:
    shop = _shop_with_an_open_delivery()
    with pytest.raises(OpenDeliveries, match="accepted by a supervisor"):
        close_shift(
            shop.ledger,
            "A",
            DrawerCount(2000, 0),
            counted_by=shop.clerk,
            accept_open_deliveries=True,
        )
    (shift,) = book_of(shop.ledger).shifts.values()
    assert shift.close is None


def test_a_supervisor_accepts_them_and_the_acceptance_is_recorded() -> None:
    shop = _shop_with_an_open_delivery()
    closed = close_shift(
        shop.ledger,
        "A",
        DrawerCount(2000, 0),
        counted_by=shop.clerk,
        supervisor=Approval("Vanna", SUPERVISOR_PIN),
        accept_open_deliveries=True,
    )
    assert closed.shift.close is not None
    assert closed.cash.expected_usd_cents == 2000  # $10 opening + $5 + $5, nothing refunded
    (entry,) = [e for e in book_of(shop.ledger).audit if e.action == OPEN_ITEMS_ACCEPTED]
    detail = json.loads(entry.detail)
    assert entry.actor == "Vanna"
    assert detail["receipts"] == ["A-000002"]
    assert detail["day"] == shop.day.isoformat()


def test_a_shift_whose_deliveries_are_settled_closes_on_the_clerks_count() -> None:
    shop = _shop_with_an_open_delivery()
    resolve(shop.ledger, "A-2", delivered=False, by=shop.clerk, reason="wrong number")
    closed = close_shift(shop.ledger, "A", DrawerCount(1500, 0), counted_by=shop.clerk)
    assert closed.cash.expected_usd_cents == 1500  # $20 less the $5 given back
    assert not [e for e in book_of(shop.ledger).audit if e.action == OPEN_ITEMS_ACCEPTED]
