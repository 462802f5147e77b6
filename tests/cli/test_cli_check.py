"""`counter check` and `counter operators`: the contract other tools rely on (exit codes,
JSON keys, `--` before a negative amount). Run in the test's process (`tests.support.cli`);
the installed console script itself is run once for its exit codes, and `python -m counter`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import counter

JSON_KEYS = {"ok", "operator", "msisdn", "display", "amount_cents", "validity_days", "errors"}


def script(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed `counter` script, in its own process."""
    found = Path(sys.executable).with_name("counter")
    command = [str(found)] if found.exists() else [sys.executable, "-m", "counter"]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=60, env=dict(os.environ)
    )


def check_json(*args: str) -> tuple[int, dict[str, object]]:
    result = counter("check", "--json", *args)
    assert result.stdout.count("\n") == 1, result.stdout  # one JSON object, one line
    data = json.loads(result.stdout)
    assert set(data) == JSON_KEYS
    return result.returncode, data


@pytest.fixture(autouse=True)
def _home(counter_home: Path) -> Path:
    """Every CLI run gets an empty COUNTER_HOME and no COUNTER_* from the machine."""
    return counter_home


# --- exit codes ---------------------------------------------------------------------------


def test_allowed_exits_0() -> None:
    result = counter("check", "012345678", "5")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize(
    "args",
    [
        ("023123456", "5"),  # landline
        ("019123456", "5"),  # unknown prefix
        ("013456789", "5"),  # qb disabled
        ("012345678", "abc"),
        ("012345678", "0"),
        ("012345678", "1.50"),  # Cellcard sells whole dollars
        ("0961234567", "500"),  # above Smart's maximum
    ],
)
def test_refused_exits_1(args: tuple[str, str]) -> None:
    result = counter("check", *args)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Refused:" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("check",),
        ("check", "012345678"),
        ("check", "012345678", "5", "extra"),
        ("check", "--bogus", "012345678", "5"),
        ("check", "012345678", "5", "--bogus"),
        ("check", "--currency", "EUR", "012345678", "5"),
        ("check", "--currency", "", "012345678", "5"),
        ("check", "012345678", "5", "--currency"),
        ("check", "012345678", "-5"),  # without `--`, -5 is an unknown option
        ("nosuchcommand",),
    ],
)
def test_usage_error_exits_2(args: tuple[str, ...]) -> None:
    result = counter(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert "Usage" in result.stderr or "Error" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_currency_message_names_the_choices() -> None:
    result = counter("check", "--currency", "EUR", "012345678", "5")
    assert result.returncode == 2
    assert "--currency" in result.stderr
    assert "USD or KHR" in result.stderr


# --- options and `--` -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("--json", "012345678", "5"),
        ("012345678", "5", "--json"),
        ("012345678", "--json", "5"),
        ("--currency", "USD", "--json", "012345678", "5"),
        ("--json", "--", "012345678", "5"),
    ],
)
def test_options_anywhere_before_the_double_dash(args: tuple[str, ...]) -> None:
    result = counter("check", *args)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["msisdn"] == "+85512345678"


def test_double_dash_lets_a_negative_amount_be_checked() -> None:
    code, data = check_json("--", "012345678", "-5")
    assert code == 1
    assert data["ok"] is False
    assert data["amount_cents"] is None
    assert data["validity_days"] is None
    errors = data["errors"]
    assert isinstance(errors, list) and len(errors) == 1
    assert "negative" in errors[0]


def test_double_dash_passes_a_dash_leading_number_to_the_checker() -> None:
    # A dash is a separator in numbers (012-345-678), so a leading one is read past.
    result = counter("check", "--json", "--", "-012345678", "5")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["msisdn"] == "+85512345678"


# --- JSON -----------------------------------------------------------------------------------


def test_json_allowed() -> None:
    code, data = check_json("097 123 4567", "5")
    assert code == 0
    assert data == {
        "ok": True,
        "operator": "metfone",
        "msisdn": "+855971234567",
        "display": "097 123 4567",
        "amount_cents": 500,
        "validity_days": 40,
        "errors": [],
    }


@pytest.mark.parametrize(
    ("number", "msisdn", "operator"),
    [
        ("+855 (0)12 345 678", "+85512345678", "cellcard"),
        ("0085512345678", "+85512345678", "cellcard"),
        ("០១២៣៤៥៦៧៨", "+85512345678", "cellcard"),
        ("096-123-4567", "+855961234567", "smart"),
        (" 018 123 4567 ", "+855181234567", "seatel"),
        ("0381234567", "+855381234567", "cootel"),
    ],
)
def test_json_numbers_as_customers_give_them(number: str, msisdn: str, operator: str) -> None:
    code, data = check_json(number, "5")
    assert code == 0, data
    assert data["msisdn"] == msisdn
    assert data["operator"] == operator


