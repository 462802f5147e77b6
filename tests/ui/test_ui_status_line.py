"""The status line says whether the sale was recorded and printed: never cut at the edge,
never covered by a notification, at every size the counter runs in."""

from __future__ import annotations

import pytest
from textual.widgets._toast import Toast

from counter.ui.screens.sale import SaleScreen
from tests.ui.helpers import (
    burst,
    log_in,
    make_app,
    screen_lines,
    set_up_shop,
    status,
    wait_until,
)

SIZES = [(60, 20), (80, 24), (100, 30)]
SOLD = "Sold A-000001 · Cellcard 012 345 678 · $5.00 · receipt printed"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_sold_line_is_whole_and_no_notification_covers_it(
    screen_home: object, size: tuple[int, int]
) -> None:
    shop = set_up_shop(opening_cash=False)  # the login's opening cash leaves a notification
    try:
        app = make_app()
        async with app.run_test(size=size, notifications=True) as pilot:
            await log_in(pilot)
            burst(pilot, "012345678\r5\r\r")
            await wait_until(
                pilot, lambda: "receipt printed" in status(pilot), "the sold line", timeout=40
            )
            app.notify("The receipt printer is out of paper: load a roll.", timeout=30)
            await wait_until(pilot, lambda: len(app.screen.query(Toast)) >= 1, "the notification")
            await pilot.pause(0.2)

            line = app.screen.query_one("#status")
            assert status(pilot) == SOLD
            shown = screen_lines(pilot)[line.region.y : line.region.bottom]
            assert " ".join(" ".join(shown).split()) == SOLD  # every word, none cut off
            for toast in app.screen.query(Toast):
                assert not toast.region.overlaps(line.region), "a notification covers the line"
            assert isinstance(app.screen, SaleScreen)
    finally:
        shop.ledger.close()
