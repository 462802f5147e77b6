"""Deliveries listed for a person: numbers masked, whole only for a supervisor (audited)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter.domain.delivery import DeliveryState
from counter.domain.errors import AuthError, NotAllowed
from counter.domain.phone import masked
from counter.domain.records import Approval
from counter.services import sell
from counter.services.delivery_list import listed_deliveries
from tests.fakes import book_of
from tests.usecases.shop import CLERK_PIN, SUPERVISOR_PIN, FakeShop


def _listed(shop: FakeShop) -> list[str]:
    return [e.action for e in book_of(shop.ledger).audit if e.action == "deliveries_listed"]


def test_the_default_listing_masks_the_middle_of_each_number(shop: FakeShop) -> None:
    sell(shop.ledger, shop.clerk, "012 345 678", "5")
    sell(shop.ledger, shop.clerk, "097 123 4567", "2")
    found = listed_deliveries(shop.ledger)
    assert [d.msisdn for d in found] == ["012 *** 678", "097 **** 567"]
    assert _listed(shop) == []  # nothing left the ledger


def test_a_supervisor_sees_whole_numbers_and_it_is_audited(shop: FakeShop) -> None:
    sell(shop.ledger, shop.clerk, "012 345 678", "5")
    found = listed_deliveries(
        shop.ledger, states=(DeliveryState.DELIVERED,), by=Approval("Vanna", SUPERVISOR_PIN)
    )
    assert [d.msisdn for d in found] == ["+85512345678"]
    (entry,) = [e for e in book_of(shop.ledger).audit if e.action == "deliveries_listed"]
    assert entry.actor == "Vanna" and "delivered" in (entry.detail or "")


def test_a_clerk_or_a_wrong_pin_gets_no_whole_number(shop: FakeShop) -> None:
    sell(shop.ledger, shop.clerk, "012 345 678", "5")
    with pytest.raises(NotAllowed, match="Dara is a clerk"):
        listed_deliveries(shop.ledger, by=Approval("Dara", CLERK_PIN))
    with pytest.raises(AuthError, match="That name and PIN do not match"):
        listed_deliveries(shop.ledger, by=Approval("Vanna", "0000"))
    assert _listed(shop) == []


@given(st.text(alphabet="0123456789", min_size=8, max_size=9))
def test_a_masked_number_keeps_three_digits_at_each_end_and_hides_the_rest(nsn: str) -> None:
    shown = masked(f"+855{nsn}")
    national = "0" + nsn
    assert shown == f"{national[:3]} {'*' * (len(national) - 6)} {national[-3:]}"
    assert shown.count("*") == len(national) - 6 >= 3
