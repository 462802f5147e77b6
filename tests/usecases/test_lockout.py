"""The lockout threshold on the in-memory unit of work: an admin sets it inside 3..20,
audited (who, when, old, new), in force from the next log-in; a slip or a supervisor is
refused in words and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from counter.domain.errors import AuthError, NotAllowed, UserError
from counter.domain.records import Approval
from counter.services import authenticate
from counter.services.lockout import lockout_book, set_lockout
from tests.fakes import book_of
from tests.usecases.shop import ADMIN_PIN, SUPERVISOR_PIN, FakeShop

SOK = Approval("Sok", ADMIN_PIN)


def _wrong_until_locked(shop: FakeShop, limit: int = 30) -> int:
    """How many wrong PINs in a row it took to lock Dara."""
    for tries in range(1, limit + 1):
        with pytest.raises(AuthError) as refused:
            authenticate(shop.ledger, "Dara", "0000")
        if "is now locked" in str(refused.value):
            return tries
    raise AssertionError("Dara was never locked")


def test_an_admin_sets_the_threshold_and_the_next_log_in_counts_it(shop: FakeShop) -> None:
    assert lockout_book(shop.ledger).attempts == 5
    change = set_lockout(shop.ledger, "3", approval=SOK)
    assert (change.by, change.old, change.new, change.at) == ("Sok", 5, 3, shop.clock())
    assert change.sentence == (
        "An account now locks after 3 wrong PINs in a row (was 5), from the next log-in; "
        "set by Sok."
    )
    assert book_of(shop.ledger).lockout_attempts == 3
    entry = book_of(shop.ledger).audit[-1]
    assert (entry.actor, entry.action) == ("Sok", "lockout_changed")
    assert '"new": 3' in (entry.detail or "") and '"old": 5' in (entry.detail or "")
    assert _wrong_until_locked(shop) == 3


def test_the_history_says_when_who_old_and_new_newest_first(shop: FakeShop) -> None:
    set_lockout(shop.ledger, 8, approval=SOK)
    shop.clock.advance(hours=1)
    set_lockout(shop.ledger, "12", approval=SOK)
    book = lockout_book(shop.ledger)
    assert book.attempts == 12
    assert [(h.by, h.old, h.new) for h in book.history] == [
        ("Sok", 8, 12),
        ("Sok", 5, 8),
        ("Sok", None, 5),  # the threshold written at set-up
    ]
    assert book.history[0].at - book.history[1].at == timedelta(hours=1)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("2", "2 wrong PINs is outside what a shop may set: choose from 3"),
        (21, "21 wrong PINs is outside what a shop may set: choose from 3 .* to 20"),
        ("five", "'five' is not a number of wrong PINs: type a whole number from 3 to 20"),
        ("-4", "'-4' is not a number of wrong PINs"),
        ("５", "'５' is not a number of wrong PINs"),
        ("", "'' is not a number of wrong PINs"),
        ("5", "An account already locks after 5 wrong PINs: nothing changed"),
    ],
)
def test_a_slip_is_refused_in_words_and_changes_nothing(
    shop: FakeShop, typed: int | str, words: str
) -> None:
    audit = len(book_of(shop.ledger).audit)
    with pytest.raises(UserError, match=words):
        set_lockout(shop.ledger, typed, approval=SOK)
    assert book_of(shop.ledger).lockout_attempts == 5
    assert len(book_of(shop.ledger).audit) == audit


def test_only_an_admin_with_the_right_pin_changes_it(shop: FakeShop) -> None:
    with pytest.raises(NotAllowed, match="Vanna is a supervisor: only an admin can change"):
        set_lockout(shop.ledger, 10, approval=Approval("Vanna", SUPERVISOR_PIN))
    with pytest.raises(NotAllowed, match="Dara is a clerk: only an admin can change"):
        set_lockout(shop.ledger, 10, approval=Approval("Dara", "5678"))
    with pytest.raises(AuthError, match="That name and PIN do not match"):
        set_lockout(shop.ledger, 10, approval=Approval("Sok", "0000"))
    assert book_of(shop.ledger).lockout_attempts == 5
