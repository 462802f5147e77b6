"""What the clerk sees, at 100x30 and 80x24: the sale screen, the confirmation, the history.

Fixed data (seeded sales at fixed times) and a fixed clock keep the pictures stable.
Regenerate with `pytest tests/ui/test_ui_snapshots.py --snapshot-update` and look at them.
"""

from __future__ import annotations

import pytest

from tests.ui.helpers import (
    Shop,
    log_in,
    make_app,
    seed_sales,
    type_text,
    wait_for_screen,
    wait_until,
)

SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((80, 24), id="80x24")]


async def _sale_screen(pilot) -> None:  # type: ignore[no-untyped-def]
    await log_in(pilot)
    await type_text(pilot, "012345678")
    await wait_until(
        pilot,
        lambda: "last top-up" in str(pilot.app.screen.query_one("#number-history").render()),
        "history",
    )
    await pilot.press("enter")
    await type_text(pilot, "5")
    await pilot.pause(0.1)


async def _confirmation(pilot) -> None:  # type: ignore[no-untyped-def]
    await _sale_screen(pilot)
    await pilot.press("enter")
    await wait_for_screen(pilot, "ConfirmSaleScreen")
    await type_text(pilot, "10")
    await pilot.pause(0.1)


async def _history(pilot) -> None:  # type: ignore[no-untyped-def]
    await log_in(pilot)
    await pilot.press("f8")
    await wait_for_screen(pilot, "HistoryScreen")
    await wait_until(
        pilot, lambda: pilot.app.screen.query_one("#history-table").row_count == 5, "rows"
    )
    await pilot.press("down")
    await pilot.pause(0.1)


@pytest.mark.parametrize("size", SIZES)
def test_sale_screen(shop: Shop, snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    seed_sales(shop)
    assert snap_compare(make_app(), run_before=_sale_screen, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_confirmation(shop: Shop, snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    seed_sales(shop)
    assert snap_compare(make_app(), run_before=_confirmation, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_history(shop: Shop, snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    seed_sales(shop)
    assert snap_compare(make_app(), run_before=_history, terminal_size=size)
