"""A day before the shop existed or after today is refused in words (`services.days`):
opening counts, reports, X reports and day closes, on the screen as on the CLI."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from counter.domain.errors import DayEndRefused
from counter.services import close_day, day_report, record_opening_cash, sell, x_report
from counter.services.dayend import write_report
from tests.fakes import book_of
from tests.usecases.shop import START, SUPERVISOR_PIN, FakeShop, fake_shop

FIRST = date(2026, 11, 25)  # the fake shop is set up on START, 10:00 on 25 November


def _uses(shop: FakeShop) -> dict[str, Callable[[date], Any]]:
    led = shop.ledger
    return {
        "opening cash": lambda day: record_opening_cash(led, day, "A", 0, 0, by=shop.clerk),
        "report": lambda day: day_report(led, day, "A", printed_by="Sok"),
        "written report": lambda day: write_report(
            led, day, "A", "csv", printed_by="Sok", by=shop.supervisor
        ),
        "x report": lambda day: x_report(led, day, "A", printed_by="Sok"),
        "close": lambda day: close_day(
            led,
            day,
            "A",
            counted_usd_cents=0,
            counted_khr=0,
            supervisor_name="Vanna",
            supervisor_pin=SUPERVISOR_PIN,
            by=shop.supervisor,
        ),
    }


@pytest.mark.parametrize("use", ["opening cash", "report", "written report", "x report", "close"])
def test_a_day_before_the_shop_existed_is_refused_in_words(unopened: FakeShop, use: str) -> None:
    shifts = dict(book_of(unopened.ledger).shifts)
    with pytest.raises(DayEndRefused) as refused:
        _uses(unopened)[use](date(1900, 1, 1))
    assert refused.value.message == (
        "1900-01-01 is before the shop's first day, 2026-11-25: the ledger has nothing for it. "
        "Give a day from 2026-11-25 to today."
    )
    assert book_of(unopened.ledger).shifts == shifts  # nothing opened


@pytest.mark.parametrize("use", ["opening cash", "report", "written report", "x report"])
def test_a_day_after_today_is_refused_in_words(unopened: FakeShop, use: str) -> None:
    with pytest.raises(DayEndRefused) as refused:
        _uses(unopened)[use](FIRST + timedelta(days=1))
    assert refused.value.message == (
        "2026-11-26 is in the future: today is 2026-11-25. Give a day up to today."
    )


def test_the_first_day_and_today_are_accepted(unopened: FakeShop) -> None:
    record_opening_cash(unopened.ledger, FIRST, "A", 0, 0, by=unopened.clerk)
    assert day_report(unopened.ledger, FIRST, "A", printed_by="Sok").is_empty


def test_a_sale_older_than_the_set_up_moves_the_first_day_back() -> None:
    shop = fake_shop(opening_cash=False, shift_required=False)
    sell(shop.ledger, shop.clerk, "012 345 678", "5", now=START - timedelta(days=3))
    summary = day_report(shop.ledger, FIRST - timedelta(days=3), "A", printed_by="Sok")
    assert summary.total.count == 1
    with pytest.raises(DayEndRefused, match="before the shop's first day, 2026-11-22"):
        day_report(shop.ledger, FIRST - timedelta(days=4), "A", printed_by="Sok")


def test_a_set_up_dated_after_today_never_locks_today_out(unopened: FakeShop) -> None:
    unopened.clock.now = START - timedelta(days=2)  # the clock was wrong at set-up
    record_opening_cash(unopened.ledger, FIRST - timedelta(days=2), "A", 0, 0, by=unopened.clerk)
    with pytest.raises(DayEndRefused, match="before the shop's first day, 2026-11-23"):
        day_report(unopened.ledger, FIRST - timedelta(days=3), "A", printed_by="Sok")
