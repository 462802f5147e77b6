"""`counter rate` and `counter rate set RATE --by NAME`: the rate in force and its
history, a supervisor's change in force from the next sale, a slip refused in words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.shop import ADMIN, ADMIN_PIN, CLERK, CLERK_PIN, set_up_cli_shop
from tests.support.cli import counter

SUPERVISOR, SUPERVISOR_PIN = "Vanna", "2468"


@pytest.fixture
def home(counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    set_up_cli_shop()
    added = counter(
        "users", "add", SUPERVISOR, "--role", "supervisor", "--by", ADMIN,
        pin=ADMIN_PIN, new_pin=SUPERVISOR_PIN,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    return counter_home


def test_rate_shows_the_rate_in_force_and_set_changes_it_for_the_next_sale(home: Path) -> None:
    shown = counter("rate")
    assert shown.returncode == 0, shown.stderr
    assert (
        shown.stdout.splitlines()[0] == "Rate in force: 4,000 riel per dollar, for the next sale."
    )
    assert "set-up → 4,000" in shown.stdout and ADMIN in shown.stdout

    done = counter("rate", "set", "4100", "--by", SUPERVISOR, pin=SUPERVISOR_PIN)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "The rate is now 4,100 riel per dollar (was 4,000), from the next sale; set by Vanna.\n"
    )
    sold = counter(
        "sell", "012 345 678", "5", "--clerk", CLERK, "--paid", "30000r", "--json",
        "--no-receipt", pin=CLERK_PIN,
    )  # fmt: skip
    assert sold.returncode == 0, sold.stderr
    sale = json.loads(sold.stdout)
    assert (sale["riel_per_usd"], sale["change_khr"]) == (4100, 9500)

    book = json.loads(counter("rate", "--json").stdout)
    assert book["riel_per_usd"] == 4100
    assert [(h["by"], h["old"], h["new"]) for h in book["history"]] == [
        (SUPERVISOR, 4000, 4100),
        (ADMIN, None, 4000),
    ]
    listed = counter("rate").stdout.splitlines()
    assert listed[1] == "History, newest first (when, who, old, new):"
    assert listed[2].split()[2:] == [SUPERVISOR, "4,000", "→", "4,100"]


def test_a_slip_or_a_clerk_is_refused_in_words_with_exit_1(home: Path) -> None:
    slip = counter("rate", "set", "41000", "--by", SUPERVISOR, pin=SUPERVISOR_PIN)
    assert slip.returncode == 1
    assert slip.stderr.startswith(
        "41,000 riel per dollar is above this shop's highest rate of 5,000: check it for a "
        "typing slip."
    )
    clerk = counter("rate", "set", "4100", "--by", CLERK, pin=CLERK_PIN)
    assert clerk.returncode == 1
    assert clerk.stderr.startswith(
        "Dara is a clerk: only a supervisor or admin can change the exchange rate."
    )
    assert json.loads(counter("rate", "--json").stdout)["riel_per_usd"] == 4000


def test_the_bounds_come_from_the_settings(home: Path) -> None:
    env = {"COUNTER_RATE_LOWEST": "2000", "COUNTER_RATE_HIGHEST": "2500"}
    low = counter("rate", "set", "2100", "--by", SUPERVISOR, pin=SUPERVISOR_PIN, env=env)
    assert low.returncode == 0, low.stderr
    high = counter("rate", "set", "3000", "--by", SUPERVISOR, pin=SUPERVISOR_PIN, env=env)
    assert high.returncode == 1
    assert "above this shop's highest rate of 2,500" in high.stderr
