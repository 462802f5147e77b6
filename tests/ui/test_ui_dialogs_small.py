"""At 60x20 no dialog loses its last lines: a form's problem line (its last) is scrolled
into view when it says why nothing was recorded, and the deliveries list fits the width."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from tests.ui.helpers import (
    SUPERVISOR,
    SUPERVISOR_PIN,
    Shop,
    log_in,
    make_app,
    screen_lines,
    seed_sales,
    text_of,
    wait_for_screen,
    wait_until,
)
from tests.ui.test_ui_deliveries import listed, manual_shop, sell

__all__ = ["manual_shop"]  # the fixture, used below

SMALL = (60, 20)


def shown(pilot: Pilot[None]) -> str:
    """The top screen's rows joined, without the box's borders."""
    return " ".join(line.strip(" █▀▄▌▐│╭╮╰╯─") for line in screen_lines(pilot))


def problem(pilot: Pilot[None]) -> str:
    return text_of(pilot.app.screen.query_one("#form-problem", Static))


@pytest.mark.parametrize(("key", "form"), [("k", "CloseShiftScreen"), ("z", "CloseDayScreen")])
async def test_a_close_form_shows_its_refusal_on_a_small_terminal(
    shop: Shop, key: str, form: str
) -> None:
    seed_sales(shop)
    async with make_app().run_test(size=SMALL) as pilot:
        await log_in(pilot, SUPERVISOR, SUPERVISOR_PIN)
        await pilot.press("f10")
        await wait_for_screen(pilot, "ReportsScreen")
        await pilot.press(key)
        await wait_for_screen(pilot, form)
        await pilot.press(*["enter"] * 4)  # nothing typed: refused
        await wait_until(pilot, lambda: problem(pilot) not in ("", "Checking…"), "a refusal")
        said = problem(pilot).split("\n")[0]
        first_words = " ".join(said.split()[:4])
        await wait_until(pilot, lambda: first_words in shown(pilot), f"{said!r} on screen")
        focused = pilot.app.screen.focused
        assert focused is not None and focused.region.bottom <= SMALL[1]  # the field, too


async def test_the_deliveries_list_fits_a_small_terminal(manual_shop: Shop) -> None:
    async with make_app().run_test(size=SMALL) as pilot:
        await log_in(pilot)
        await sell(pilot, "012345678", "5")
        await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "SaleScreen", "sold")
        await pilot.pause(0.3)
        await pilot.press("ctrl+o")
        await wait_for_screen(pilot, "DeliveriesScreen")
        await wait_until(pilot, lambda: listed(pilot) == ["A-000001"], "listed")
        box = pilot.app.screen.query_one("#deliveries-box")
        assert box.region.right <= SMALL[0]  # its right border is on screen
        rows = [line.rstrip() for line in screen_lines(pilot)]
        assert any(line.endswith("╯") for line in rows)  # the box's lower right corner
