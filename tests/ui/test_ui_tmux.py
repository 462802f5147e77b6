"""End to end: the real `counter` in a real terminal (tmux), driven with send-keys.

Keys are sent one step at a time, each after the screen shows what the step needs:
tmux can drop keys sent in a burst while the app is still drawing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter.bootstrap import open_ledger
from counter.config import load_settings
from counter.services import sales_for_day
from tests.support.system import require_tool


def _counter_command() -> str:
    found = Path(sys.executable).with_name("counter")
    return str(found) if found.exists() else shutil.which("counter") or "counter"


class Terminal:
    """One tmux server of our own (`-L`), so a developer's tmux is never touched."""

    def __init__(self, tmux: str, socket: str) -> None:
        self.tmux, self.socket = tmux, socket

    def run(self, *args: str) -> str:
        # -f /dev/null: the developer's ~/.tmux.conf must not change the window's size or keys.
        return subprocess.run(
            [self.tmux, "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "counter")

    def wait_for(self, text: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never showed; the screen was:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "counter", *keys)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", "counter", "-l", text)


@pytest.fixture
def terminal(counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Terminal]:
    tmux = require_tool("tmux")
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    env = {**os.environ}
    subprocess.run(
        [
            _counter_command(),
            "init",
            "--shop-name",
            "Sokha Phone Shop",
            "--counter",
            "A",
            "--admin",
            "Sok",
            "--admin-pin",
            "1234",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    term = Terminal(tmux, f"counter-test-{uuid.uuid4().hex[:8]}")
    # pytest sets COLUMNS and LINES; the app must measure the real (tmux) terminal instead.
    command = f"env -u COLUMNS -u LINES COUNTER_HOME={counter_home} COUNTER_PIN_HASH_PROFILE=test TERM=xterm-256color {_counter_command()}"
    term.run("new-session", "-d", "-s", "counter", "-x", "100", "-y", "30", command)
    term.run("set-option", "-t", "counter", "window-size", "manual")
    term.run("resize-window", "-t", "counter", "-x", "100", "-y", "30")
    try:
        yield term
    finally:
        subprocess.run([tmux, "-L", term.socket, "kill-server"], capture_output=True)


def test_sell_one_top_up_in_a_real_terminal(terminal: Terminal) -> None:
    terminal.wait_for("Sokha Phone Shop · counter A")  # the ledger is open: the login is ready
    terminal.type("Sok")
    terminal.wait_for("▊  Sok ")  # in the name field, not the shop's name
    terminal.keys("Enter")
    terminal.type("1234")
    terminal.wait_for("••••")
    terminal.keys("Enter")
    terminal.wait_for("Opening cash")  # the day's first login: the drawer first
    time.sleep(1)  # FIXME: keys sent at once after the modal shows miss its Enter binding
    terminal.type("0")
    terminal.keys("Enter")
    terminal.type("0")
    terminal.keys("Enter")
    terminal.wait_for("Opening cash recorded")
    terminal.wait_for("New top-up")
    terminal.type("012345678")
    terminal.wait_for("Cellcard   012 345 678")  # operator found, number grouped
    terminal.keys("Enter")
    terminal.type("5")
    terminal.wait_for("Adds 40 days")
    terminal.keys("Enter")
    terminal.wait_for("Sell this top-up?")
    terminal.keys("Enter")
    shown = terminal.wait_for("receipt printed")
    assert "Sold A-000001 · Cellcard 012 345 678 · $5.00 · receipt printed" in shown

    with open_ledger(load_settings()) as ledger:
        (sale,) = sales_for_day(ledger, sale_day(ledger), "A", limit=5)
    assert (sale.receipt_no, sale.msisdn, sale.amount_cents) == ("A-000001", "+85512345678", 500)
    terminal.keys("C-q")


def sale_day(ledger):  # type: ignore[no-untyped-def]
    from datetime import datetime

    return datetime.now(ledger.zone).date()
