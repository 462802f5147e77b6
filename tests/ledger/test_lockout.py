"""The lockout is the ledger's: its threshold a ledger setting, its clock the ledger's.

A counter's own settings (COUNTER_LOCKOUT_ATTEMPTS) and its own clock cannot loosen it:
the threshold is written into the ledger at set-up, and on PostgreSQL a lock is judged
by the database server's clock.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from counter.domain.errors import AuthError
from counter.services import authenticate, sell, void_sale
from tests.ledger.conftest import CLERK_PIN, SUPERVISOR_PIN, Shop, reopen
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


class _LockProbe:
    """The shop's PIN hasher, noting at each verification whether the ledger's write lock
    was free (another connection could BEGIN IMMEDIATE without waiting)."""

    def __init__(self, pins: Any, file: Path) -> None:
        self.pins, self.file, self.free_at_verify = pins, file, []  # type: ignore[var-annotated]

    def hash(self, pin: str) -> str:
        return str(self.pins.hash(pin))

    def burn(self) -> None:
        self.pins.burn()

    def verify(self, pin_hash: str, pin: str) -> bool:
        probe = sqlite3.connect(self.file, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            self.free_at_verify.append(True)
        except sqlite3.OperationalError:
            self.free_at_verify.append(False)
        finally:
            probe.close()
        return bool(self.pins.verify(pin_hash, pin))


def test_argon2_runs_outside_the_write_lock(sqlite_shop: Shop, counter_home: Path) -> None:
    """A log-in (right and wrong PIN) and a void's supervisor approval verify the PIN while
    the ledger's write lock is free, so other counters' sales never wait for a hash."""
    shop = sqlite_shop
    probe = _LockProbe(shop.ledger.pins, counter_home / "ledger.sqlite3")
    shop.ledger = replace(shop.ledger, pins=probe)
    authenticate(shop.ledger, "Dara", CLERK_PIN)
    _wrong(shop, 1)
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "5")
    void_sale(
        shop.ledger,
        sale.receipt_no,
        reason="wrong number",
        requested_by=shop.clerk,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
    )
    assert probe.free_at_verify == [True, True, True]
