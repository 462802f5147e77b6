"""F1: the help is built once per language and kept, so later openings only show it again
(the time is measured by scripts/bench_help.py, not here)."""

from __future__ import annotations

from counter.ui.screens.help import HelpScreen
from counter.ui.screens.help_render import HelpView
from tests.ui.helpers import Shop, log_in, make_app, wait_until


async def test_f1_shows_the_same_help_again_without_building_it(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "the help")
        first = pilot.app.screen
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, HelpScreen), "closed")
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "the help")
        assert pilot.app.screen is first
        assert "Sell a top-up" in first.query_one(HelpView).source
