"""End to end: the real `counter` in a real terminal (tmux), driven with send-keys.

The first test sends one step at a time, each after the screen shows what it needs. The
burst tests send the login, the opening float and several sales as ONE `send-keys` call,
as a scanner or a paste would type them, then read the ledger through the services.
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

    def wait_gone(self, text: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text not in shown:
                return shown
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never went; the screen was:\n{self.screen()}")

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


# -- keys in one burst ------------------------------------------------------------------

BURST_TIMEOUT = 90  # seconds; generous, for a 2-core machine running another suite


def _login_ready(terminal: Terminal) -> None:
    terminal.wait_for("Sokha Phone Shop · counter A", timeout=BURST_TIMEOUT)


def _today(terminal: Terminal) -> list[tuple[str, str, int, int]]:
    """(receipt, number, amount in cents, cash paid) of today's sales, first sale first."""
    with open_ledger(load_settings()) as ledger:
        sales = sales_for_day(ledger, sale_day(ledger), "A", limit=50)
    return [
        (s.receipt_no, s.msisdn, s.amount_cents, s.payment.lines[0].minor) for s in reversed(sales)
    ]


def test_login_float_and_three_sales_in_one_send_keys_call(terminal: Terminal) -> None:
    _login_ready(terminal)
    terminal.keys(
        *("Sok", "Enter", "1234", "Enter"),  # the login
        *("0", "Enter", "0", "Enter"),  # the opening float: an empty drawer
        *("012345678", "Enter", "5", "Enter", "Enter"),
        *("0972345678", "Enter", "2", "Enter", "Enter"),
        *("010222333", "Enter", "10", "Enter", "Enter"),
    )
    shown = terminal.wait_for("Sold A-000003", timeout=BURST_TIMEOUT)
    assert "Smart 010 222 333 · $10.00" in shown
    assert _today(terminal) == [
        ("A-000001", "+85512345678", 500, 500),
        ("A-000002", "+855972345678", 200, 200),
        ("A-000003", "+85510222333", 1000, 1000),
    ]
    terminal.keys("C-q")


def test_cash_large_amount_and_duplicate_in_one_send_keys_call(terminal: Terminal) -> None:
    _login_ready(terminal)
    terminal.keys(
        *("Sok", "Enter", "1234", "Enter", "0", "Enter", "0", "Enter"),
        *("012345678", "Enter", "5", "Enter", "20", "Enter"),  # $20 given: change $15
        *("0972345678", "Enter", "50", "Enter", "Enter", "5678", "Enter"),  # large: last 4
        *("012345678", "Enter", "5", "Enter", "Enter", "y"),  # the same again: y sells
        *("0889876543", "Enter", "2", "Enter", "Enter"),
    )
    terminal.wait_for("Sold A-000004", timeout=BURST_TIMEOUT)
    assert _today(terminal) == [
        ("A-000001", "+85512345678", 500, 2000),
        ("A-000002", "+855972345678", 5000, 5000),
        ("A-000003", "+85512345678", 500, 500),
        ("A-000004", "+855889876543", 200, 200),
    ]
    terminal.keys("C-q")


def test_a_pin_in_a_burst_shows_masked_only(terminal: Terminal) -> None:
    _login_ready(terminal)
    terminal.keys("Sok", "Enter", "1234")  # one call; no Enter after the PIN yet
    shown = terminal.wait_for("••••", timeout=BURST_TIMEOUT)
    assert "1234" not in shown
    assert "▊  Sok " in shown  # the name field holds the name only
    terminal.keys("Enter")
    terminal.wait_for("Opening cash", timeout=BURST_TIMEOUT)
    terminal.keys("C-q")
