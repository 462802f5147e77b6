"""Migration 0007 on a ledger written by the code of before it (main's commit fe65313):
every old sale gets one payment line, every day with opening cash or a close becomes
shift 1 of that day, and every report of those days says what it said before."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from counter.bootstrap import open_ledger
from counter.config import load_settings
from counter.domain.cash import Tender
from counter.domain.money import Currency
from counter.services import authenticate, day_report, doctor, record_opening_cash, sell, x_report
from counter.storage.migrate import HEAD_REVISION, current_revision
from tests.ledger import old_ledger
from tests.ledger.old_ledger import DAY1, DAY2, at, drawer, figures
from tests.support.ledger import engine_of, rows

ROOT = Path(__file__).resolve().parents[2]
BEFORE_0007 = "fe653133c9ee21e831dd0a6f8c17201d1f9f4865"


@pytest.fixture
def old_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The source tree of main's last commit before 0007, from git."""
    target = tmp_path_factory.mktemp("before-0007")
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", BEFORE_0007, "src", "assets"],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        pytest.skip("the commit before 0007 is not in this clone")
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target / "src"


def test_an_old_ledger_keeps_every_figure_after_0007(backend: str, old_source: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(old_source)}
    built = subprocess.run(
        [sys.executable, old_ledger.__file__],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=old_source,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    before = json.loads(built.stdout)

    ledger = open_ledger(load_settings())
    assert current_revision(engine_of(ledger)) == HEAD_REVISION  # through 0007 to the newest
    now = at(DAY2, 11)
    for key, day in (("day1", DAY1), ("day2", DAY2)):
        assert figures(day_report(ledger, day, "A", printed_by="Sok", now=now)) == before[key]
    admin = authenticate(ledger, "Sok", "1234", now=now)  # sees the expected cash: not blind
    x1 = x_report(ledger, DAY1, "A", printed_by=admin, now=now)
    x2 = x_report(ledger, DAY2, "A", printed_by=admin, now=now)
    assert (drawer(x1), drawer(x2)) == (before["x1"], before["x2"])
    # Day 1 is shift 1, closed with the close's own count; day 2's shift 1 is still open.
    assert [(s.number, s.origin.value, s.close is not None) for s in x1.shifts] == [
        (1, "migrated", True)
    ]
    assert (x1.cash.counted_usd_cents, x1.cash.counted_khr) == (3700, 59_000)
    assert x1.shift_closed and x1.closed and not x2.shift_closed and not x2.closed
    # Every old sale has its one cash line, and the ledger's chains still verify.
    lines = rows(ledger, "SELECT sale_id, line_no, tender, currency, minor FROM sale_payments")
    assert sorted(tuple(r) for r in lines) == [
        (1, 1, "cash", "KHR", 20_000),
        (2, 1, "cash", "USD", 1000),
        (3, 1, "cash", "USD", 1000),
        (4, 1, "cash", "USD", 500),
        (5, 1, "cash", "KHR", 12_000),
        (6, 1, "cash", "USD", 500),
    ]
    assert doctor(ledger) == []
    # Day 2's migrated shift goes on: a new sale joins it, with version-2 hashes.
    clerk = authenticate(ledger, "Dara", "5678", now=now)
    sale = sell(ledger, clerk, "012 345 678", "1", now=now)
    assert sale.shift_id == x2.shifts[0].id and sale.business_date == DAY2
    assert sale.payment.minor(Currency.USD, Tender.CASH) == 100
    assert doctor(ledger) == []
    with pytest.raises(Exception, match="close it before opening another"):
        record_opening_cash(ledger, DAY2, "A", 0, 0, by=clerk, now=now)
