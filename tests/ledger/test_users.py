"""Users, PINs, lockout, roles and the audit of each change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from counter.bootstrap import init_shop
from counter.config import load_settings
from counter.services import (
    AuthError,
    LedgerExists,
    NotAllowed,
    UserError,
    add_user,
    authenticate,
    disable_user,
    list_users,
    set_pin,
    unlock_user,
)
from tests.ledger.conftest import ADMIN_PIN, CLERK_PIN, Shop
from tests.support.ledger import scalar


def actions(shop: Shop) -> list[tuple[str, str]]:
    with shop.ledger.uow(write=False) as uow:
        return [(e.actor, e.action) for e in reversed(uow.audit.entries(limit=1000))]


def test_pins_are_hashed_with_argon2id_and_pepper(shop: Shop) -> None:
    pin_hash = scalar(shop.ledger, "SELECT pin_hash FROM users WHERE name = 'Dara'")
    assert pin_hash.startswith("$argon2id$") and CLERK_PIN not in pin_hash
    with shop.ledger.uow(write=False) as uow:
        account = uow.users.account("dara")
        assert account is not None and account.pin_hash == pin_hash
        assert "pin_hash" not in repr(account)  # never in a log line
    assert authenticate(shop.ledger, "DARA", CLERK_PIN).name == "Dara"


def test_login_refusals_say_what_to_do(shop: Shop) -> None:
    with pytest.raises(AuthError) as unknown:
        authenticate(shop.ledger, "Bopha", "1234")
    with pytest.raises(AuthError) as wrong:
        authenticate(shop.ledger, "Dara", "0000")
    # the same sentence, so a name cannot be found out by trying it
    assert (
        str(unknown.value)
        == str(wrong.value)
        == ("That name and PIN do not match: check both and try again.")
    )
    disable_user(shop.ledger, "Dara", by=shop.admin)
    with pytest.raises(AuthError, match="Dara is disabled: ask an admin"):
        authenticate(shop.ledger, "Dara", CLERK_PIN)
    assert ("Bopha", "login_failed") in actions(shop)


def test_five_wrong_pins_lock_until_a_supervisor_unlocks(shop: Shop) -> None:
    led = shop.ledger
    for _ in range(4):
        with pytest.raises(AuthError, match="do not match"):
            authenticate(led, "Dara", "0000")
    with pytest.raises(AuthError, match="Dara is now locked after 5 wrong PINs: ask a supervisor"):
        authenticate(led, "Dara", "0000")
    with pytest.raises(AuthError, match="Dara is locked after 5 wrong PINs"):
        authenticate(led, "Dara", CLERK_PIN)  # even the right PIN waits
    with pytest.raises(NotAllowed, match="Dara is a clerk"):
        unlock_user(led, "Dara", by=shop.clerk)
    unlock_user(led, "Dara", by=shop.supervisor)
    assert authenticate(led, "Dara", CLERK_PIN).failed_attempts == 0
    assert ("Vanna", "user_unlocked") in actions(shop)


def test_lock_delay_grows_and_passes(sqlite_shop: Shop) -> None:
    # SQLite: the ledger's clock is this machine's, so a test may move it. On PostgreSQL
    # the server's clock judges a lock (tests/ledger/test_lockout.py).
    shop = sqlite_shop
    led = shop.ledger
    now = datetime.now(UTC)
    for _ in range(5):
        with pytest.raises(AuthError):
            authenticate(led, "Dara", "0000", now=now)
    # After the first minute one more wrong PIN locks for two minutes.
    later = now + timedelta(minutes=1, seconds=1)
    with pytest.raises(AuthError, match="stays locked"):
        authenticate(led, "Dara", "0000", now=later)
    with pytest.raises(AuthError, match="is locked"):
        authenticate(led, "Dara", CLERK_PIN, now=later + timedelta(minutes=1))
    user = authenticate(led, "Dara", CLERK_PIN, now=later + timedelta(minutes=2, seconds=1))
    assert user.failed_attempts == 0


def test_only_admins_manage_users(shop: Shop) -> None:
    with pytest.raises(NotAllowed, match="Vanna is a supervisor: only an admin can add users"):
        add_user(shop.ledger, "Bopha", "clerk", "1111", by=shop.supervisor)
    with pytest.raises(UserError, match="already a user named 'dara'"):
        add_user(shop.ledger, "dara", "clerk", "1111", by=shop.admin)
    with pytest.raises(UserError, match="4 to 8 digits"):
        add_user(shop.ledger, "Bopha", "clerk", "12a4", by=shop.admin)
    with pytest.raises(UserError, match="not a role"):
        add_user(shop.ledger, "Bopha", "boss", "1111", by=shop.admin)
    with pytest.raises(UserError, match="last active admin"):
        disable_user(shop.ledger, "Sok", by=shop.admin)
    assert [(u.name, u.role.value) for u in list_users(shop.ledger)] == [
        ("Dara", "clerk"),
        ("Sok", "admin"),
        ("Vanna", "supervisor"),
    ]
    assert ("Sok", "user_added") in actions(shop)


def test_set_pin_own_or_as_admin(shop: Shop) -> None:
    set_pin(shop.ledger, "Dara", "87654321", by=shop.clerk)
    assert authenticate(shop.ledger, "Dara", "87654321").name == "Dara"
    with pytest.raises(NotAllowed):
        set_pin(shop.ledger, "Sok", "1111", by=shop.clerk)
    set_pin(shop.ledger, "Dara", "4321", by=shop.admin)
    assert authenticate(shop.ledger, "Dara", "4321").name == "Dara"
    assert actions(shop).count(("Sok", "pin_set")) == 1


def test_init_never_overwrites(shop: Shop, backend: str) -> None:
    with pytest.raises(LedgerExists, match=r"already exists"):
        init_shop(
            load_settings(), shop_name="X", counter_code="A", admin_name="Sok", admin_pin=ADMIN_PIN
        )
    if backend == "pg":
        # A second counter joins a shared PostgreSQL ledger with an admin's PIN.
        with pytest.raises(AuthError):
            init_shop(
                load_settings(), shop_name="X", counter_code="B", admin_name="Sok", admin_pin="9999"
            )
        second = init_shop(
            load_settings(), shop_name="X", counter_code="B", admin_name="Sok", admin_pin=ADMIN_PIN
        )
        assert second.counter_code == "B" and load_settings().counter_code == "B"
        second.close()
