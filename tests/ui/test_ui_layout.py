"""The screen at the sizes a counter's terminal has: 60x20 (a small screen or a split
window), 80x24 (the classic terminal) and 100x30. At 60 columns today's sales and totals give
way to the form; the footer shows every key it shows whole; a dialog keeps its last lines.

Snapshots: regenerate with `pytest tests/ui/test_ui_layout.py --snapshot-update` and look
at them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets._footer import FooterKey

from counter.ui.widgets.footer import CounterFooter
from tests.ui.helpers import (
    Shop,
    log_in,
    make_app,
    seed_sales,
    set_up_shop,
    steady_cursor,
    type_text,
    wait_for_screen,
    wait_until,
)

SIZES = [
    pytest.param((60, 20), id="60x20"),
    pytest.param((80, 24), id="80x24"),
    pytest.param((100, 30), id="100x30"),
]


async def _typed_sale(pilot) -> None:  # type: ignore[no-untyped-def]
    await log_in(pilot)
    await type_text(pilot, "012345678")
    await pilot.press("enter")
    await type_text(pilot, "5")
    await wait_until(pilot, lambda: pilot.app.screen.query_one("#amount").value == "5", "5")
    steady_cursor(pilot)
    await pilot.pause(0.2)


async def _opening_cash(pilot) -> None:  # type: ignore[no-untyped-def]
    await log_in(pilot, drawer=False)
    await wait_for_screen(pilot, "OpeningCashScreen")
    await pilot.pause(0.1)
    steady_cursor(pilot)
    await pilot.pause(0.2)


@pytest.mark.parametrize("size", SIZES)
def test_sale_screen_layout(shop: Shop, snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    seed_sales(shop)
    assert snap_compare(make_app(), run_before=_typed_sale, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_opening_cash_layout(screen_home: Path, snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    shop = set_up_shop(opening_cash=False)
    try:
        assert snap_compare(make_app(), run_before=_opening_cash, terminal_size=size)
    finally:
        shop.ledger.close()


@pytest.mark.parametrize("size", SIZES)
async def test_every_footer_key_shown_is_whole(shop: Shop, size: tuple[int, int]) -> None:
    width, _height = size
    async with make_app().run_test(size=size) as pilot:
        await _typed_sale(pilot)
        keys = [
            key for key in pilot.app.screen.query_one(CounterFooter).query(FooterKey) if key.display
        ]
        shown = {key.key for key in keys}
        assert {"f8", "f10", "escape", "ctrl+q", "f1"} <= shown
        for key in keys:
            assert key.region.width > 0 and key.region.right <= width, f"{key.key} is cut"
            words = f"{key.key_display} {key.description}"
            assert key.region.width >= len(words), f"{key.key} shows only part of {words!r}"


async def test_at_60_columns_the_side_panels_give_way(shop: Shop) -> None:
    async with make_app().run_test(size=(60, 20)) as pilot:
        await _typed_sale(pilot)
        screen = pilot.app.screen
        assert not screen.query_one("#sale-side").display
        assert screen.query_one("#sale-form").region.width >= 56  # the form takes the width
        amount = screen.query_one("#amount")
        assert amount.region.bottom <= 20 - 2  # above the status line and the footer
