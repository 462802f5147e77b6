"""The blind count as the shop sets it (`blind_count` in counter.toml or
COUNTER_BLIND_COUNT): who sees the expected cash before the count, from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.dayend.test_dayend_shift_cli import _sell, _supervisor
from tests.ledger.test_cli import cli_home, counter

__all__ = ["cli_home"]


def _open_and_sell() -> None:
    _supervisor()
    opened = counter(
        "shift", "open", "--usd", "20", "--khr", "40000", "--clerk", "Dara", pin="5678"
    )
    assert opened.returncode == 0, opened.stderr
    _sell("012 345 678", "5")


def _status(by: str | None, pin: str | None, env: dict[str, str] | None = None) -> object:
    args = ("shift", "status", "--json", *(("--by", by) if by else ()))
    done = counter(*args, pin=pin, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["expected"]


def test_everyone_makes_a_supervisors_count_blind_too(cli_home: Path) -> None:
    _open_and_sell()
    assert _status("Vanna", "2468") == {"usd_cents": 2500, "khr": 40000}  # default: clerks
    everyone = {"COUNTER_BLIND_COUNT": "everyone"}
    assert _status("Vanna", "2468", everyone) is None
    said = counter("shift", "status", "--by", "Vanna", pin="2468", env=everyone)
    assert "The expected cash is shown after the count (blind count)." in said.stdout


def test_nobody_shows_a_clerk_the_expected_cash(cli_home: Path) -> None:
    _open_and_sell()
    assert _status(None, None) is None  # default: a clerk counts blind
    assert _status("Dara", "5678") is None
    (cli_home / "counter.toml").write_text(
        (cli_home / "counter.toml").read_text() + 'blind_count = "nobody"\n'
    )
    assert _status("Dara", "5678") == {"usd_cents": 2500, "khr": 40000}
    assert _status(None, None) == {"usd_cents": 2500, "khr": 40000}


def test_a_bad_blind_count_is_refused_in_a_sentence(cli_home: Path) -> None:
    done = counter("shift", "status", env={"COUNTER_BLIND_COUNT": "supervisors"})
    assert done.returncode == 1
    assert (
        "blind_count (COUNTER_BLIND_COUNT): 'supervisors' is not a blind count: use clerks "
        "(clerks count without seeing the expected cash, the default), everyone or nobody"
    ) in " ".join(done.stderr.split())
    assert "Input should be" not in done.stderr
