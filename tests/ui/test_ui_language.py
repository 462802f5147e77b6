"""The screen in each person's language: a Chinese-speaking clerk sees Chinese after her
login, the login screen speaks the shop's language, and the palette switches it."""

from __future__ import annotations

from textual.containers import Vertical

from counter.services import find_user
from tests.ui.helpers import (
    MEI,
    MEI_PIN,
    Shop,
    add_chinese_clerk,
    footer_keys,
    log_in,
    make_app,
    run_command,
    screen_text,
    type_text,
    wait_for_screen,
    wait_until,
    zh,
)


def _form_title(pilot) -> str:  # type: ignore[no-untyped-def]
    return str(pilot.app.screen.query_one("#sale-form", Vertical).border_title)


async def test_a_chinese_clerk_sees_the_sale_screen_in_chinese(shop: Shop) -> None:
    add_chinese_clerk(shop)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, "LoginScreen")
        assert str(app.screen.query_one("#login-box").border_title) == "Counter · log in"
        await log_in(pilot, MEI, MEI_PIN)
        assert _form_title(pilot) == zh("New top-up")
        assert zh("Type the number, Enter, the amount, Enter. {key} shows every key.").format(
            key="F1"
        ) == screen_text(pilot, "#status")
        assert zh("Customer's number") in str(app.screen.query_one("#number-field Label").render())
        await wait_until(pilot, lambda: bool(footer_keys(pilot)), "the footer")
        # The screen speaks Chinese with its own voice; this test's task still speaks English.
        from counter.i18n import gettext_

        assert gettext_("History") == "History"
        footer = set(footer_keys(pilot).values())
        assert zh("History") in footer and "History" not in footer
        assert "周三" in screen_text(pilot, "#shop-bar")  # the date, by Babel, in Chinese


async def test_the_login_screen_speaks_the_shops_language(shop: Shop) -> None:
    app = make_app(language="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, "LoginScreen")
        assert str(app.screen.query_one("#login-box").border_title) == zh("Counter · log in")
        await log_in(pilot)  # Dara has no language of his own: the shop's
        assert _form_title(pilot) == zh("New top-up")


async def test_the_palette_switches_the_language_and_keeps_the_form(shop: Shop) -> None:
    add_chinese_clerk(shop)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot, MEI, MEI_PIN)
        await type_text(pilot, "012345678")
        await run_command(pilot, "Language")
        await wait_until(pilot, lambda: _form_title(pilot) == "New top-up", "English")
        assert screen_text(pilot, "#number") == "012345678"
        assert "clerk Mei" in screen_text(pilot, "#shop-bar")
        await wait_until(pilot, lambda: bool(footer_keys(pilot)), "the footer")
        footer = set(footer_keys(pilot).values())
        assert "History" in footer
        await wait_until(pilot, lambda: find_user(shop.ledger, MEI).language == "en", "saved")
        await run_command(pilot, "Language")
        await wait_until(pilot, lambda: _form_title(pilot) == zh("New top-up"), "Chinese again")
        assert screen_text(pilot, "#number") == "012345678"


async def test_after_a_lock_the_next_clerk_gets_their_own_language(shop: Shop) -> None:
    add_chinese_clerk(shop)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot, MEI, MEI_PIN)
        assert _form_title(pilot) == zh("New top-up")
        await pilot.press("ctrl+l")
        await wait_for_screen(pilot, "LoginScreen")
        # the lock asks Mei's PIN by her name, in her language; Esc lets another clerk in,
        # and the login speaks the shop's language again
        assert str(app.screen.query_one("#login-box").border_title) == zh("Counter · log in")
        await pilot.press("escape")
        await wait_until(
            pilot,
            lambda: str(app.screen.query_one("#login-box").border_title) == "Counter · log in",
            "the shop's language",
        )
        await log_in(pilot)
        await wait_until(pilot, lambda: _form_title(pilot) == "New top-up", "English for Dara")


async def test_the_palette_asks_in_the_clerks_language(shop: Shop) -> None:
    from textual.command import CommandInput, CommandPalette

    add_chinese_clerk(shop)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot, MEI, MEI_PIN)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        assert app.screen.query_one(CommandInput).placeholder == "搜索命令…"
        await pilot.press("escape")
