"""The shop's rate on the in-memory unit of work: a supervisor sets it, inside the shop's
bounds, audited (who, when, old, new), in force from the next sale; sales keep theirs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from counter.domain.errors import AuthError, NotAllowed, RateError
from counter.domain.money import Money
from counter.domain.records import Approval
from counter.services import rate_book, riel_per_usd, sell, set_exchange_rate
from tests.fakes import book_of
from tests.usecases.shop import ADMIN_PIN, CLERK_PIN, SUPERVISOR_PIN, FakeShop, with_policy

VANNA = Approval("Vanna", SUPERVISOR_PIN)


def test_a_supervisor_sets_the_rate_for_the_next_sale_and_old_sales_keep_theirs(
    shop: FakeShop,
) -> None:
    before = sell(shop.ledger, shop.clerk, "012 345 678", "5", paid=Money.khr(30_000))
    shop.clock.advance(hours=2)
    change = set_exchange_rate(shop.ledger, 4100, approval=VANNA)
    assert (change.by, change.old, change.new, change.at) == ("Vanna", 4000, 4100, shop.clock())
    after = sell(shop.ledger, shop.clerk, "012 345 679", "5", paid=Money.khr(30_000))
    # $5 at 4,000 = 20,000៛, 10,000៛ back; at 4,100 = 20,500៛, 9,500៛ back.
    assert (before.riel_per_usd, before.change_khr) == (4000, 10_000)
    assert (after.riel_per_usd, after.change_khr) == (4100, 9500)
    assert book_of(shop.ledger).sales[before.id] == before  # never recomputed
    assert riel_per_usd(shop.ledger) == 4100


def test_the_history_says_when_who_old_and_new_newest_first(shop: FakeShop) -> None:
    set_exchange_rate(shop.ledger, "4,100", approval=VANNA)
    shop.clock.advance(hours=1)
    set_exchange_rate(shop.ledger, "4050r", approval=Approval("Sok", ADMIN_PIN))
    book = rate_book(shop.ledger)
    assert book.riel_per_usd == 4050
    assert [(h.by, h.old, h.new) for h in book.history] == [
        ("Sok", 4100, 4050),
        ("Vanna", 4000, 4100),
        ("Sok", None, 4000),  # the rate given at set-up
    ]
    assert book.history[0].at - book.history[1].at == timedelta(hours=1)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        (410, "410 riel per dollar is below this shop's lowest rate of 3,000"),
        (41_000, "41,000 riel per dollar is above this shop's highest rate of 5,000"),
        ("4100.5", "'4100.5' is not a rate: type whole riel per dollar"),
        ("-4100", "'-4100' is not a rate"),
        ("", "Enter the rate in riel per dollar"),
    ],
)
def test_a_slip_is_refused_in_words_and_changes_nothing(
    shop: FakeShop, typed: int | str, words: str
) -> None:
    audit = list(book_of(shop.ledger).audit)
    with pytest.raises(RateError, match=words):
        set_exchange_rate(shop.ledger, typed, approval=VANNA)
    assert book_of(shop.ledger).rate == 4000
    assert book_of(shop.ledger).audit == audit  # refused before the PIN is even checked


def test_the_bounds_are_the_shops_settings(shop: FakeShop) -> None:
    wide = with_policy(shop, rate_lowest=2000, rate_highest=6000)
    assert set_exchange_rate(wide.ledger, 5500, approval=VANNA).new == 5500
    with pytest.raises(RateError, match="above this shop's highest rate of 6,000"):
        set_exchange_rate(wide.ledger, 6001, approval=VANNA)


def test_only_a_supervisor_with_the_right_pin_changes_the_rate(shop: FakeShop) -> None:
    with pytest.raises(NotAllowed, match="Dara is a clerk: only a supervisor or admin can"):
        set_exchange_rate(shop.ledger, 4100, approval=Approval("Dara", CLERK_PIN))
    with pytest.raises(AuthError, match="That name and PIN do not match"):
        set_exchange_rate(shop.ledger, 4100, approval=Approval("Vanna", "0000"))
    assert book_of(shop.ledger).rate == 4000
    assert not [e for e in book_of(shop.ledger).audit if e.action == "rate_changed"]


def test_the_same_rate_again_is_said_and_not_recorded(shop: FakeShop) -> None:
    with pytest.raises(RateError, match="The rate is already 4,000 riel per dollar"):
        set_exchange_rate(shop.ledger, 4000, approval=VANNA)
    assert not [e for e in book_of(shop.ledger).audit if e.action == "rate_changed"]
