"""The Reports screen (F10) and its X report for whoever counts blind: a clerk sees what
was taken, not the expected cash, while the shift is open; a supervisor sees it."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.ui.helpers import (
    SUPERVISOR,
    SUPERVISOR_PIN,
    Shop,
    log_in,
    make_app,
    screen_text,
    seed_sales,
    wait_until,
)
from tests.ui.test_ui_dayend import open_reports, pdf_words


async def _x_report_words(pilot: Pilot[None]) -> str:
    await pilot.press("x")
    await wait_until(pilot, lambda: "written:" in screen_text(pilot, "#report-message"), "X report")
    message = screen_text(pilot, "#report-message")
    return " ".join(pdf_words(Path(message.split("written: ")[1])).split())


@pytest.mark.system
async def test_f10_as_a_clerk_withholds_the_expected_cash(shop: Shop) -> None:
    seed_sales(shop)  # $24.00 in cash on an opening of $0: $24.00 expected
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await open_reports(pilot)
        figures = screen_text(pilot, "#report-figures")
        assert "Taken in cash $24.00 and 0៛ (received less change)" in figures
        assert "Expected cash: shown after the count (blind count)" in figures
        assert "Expected cash: $24.00" not in figures
        words = await _x_report_words(pilot)
        assert "Blind count: the expected cash and the difference are shown" in words
        assert "Expected in the drawer" not in words


@pytest.mark.system
async def test_f10_as_a_supervisor_shows_the_expected_cash(shop: Shop) -> None:
    seed_sales(shop)
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, SUPERVISOR, SUPERVISOR_PIN)
        await open_reports(pilot)
        figures = screen_text(pilot, "#report-figures")
        assert "Taken in cash $24.00 and 0៛" in figures
        assert "Expected cash: $24.00 and 0៛ (opening cash $0.00 and 0៛)" in figures
        assert "blind count" not in figures
        words = await _x_report_words(pilot)
        assert "Expected in the drawer $24.00" in words and "Blind count" not in words
