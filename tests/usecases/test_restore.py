"""`services.restore` on the in-memory unit of work: an admin's restore never reissues a number."""

from __future__ import annotations

import pytest

from counter.domain.errors import AuthError, NotAllowed
from counter.domain.records import Approval
from counter.services import day_report, sell
from counter.services.restore import record_restore
from tests.usecases.shop import ADMIN_PIN, CLERK_PIN, SUPERVISOR_PIN, FakeShop


def _book(shop: FakeShop):  # type: ignore[no-untyped-def]
    with shop.ledger.uow(write=False) as uow:
        return uow.book  # type: ignore[attr-defined]


def test_the_counter_continues_above_the_highest_number_issued(shop: FakeShop) -> None:
    for n in range(3):
        sell(shop.ledger, shop.clerk, f"012 345 67{n}", "5")
    gaps = record_restore(shop.ledger, Approval("Sok", ADMIN_PIN), {"A": 20}, "backup.tar")
    assert [(g.first, g.last, g.reason) for g in gaps] == [
        ("A-000004", "A-000020", "lost in a restore")
    ]
    assert sell(shop.ledger, shop.clerk, "012 345 699", "5").receipt_no == "A-000021"
    book = _book(shop)
    assert [c.reason for c in book.checkpoints] == ["restore"]
    restored = [e for e in book.audit if e.action == "ledger_restored"]
    assert restored[0].actor == "Sok" and "A-000004-A-000020" in restored[0].detail
    notes = day_report(shop.ledger, shop.day, "A", printed_by="Sok").warnings
    assert "Receipts A-000004 to A-000020 were lost in a restore." in notes


def test_a_backup_as_new_as_the_witnesses_needs_no_gap(shop: FakeShop) -> None:
    sell(shop.ledger, shop.clerk, "012 345 678", "5")
    assert record_restore(shop.ledger, Approval("Sok", ADMIN_PIN), {"A": 1}, "b.tar") == []
    assert sell(shop.ledger, shop.clerk, "012 345 679", "5").receipt_no == "A-000002"


@pytest.mark.parametrize(
    ("name", "pin", "error"),
    [
        ("Vanna", SUPERVISOR_PIN, NotAllowed),
        ("Dara", CLERK_PIN, NotAllowed),
        ("Sok", "0000", AuthError),
    ],
)
def test_only_an_admin_restores(shop: FakeShop, name: str, pin: str, error: type) -> None:
    with pytest.raises(error) as refused:
        record_restore(shop.ledger, Approval(name, pin), {"A": 50}, "b.tar")
    if error is NotAllowed:
        assert str(refused.value).endswith("only an admin can restore a backup.")
    assert not _book(shop).gaps


def test_the_pepper_holder_recovers_an_admin_and_it_is_audited(shop: FakeShop) -> None:
    from counter.services import authenticate
    from counter.services.recovery import recover_admin

    with pytest.raises(AuthError, match="not this shop's pepper"):
        recover_admin(shop.ledger, "Sok", "8642", pepper="guess", system_user="root")
    recover_admin(shop.ledger, "Sok", "8642", pepper="fake-pepper\n", system_user="root")
    assert authenticate(shop.ledger, "Sok", "8642").name == "Sok"
    (entry,) = [e for e in _book(shop).audit if e.action == "admin_recovered"]
    assert entry.actor == "recovery (root)"
