"""`counter deliveries` masks customers' numbers; `--by SUPERVISOR` shows them whole, with
a PIN and an audit entry like `export`; confirm and fail print the number masked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from counter.bootstrap import open_ledger
from counter.config import load_settings
from tests.cli.shop import ADMIN, ADMIN_PIN, CLERK, CLERK_PIN, set_up_cli_shop
from tests.support.cli import counter

SUPERVISOR, SUPERVISOR_PIN = "Vanna", "2468"


@pytest.fixture
def home(counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    monkeypatch.setenv("COUNTER_DELIVERY", json.dumps({"cellcard": "manual"}))
    set_up_cli_shop()
    added = counter(
        "users", "add", SUPERVISOR, "--role", "supervisor", "--by", ADMIN,
        pin=ADMIN_PIN, new_pin=SUPERVISOR_PIN,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    for number in ("012 345 678", "012 987 6543"):
        sold = counter("sell", number, "2", "--clerk", CLERK, "--no-receipt", pin=CLERK_PIN)
        assert sold.returncode == 0, sold.stderr
    return counter_home


def _audited() -> list[tuple[str, str]]:
    with open_ledger(load_settings()) as ledger, ledger.uow(write=False) as uow:
        return [(e.actor, e.detail) for e in uow.audit.entries(action="deliveries_listed")]


def test_the_listing_and_its_json_mask_the_numbers_without_a_pin(home: Path) -> None:
    listed = counter("deliveries")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["A-000001", "pending"],
        ["A-000002", "pending"],
    ]
    assert "cellcard 012 *** 678 $2.00" in lines[0]
    assert "cellcard 012 **** 543 $2.00" in lines[1]
    as_json = counter("deliveries", "--json")
    assert [json.loads(line)["msisdn"] for line in as_json.stdout.splitlines()] == [
        "012 *** 678",
        "012 **** 543",
    ]
    for shown in (listed.stdout, as_json.stdout):
        assert "345" not in shown and "987" not in shown and "+855" not in shown
    assert _audited() == []


def test_a_supervisor_sees_whole_numbers_and_it_is_audited(home: Path) -> None:
    listed = counter("deliveries", "--json", "--by", SUPERVISOR, pin=SUPERVISOR_PIN)
    assert listed.returncode == 0, listed.stderr
    assert [json.loads(line)["msisdn"] for line in listed.stdout.splitlines()] == [
        "+85512345678",
        "+855129876543",
    ]
    ((actor, detail),) = _audited()
    assert actor == SUPERVISOR and "all" in detail


def test_a_clerk_or_a_wrong_pin_is_refused_in_words_and_nothing_is_shown(home: Path) -> None:
    clerk = counter("deliveries", "--by", CLERK, pin=CLERK_PIN)
    assert clerk.returncode == 1 and clerk.stdout == ""
    assert clerk.stderr.startswith("Dara is a clerk")
    wrong = counter("deliveries", "--json", "--by", SUPERVISOR, pin="0000")
    assert wrong.returncode == 1 and "+855" not in wrong.stdout
    assert json.loads(wrong.stdout)["ok"] is False
    assert _audited() == []


def test_confirm_and_fail_print_the_number_masked(home: Path) -> None:
    done = counter("deliveries", "confirm", "A-1", "--ref", "8841", "--by", CLERK, pin=CLERK_PIN)
    assert done.returncode == 0, done.stderr
    assert "A-000001  delivered" in done.stdout and "012 *** 678" in done.stdout
    failed = counter(
        "deliveries", "fail", "A-2", "--reason", "no SMS", "--by", CLERK, pin=CLERK_PIN
    )
    assert failed.returncode == 0, failed.stderr
    assert "012 **** 543" in failed.stdout and "+855" not in failed.stdout + failed.stderr
    assert counter("doctor").returncode == 0
