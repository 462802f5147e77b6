"""What the clerk sees, at 100x30 and 80x24: the sale screen, the confirmation, the history,
in English and, for a clerk who reads Chinese, in Chinese (two cells a character).

Fixed data (seeded sales at fixed times) and a fixed clock keep the pictures stable.
Regenerate with `pytest tests/ui/test_ui_snapshots.py --snapshot-update` and look at them.
"""

from __future__ import annotations

import pytest

from tests.ui.helpers import (
    MEI,
    MEI_PIN,
    Shop,
    add_chinese_clerk,
    log_in,
    make_app,
    seed_sales,
    steady_cursor,
    type_text,
    wait_for_screen,
    wait_until,
)

SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((80, 24), id="80x24")]


async def _sale_screen(pilot, who: tuple[str, str] | None = None) -> None:  # type: ignore[no-untyped-def]
    await log_in(pilot, *(who or ()))
    await type_text(pilot, "012345678")
    await wait_until(
        pilot,
        lambda: "2.00" in str(pilot.app.screen.query_one("#number-history").render()),
        "history",
    )
    await pilot.press("enter")
    await type_text(pilot, "5")
    await _holds(pilot, "#amount", "5")


async def _holds(pilot, selector: str, value: str) -> None:  # type: ignore[no-untyped-def]
    """Until the field shows what was typed: keys wait their turn on the ordered key path,
    so a fixed pause is too short on a busy machine."""
    await wait_until(
        pilot, lambda: pilot.app.screen.query_one(selector).value == value, f"{selector}={value}"
    )
    steady_cursor(pilot)
    await pilot.pause(0.1)


async def _confirmation(pilot, who: tuple[str, str] | None = None) -> None:  # type: ignore[no-untyped-def]
    await _sale_screen(pilot, who)
    await pilot.press("enter")
    await wait_for_screen(pilot, "ConfirmSaleScreen")
    await type_text(pilot, "10")
    await _holds(pilot, "#cash", "10")


async def _history(pilot, who: tuple[str, str] | None = None) -> None:  # type: ignore[no-untyped-def]
    await log_in(pilot, *(who or ()))
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


# -- in Chinese: the same screens for Mei, whose language is Chinese ------------------


async def _sale_screen_zh(pilot) -> None:  # type: ignore[no-untyped-def]
    await _sale_screen(pilot, (MEI, MEI_PIN))


async def _confirmation_zh(pilot) -> None:  # type: ignore[no-untyped-def]
    await _confirmation(pilot, (MEI, MEI_PIN))


async def _history_zh(pilot) -> None:  # type: ignore[no-untyped-def]
    await _history(pilot, (MEI, MEI_PIN))


@pytest.mark.parametrize("size", SIZES)
def test_sale_screen_zh(shop: Shop, snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    seed_sales(shop)
    add_chinese_clerk(shop)
    assert snap_compare(make_app(), run_before=_sale_screen_zh, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_confirmation_zh(shop: Shop, snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    seed_sales(shop)
    add_chinese_clerk(shop)
    assert snap_compare(make_app(), run_before=_confirmation_zh, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_history_zh(shop: Shop, snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    seed_sales(shop)
    add_chinese_clerk(shop)
    assert snap_compare(make_app(), run_before=_history_zh, terminal_size=size)
