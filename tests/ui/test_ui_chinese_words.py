"""Words Textual or a label wrote in English on a Chinese screen: the palette's line for a
search with no match, and the quick amounts' dollar sign (`US$`, as every amount in Chinese)."""

from __future__ import annotations

from textual.command import CommandPalette

from tests.ui.helpers import (
    MEI,
    MEI_PIN,
    Shop,
    add_chinese_clerk,
    log_in,
    make_app,
    screen_lines,
    screen_text,
    type_text,
    wait_until,
    zh,
)


async def test_the_palette_says_no_match_in_chinese(shop: Shop) -> None:
    add_chinese_clerk(shop)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot, MEI, MEI_PIN)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await type_text(pilot, "zzqx")
        said = zh("No command matches that search.")
        await wait_until(pilot, lambda: said in "".join(screen_lines(pilot)), "no match, said")
        shown = "".join(screen_lines(pilot))
        assert "No matches" not in shown and zh("Search for commands…") not in shown


async def test_the_palette_still_says_no_match_in_english(shop: Shop) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await type_text(pilot, "zzqx")
        said = "No command matches that search."
        await wait_until(pilot, lambda: said in "".join(screen_lines(pilot)), "no match, said")


async def test_the_quick_amounts_show_us_dollars_in_chinese(shop: Shop) -> None:
    add_chinese_clerk(shop)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot, MEI, MEI_PIN)
        await type_text(pilot, "012345678")
        await wait_until(pilot, lambda: "US$" in screen_text(pilot, "#quick-amounts"), "US$")
        quick = screen_text(pilot, "#quick-amounts")
        # with or without a gap, the key and its amount side by side (one word when tight)
        assert quick.replace(" ", "").startswith("F2US$1F3US$2F4US$5")
        assert " $" not in quick.replace("US$", "")  # no bare `$` beside the Chinese words
