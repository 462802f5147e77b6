"""Idle lock: back to login after the idle time; the sale being typed is kept for the same
clerk only, and the keys typed at the lock screen all arrive."""

from __future__ import annotations

from counter.config import load_settings
from counter.services import sales_for_day
from counter.ui.app import CounterApp
from tests.ui.helpers import (
    CLERK,
    CLERK_PIN,
    NOW,
    SUPERVISOR,
    SUPERVISOR_PIN,
    Shop,
    burst,
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


async def test_idle_lock_asks_the_same_clerks_pin_and_keeps_the_form(shop: Shop) -> None:
    ticks = FakeMonotonic()
    app = CounterApp(load_settings(idle_lock_seconds=300), clock=fixed_clock, monotonic=ticks)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await type_text(pilot, "010222333")
        await pilot.press("enter")
        await type_text(pilot, "5")

        ticks.now += 299.5
        assert app.lock_if_idle() == 0.5  # not yet; the timer looks again when time is up
        assert type(app.screen).__name__ == "SaleScreen"

        ticks.now += 0.5
        assert app.lock_if_idle() == 300
        await wait_for_screen(pilot, "LoginScreen")
        assert app.till.clerk is None
        assert screen_text(pilot, "#login-name") == CLERK  # the same clerk's PIN is asked
        assert app.screen.focused is not None and app.screen.focused.id == "login-pin"
        assert "Locked. Dara: type your PIN" in screen_text(pilot, "#login-message")

        burst(pilot, f"{CLERK_PIN}\r\r\r")  # the PIN, then the amount's Enter and the sale's
        await wait_until(pilot, lambda: len(_sold(shop)) == 1, "the sale", timeout=30)
    assert _sold(shop) == [("+85510222333", 500, CLERK)]


async def test_another_clerk_after_the_lock_gets_an_empty_form(shop: Shop) -> None:
    app = CounterApp(load_settings(), clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await type_text(pilot, "010222333")
        await pilot.press("enter")
        await type_text(pilot, "5")
        await pilot.press("enter")
        await wait_for_screen(pilot, "ConfirmSaleScreen")  # left open by the clerk
        app.action_lock()  # what the idle timer does
        await wait_for_screen(pilot, "LoginScreen")
        await pilot.press("escape")  # someone else: the name is emptied
        await wait_until(pilot, lambda: screen_text(pilot, "#login-name") == "", "no name")
        await log_in(pilot, SUPERVISOR, SUPERVISOR_PIN)
        await wait_for_screen(pilot, "SaleScreen")
        await pilot.pause(0.2)
        assert screen_text(pilot, "#number") == ""
        assert screen_text(pilot, "#amount") == ""
        assert [type(s).__name__ for s in app.screen_stack[1:]] == ["SaleScreen"]

        burst(pilot, "012345678\r2\r\r")  # the form works for the new clerk
        await wait_until(pilot, lambda: len(_sold(shop)) == 1, "the sale", timeout=30)
    assert _sold(shop) == [("+85512345678", 200, SUPERVISOR)]


def _sold(shop: Shop) -> list[tuple[str, int, str]]:
    sales = sales_for_day(shop.ledger, NOW.date(), "A", limit=10)
    return [(s.msisdn, s.amount_cents, s.clerk_name) for s in sales]


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
