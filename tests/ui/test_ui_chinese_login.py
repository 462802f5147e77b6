"""The login, the locks and the opening cash walked in Chinese: the login in the shop's
language (a shop set to zh), the wrong PIN and the lockout, Ctrl+L and the idle lock asking
Mei in her language (Esc: the shop's again), the Bakong token's notice, and the opening
cash with its refusals and its skip; no English word on screen, at 100x30 and 60x20."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from counter.config import load_settings
from counter.services import set_user_language
from counter.ui.app import CounterApp
from tests.ui.helpers import (
    CLERK,
    CLERK_PIN,
    MEI,
    MEI_PIN,
    SUPERVISOR,
    SUPERVISOR_PIN,
    Shop,
    add_chinese_clerk,
    assert_all_chinese,
    burst,
    fixed_clock,
    log_in,
    make_app,
    screen_lines,
    screen_text,
    set_up_shop,
    type_text,
    wait_for_screen,
    wait_until,
    zh,
)
from tests.ui.test_ui_khqr_token import khqr, token
from tests.ui.test_ui_lock import FakeMonotonic

SIZES = [(100, 30), (60, 20)]


async def wrong_pin(pilot: Pilot[None], name: str) -> None:
    await pilot.press("escape")  # start again: an empty name
    await type_text(pilot, name)
    await pilot.press("enter")
    await type_text(pilot, "0000")
    await pilot.press("enter")
    await wait_until(pilot, lambda: "PIN" in screen_text(pilot, "#login-message"), "answered")


@pytest.mark.parametrize("size", SIZES)
async def test_the_login_in_the_shops_chinese(shop: Shop, size: tuple[int, int]) -> None:
    """Before a login the screen speaks the shop's language: a shop set to zh."""
    add_chinese_clerk(shop)
    app = make_app(language="zh")
    async with app.run_test(size=size, notifications=True) as pilot:
        await wait_for_screen(pilot, "LoginScreen")
        await wait_until(pilot, lambda: "A" in screen_text(pilot, "#login-shop"), "the shop")
        assert_all_chinese(pilot, "login, empty")
        await type_text(pilot, MEI)
        assert_all_chinese(pilot, "login, a name typed")
        await wrong_pin(pilot, MEI)
        said = zh("That name and PIN do not match: check both and try again.")
        assert screen_text(pilot, "#login-message") == said
        assert_all_chinese(pilot, "login, the wrong PIN")
        for _ in range(5):  # the shop's fifth wrong PIN locks the account
            await wrong_pin(pilot, MEI)
        assert MEI in screen_text(pilot, "#login-message")  # the lock, said
        assert_all_chinese(pilot, "login, locked out")


@pytest.mark.parametrize("size", SIZES)
async def test_a_lock_asks_mei_in_chinese_and_someone_else_in_the_shops_language(
    shop: Shop, size: tuple[int, int]
) -> None:
    """Ctrl+L and the idle lock ask Mei's PIN by her name, in her language; Esc for
    another clerk speaks the shop's (English here) again."""
    add_chinese_clerk(shop)
    ticks = FakeMonotonic()
    app = CounterApp(load_settings(idle_lock_seconds=300), clock=fixed_clock, monotonic=ticks)
    async with app.run_test(size=size, notifications=True) as pilot:
        await log_in(pilot, MEI, MEI_PIN)
        await type_text(pilot, "012345678")
        await pilot.press("ctrl+l")
        await wait_for_screen(pilot, "LoginScreen")
        locked = zh("Locked. {name}: type your PIN, Enter. Someone else: Esc, then your name.")
        assert screen_text(pilot, "#login-message") == locked.format(name=MEI)
        await wait_until(pilot, lambda: "A" in screen_text(pilot, "#login-shop"), "the shop")
        assert_all_chinese(pilot, "login after Ctrl+L")
        await type_text(pilot, "0000")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "PIN" in screen_text(pilot, "#login-message"), "no")
        assert_all_chinese(pilot, "login after Ctrl+L, a wrong PIN")
        await type_text(pilot, MEI_PIN)
        await pilot.press("enter")
        await wait_for_screen(pilot, "SaleScreen")
        assert screen_text(pilot, "#number") == "012345678"  # her sale, kept

        ticks.now += 300
        app.call_later(app.lock_if_idle)  # what the idle timer does, in the app's task
        await wait_for_screen(pilot, "LoginScreen")
        await wait_until(pilot, lambda: "A" in screen_text(pilot, "#login-shop"), "the shop")
        assert_all_chinese(pilot, "login after the idle lock")
        await pilot.press("escape")  # someone else, typing at once (the words change meanwhile)
        burst(pilot, f"{CLERK}\r{CLERK_PIN}\r")
        await wait_for_screen(pilot, "SaleScreen")
        await wait_until(pilot, lambda: "clerk Dara" in screen_text(pilot, "#shop-bar"), "en")
        assert screen_text(pilot, "#number") == ""


