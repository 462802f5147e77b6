"""Ledger fixtures: every test runs on a SQLite file and on a real PostgreSQL database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from counter.bootstrap import init_shop, open_ledger
from counter.config import load_settings
from counter.services import Ledger, User, add_user, authenticate
from tests.support.ledger import date_set_up_back

ADMIN_PIN, CLERK_PIN, SUPERVISOR_PIN = "1234", "5678", "2468"


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def backend(
    request: pytest.FixtureRequest, counter_home: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """`sqlite` (a file in COUNTER_HOME) or `pg` (a fresh PostgreSQL database)."""
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    if request.param == "pg":
        monkeypatch.setenv("COUNTER_DATABASE_URL", request.getfixturevalue("pg_url"))
    return str(request.param)


@pytest.fixture
def sqlite_only(counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    return "sqlite"


def reopen(*, opening_cash_rule: bool = False) -> Ledger:
    """The ledger opened again (as another process would), with the fixture's policy."""
    opened = open_ledger(load_settings())
    return replace(opened, policy=replace(opened.policy, shift_required=opening_cash_rule))


@dataclass
class Shop:
    ledger: Ledger
    admin: User
    clerk: User
    supervisor: User


def set_up_shop(*, opening_cash_rule: bool = False) -> Shop:
    """The shop with an admin, a clerk and a supervisor.

    These tests are about other rules than the opening cash, so by default the clerk may
    sell before the drawer is counted (`Policy.shift_required`); the rule itself is
    tested with `opening_cash_rule=True` and in tests/usecases.
    """
    opened = init_shop(
        load_settings(),
        shop_name="Dara Phone",
        counter_code="A",
        admin_name="Sok",
        admin_pin=ADMIN_PIN,
    )
    ledger = replace(opened, policy=replace(opened.policy, shift_required=opening_cash_rule))
    date_set_up_back(ledger, SET_UP)
    admin = authenticate(ledger, "Sok", ADMIN_PIN)
    clerk = add_user(ledger, "Dara", "clerk", CLERK_PIN, by=admin)
    supervisor = add_user(ledger, "Vanna", "supervisor", SUPERVISOR_PIN, by=admin)
    return Shop(ledger, admin, clerk, supervisor)


# These tests sell on fixed days of November 2026 (`now=`), on a shop set up today: it is
# dated back to the start of the year, or those days would be before the shop existed and
# refused (`services.days`).
SET_UP = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def shop(backend: str) -> Iterator[Shop]:
    opened = set_up_shop()
    yield opened
    opened.ledger.close()


@pytest.fixture
def sqlite_shop(sqlite_only: str) -> Iterator[Shop]:
    opened = set_up_shop()
    yield opened
    opened.ledger.close()
