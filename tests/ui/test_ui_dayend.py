"""Day end on screen: the Reports screen (F10), X report, day close, opening cash, and
the operator float warning. Driven with Pilot; asserts on the ledger and on the words."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from counter.bootstrap import open_ledger
from counter.config import load_settings
from counter.domain.money import Currency
from counter.services import day_close, expected_in_drawer, restock, sales_for_day
from tests.support.system import require_tool
from tests.ui.helpers import (
    NOW,
    SUPERVISOR,
    SUPERVISOR_PIN,
    Shop,
    log_in,
    make_app,
    screen_text,
    seed_sales,
    set_up_shop,
    status,
    type_text,
    wait_for_screen,
    wait_until,
)

DAY = NOW.date()


def pdf_words(path: Path) -> str:
    return subprocess.run(
        [require_tool("pdftotext"), "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def notes(pilot: Pilot[None]) -> str:
    return " | ".join(str(n.message) for n in pilot.app._notifications)


async def open_reports(pilot: Pilot[None]) -> None:
    await pilot.press("f10")
    await wait_for_screen(pilot, "ReportsScreen")
    await wait_until(
        pilot, lambda: "Expected cash" in screen_text(pilot, "#report-figures"), "figures"
    )


@pytest.fixture
def no_float_shop(screen_home: Path) -> Iterator[Shop]:
    opened = set_up_shop(opening_cash=False)
    yield opened
    opened.ledger.close()


async def test_x_report_leaves_the_day_open_and_writes_the_grand_total(shop: Shop) -> None:
    seed_sales(shop)  # $5 + $2 + $10 + $5 + $2
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, SUPERVISOR, SUPERVISOR_PIN)  # the CSV lists customers' numbers
        await open_reports(pilot)
        figures = screen_text(pilot, "#report-figures")
        assert "$24.00" in figures and "Voids: 0, $0.00" in figures
        assert "Expected cash: $24.00 and 0៛" in figures
        assert "Smart" in figures and "Cellcard" in figures

        await pilot.press("x")
        await wait_until(
            pilot, lambda: "written:" in screen_text(pilot, "#report-message"), "X report"
        )
        message = screen_text(pilot, "#report-message")
        assert "X report (the day stays open) written:" in message
        path = Path(message.split("written: ")[1])
        assert path.suffix == ".pdf" and path.exists()
        assert "$24.00" in pdf_words(path)

        await pilot.press("c")
        await wait_until(
            pilot, lambda: "(CSV) written" in screen_text(pilot, "#report-message"), "CSV"
        )
        csv_paths = screen_text(pilot, "#report-message").split("written: ")[1].split(" and ")
        assert len(csv_paths) == 2 and all(Path(p).exists() for p in csv_paths)
    assert day_close(shop.ledger, DAY, "A") is None


async def test_close_day_counts_blind_records_the_close_then_refuses_a_sale(
    shop: Shop,
) -> None:
    seed_sales(shop)  # expected: $24.00 and 0 riel
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await open_reports(pilot)
        await pilot.press("z")
        await wait_for_screen(pilot, "CloseDayScreen")
        await type_text(pilot, "20")
        await pilot.press("enter")
        await type_text(pilot, "4000")
        await wait_until(pilot, lambda: "4,000៛" in screen_text(pilot, "#close-cash"), "the count")
        cash = screen_text(pilot, "#close-cash")  # the clerk counts blind
        assert "$20.00" in cash and "blind count" in cash
        assert "$24.00" not in cash and "short" not in cash and "over" not in cash
        await pilot.press("enter")

        # A clerk's PIN is refused in words; the supervisor's closes the day.
        await type_text(pilot, SUPERVISOR)
        await pilot.press("enter")
        await type_text(pilot, "0000")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "PIN" in screen_text(pilot, "#form-problem"), "refusal")
        assert app_screen(pilot) == "CloseDayScreen"
        await type_text(pilot, SUPERVISOR_PIN)
        await pilot.press("enter")
        await wait_for_screen(pilot, "ReportsScreen")
        await wait_until(pilot, lambda: "CLOSED" in screen_text(pilot, "#report-figures"), "closed")
        message = screen_text(pilot, "#report-message")
        assert f"closed by {SUPERVISOR}" in message and "Z report:" in message
        assert "expected $24.00 and 0៛: $4.00 short and 4,000៛ over." in message
        z_report = Path(message.split("Z report: ")[1])
        assert z_report.exists() and "$24.00" in pdf_words(z_report)

        await pilot.press("z")  # a second close is refused in words
        await wait_until(
            pilot, lambda: "already closed" in screen_text(pilot, "#report-message"), "refused"
        )

        await pilot.press("escape")
        await wait_for_screen(pilot, "SaleScreen")
        await type_text(pilot, "012345678")
        await pilot.press("enter")
        await type_text(pilot, "1")
        await pilot.press("enter")
        await wait_for_screen(pilot, "ConfirmSaleScreen")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Not sold" in status(pilot), "the refusal")
        assert "is closed (its Z report is done)" in status(pilot)

    close = day_close(shop.ledger, DAY, "A")
    assert close is not None and close.closed_by == SUPERVISOR
    assert (close.difference_usd_cents, close.difference_khr) == (-400, 4000)
    assert len(sales_for_day(shop.ledger, DAY, "A", limit=50)) == 5


def app_screen(pilot: Pilot[None]) -> str:
    return type(pilot.app.screen).__name__


async def test_opening_cash_is_asked_at_first_login_and_counts_in_expected_cash(
    no_float_shop: Shop,
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, drawer=False)
        await wait_for_screen(pilot, "OpeningCashScreen")
        await pilot.press("escape")  # a clerk cannot skip it
        await wait_until(pilot, lambda: "needed" in screen_text(pilot, "#form-problem"), "why")
        assert app_screen(pilot) == "OpeningCashScreen"
        await type_text(pilot, "50")
        await pilot.press("enter")
        await type_text(pilot, "100000")
        await pilot.press("enter")
        await wait_for_screen(pilot, "SaleScreen")
        await open_reports(pilot)
        assert "opening cash $50.00 and 100,000៛" in screen_text(pilot, "#report-figures")
    cash = expected_in_drawer(no_float_shop.ledger, DAY, "A")
    assert (cash.expected_usd_cents, cash.expected_khr) == (5000, 100000)

    async with make_app().run_test(size=(100, 30)) as pilot:  # the second login: not asked
        await log_in(pilot, drawer=False)
        await wait_for_screen(pilot, "SaleScreen")


async def test_low_float_warning_shows_for_the_detected_operator(shop: Shop) -> None:
    restock(shop.ledger, "smart", 1000, ref="slip 7", by=shop.supervisor)  # $10 < $20 warning
    async with make_app(float_policy="warn").run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        assert screen_text(pilot, "#float-warning") == ""
        await type_text(pilot, "010222333")
        await wait_until(pilot, lambda: "low" in screen_text(pilot, "#float-warning"), "warning")
        assert "Smart airtime stock is low: $10.00 left" in screen_text(pilot, "#float-warning")

        # Restock from the Reports screen with the supervisor's PIN: the warning goes.
        await open_reports(pilot)
        await pilot.press("r")
        await wait_for_screen(pilot, "RestockScreen")
        for text in ["smart", "100", "INV-12", SUPERVISOR, SUPERVISOR_PIN]:
            await type_text(pilot, text)
            await pilot.press("enter")
        await wait_for_screen(pilot, "ReportsScreen")
        await wait_until(
            pilot, lambda: "$110.00" in screen_text(pilot, "#report-balances"), "balance"
        )
        assert "Smart restocked: balance $110.00." in screen_text(pilot, "#report-message")
        await pilot.press("escape")
        await wait_for_screen(pilot, "SaleScreen")
        await pilot.press("escape")
        await type_text(pilot, "010222333")
        await pilot.pause(0.3)
        assert screen_text(pilot, "#float-warning") == ""
    settings = load_settings()
    with open_ledger(settings) as ledger:
        from counter.services import operator_balances

        assert dict(operator_balances(ledger))["smart"] == 11000


async def test_a_supervisor_counts_by_note_and_sees_the_difference_as_typed(shop: Shop) -> None:
    seed_sales(shop)  # expected: $24.00 and 0 riel
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, SUPERVISOR, SUPERVISOR_PIN)
        await open_reports(pilot)
        await pilot.press("z")
        await wait_for_screen(pilot, "CloseDayScreen")
        await type_text(pilot, "20x1 1x4")  # $20 + 4 x $1
        await pilot.press("enter")
        await type_text(pilot, "1000x4")
        await wait_until(pilot, lambda: "over" in screen_text(pilot, "#close-cash"), "difference")
        cash = screen_text(pilot, "#close-cash")
        assert "$24.00" in cash and "$0.00 exact" in cash and "+4,000៛ over" in cash
        await pilot.press("enter")
        await type_text(pilot, SUPERVISOR)
        await pilot.press("enter")
        await type_text(pilot, SUPERVISOR_PIN)
        await pilot.press("enter")
        await wait_for_screen(pilot, "ReportsScreen")
        await wait_until(pilot, lambda: "CLOSED" in screen_text(pilot, "#report-figures"), "closed")
    with shop.ledger.uow(write=False) as uow:
        (shift,) = uow.shifts.of_day("A", DAY)
    assert shift.close is not None and shift.close.counted.by_note
    assert (shift.close.counted.usd_cents, shift.close.counted.khr) == (2400, 4000)
    assert shift.close.counted.count_of(Currency.USD, 100) == 4


async def test_the_banner_says_no_shift_is_open_before_the_clerk_types(
    no_float_shop: Shop,
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, SUPERVISOR, SUPERVISOR_PIN, drawer=False)
        await wait_for_screen(pilot, "OpeningCashScreen")
        await pilot.press("escape")  # a supervisor may skip the count: no shift opens
        await wait_for_screen(pilot, "SaleScreen")
        await wait_until(
            pilot, lambda: "No open shift" in screen_text(pilot, "#shift-banner"), "the banner"
        )
        assert screen_text(pilot, "#shift-banner") == "No open shift: F10 then o to open one."
        assert pilot.app.screen.query_one("#shift-banner").display
        await open_reports(pilot)
        await pilot.press("o")
        await wait_for_screen(pilot, "OpeningCashScreen")
        await type_text(pilot, "20")
        await pilot.press("enter")
        await type_text(pilot, "0")
        await pilot.press("enter")
        await wait_for_screen(pilot, "ReportsScreen")
        await pilot.press("escape")
        await wait_for_screen(pilot, "SaleScreen")
        await wait_until(pilot, lambda: screen_text(pilot, "#shift-banner") == "", "no banner")
        assert not pilot.app.screen.query_one("#shift-banner").display
    with no_float_shop.ledger.uow(write=False) as uow:
        shift = uow.shifts.open_shift("A")
    assert shift is not None and shift.opening.usd_cents == 2000
