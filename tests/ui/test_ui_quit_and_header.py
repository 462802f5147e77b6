"""Ctrl+Q with a sale half typed asks first; the header names the role as it is."""

from __future__ import annotations

import pytest

from tests.ui.helpers import (
    ADMIN,
    ADMIN_PIN,
    CLERK,
    CLERK_PIN,
    SUPERVISOR,
    SUPERVISOR_PIN,
    Shop,
    log_in,
    make_app,
    screen_text,
    type_text,
    wait_for_screen,
)


@pytest.mark.parametrize(
    ("name", "pin", "said"),
    [
        (CLERK, CLERK_PIN, f"clerk {CLERK}"),
        (SUPERVISOR, SUPERVISOR_PIN, f"supervisor {SUPERVISOR}"),
        (ADMIN, ADMIN_PIN, f"admin {ADMIN}"),
    ],
)
async def test_the_header_names_the_role(shop: Shop, name: str, pin: str, said: str) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, name, pin)
        bar = screen_text(pilot, "#shop-bar")
        assert f"· {said} ·" in bar
        assert bar.count("clerk") == (1 if name == CLERK else 0)


async def test_ctrl_q_with_a_sale_half_typed_asks_and_n_keeps_the_sale(shop: Shop) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await type_text(pilot, "012345678")
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, "QuitSaleScreen")
        assert app.is_running
        await pilot.press("x")
        assert "x is not an answer" in screen_text(pilot, "#duplicate-problem")
        await pilot.press("n")
        await wait_for_screen(pilot, "SaleScreen")
        assert screen_text(pilot, "#number") == "012345678"  # kept as typed
        assert app.is_running


@pytest.mark.parametrize("answer", ["y", "ctrl+q"])
async def test_ctrl_q_then_y_or_ctrl_q_again_quits(shop: Shop, answer: str) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await type_text(pilot, "012345678")
        await pilot.press("enter")
        await type_text(pilot, "5")
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, "QuitSaleScreen")
        await pilot.press(answer)
        await pilot.pause(0.2)
        assert not app.is_running


async def test_ctrl_q_on_an_empty_form_quits_at_once(shop: Shop) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause(0.2)
        assert not app.is_running
