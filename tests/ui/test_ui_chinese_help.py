"""The help (F1), the command palette (Ctrl+P) and the footer, as the clerk Mei reads them
in Chinese: every line of the help, at the top and scrolled to the end, at 100x30 and
60x20; the palette's commands for a few searches; the footer's keys at 60x20 and 80x24."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from counter.ui.screens.help_render import HelpView
from tests.ui.helpers import (
    CHINESE_SCREEN_ALLOWS,
    MEI,
    MEI_PIN,
    Shop,
    add_chinese_clerk,
    assert_all_chinese,
    english_words,
    log_in,
    make_app,
    type_text,
    wait_until,
)

# Latin the help shows on purpose: `COPY`, the mark printed on a reprint's paper (the
# receipt's own words); `counter users ... --by`, a command typed as it is; the setting
# `idle_lock_seconds`, a key typed as it is in counter.toml; and the language command's
# name, `Language: English / 中文`, written in both languages so that someone who reads
# only one finds it (`ui.app.LANGUAGE_COMMAND`).
HELP_LATIN = frozenset(
    {"COPY", "counter", "users", "by", "idle", "lock", "seconds", "Language", "English"}
)
LANGUAGE_COMMAND = frozenset({"Language", "English"})


@pytest.mark.parametrize("size", [(100, 30), (60, 20)])
async def test_every_line_of_the_help_in_chinese(shop: Shop, size: tuple[int, int]) -> None:
    add_chinese_clerk(shop)
    app = make_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        await log_in(pilot, MEI, MEI_PIN)
        await pilot.press("f1")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "HelpScreen", "the help")
        await pilot.pause(0.2)
        assert_all_chinese(pilot, "help, top", HELP_LATIN)
        view = app.screen.query_one(HelpView)
        lines = view.text_lines()
        assert "US$20,000" in "".join(lines)  # a dollar amount, as every amount in Chinese
        words = english_words(lines, CHINESE_SCREEN_ALLOWS | HELP_LATIN)
        rows = [line for line in lines if any(word in line for word in words)]
        assert not words, f"English in the Chinese help: {words}\n" + "\n".join(rows)
        for _ in range(len(lines) // max(view.size.height, 1) + 1):
            await pilot.press("pagedown")
            await pilot.pause(0.05)
            assert_all_chinese(pilot, f"help, scrolled to row {view.scroll_offset.y}", HELP_LATIN)
        await pilot.press("end")
        await pilot.pause(0.1)
        assert view.scroll_offset.y == view.max_scroll_y > 0
        assert_all_chinese(pilot, "help, at the end", HELP_LATIN)


@pytest.mark.parametrize("size", [(100, 30), (60, 20)])
async def test_the_palette_in_chinese(shop: Shop, size: tuple[int, int]) -> None:
    add_chinese_clerk(shop)
    app = make_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        await log_in(pilot, MEI, MEI_PIN)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.pause(0.5)
        assert_all_chinese(pilot, "palette, open", LANGUAGE_COMMAND)
        for search in ("报", "语言", "主题", "lang", "th", "zzqx"):
            await type_text(pilot, search)
            await pilot.pause(0.6)
            typed = frozenset({search})  # the search as she typed it, in the search box
            assert_all_chinese(pilot, f"palette, {search!r} searched", LANGUAGE_COMMAND | typed)
            await pilot.press(*["backspace"] * len(search))
        await pilot.press("escape")


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_the_footer_in_chinese(shop: Shop, size: tuple[int, int]) -> None:
    add_chinese_clerk(shop)
    app = make_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        await log_in(pilot, MEI, MEI_PIN)
        await pilot.pause(0.3)
        assert_all_chinese(pilot, "the footer, empty form")
        await type_text(pilot, "012345678")
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert_all_chinese(pilot, "the footer, the amount field")
