"""The help's key tables as the clerk reads them: each key cell whole on one line at 60, 80
and 100 columns, in English and in Chinese, and the view shows the lines it rendered."""

from __future__ import annotations

import pytest

from counter.ui.screens.help import HelpScreen, help_blocks
from counter.ui.screens.help_render import HelpView
from tests.ui.helpers import Shop, log_in, make_app, screen_lines, wait_until, zh

SIZES = [(60, 20), (80, 24), (100, 30)]


def _key_cells() -> list[str]:
    """Every key cell of every table (key names are the same in both languages)."""
    return [keys for _kind, rows in help_blocks({}) if isinstance(rows, list) for keys, _ in rows]


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_key_of_the_help_tables_is_on_one_line(
    shop: Shop, size: tuple[int, int], language: str
) -> None:
    app = make_app(language=language)
    async with app.run_test(size=size) as pilot:
        await log_in(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        await pilot.pause()
        view = app.screen.query_one(HelpView)
        lines = view.text_lines()
        cells = _key_cells()
        assert len(cells) >= 30 and "F2 / F3 / F4" in cells
        for cell in cells:
            # whole, then the gap before what it does: a wrapped or cut key fails here
            assert any(line.startswith(cell + "  ") for line in lines), f"{cell!r} is broken"
        heading = zh("What it does") if language == "zh" else "What it does"
        tables = sum(isinstance(rows, list) for _kind, rows in help_blocks({}))
        assert tables >= 6  # sale, confirmation, KHQR code, history, reports, users
        assert sum(heading in line for line in lines) == tables  # each, in the language
        area = view.scrollable_content_region
        shown = screen_lines(pilot)[area.y : area.bottom]
        for row, line in zip(shown, lines, strict=False):
            assert line.strip() in row  # what the terminal shows is the view's own lines
