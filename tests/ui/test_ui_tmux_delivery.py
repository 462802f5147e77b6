"""End to end in a real terminal (tmux): a `manual` delivery confirmed with one key.

The real `counter` runs with `[delivery] cellcard = "manual"`: after the sale the screen
says what to top up on the dealer phone, Ctrl+O lists the open delivery, `d` confirms it,
and the worker's next pass prints the DELIVERY SLIP beside the PENDING receipt.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter.bootstrap import open_ledger
from counter.config import load_settings
from counter.domain.delivery import DeliveryState
from counter.services.deliveries import delivery_of
from tests.support.system import require_tool
from tests.ui.test_ui_tmux import BURST_TIMEOUT, Terminal, _counter_command

MANUAL = json.dumps({"cellcard": "manual"}, separators=(",", ":"))


@pytest.fixture
def manual_terminal(counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Terminal]:
    tmux = require_tool("tmux")
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    monkeypatch.setenv("COUNTER_DELIVERY", MANUAL)
    init = ("init", "--shop-name", "Sokha Phone Shop", "--counter", "A")
    subprocess.run(
        [_counter_command(), *init, "--admin", "Sok", "--admin-pin", "1234"],
        env={**os.environ},
        check=True,
        capture_output=True,
        text=True,
    )
    term = Terminal(tmux, f"counter-test-{uuid.uuid4().hex[:8]}")
    command = (
        f"env -u COLUMNS -u LINES COUNTER_HOME={counter_home} COUNTER_PIN_HASH_PROFILE=test "
        f"COUNTER_DELIVERY='{MANUAL}' TERM=xterm-256color {_counter_command()}"
    )
    term.run("new-session", "-d", "-s", "counter", "-x", "100", "-y", "30", command)
    term.run("set-option", "-t", "counter", "window-size", "manual")
    term.run("resize-window", "-t", "counter", "-x", "100", "-y", "30")
    try:
        yield term
    finally:
        subprocess.run([tmux, "-L", term.socket, "kill-server"], capture_output=True)


def _wait_for_file(path: Path, timeout: float = BURST_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not path.exists():
        time.sleep(0.1)
    assert path.exists(), f"{path.name} was never written"


def test_a_manual_delivery_is_confirmed_with_one_key_in_a_real_terminal(
    manual_terminal: Terminal, counter_home: Path
) -> None:
    term = manual_terminal
    term.wait_for("Sokha Phone Shop · counter A", timeout=BURST_TIMEOUT)
    term.keys(
        *("Sok", "Enter", "1234", "Enter", "0", "Enter", "0", "Enter"),
        *("012345678", "Enter", "5", "Enter", "Enter"),
    )
    term.wait_for("Sold A-000001", timeout=BURST_TIMEOUT)
    shown = term.wait_for("1 delivery pending", timeout=BURST_TIMEOUT)
    assert "Top up 012 345 678 with $5.00 on the dealer phone." in shown
    term.keys("C-o")
    term.wait_for("A-000001 · pending · +85512345678 · $5.00 · manual", timeout=BURST_TIMEOUT)
    term.keys("d")  # the one key
    term.wait_for("A-000001 is delivered.", timeout=BURST_TIMEOUT)
    term.keys("Escape")
    term.wait_gone("1 delivery pending", timeout=BURST_TIMEOUT)
    with open_ledger(load_settings()) as ledger:
        delivery = delivery_of(ledger, "A-000001")
    assert delivery.state is DeliveryState.DELIVERED
    receipts = counter_home / "receipts"
    _wait_for_file(receipts / "A-000001-delivery-slip.pdf")  # the worker's next pass
    assert (receipts / "A-000001.pdf").exists()
    term.keys("C-q")