def test_json_refused_lists_every_problem() -> None:
    code, data = check_json("023 123 456", "abc")
    assert code == 1
    assert data["ok"] is False
    assert data["operator"] is None
    assert data["msisdn"] is None
    assert data["display"] is None
    assert data["amount_cents"] is None
    assert data["validity_days"] is None
    errors = data["errors"]
    assert isinstance(errors, list) and len(errors) == 2
    assert "landline" in errors[0]
    assert "not an amount" in errors[1]


def test_json_amount_problems_keep_the_number() -> None:
    code, data = check_json("012 345 678", "1.50")
    assert code == 1
    assert data["msisdn"] == "+85512345678"
    assert data["display"] == "012 345 678"
    assert data["amount_cents"] == 150
    assert data["errors"] == ["Cellcard sells in steps of $1.00; $1.50 is not one."]


@pytest.mark.parametrize(
    ("args", "cents", "days"),
    [
        (("--currency", "KHR", "010 345 678", "5000"), 125, 8),
        (("--currency", "KHR", "010 345 678", "10,000"), 250, 16),
        (("--currency", "khr", "012 345 678", "20000"), 500, 40),
        (("--currency", "USD", "010 345 678", "2.50"), 250, 16),
    ],
)
def test_json_currency(args: tuple[str, ...], cents: int, days: int) -> None:
    code, data = check_json(*args)
    assert code == 0, data
    assert data["amount_cents"] == cents
    assert data["validity_days"] == days


def test_json_keeps_khmer_text_readable() -> None:
    result = counter("check", "--json", "០១២", "5")
    assert result.returncode == 1
    assert "\\u" not in result.stdout


# --- readable output ---------------------------------------------------------------------------


def test_readable_allowed() -> None:
    result = counter("check", "012 345 678", "5")
    assert result.returncode == 0
    out = result.stdout
    assert "Cellcard" in out
    assert "012 345 678" in out
    assert "+85512345678" in out
    assert "$5.00" in out
    assert "40 days" in out
    assert "OK" in out
    assert not out.lstrip().startswith("{")


def test_readable_refused() -> None:
    result = counter("check", "023 123 456", "-1")
    assert result.returncode == 2  # -1 without `--` is an option
    result = counter("check", "--", "023 123 456", "-1")
    assert result.returncode == 1
    assert "OK" not in result.stdout
    lines = [line for line in result.stderr.splitlines() if line.startswith("Refused:")]
    assert len(lines) == 2
    assert "landline" in lines[0]
    assert "negative" in lines[1]


# --- counter operators -------------------------------------------------------------------------


def test_operators_lists_every_operator_and_prefix() -> None:
    result = counter("operators")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for name, op_id in [
        ("Smart", "smart"),
        ("Cellcard", "cellcard"),
        ("Metfone", "metfone"),
        ("Seatel", "seatel"),
        ("CooTel", "cootel"),
        ("qb", "qb"),
    ]:
        assert f"{name} ({op_id}," in out
    prefixes = [
        "010",
        "015",
        "016",
        "069",
        "070",
        "081",
        "086",
        "087",
        "093",
        "098",
        "096",
        "011",
        "014",
        "017",
        "061",
        "077",
        "078",
        "079",
        "085",
        "089",
        "092",
        "095",
        "099",
        "012",
        "076",
        "060",
        "066",
        "067",
        "068",
        "090",
        "031",
        "071",
        "088",
        "097",
        "018",
        "038",
        "013",
        "080",
        "083",
        "084",
    ]
    for prefix in prefixes:
        assert prefix in out, prefix
    assert "DISABLED" in out.split("qb (qb,")[1].splitlines()[0]
    assert "$1.00-$100.00" in out  # Smart's limits
    assert "$2.00" in out and "$100.00" in out  # Metfone's denominations


def test_operators_groups_prefixes_under_their_operator() -> None:
    out = counter("operators").stdout
    blocks = {block.splitlines()[0].split(" (")[0]: block for block in out.split("\n\n")[1:]}
    assert "096" in blocks["Smart"] and "096" not in blocks["Metfone"]
    assert "097" in blocks["Metfone"]
    assert "012" in blocks["Cellcard"]
    assert "018" in blocks["Seatel"]
    assert "038" in blocks["CooTel"]
    assert "013" in blocks["qb"]


def test_help_exits_0() -> None:
    result = counter("check", "--help")
    assert result.returncode == 0
    assert "--currency" in result.stdout
    assert "--json" in result.stdout


def test_python_dash_m_runs_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "counter", "check", "--json", "012345678", "5"],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ),
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ok"] is True


def test_the_installed_script_exits_0_allowed_1_refused_2_usage() -> None:
    assert script("check", "012345678", "5").returncode == 0
    refused = script("check", "023 123 456", "5")
    assert refused.returncode == 1 and "landline" in refused.stderr
    assert script("check", "--currency", "EUR", "012345678", "5").returncode == 2
