"""Every time that enters the ledger is UTC, checked where it enters: a use case given a
naive time, or a time in another zone, refuses it in words (NotAUtcTime) and records
nothing; a clock that answers in another zone is refused the same way.

A shop-local time that slipped in used to be hashed with its `+07:00` and stored without
it, and `counter doctor` then called the row "changed after it was recorded".
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from counter.domain.errors import NotAUtcTime
from counter.domain.records import Approval, utc
from counter.services import (
    add_user,
    authenticate,
    close_day,
    correct_float,
    disable_user,
    print_sale,
    record_opening_cash,
    reprint,
    restock,
    sell,
    set_exchange_rate,
    unlock_user,
    void_sale,
)
from tests.fakes import FakePrinter, book_of
from tests.usecases.shop import SUPERVISOR_PIN, FakeShop, fake_shop

PHNOM_PENH = ZoneInfo("Asia/Phnom_Penh")


@pytest.fixture
def shop() -> FakeShop:
    return fake_shop()


def local(shop: FakeShop) -> datetime:
    """The shop's own wall-clock time now: the same instant, not UTC."""
    return shop.clock.now.astimezone(PHNOM_PENH)


def naive(shop: FakeShop) -> datetime:
    return shop.clock.now.replace(tzinfo=None)


def test_utc_keeps_a_utc_time_and_refuses_any_other() -> None:
    moment = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    assert utc(moment) == moment
    assert utc(moment.astimezone(ZoneInfo("Europe/London"))) == moment  # offset 0 in November
    for other in (moment.astimezone(PHNOM_PENH), moment.replace(tzinfo=None)):
        with pytest.raises(NotAUtcTime, match="is not a UTC time: the ledger keeps UTC"):
            utc(other)
    with pytest.raises(NotAUtcTime):
        utc(moment.astimezone(timezone(timedelta(minutes=1))))


def _every_entry(shop: FakeShop) -> dict[str, Callable[[datetime], Any]]:
    """Each use case that records a time, called with `now`."""
    ledger = shop.ledger
    sale = sell(ledger, shop.clerk, "012 345 678", "5", idempotency_key="first")
    approval = Approval("Vanna", SUPERVISOR_PIN)
    add_user(ledger, "Kim", "clerk", "2222", by=shop.admin)
    return {
        "sell": lambda now: sell(ledger, shop.clerk, "097 123 4567", "2", now=now),
        "void": lambda now: void_sale(
            ledger,
            sale.receipt_no,
            reason="wrong number",
            requested_by=shop.clerk,
            supervisor_name="Vanna",
            supervisor_pin=SUPERVISOR_PIN,
            now=now,
        ),
        "close day": lambda now: close_day(
            ledger,
            shop.day,
            "A",
            counted_usd_cents=500,
            counted_khr=0,
            supervisor_name="Vanna",
            supervisor_pin=SUPERVISOR_PIN,
            by=shop.supervisor,
            now=now,
        ),
        # After the close: the next day's shift opens once today's is closed, on that day
        # (a day after today is refused: `services.days`).
        "opening cash": lambda now: record_opening_cash(
            ledger,
            shop.day + timedelta(days=1),
            "A",
            0,
            0,
            by=shop.clerk,
            now=now + timedelta(days=1),
        ),
        "restock": lambda now: restock(ledger, "smart", 1000, by=approval, now=now),
        "correct float": lambda now: correct_float(
            ledger, "smart", -100, reason="counted", by=approval, now=now
        ),
        "log in": lambda now: authenticate(ledger, "Dara", "5678", now=now),
        "add user": lambda now: add_user(ledger, "Mei", "clerk", "1357", by=shop.admin, now=now),
        "disable user": lambda now: disable_user(ledger, "Kim", by=shop.admin, now=now),
        "unlock user": lambda now: unlock_user(ledger, "Kim", by=shop.admin, now=now),
        "exchange rate": lambda now: set_exchange_rate(ledger, 4100, approval=approval, now=now),
        "print a copy": lambda now: print_sale(
            ledger, FakePrinter(), sale, copy=True, now=now, by=shop.clerk
        ),
        "reprint": lambda now: reprint(
            ledger, FakePrinter(), sale.receipt_no, by=shop.clerk, now=now
        ),
    }


@pytest.mark.parametrize("zone", ["shop-local", "naive"])
def test_every_use_case_refuses_a_time_that_is_not_utc(shop: FakeShop, zone: str) -> None:
    given = local(shop) if zone == "shop-local" else naive(shop)
    for name, call in _every_entry(shop).items():
        before = copy.deepcopy(book_of(shop.ledger))
        with pytest.raises(NotAUtcTime):
            call(given)
        assert book_of(shop.ledger) == before, f"{name} recorded something"


def test_every_use_case_takes_the_same_instant_in_utc(shop: FakeShop) -> None:
    for call in _every_entry(shop).values():
        call(shop.clock.now)


def test_a_clock_that_answers_in_another_zone_is_refused(shop: FakeShop) -> None:
    local_clock = replace(shop.ledger, clock=lambda: local(shop))
    with pytest.raises(NotAUtcTime):
        sell(local_clock, shop.clerk, "012 345 678", "5")
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "5")
    with pytest.raises(NotAUtcTime):
        print_sale(local_clock, FakePrinter(), sale, copy=True, by=shop.clerk)
    with pytest.raises(NotAUtcTime):
        set_exchange_rate(local_clock, 4100, approval=Approval("Vanna", SUPERVISOR_PIN))
