"""A shift closed on its own on the screen (Reports, `k`): the count form, blind for a
clerk, with or without a supervisor's approval; the sale screen's no-shift banner after
it; the next clerk opening the next shift; and the day close once both are counted."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest
from textual.pilot import Pilot

from counter.domain.money import Money
from counter.services import add_user, sell
from tests.ui.helpers import (
    NOW,
    SUPERVISOR,
    SUPERVISOR_PIN,
    Shop,
    log_in,
    make_app,
    screen_text,
    type_text,
    wait_for_screen,
    wait_until,
)
from tests.ui.test_ui_dayend import no_float_shop, open_reports, pdf_words

__all__ = ["no_float_shop"]


def _sell(shop: Shop, number: str, cents: int, minute: int) -> None:
    at = NOW.replace(minute=minute).astimezone(UTC)
    sell(shop.ledger, shop.clerk, number, Money.usd(cents), now=at, idempotency_key=number)


async def _close_shift(pilot: Pilot[None], usd: str, supervisor: str = "", pin: str = "") -> str:
    """`k` on the Reports screen, the count typed, Enter through; the message after."""
    await pilot.press("k")
    await wait_for_screen(pilot, "CloseShiftScreen")
    await type_text(pilot, usd)
    await pilot.press("enter")
    await type_text(pilot, "0")
    await wait_until(pilot, lambda: "Counted:" in screen_text(pilot, "#close-cash"), "the count")
    cash = screen_text(pilot, "#close-cash")  # a clerk counts blind
    assert "blind count" in cash and "Expected" not in cash
    await pilot.press("enter")
    await type_text(pilot, supervisor)
    await pilot.press("enter")
    await type_text(pilot, pin)
    await pilot.press("enter")
    await wait_for_screen(pilot, "ReportsScreen")
    await wait_until(
        pilot, lambda: "Closed shift" in screen_text(pilot, "#report-message"), "closed"
    )
    return screen_text(pilot, "#report-message")


async def _banner(pilot: Pilot[None]) -> str:
    await pilot.press("escape")
    await wait_for_screen(pilot, "SaleScreen")
    await wait_until(
        pilot, lambda: "No open shift" in screen_text(pilot, "#shift-banner"), "the banner"
    )
    return screen_text(pilot, "#shift-banner")


@pytest.mark.system
async def test_two_shifts_closed_on_the_screen_then_the_day(no_float_shop: Shop) -> None:
    shop = no_float_shop
    add_user(shop.ledger, "Bopha", "clerk", "1357", by=shop.admin)
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)  # the day's first login: shift 1 opens with an empty drawer
        _sell(shop, "012 345 678", 500, 31)
        _sell(shop, "097 123 4567", 200, 32)
        await open_reports(pilot)
        said = await _close_shift(pilot, "6")  # $7 expected: $1 short, the clerk's own count
        assert "Closed shift 1 of 2026-11-25: counted $6.00 and 0៛, expected $7.00" in said
        assert "$1.00 short and 0៛ exact." in said
        z_report = Path(said.split("Z report: ")[1].split()[0])
        assert z_report.name == "2026-11-25-A-shift-1-z-report.pdf"
        assert "Z report (shift close)" in " ".join(pdf_words(z_report).split())
        banner = await _banner(pilot)
        assert banner == "No open shift: F10 then o to open one."

        await pilot.press("ctrl+l")  # Dara locks; Esc lets the next clerk in
        await wait_for_screen(pilot, "LoginScreen")
        await pilot.press("escape")
        await log_in(pilot, "Bopha", "1357", drawer=False)
        await wait_for_screen(pilot, "OpeningCashScreen")
        await type_text(pilot, "6")
        await pilot.press("enter")
        await type_text(pilot, "0")
        await pilot.press("enter")
        await wait_for_screen(pilot, "SaleScreen")
        await wait_until(pilot, lambda: screen_text(pilot, "#shift-banner") == "", "no banner")
        _sell(shop, "010 222 333", 1000, 40)
        await open_reports(pilot)
        said = await _close_shift(pilot, "16", SUPERVISOR, SUPERVISOR_PIN)
        assert "Closed shift 2 of 2026-11-25: counted $16.00 and 0៛, expected $16.00" in said

        await pilot.press("z")  # every shift counted: the day asks the supervisor only
        await wait_for_screen(pilot, "CloseDayScreen")
        assert "Every shift of the day is closed" in screen_text(pilot, "#close-cash")
        await type_text(pilot, SUPERVISOR)
        await pilot.press("enter")
        await type_text(pilot, SUPERVISOR_PIN)
        await pilot.press("enter")
        await wait_for_screen(pilot, "ReportsScreen")
        await wait_until(pilot, lambda: "CLOSED" in screen_text(pilot, "#report-figures"), "day")

    day = NOW.date()
    with shop.ledger.uow(write=False) as uow:
        shifts = uow.shifts.of_day("A", day)
        close = uow.dayend.close("A", day)
    assert [(s.number, s.opened_by) for s in shifts] == [(1, "Dara"), (2, "Bopha")]
    closes = [s.close for s in shifts]
    assert all(c is not None for c in closes)
    assert [(c.counted.usd_cents, c.counted_by, c.approved_by) for c in closes if c] == [
        (600, "Dara", None),
        (1600, "Bopha", SUPERVISOR),
    ]
    assert [(c.expected_usd_cents, c.difference_usd_cents) for c in closes if c] == [
        (700, -100),
        (1600, 0),
    ]
    assert close is not None and close.close_no == 1 and close.closed_by == SUPERVISOR
    # $0 opening, $6 counted; shift 2 counted $10 above its $6 opening: $16, $1 short.
    assert (close.counted_usd_cents, close.difference_usd_cents) == (1600, -100)
