"""The blind count as the shop sets it (`blind_count` in counter.toml or
COUNTER_BLIND_COUNT): who sees the expected cash before the count, from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.dayend.test_dayend_report import pdf_words
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


def _x(*args: str, pin: str | None = None) -> tuple[str, str]:
    done = counter("x-report", *args, pin=pin)
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr


@pytest.mark.system
def test_a_clerks_x_report_is_blind_on_paper_on_the_roll_and_in_json(cli_home: Path) -> None:
    _open_and_sell()  # $20 and 40,000៛ opening, one $5 sale paid exactly: $25 expected
    out, said = _x("--print")
    assert said.startswith("Report saved to ")  # the roll copy, a roll-wide PDF with `pdf`
    assert said.splitlines()[1].startswith(
        "1 sale, $5.00; taken in cash $5.00 and 0៛ (received less change); the expected "
        "cash is shown after the count (blind count)"
    )
    assert "$25.00" not in said
    pdf = " ".join(pdf_words(Path(out.strip())).split())
    assert "Blind count: the expected cash and the difference are shown once the shift's" in pdf
    assert "Expected in the drawer" not in pdf and "$25.00" not in pdf
    assert "Opening cash $20.00 40,000" in pdf and "Received $5.00" in pdf
    roll = Path(said.splitlines()[0].removeprefix("Report saved to ").rstrip("."))
    roll_words = " ".join(pdf_words(roll).split())
    assert "Expected cash: shown after the count (blind count)." in roll_words
    assert "Expected (USD)" not in roll_words and "$25.00" not in roll_words

    blind = json.loads(_x("--json")[0])
    assert (blind["blind"], blind["expected"], blind["difference"]) == (True, None, None)
    assert blind["taken"]["cash_usd_cents"] == 500 and blind["opening"]["usd_cents"] == 2000
    assert blind["state"] == "Shift 1 is open; the day stays open."
    clerk = json.loads(_x("--json", "--by", "Dara", pin="5678")[0])
    assert clerk["blind"] is True and clerk["expected"] is None

    seen = json.loads(_x("--json", "--by", "Vanna", pin="2468")[0])
    assert (seen["blind"], seen["expected"]) == (False, {"usd_cents": 2500, "khr": 40000})
    out, said = _x("--by", "Vanna", pin="2468")
    assert "expected in the drawer: $25.00 and 40,000៛" in said
    pdf = " ".join(pdf_words(Path(out.strip())).split())
    assert "Expected in the drawer $25.00 40,000" in pdf


@pytest.mark.system
def test_after_the_count_the_clerks_x_report_shows_the_difference(cli_home: Path) -> None:
    _open_and_sell()
    closed = counter(
        "shift", "close", "--counted-usd", "24", "--counted-khr", "40000", "--clerk", "Dara",
        pin="5678",
    )  # fmt: skip
    assert closed.returncode == 0, closed.stderr
    out, said = _x()
    assert "expected in the drawer: $25.00 and 40,000៛; counted $24.00 and 40,000៛: " in said
    assert "$1.00 short and 0៛ exact" in said
    pdf = " ".join(pdf_words(Path(out.strip())).split())
    assert "Expected in the drawer $25.00 40,000" in pdf and "Blind count" not in pdf
    assert "Counted by Dara and closed." in pdf
    assert "Counted $24.00 40,000 KHR Difference (counted - -$1.00 0 KHR" in pdf
    shown = json.loads(_x("--json")[0])
    assert shown["difference"] == {"usd_cents": -100, "khr": 0} and shown["blind"] is False
