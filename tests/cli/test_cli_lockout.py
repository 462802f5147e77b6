"""`counter lockout` and `counter lockout set N --by ADMIN`: the threshold in force and
its history, an admin's change in force from the next log-in, a slip refused in words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.shop import ADMIN, ADMIN_PIN, CLERK, CLERK_PIN, set_up_cli_shop
from tests.support.cli import counter


@pytest.fixture
def home(counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    set_up_cli_shop()
    return counter_home


def test_lockout_shows_the_threshold_and_set_changes_it_for_the_next_log_in(home: Path) -> None:
    shown = counter("lockout")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == "An account locks after 5 wrong PINs in a row, from the next log-in."
    assert lines[1] == "History, newest first (when, who, old, new):"
    assert lines[2].split()[2:] == [ADMIN, "set-up", "→", "5"]

    done = counter("lockout", "set", "3", "--by", ADMIN, pin=ADMIN_PIN)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "An account now locks after 3 wrong PINs in a row (was 5), from the next log-in; "
        "set by Sok.\n"
    )
    book = json.loads(counter("lockout", "--json").stdout)
    assert book["lockout_attempts"] == 3
    assert [(h["by"], h["old"], h["new"]) for h in book["history"]] == [
        (ADMIN, 5, 3),
        (ADMIN, None, 5),
    ]
    wrong = [counter("users", "unlock", CLERK, "--by", CLERK, pin="0000") for _ in range(3)]
    assert "Dara is now locked after 3 wrong PINs" in wrong[-1].stderr
    assert counter("doctor").returncode == 0


def test_a_slip_or_a_clerk_is_refused_in_words_with_exit_1(home: Path) -> None:
    slip = counter("lockout", "set", "50", "--by", ADMIN, pin=ADMIN_PIN)
    assert slip.returncode == 1
    assert slip.stderr.startswith("50 wrong PINs is outside what a shop may set: choose from 3")
    clerk = counter("lockout", "set", "10", "--by", CLERK, pin=CLERK_PIN)
    assert clerk.returncode == 1
    assert clerk.stderr.startswith(
        "Dara is a clerk: only an admin can change the lockout threshold."
    )
    assert json.loads(counter("lockout", "--json").stdout)["lockout_attempts"] == 5
