"""End to end in a real terminal (tmux): the admin logs in, opens Users (F10, `u`) and adds
a clerk, all in ONE send-keys call; the new clerk's PIN never shows, and the ledger then
lets that clerk log in."""

from __future__ import annotations

from counter.bootstrap import open_ledger
from counter.config import load_settings
from counter.services import authenticate
from tests.ui.test_ui_tmux import BURST_TIMEOUT, Terminal, _login_ready, terminal

__all__ = ["terminal"]  # the fixture, shared with test_ui_tmux.py


def test_an_admin_adds_a_clerk_in_one_send_keys_call(terminal: Terminal) -> None:
    _login_ready(terminal)
    terminal.keys(
        *("Sok", "Enter", "1234", "Enter", "0", "Enter", "0", "Enter"),  # login, drawer
        *("F10", "u", "a"),  # Reports, Users, Add a user
        *("Bopha", "Enter", "clerk", "Enter", "8642", "Enter", "8642", "Enter", "1234", "Enter"),
    )
    terminal.wait_for("Added Bopha (clerk).", timeout=BURST_TIMEOUT)
    row = next(
        line
        for line in terminal.wait_for("clerk         active", timeout=BURST_TIMEOUT).splitlines()
        if "clerk         active" in line
    )
    # the row's own cells (a notice may float at the line's right end for a few seconds)
    assert row.split()[:3] == ["Bopha", "clerk", "active"], "the new clerk is in the list"
    assert "8642" not in terminal.screen(), "a PIN never shows"
    with open_ledger(load_settings()) as ledger:
        bopha = authenticate(ledger, "Bopha", "8642")
    assert bopha.role.value == "clerk"
    terminal.keys("C-q")
