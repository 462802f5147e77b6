"""The help's blocks as Rich text and tables (a key never wraps inside its cell; the few
marks the help's sentences use, `**bold**`, `*italic*`, `` `code` ``, become styles), shown
by a line view that renders them once per width and keeps the lines.

Why not Textual's Markdown widget: it builds a widget per block and lays them all out each
time the help is shown (0.3-0.7 s on this machine); the line view only copies the rows in
sight (scripts/bench_help.py)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from counter.i18n import _

_MARKS = re.compile(r"\*\*(?P<bold>.+?)\*\*|\*(?P<italic>[^*]+?)\*|`(?P<code>[^`]+)`")
_STYLES = {"bold": "bold", "italic": "italic", "code": "reverse"}


def prose_text(prose: str) -> Text:
    """A help sentence with its marks as styles (the marks themselves are not shown)."""
    text = Text()
    at = 0
    for found in _MARKS.finditer(prose):
        text.append(prose[at : found.start()])
        kind = found.lastgroup or "bold"
        shown = found.group(kind)
        text.append(shown, style=_STYLES[kind])
        at = found.end()
    text.append(prose[at:])
    return text


def key_table(rows: Sequence[tuple[str, str]]) -> Table:
    """Keys on the left, each cell on one line (never wrapped: it is as wide as the longest
    key), what they do on the right, wrapped to what is left."""
    widest = max((cell_len(keys) for keys, _what in rows), default=1)
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, show_edge=False)
    table.add_column(_("Key"), no_wrap=True, min_width=widest, style="bold")
    table.add_column(_("What it does"), ratio=1)
    for keys, what in rows:
        table.add_row(keys, prose_text(what))
    return table


def help_renderable(blocks: Sequence[tuple[str, object]]) -> RenderableType:
    """Every block, in order, with a blank line between them."""
    parts: list[RenderableType] = []
    for kind, content in blocks:
        if isinstance(content, list):
            parts.append(key_table(content))
        elif kind == "title":
            parts.append(Text(str(content), style="bold underline"))
        elif kind == "heading":
            parts.append(Text(str(content), style="bold"))
        else:
            for paragraph in str(content).split("\n\n"):
                parts.append(prose_text(paragraph))
                parts.append(Text())
            parts.pop()
        parts.append(Text())
    return Group(*parts[:-1])


class HelpView(ScrollView, can_focus=True):
    """The help's lines, rendered once per width and colours, scrolled by the keys and the
    mouse; `source` is the same help as Markdown text (what tests and readers search)."""

    def __init__(self, renderable: RenderableType, source: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.renderable = renderable
        self.source = source
        self._lines: tuple[tuple[int, Style], list[Strip]] | None = None

    def lines(self) -> list[Strip]:
        """Every line of the help at the view's width, in the view's colours (kept)."""
        width, style = self.scrollable_content_region.width, self.rich_style
        if self._lines is None or self._lines[0] != (width, style):
            console = self.app.console
            options = console.options.update(width=max(width, 1), height=None)
            rendered = console.render_lines(self.renderable, options, style=style, pad=True)
            self._lines = ((width, style), [Strip(line, width) for line in rendered])
        return self._lines[1]

    def text_lines(self) -> list[str]:
        """The help as the view shows it, one string a row, scrolled or not."""
        return [strip.text for strip in self.lines()]

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.lines()))

    def render_line(self, y: int) -> Strip:
        lines = self.lines()
        row = self.scroll_offset.y + y
        if row >= len(lines):
            return Strip.blank(self.scrollable_content_region.width, self.rich_style)
        return lines[row].apply_offsets(0, row)
