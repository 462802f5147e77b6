"""`counter sell` with riel and dollars: `--paid 5 --paid 2000r` is one payment of two
lines, `5000r` is fitted to the operator's amounts, and a payment far above the amount
due exits 1 and records nothing unless `--confirm-paid`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from counter.bootstrap import open_ledger
from counter.config import load_settings
from tests.cli.shop import CLERK, CLERK_PIN, set_up_cli_shop
from tests.support.cli import Ran, counter


@pytest.fixture
def home(counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    set_up_cli_shop(rate=4100)
    return counter_home


def _sell(*args: str) -> Ran:
    return counter("sell", *args, "--clerk", CLERK, "--no-receipt", pin=CLERK_PIN)


def _sales_count() -> int:
    with open_ledger(load_settings()) as ledger, ledger.uow(write=False) as uow:
        last = uow.sales.last("A")
    return 0 if last is None else int(last.receipt_no.split("-")[1])


def test_dollars_and_riel_together_are_two_payment_lines_in_json(home: Path) -> None:
    sold = _sell("010 222 333", "3.37", "--paid", "5", "--paid", "2000r", "--json")
    assert sold.returncode == 0, sold.stderr
    sale = json.loads(sold.stdout)
    assert sale["payment"] == [
        {"tender": "cash", "currency": "USD", "minor": 500},
        {"tender": "cash", "currency": "KHR", "minor": 2000},
    ]
    # $3.37 at 4,100 = 13,817៛; 22,500៛ received: two $1 notes and 483៛ -> 500៛ back.
    assert (sale["change_usd_cents"], sale["change_khr"], sale["rounding_khr"]) == (200, 500, -17)
    assert (sale["riel_per_usd"], sale["amount_khr"]) == (4100, 13_817)
    same = _sell("010 222 334", "3.37", "--paid", "5 + 2000r", "--json")
    assert json.loads(same.stdout)["payment"] == sale["payment"]


def test_rounding_down_is_a_setting(home: Path) -> None:
    sold = counter(
        "sell", "010 222 333", "3.37", "--paid", "5", "--paid", "2000r", "--json",
        "--clerk", CLERK, "--no-receipt", pin=CLERK_PIN, env={"COUNTER_KHR_ROUNDING": "down"},
    )  # fmt: skip
    assert sold.returncode == 0, sold.stderr
    sale = json.loads(sold.stdout)
    assert (sale["change_usd_cents"], sale["change_khr"], sale["rounding_khr"]) == (200, 400, 83)


def test_a_riel_top_up_is_fitted_and_the_difference_is_change(home: Path) -> None:
    sold = _sell("012 345 678", "5000r", "--json")
    assert sold.returncode == 0, sold.stderr
    sale = json.loads(sold.stdout)
    # Cellcard sells whole dollars: 5,000៛ at 4,100 buys $1.00 (4,100៛); 900៛ back.
    assert (sale["amount_cents"], sale["change_khr"]) == (100, 900)
    assert sale["payment"] == [{"tender": "cash", "currency": "KHR", "minor": 5000}]


def test_twenty_thousand_without_its_r_exits_1_until_confirmed(home: Path) -> None:
    refused = _sell("012 345 678", "5", "--paid", "20000")
    assert refused.returncode == 1
    assert refused.stderr == (
        "Cash received for $5.00: $20,000.00 or 20,000៛? Type it again with its mark (5000r "
        "for riel, $20 for dollars), or run again with --confirm-paid if it is right.\n"
    )
    assert _sales_count() == 0
    as_json = _sell("012 345 678", "5", "--paid", "20000", "--json")
    assert as_json.returncode == 1
    assert json.loads(as_json.stdout)["ok"] is False
    assert _sales_count() == 0
    riel = _sell("012 345 678", "5", "--paid", "30000r", "--json")
    assert json.loads(riel.stdout)["change_khr"] == 9500  # 30,000៛ - 20,500៛
    confirmed = _sell("012 345 679", "5", "--paid", "20000", "--confirm-paid", "--json")
    assert confirmed.returncode == 0, confirmed.stderr
    assert json.loads(confirmed.stdout)["change_usd_cents"] == 1_999_500
    assert _sales_count() == 2


def test_a_json_refusal_of_an_implausible_payment_carries_both_readings(home: Path) -> None:
    """`--paid 20000` for $5 without `--confirm-paid`: exit 1, nothing recorded, and the
    two readings of the digits as fields a tool can offer back."""
    refused = _sell("012 345 678", "5", "--paid", "20000", "--json")
    assert refused.returncode == 1
    body = json.loads(refused.stdout)
    assert body["ok"] is False
    assert body["errors"][0].startswith("Cash received for $5.00: $20,000.00 or 20,000៛?")
    assert body["cash_doubted"] == {
        "due_cents": 500,
        "read_as": "USD",
        "as_usd_cents": 2_000_000,
        "as_khr": 20_000,
        "over_multiple": True,
        "over_maximum": True,
    }
    riel = _sell("012 345 678", "1", "--paid", "500000r", "--json")  # $121.95 for $1
    assert riel.returncode == 1
    doubted = json.loads(riel.stdout)["cash_doubted"]
    assert doubted == {
        "due_cents": 100,
        "read_as": "KHR",
        "as_usd_cents": 50_000_000,  # the same digits as dollars: $500,000.00
        "as_khr": 500_000,
        "over_multiple": True,
        "over_maximum": False,
    }
    huge = _sell("012 345 678", "5", "--paid", "3000000r", "--json")
    assert json.loads(huge.stdout)["cash_doubted"]["as_usd_cents"] is None  # above $1,000,000
    assert _sales_count() == 0
    other = _sell("012 345 678", "abc", "--json")  # any other refusal: no such field
    assert other.returncode == 1 and "cash_doubted" not in json.loads(other.stdout)
