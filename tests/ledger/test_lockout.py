"""The lockout is the ledger's: its threshold a ledger setting, its clock the ledger's.

A counter's own settings (COUNTER_LOCKOUT_ATTEMPTS) and its own clock cannot loosen it:
the threshold is written into the ledger at set-up, and on PostgreSQL a lock is judged
by the database server's clock.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from counter.domain.errors import AuthError
from counter.services import authenticate
from tests.ledger.conftest import CLERK_PIN, Shop, reopen
from tests.support.ledger import execute, rows, scalar


def _wrong(shop: Shop, times: int, **kw: object) -> str:
    message = ""
    for _ in range(times):
        with pytest.raises(AuthError) as refused:
            authenticate(shop.ledger, "Dara", "0000", **kw)  # type: ignore[arg-type]
        message = str(refused.value)
    return message


def test_the_threshold_is_written_at_set_up_and_read_from_the_ledger(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (
        scalar(shop.ledger, "SELECT value FROM ledger_settings WHERE key = 'lockout_attempts'")
        == "5"
    )
    # A counter started with a looser setting: the ledger's 5 still counts.
    monkeypatch.setenv("COUNTER_LOCKOUT_ATTEMPTS", "20")
    shop.ledger = reopen()
    assert shop.ledger.policy.lockout_attempts == 20  # what the caller's settings say
    assert _wrong(shop, 5).startswith("Dara is now locked after 5 wrong PINs")
    changes = rows(shop.ledger, "SELECT value FROM setting_changes WHERE key = 'lockout_attempts'")
    assert [c.value for c in changes] == ["5"]  # chained like every ledger setting


def test_a_ledger_with_no_threshold_uses_five_not_the_callers(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    execute(shop.ledger, "DELETE FROM ledger_settings WHERE key = 'lockout_attempts'")
    monkeypatch.setenv("COUNTER_LOCKOUT_ATTEMPTS", "20")
    shop.ledger = reopen()
    assert _wrong(shop, 5).startswith("Dara is now locked after 5 wrong PINs")


def test_a_counter_clock_set_forward_does_not_unlock_on_postgresql(
    shop: Shop, backend: str
) -> None:
    """The caller says it is tomorrow: on PostgreSQL the server's clock judges the lock
    (and sets it); on SQLite the ledger is this machine's file and its clock is the
    ledger's, so there the caller's time counts."""
    if backend != "pg":
        pytest.skip("SQLite: this machine's clock is the ledger's")
    _wrong(shop, 5)
    tomorrow = shop.ledger.now() + timedelta(days=1)
    with pytest.raises(AuthError, match="Dara is locked after 5 wrong PINs"):
        authenticate(shop.ledger, "Dara", CLERK_PIN, now=tomorrow)
    # The lock was set from the server's clock, not from a clock a day ahead.
    until = scalar(shop.ledger, "SELECT locked_until - now() FROM users WHERE name = 'Dara'")
    assert timedelta(0) < until <= timedelta(minutes=1)
