"""`counter deliveries` and `counter sell --json` with the sale's delivery, in process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.ledger.test_cli import cli_home, selling_home  # noqa: F401 (fixtures)
from tests.support.cli import counter


@pytest.fixture
def manual_home(selling_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:  # noqa: F811
    monkeypatch.setenv("COUNTER_DELIVERY", json.dumps({"cellcard": "manual"}))
    added = counter(
        "users", "add", "Vanna", "--role", "supervisor", "--by", "Sok", pin="1234", new_pin="2468"
    )
    assert added.returncode == 0, added.stderr
    return selling_home


def _sell(number: str, amount: str = "5", *more: str) -> dict[str, object]:
    sold = counter(
        "sell", number, amount, "--clerk", "Dara", "--json", "--no-receipt", *more, pin="5678"
    )
    assert sold.returncode == 0, sold.stderr
    return dict(json.loads(sold.stdout))


def test_sell_json_carries_the_delivery(manual_home: Path) -> None:
    sold = _sell("012 345 678")
    delivery = sold["delivery"]
    assert isinstance(delivery, dict)
    assert delivery["state"] == "pending" and delivery["ref"] is None
    assert str(delivery["reference"]).endswith("-A-000001")
    assumed = _sell("010 345 678")  # smart: assumed, as before
    assert assumed["delivery"] == {
        "state": "delivered",
        "ref": None,
        "reference": str(delivery["reference"]).replace("A-000001", "A-000002"),
        "channel": "assumed",
    }


def test_list_confirm_fail_and_the_refund(manual_home: Path) -> None:
    for last in "123":
        _sell(f"012 345 67{last}", "2", "--paid", "5")
    listed = counter("deliveries", "--state", "pending", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [json.loads(line)["receipt_no"] for line in listed.stdout.splitlines()] == [
        "A-000001",
        "A-000002",
        "A-000003",
    ]
    done = counter("deliveries", "confirm", "a-1", "--ref", "8841", "--by", "Dara", pin="5678")
    assert done.returncode == 0, done.stderr
    assert "A-000001  delivered" in done.stdout and "ref 8841" in done.stdout
    failed = counter("deliveries", "fail", "A-2", "--reason", "no SMS", "--by", "Dara", pin="5678")
    assert failed.returncode == 0, failed.stderr
    assert "Refund recorded: give back $2.00 for A-000002." in failed.stderr
    again = counter("deliveries", "fail", "A-2", "--reason", "x", "--by", "Dara", pin="5678")
    assert again.returncode == 1
    assert "The delivery of A-000002 is already failed." in again.stderr
    bad = counter("deliveries", "--state", "lost")
    assert bad.returncode == 2 and "'lost' is not a delivery state" in bad.stderr
    checked = counter("deliveries", "check", "A-3")
    assert checked.returncode == 0 and "A-000003  pending" in checked.stdout
    assert counter("doctor").returncode == 0


def test_balance_says_when_no_operator_has_a_channel_that_reads_it(manual_home: Path) -> None:
    read = counter("deliveries", "balance")
    assert read.returncode == 0, read.stderr
    assert "No operator delivers by modem or API: no balance to read." in read.stderr
    unknown = counter("deliveries", "balance", "pigeon")
    assert unknown.returncode != 0 and "'pigeon' is not an operator." in unknown.stderr


def test_shift_close_with_an_open_delivery_needs_a_supervisor_to_accept_it(
    manual_home: Path,
) -> None:
    _sell("012 345 678")  # A-000001, manual: still pending
    refused = counter(
        "shift", "close", "--counted-usd", "5", "--counted-khr", "0", "--clerk", "Dara",
        pin="5678",
    )  # fmt: skip
    assert refused.returncode == 1
    assert "1 delivery of shift 1 is still open (A-000001)" in refused.stderr
    closed = counter(
        "shift", "close", "--counted-usd", "5", "--counted-khr", "0", "--clerk", "Dara",
        "--supervisor", "Vanna", "--accept-open-deliveries", pin="2468",
    )  # fmt: skip
    assert closed.returncode == 0, closed.stderr
    assert "Closed shift 1" in closed.stdout
