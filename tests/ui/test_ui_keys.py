"""Keys from settings: a remapped key works, the help and the footer show it, and a
keymap that puts two actions on one key is refused before the screen starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from counter.config import load_settings
from counter.ui.app import CounterApp
from counter.ui.keys import KeymapError
from counter.ui.screens.help_render import HelpView
from tests.ui.helpers import (
    Shop,
    footer_keys,
    log_in,
    make_app,
    run_command,
    status,
    type_text,
    wait_for_screen,
    wait_until,
    zh,
)


async def test_history_on_f11_works_and_the_help_says_so(shop: Shop) -> None:
    app = make_app(keys={"history": "f11"})
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        shown = app.screen.active_bindings
        assert "f11" in shown and shown["f11"].binding.description == "History"
        assert "f8" not in shown
        await pilot.press("f8")
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "SaleScreen"
        await pilot.press("f11")
        await wait_for_screen(pilot, "HistoryScreen")
        await pilot.press("escape")
        await wait_for_screen(pilot, "SaleScreen")
        await pilot.press("f1")
        await wait_for_screen(pilot, "HelpScreen")
        text = app.screen.query_one(HelpView).source
        assert "| F11 | History: find a sale, reprint it, void it |" in text
        assert "## History (F11)" in text
        assert "| F8 |" not in text


async def test_help_on_another_key(shop: Shop) -> None:
    app = make_app(keys={"help": "f11", "help-close-f1": "f11"})
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        assert "F11 shows every key" in str(app.screen.query_one("#status").render())
        await pilot.press("f11")
        await wait_for_screen(pilot, "HelpScreen")
        assert "| F11 | this help |" in app.screen.query_one(HelpView).source
        await pilot.press("f11")
        await wait_for_screen(pilot, "SaleScreen")


def test_two_actions_on_one_key_are_refused_naming_both(shop: Shop) -> None:
    with pytest.raises(KeymapError) as refused:
        CounterApp(load_settings(keys={"history": "f9"}))
    message = str(refused.value)
    assert "history" in message and "reprint-last" in message and "f9" in message


def test_an_app_key_on_a_screen_key_is_refused(shop: Shop) -> None:
    with pytest.raises(KeymapError, match=r"(?s)(help.*history|history.*help).*f8"):
        CounterApp(load_settings(keys={"help": "f8"}))


def test_an_unknown_id_is_refused(shop: Shop) -> None:
    with pytest.raises(KeymapError, match="histroy"):
        CounterApp(load_settings(keys={"histroy": "f11"}))


def test_swapping_two_keys_is_allowed(shop: Shop) -> None:
    CounterApp(load_settings(keys={"history": "f9", "reprint-last": "f8"}))


def test_counter_refuses_a_conflicting_keymap_at_start(screen_home: Path) -> None:
    env = {**os.environ, "COUNTER_KEYS": json.dumps({"reports": "f8"})}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.argv = ['counter']; from counter.cli import main; main()",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1, done
    assert "reports" in done.stderr and "history" in done.stderr and "f8" in done.stderr
    assert "Traceback" not in done.stderr


async def test_the_remapped_key_shows_in_the_footer_after_a_language_switch(
    shop: Shop,
) -> None:
    app = make_app(keys={"history": "f11"}, language="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await wait_until(pilot, lambda: "f11" in footer_keys(pilot), "the footer's f11")
        assert footer_keys(pilot)["f11"] == zh("History")  # the clerk's language, remapped key


async def test_the_footer_shows_the_sale_screens_keys_again_after_a_sale(shop: Shop) -> None:
    # The footer is rebuilt only when what it shows changed: after the confirmation
    # modal closes, the sale screen's own keys are back, and a language switch still
    # rebuilds it in the new words.
    app = make_app(keys={"history": "f11"}, language="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await wait_until(pilot, lambda: "f11" in footer_keys(pilot), "the footer's f11")
        before = footer_keys(pilot)
        assert before["f11"] == zh("History")
        await type_text(pilot, "012345678")
        await pilot.press("enter")
        await type_text(pilot, "5")
        await pilot.press("enter")
        await wait_for_screen(pilot, "ConfirmSaleScreen")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "A-000001" in status(pilot), "the sale")
        await wait_until(pilot, lambda: footer_keys(pilot) == before, "the sale screen's keys")
        await run_command(pilot, "Language")
        await wait_until(pilot, lambda: footer_keys(pilot).get("f11") == "History", "English")
