"""The sale screen's status line: what just happened (sold, printed, refused).

It wraps instead of cutting a long message at the edge (its height follows its text), and
notifications show at the top of the screen, never over it (`app.tcss`)."""

from __future__ import annotations

from textual.widgets import Static


class StatusLine(Static):
    def say(self, text: str, *, kind: str) -> None:
        """Show `text`; `kind` is "-ok", "-problem" or "" (plain)."""
        self.update(text)
        self.set_class(kind == "-ok", "-ok")
        self.set_class(kind == "-problem", "-problem")
