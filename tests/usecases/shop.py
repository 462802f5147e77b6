"""A shop on the in-memory unit of work: set up through the real use cases."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from counter.domain.records import User
from counter.services import add_user, authenticate, business_date, record_opening_cash
from counter.services.ports import Ledger
from counter.services.setup import create_shop
from tests.fakes import FakeClock, fake_ledger

ADMIN_PIN, CLERK_PIN, SUPERVISOR_PIN = "1234", "5678", "2468"
# Wednesday 25 November 2026, 10:00 in Phnom Penh.
START = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


@dataclass
class FakeShop:
    ledger: Ledger
    clock: FakeClock
    admin: User
    clerk: User
    supervisor: User

    @property
    def day(self) -> date:
        return business_date(self.ledger, self.clock())


def fake_shop(*, opening_cash: bool = True, **policy: object) -> FakeShop:
    clock = FakeClock(START)
    ledger = fake_ledger(clock=clock, **policy)
    create_shop(
        ledger,
        shop_name="Dara Phone",
        address="",
        admin_name="Sok",
        admin_pin=ADMIN_PIN,
        riel_per_usd=4000,
    )
    admin = authenticate(ledger, "Sok", ADMIN_PIN)
    clerk = add_user(ledger, "Dara", "clerk", CLERK_PIN, by=admin)
    supervisor = add_user(ledger, "Vanna", "supervisor", SUPERVISOR_PIN, by=admin)
    shop = FakeShop(ledger, clock, admin, clerk, supervisor)
    if opening_cash:
        record_opening_cash(ledger, shop.day, "A", 0, 0, by=clerk)
    return shop


def with_policy(shop: FakeShop, **changes: object) -> FakeShop:
    return replace(shop, ledger=replace(shop.ledger, policy=replace(shop.ledger.policy, **changes)))
