"""The command palette (Ctrl+P) in the clerk's language.

Textual writes its "No matches found" line in English inside `_start_no_matches_countdown`,
with no setting for it; this subclass writes the same line through `_()`. It repeats that
method (Textual 8.2.8, `textual/command.py`) and so reads the palette's private timer and
flags: Textual is pinned `<9`, and `tests/ui/test_ui_palette.py` fails if the line is
English again after an upgrade."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from counter.i18n import _


class CounterPalette(CommandPalette):
    """Textual's palette with its prompt and its "no matches" line translated."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def _show_no_matches() -> None:
            if not search_value:  # discovery mode: nothing to say (as Textual does)
                self._list_visible = False
                return
            self.query_one(CommandList).add_option(
                Option(
                    Align.center(Text(_("No command matches that search."), style="not bold")),
                    disabled=True,
                    id=self._NO_MATCHES,
                )
            )
            self._list_visible = True

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _show_no_matches)
