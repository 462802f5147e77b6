"""A new shop in a real terminal: `counter` with no ledger opens the set-up form (it hung
on a blank screen when the form read the settings before they were read)."""

from __future__ import annotations

import uuid
from pathlib import Path

from tests.support.system import require_tool
from tests.ui.test_ui_tmux import Terminal, _counter_command


def test_a_new_shop_opens_the_set_up_form(tmp_path: Path) -> None:
    tmux = require_tool("tmux")
    term = Terminal(tmux, f"counter-first-{uuid.uuid4().hex[:8]}")
    home = tmp_path / "home"
    command = (
        f"env -u COLUMNS -u LINES COUNTER_HOME={home} TERM=xterm-256color {_counter_command()}"
    )
    term.run("new-session", "-d", "-s", "counter", "-x", "100", "-y", "30", command)
    try:
        shown = term.wait_for("Shop name", timeout=60)
        assert "No ledger yet at this counter. Set up the shop" in shown
    finally:
        term.run("kill-server")