@pytest.mark.parametrize("size", SIZES)
async def test_the_opening_cash_in_chinese(screen_home: Path, size: tuple[int, int]) -> None:
    shop = set_up_shop(opening_cash=False)
    try:
        add_chinese_clerk(shop)
        async with make_app().run_test(size=size, notifications=True) as pilot:
            await log_in(pilot, MEI, MEI_PIN, drawer=False)
            await wait_for_screen(pilot, "OpeningCashScreen")
            assert_all_chinese(pilot, "opening cash, empty")
            await type_text(pilot, "5.555")
            await pilot.press("enter", "enter")  # no riel typed
            problem = zh("Type both amounts (0 when there is none).")
            assert screen_text(pilot, "#form-problem") == problem
            assert_all_chinese(pilot, "opening cash, an amount missing")
            await type_text(pilot, "0")
            await pilot.press("enter")
            await wait_until(pilot, lambda: screen_text(pilot, "#form-problem") != problem, "no")
            assert_all_chinese(pilot, "opening cash, 5.555 refused")
            await pilot.press("escape")  # a clerk may not skip it
            assert "0" in screen_text(pilot, "#form-problem")
            assert_all_chinese(pilot, "opening cash, Esc refused")
    finally:
        shop.ledger.close()


@pytest.mark.parametrize("size", SIZES)
async def test_the_opening_cash_skipped_says_us_dollars(
    screen_home: Path, size: tuple[int, int]
) -> None:
    """A supervisor who reads Chinese skips it: the warning says `US$0.00`, never `$0`."""
    shop = set_up_shop(opening_cash=False)
    try:
        set_user_language(shop.ledger, SUPERVISOR, "zh", by=shop.supervisor)
        app = make_app()
        async with app.run_test(size=size, notifications=True) as pilot:
            await log_in(pilot, SUPERVISOR, SUPERVISOR_PIN, drawer=False)
            await wait_for_screen(pilot, "OpeningCashScreen")
            await pilot.press("escape")
            await wait_for_screen(pilot, "SaleScreen")
            await wait_until(pilot, lambda: bool(app._notifications), "the warning")
            (note,) = list(app._notifications)
            assert "US$0.00" in note.message and "0៛" in note.message
            assert "$0" not in note.message.replace("US$0", "")
            words = zh("Opening cash")
            await wait_until(pilot, lambda: words in "".join(screen_lines(pilot)), "the notice")
            assert_all_chinese(pilot, "the sale screen, opening cash skipped")
    finally:
        shop.ledger.close()


@pytest.mark.parametrize("size", SIZES)
async def test_the_bakong_token_notice_in_the_shops_chinese(
    shop: Shop, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    monkeypatch.setenv("BAKONG_TOKEN", token(-timedelta(days=1)))  # expired yesterday
    app = make_app(language="zh", khqr=khqr())
    async with app.run_test(size=size, notifications=True) as pilot:
        await wait_for_screen(pilot, "LoginScreen")
        await wait_until(pilot, lambda: bool(screen_text(pilot, "#login-token")), "the notice")
        assert "Bakong" in screen_text(pilot, "#login-token")
        assert_all_chinese(pilot, "login, the Bakong token expired")
