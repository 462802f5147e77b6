"""User names are compared after NFKC folding and case-folding: `Ｏｗｎｅｒ` (typed with a
Chinese input method) and `OWNER` are `Owner`, when a user is added and at log-in."""

from __future__ import annotations

import pytest

from counter.domain.errors import UserError
from counter.services import add_user, authenticate
from tests.fakes import book_of
from tests.usecases.shop import ADMIN_PIN, CLERK_PIN, FakeShop


@pytest.mark.parametrize("look_alike", ["Ｄａｒａ", "ＤＡＲＡ", "ｄａｒａ ", "Ｄara"])
def test_a_look_alike_of_a_user_name_is_refused_in_words(shop: FakeShop, look_alike: str) -> None:
    users = len(book_of(shop.ledger).users)
    with pytest.raises(UserError) as refused:
        add_user(shop.ledger, look_alike, "admin", "4321", by=shop.admin)
    assert refused.value.message == (
        f"{look_alike.strip()!r} is the same name as the user 'Dara' once full-width letters "
        "and capitals are read as plain ones: choose another name."
    )
    assert len(book_of(shop.ledger).users) == users


@pytest.mark.parametrize("again", ["Dara", "DARA", " dara"])
def test_the_same_name_again_in_any_capitals_is_refused_as_taken(
    shop: FakeShop, again: str
) -> None:
    with pytest.raises(UserError, match=f"There is already a user named '{again.strip()}'"):
        add_user(shop.ledger, again, "clerk", "4321", by=shop.admin)


def test_the_full_width_form_logs_in_as_the_same_user(shop: FakeShop) -> None:
    assert authenticate(shop.ledger, "Ｄａｒａ", CLERK_PIN).id == shop.clerk.id
    assert authenticate(shop.ledger, "ｓｏｋ", ADMIN_PIN).id == shop.admin.id


def test_a_full_width_name_is_stored_plain(shop: FakeShop) -> None:
    added = add_user(shop.ledger, "Ｂｏｐｈａ", "clerk", "4321", by=shop.admin)
    assert added.name == "Bopha"
    assert authenticate(shop.ledger, "bopha", "4321").id == added.id
