"""The ledger commands end to end: exit codes, messages on stderr, nothing recorded on refusal.

Run in the test's process (`tests.support.cli`): what `counter ARGS` runs, minus the exit.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.support.cli import counter


@pytest.fixture
def cli_home(counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    done = counter(
        "init",
        "--shop-name",
        "Dara Phone",
        "--counter",
        "A",
        "--admin",
        "Sok",
        "--admin-pin",
        "1234",
    )
    assert done.returncode == 0, done.stderr
    assert 'counter_code = "A"' in (counter_home / "counter.toml").read_text()
    added = counter(
        "users", "add", "Dara", "--role", "clerk", "--by", "Sok", pin="1234", new_pin="5678"
    )
    assert added.returncode == 0, added.stderr
    return counter_home


@pytest.fixture
def selling_home(cli_home: Path) -> Path:
    """The shop with today's opening cash entered: the clerk may sell."""
    opened = counter("opening-float", "--usd", "0", "--khr", "0", "--clerk", "Dara", pin="5678")
    assert opened.returncode == 0, opened.stderr
    return cli_home


def test_nobody_sells_before_the_drawer_is_counted_into_a_shift(
    counter_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shift rule holds for `counter sell` as for the screen, for every role."""
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    assert (
        counter(
            "init", "--shop-name", "D", "--counter", "A", "--admin", "Sok", "--admin-pin", "1234"
        ).returncode
        == 0
    )
    counter("users", "add", "Dara", "--role", "clerk", "--by", "Sok", pin="1234", new_pin="5678")
    refused = counter("sell", "012 345 678", "5", "--clerk", "Dara", pin="5678")
    assert refused.returncode == 1
    assert "No shift is open at counter A" in refused.stderr
    assert "Open one first: `counter shift open --usd X --khr Y --clerk NAME`." in refused.stderr
    assert counter("sell", "012 345 678", "5", "--clerk", "Sok", pin="1234").returncode == 1
    opened = counter("opening-cash", "--usd", "20", "--khr", "40000", "--clerk", "Dara", pin="5678")
    assert opened.returncode == 0, opened.stderr
    assert "Opened shift 1 of" in opened.stdout
    assert counter("sell", "012 345 679", "5", "--clerk", "Dara", pin="5678").returncode == 0


def test_sell_void_export_doctor(selling_home: Path) -> None:
    sold = counter(
        "sell",
        "012 345 678",
        "5",
        "--clerk",
        "Dara",
        "--paid",
        "20000",
        "--paid-currency",
        "KHR",
        "--idempotency-key",
        "k-1",
        "--json",
        pin="5678",
    )
    assert sold.returncode == 0, sold.stderr
    sale = json.loads(sold.stdout)
    assert {
        k: sale[k] for k in ("receipt_no", "operator", "msisdn", "amount_cents", "validity_days")
    } == {
        "receipt_no": "A-000001",
        "operator": "cellcard",
        "msisdn": "+85512345678",
        "amount_cents": 500,
        "validity_days": 40,
    }
    again = counter(
        "sell",
        "012 345 678",
        "5",
        "--clerk",
        "Dara",
        "--paid",
        "20000",
        "--paid-currency",
        "KHR",
        "--idempotency-key",
        "k-1",
        "--json",
        pin="5678",
    )
    assert json.loads(again.stdout) == sale

    dup = counter("sell", "012345678", "5", "--clerk", "Dara", pin="5678")
    assert dup.returncode == 1 and "--allow-duplicate" in dup.stderr
    plain = counter("sell", "012345678", "5", "--clerk", "Dara", "--allow-duplicate", pin="5678")
    assert (plain.returncode, plain.stdout) == (0, "A-000002\n")

    clerk_void = counter(
        "void", "A-000001", "--reason", "wrong number", "--supervisor", "Dara", pin="5678"
    )
    assert clerk_void.returncode == 1
    assert clerk_void.stderr == "Dara is a clerk: only a supervisor or admin can approve a void.\n"
    no_reason = counter("void", "A-000001", "--reason", " ", "--supervisor", "Sok", pin="1234")
    assert no_reason.returncode == 1 and "needs a reason" in no_reason.stderr
    voided = counter(
        "void",
        "A-000001",
        "--reason",
        "wrong number",
        "--supervisor",
        "Sok",
        "--clerk",
        "Dara",
        pin="1234",
    )
    assert voided.returncode == 0, voided.stderr

    exported = counter("export", "--from", "2000-01-01", "--by", "Sok", pin="1234")
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert [(r["receipt_no"], r["status"], r["paid_amount"]) for r in rows] == [
        ("A-000001", "voided", "20000"),
        ("A-000002", "sold", "5.00"),
    ]
    to_file = counter(
        "export",
        "--from",
        "2000-01-01",
        "--by",
        "Sok",
        "--output",
        str(selling_home / "sales.csv"),
        pin="1234",
    )
    assert to_file.returncode == 0, to_file.stderr
    assert (selling_home / "sales.csv").read_text(encoding="utf-8") == exported.stdout
    assert (selling_home / "sales.csv").stat().st_mode & 0o777 == 0o600, "customers' numbers"
    assert counter("doctor").returncode == 0
    backed = counter("backup", "--to", str(selling_home / "copy.tar"))
    assert backed.returncode == 0 and (selling_home / "copy.tar").exists()
    assert (selling_home / "copy.tar").stat().st_mode & 0o777 == 0o600
    assert not list(selling_home.glob(".*.partial")), "no half-written file left behind"


def test_refusals_exit_1_and_usage_errors_exit_2(selling_home: Path) -> None:
    wrong = counter("sell", "012 345 678", "5", "--clerk", "Dara", pin="0000")
    assert (wrong.returncode, wrong.stderr) == (
        1,
        "That name and PIN do not match: check both and try again.\n",
    )
    unknown = counter("sell", "012 345 678", "5", "--clerk", "Nobody", pin="0000")
    assert (unknown.returncode, unknown.stderr) == (wrong.returncode, wrong.stderr)  # the same
    refused = counter("sell", "012 345 678", "0.5", "--clerk", "Dara", pin="5678")
    assert refused.returncode == 1 and refused.stderr.startswith("Sale refused: $0.50 is below")
    missing = counter("sell", "012 345 678", "5", pin="5678")
    assert missing.returncode == 2
    bad_date = counter("export", "--from", "yesterday")
    assert bad_date.returncode == 2
    assert (
        counter(
            "init", "--shop-name", "X", "--counter", "A", "--admin", "Sok", "--admin-pin", "1234"
        ).returncode
        == 1
    )
    exported = counter("export", "--by", "Sok", pin="1234")
    assert exported.stdout.count("\n") == 1  # header only: nothing was recorded


def test_not_set_up(counter_home: Path) -> None:
    done = counter("sell", "012 345 678", "5", "--clerk", "Dara", pin="5678")
    assert done.returncode == 1
    assert "the shop is not set up yet." in done.stderr
    assert "Run `counter init ...` or open the counter screen to set up the shop." in done.stderr
