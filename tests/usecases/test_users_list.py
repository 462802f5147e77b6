"""The users list the screen shows (`list_users(by=...)`): a supervisor's or admin's, never a
clerk's; each user's state (`user_state`) as the screen and `counter users list` say it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from counter.domain.errors import AuthError, NotAllowed
from counter.services import authenticate, disable_user, list_users
from counter.services.users import user_state
from tests.usecases.shop import FakeShop


def test_a_clerk_is_refused_the_list_in_words(shop: FakeShop) -> None:
    with pytest.raises(NotAllowed) as refused:
        list_users(shop.ledger, by=shop.clerk)
    assert refused.value.message == "Dara is a clerk: only a supervisor or admin can see the users."


def test_a_supervisor_and_an_admin_see_everyone(shop: FakeShop) -> None:
    names = {user.name for user in list_users(shop.ledger, by=shop.supervisor)}
    assert names == {"Sok", "Dara", "Vanna"}
    assert {user.name for user in list_users(shop.ledger, by=shop.admin)} == names


def test_each_state_is_said_as_the_list_says_it(shop: FakeShop) -> None:
    for _ in range(5):
        with pytest.raises(AuthError):
            authenticate(shop.ledger, "Dara", "0000")
    disable_user(shop.ledger, "Vanna", by=shop.admin)
    now = shop.ledger.now()
    states = {user.name: user_state(user, now) for user in list_users(shop.ledger)}
    assert states == {"Sok": "active", "Dara": "locked", "Vanna": "disabled"}
    later = now + timedelta(days=2)  # a lock runs out; the list says so
    dara = next(user for user in list_users(shop.ledger) if user.name == "Dara")
    assert user_state(dara, later) == "active"
