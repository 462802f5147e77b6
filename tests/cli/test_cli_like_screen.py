"""The command line reads amounts as the screen does, answers `--json` with JSON even when
it refuses, knows the shop's rate for `counter check`, and says its version."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from counter import __version__
from counter.bootstrap import open_ledger
from counter.config import load_settings
from counter.services import sales_for_day
from tests.cli.shop import CLERK, CLERK_PIN, set_up_cli_shop
from tests.support.cli import counter


@pytest.fixture
def shop(counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    set_up_cli_shop(rate=4100)
    return counter_home


def test_version() -> None:
    done = counter("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Counter {__version__}\n"


def test_check_uses_the_shops_rate(shop: Path) -> None:
    done = counter("check", "--json", "012345678", "20500r")
    assert done.returncode == 0, done.stdout
    assert json.loads(done.stdout)["amount_cents"] == 500  # 20,500 riel at 4,100 = $5


def test_check_without_a_ledger_uses_the_default_rate(counter_home: Path) -> None:
    done = counter("check", "--json", "012345678", "20000r")
    assert done.returncode == 0, done.stdout
    assert json.loads(done.stdout)["amount_cents"] == 500  # at 4,000
    assert not (counter_home / "ledger.sqlite3").exists()  # nothing created by a check


def test_a_rate_given_wins_over_the_shops(shop: Path) -> None:
    done = counter("check", "--json", "--rate", "4000", "012345678", "20000r")
    assert json.loads(done.stdout)["amount_cents"] == 500


def test_sell_paid_takes_riel_with_its_mark_as_the_screen_does(shop: Path) -> None:
    done = counter(
        "sell", "012345678", "5", "--clerk", CLERK, "--paid", "25000r", "--json", pin=CLERK_PIN
    )
    assert done.returncode == 0, done.stderr
    sale = json.loads(done.stdout)
    assert (sale["paid_currency"], sale["paid_minor"]) == ("KHR", 25000)
    assert sale["riel_per_usd"] == 4100


@pytest.mark.parametrize("paid", ["-5", "1e3"])
def test_sell_paid_refuses_what_the_screen_refuses(shop: Path, paid: str) -> None:
    done = counter("sell", "012345678", "5", "--clerk", CLERK, "--paid", paid, pin=CLERK_PIN)
    assert done.returncode == 1
    assert repr(paid) in done.stderr
    assert "Traceback" not in done.stderr
    with open_ledger(load_settings()) as ledger:
        assert sales_for_day(ledger, __import__("datetime").date.today(), "A", limit=5) == []


def test_a_refused_sale_with_json_answers_json(shop: Path) -> None:
    done = counter("sell", "023123456", "5", "--clerk", CLERK, "--json", pin=CLERK_PIN)
    assert done.returncode == 1
    answer = json.loads(done.stdout)
    assert answer["ok"] is False
    assert answer["errors"] and all(isinstance(e, str) and e for e in answer["errors"])
    assert done.stderr == ""


def test_a_refusal_before_the_sale_with_json_answers_json(shop: Path) -> None:
    done = counter("sell", "012345678", "5", "--clerk", "Nobody", "--json", pin="0000")
    assert done.returncode == 1
    answer = json.loads(done.stdout)
    assert answer == {"ok": False, "errors": [answer["errors"][0]]}
    assert "Nobody" in answer["errors"][0] or "PIN" in answer["errors"][0]


def test_khqr_json_refusal_is_json(counter_home: Path) -> None:
    done = counter("khqr", "--json", "--", "-5")
    assert done.returncode == 1
    assert json.loads(done.stdout)["ok"] is False


@pytest.mark.parametrize("width", ["58", "80"])
def test_receipt_width_from_the_environment_is_read_as_in_counter_toml(
    counter_home: Path, width: str
) -> None:
    done = counter("check", "012345678", "5", env={"COUNTER_RECEIPT_WIDTH_MM": width})
    assert done.returncode == 0, done.stderr
    assert load_settings().receipt_width_mm == 80  # the variable is not left set
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COUNTER_RECEIPT_WIDTH_MM", width)
        assert load_settings().receipt_width_mm == int(width)


def test_a_receipt_width_that_is_not_a_roll_is_a_sentence(counter_home: Path) -> None:
    done = counter("check", "012345678", "5", env={"COUNTER_RECEIPT_WIDTH_MM": "59"})
    assert done.returncode == 1
    assert "COUNTER_RECEIPT_WIDTH_MM" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "variable"),
    [
        (("sell", "012345678", "5", "--clerk", CLERK), "COUNTER_PIN"),
        (("users", "set-pin", CLERK), "COUNTER_PIN"),
    ],
)
def test_a_pin_prompt_with_no_terminal_is_a_sentence(
    shop: Path, args: tuple[str, ...], variable: str
) -> None:
    done = counter(*args)  # no COUNTER_PIN, and standard input is not a terminal
    assert done.returncode == 1
    assert done.stderr == (
        f"No terminal to ask {CLERK}'s PIN on: set {variable} for this command, "
        "or run it in a terminal.\n"
    )


def test_a_new_pin_prompt_with_no_terminal_names_its_variable(shop: Path) -> None:
    done = counter("users", "set-pin", CLERK, pin=CLERK_PIN)
    assert done.returncode == 1
    assert "set COUNTER_NEW_PIN for this command" in done.stderr
    assert "Aborted" not in done.stderr


@pytest.mark.parametrize("address", ["bogus", "tcp://192.168.1.50:9100", "tcp:printer:99999"])
def test_a_bad_printer_address_is_a_sentence_not_a_regex(counter_home: Path, address: str) -> None:
    done = counter("check", "012345678", "5", env={"COUNTER_ESCPOS_CONNECTION": address})
    assert done.returncode == 1
    assert f"{address!r} is not a printer address: use usb:0x04b8:0x0202" in done.stderr
    assert "pattern" not in done.stderr and "^(" not in done.stderr


def test_an_unreachable_printer_is_said_once_without_a_log_line(counter_home: Path) -> None:
    """Its own process: how Python's logging reaches stderr there is the point."""
    # `.invalid` never resolves (RFC 2606): nothing on any network is reached.
    env = {
        **os.environ,
        "COUNTER_PRINTER": "escpos",
        "COUNTER_ESCPOS_CONNECTION": "tcp:printer.invalid:9100",
    }
    found = Path(sys.executable).with_name("counter")
    command = [str(found)] if found.exists() else [sys.executable, "-m", "counter"]
    done = subprocess.run(
        [*command, "printers", "test"], capture_output=True, text=True, timeout=60, env=env
    )
    assert "Receipt not printed: cannot reach the printer at printer.invalid:9100" in done.stderr
    assert "WARNING" not in done.stderr and "counter.printing" not in done.stderr
