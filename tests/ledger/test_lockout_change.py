"""An admin's change of the lockout threshold on a real ledger (SQLite and PostgreSQL):
chained like every ledger setting, in force from the next log-in, doctor clean after; a
threshold changed outside the app is caught by doctor."""

from __future__ import annotations

import pytest

from counter.domain.errors import AuthError
from counter.domain.records import Approval
from counter.services import authenticate, doctor
from counter.services.lockout import lockout_book, set_lockout
from tests.ledger.conftest import ADMIN_PIN, Shop
from tests.support.ledger import execute, rows


def _locks_after(shop: Shop) -> int:
    for tries in range(1, 25):
        with pytest.raises(AuthError) as refused:
            authenticate(shop.ledger, "Dara", "0000")
        if "is now locked" in str(refused.value):
            return tries
    raise AssertionError("Dara was never locked")


def test_a_change_is_chained_audited_in_force_at_the_next_log_in_and_doctor_is_clean(
    shop: Shop,
) -> None:
    change = set_lockout(shop.ledger, 3, approval=Approval("Sok", ADMIN_PIN))
    assert (change.old, change.new) == (5, 3)
    changes = rows(shop.ledger, "SELECT value FROM setting_changes WHERE key = 'lockout_attempts'")
    assert [c.value for c in changes] == ["5", "3"]
    audit = rows(
        shop.ledger, "SELECT actor, detail FROM audit_log WHERE action = 'lockout_changed'"
    )
    assert [(a.actor, a.detail) for a in audit] == [("Sok", '{"new": 3, "old": 5}')]
    book = lockout_book(shop.ledger)
    assert (book.attempts, [(h.old, h.new) for h in book.history]) == (3, [(5, 3), (None, 5)])
    assert doctor(shop.ledger) == []
    assert _locks_after(shop) == 3


def test_a_threshold_raised_outside_the_app_is_caught_by_doctor(shop: Shop) -> None:
    execute(shop.ledger, "UPDATE ledger_settings SET value = '20' WHERE key = 'lockout_attempts'")
    assert doctor(shop.ledger) == [
        "The ledger setting lockout_attempts is 20, but the settings chain last recorded 5 "
        "(changed outside the app)."
    ]
