"""Idle lock: back to login after the idle time, with the sale being typed kept."""

from __future__ import annotations

from counter.config import load_settings
from counter.ui.app import CounterApp
from tests.ui.helpers import (
    CLERK,
    CLERK_PIN,
    Shop,
    fixed_clock,
    log_in,
    screen_text,
    type_text,
    wait_for_screen,
    wait_until,
)


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_idle_lock_returns_to_login_and_keeps_the_form(shop: Shop) -> None:
    ticks = FakeMonotonic()
    app = CounterApp(load_settings(idle_lock_seconds=300), clock=fixed_clock, monotonic=ticks)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await type_text(pilot, "010222333")
        await pilot.press("enter")
        await type_text(pilot, "5")

        ticks.now += 299
        app.lock_if_idle()
        assert type(app.screen).__name__ == "SaleScreen"  # not yet

        ticks.now += 1
        app.lock_if_idle()
        await wait_for_screen(pilot, "LoginScreen")
        assert app.till.clerk is None

        await log_in(pilot, CLERK, CLERK_PIN)
        assert screen_text(pilot, "#number") == "010222333"
        assert screen_text(pilot, "#amount") == "5"
        assert pilot.app.screen.focused is not None and pilot.app.screen.focused.id == "amount"


async def test_ctrl_l_locks_at_once(shop: Shop) -> None:
    app = CounterApp(load_settings(), clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await pilot.press("ctrl+l")
        await wait_for_screen(pilot, "LoginScreen")


async def test_wrong_pin_is_said_in_words(shop: Shop) -> None:
    app = CounterApp(load_settings(), clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, "LoginScreen")
        await type_text(pilot, CLERK)
        await pilot.press("enter")
        await type_text(pilot, "0000")
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert "PIN" in screen_text(pilot, "#login-message")
        assert type(app.screen).__name__ == "LoginScreen"


async def test_a_wrong_name_and_a_wrong_pin_get_the_same_answer(shop: Shop) -> None:
    app = CounterApp(load_settings(), clock=fixed_clock)
    said = []
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, "LoginScreen")
        for name in ("Nobody", CLERK):
            await type_text(pilot, name)
            await pilot.press("enter")
            await type_text(pilot, "0000")
            await pilot.press("enter")
            await wait_until(
                pilot, lambda: "PIN" in screen_text(pilot, "#login-message"), "the answer"
            )
            said.append(screen_text(pilot, "#login-message"))
            await pilot.press("escape")  # start again
            await wait_until(
                pilot, lambda: screen_text(pilot, "#login-name") == "", "an empty name"
            )
    assert said[0] == said[1] == "That name and PIN do not match: check both and try again."
