"""Themes: the default, a light one and a high-contrast one, for the shop and per user."""

from __future__ import annotations

from counter.services import find_user
from tests.ui.helpers import (
    MEI,
    MEI_PIN,
    Shop,
    add_chinese_clerk,
    log_in,
    make_app,
    run_command,
    wait_for_screen,
    wait_until,
)


async def test_the_default_theme(shop: Shop) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        assert app.theme == "counter-dark"
        assert app.available_themes.keys() >= {"counter-dark", "counter-light", "counter-contrast"}


async def test_the_shops_theme_on_the_login_screen(shop: Shop) -> None:
    app = make_app(theme="contrast")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, "LoginScreen")
        assert app.theme == "counter-contrast"
        assert app.screen.styles.background.hex.upper() == "#000000"


async def test_each_user_gets_their_own_theme(shop: Shop) -> None:
    add_chinese_clerk(shop, theme="light")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot, MEI, MEI_PIN)
        assert app.theme == "counter-light"
        assert not app.current_theme.dark
        await pilot.press("ctrl+l")
        await wait_for_screen(pilot, "LoginScreen")
        assert app.theme == "counter-dark"  # the shop's, for whoever comes next
        await pilot.press("escape")  # the lock asks Mei's PIN; Esc lets another clerk in
        await log_in(pilot)
        assert app.theme == "counter-dark"


async def test_the_palette_changes_the_theme_and_keeps_it(shop: Shop) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        for search, theme, choice in (
            ("contrast", "counter-contrast", "contrast"),
            ("Light", "counter-light", "light"),
            ("dark", "counter-dark", "default"),
        ):
            await run_command(pilot, search)
            await wait_until(pilot, lambda theme=theme: app.theme == theme, theme)
            await wait_until(
                pilot,
                lambda choice=choice: find_user(shop.ledger, "Dara").theme == choice,
                "the choice saved",
            )
