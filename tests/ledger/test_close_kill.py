"""Kill -9 of `close-day` after its commit and before its Z report: the day stays closed,
nothing is half written, and the Z report is written again with its code (issue 11)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from counter.domain.cash_count import CashCount as DrawerCount
from counter.domain.errors import DayEndRefused
from counter.domain.money import Money
from counter.services import close_day, doctor, sell
from counter.services.shifts import open_shift
from counter.services.upkeep import doctor_report
from counter.services.zreports import close_shift, z_report
from tests.dayend.helpers import DAY, MORNING
from tests.dayend.test_dayend_report import pdf_words
from tests.ledger.conftest import SUPERVISOR_PIN, Shop

REPO = Path(__file__).resolve().parents[2]


def _killed_after_commit(mark: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.ledger.closer", str(mark), DAY.isoformat()],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not mark.exists():
        if child.poll() is not None:
            raise AssertionError(child.stderr.read().decode() if child.stderr else "")
        assert time.monotonic() < deadline, "the close never reached its Z report"
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL


@pytest.mark.system
def test_a_close_day_killed_after_its_commit_gets_its_z_report_again(
    shop: Shop, tmp_path: Path
) -> None:
    led = shop.ledger
    open_shift(led, DAY, "A", DrawerCount(1000, 0), by=shop.clerk, now=MORNING)
    sell(led, shop.clerk, "012 345 678", "5", paid=Money.usd(500), now=MORNING + timedelta(hours=1))
    close_shift(
        led, "A", DrawerCount(1500, 0), counted_by=shop.clerk, now=MORNING + timedelta(hours=2)
    )
    _killed_after_commit(tmp_path / "committed")
    reports = Path(os.environ["COUNTER_HOME"]) / "reports"
    assert not list(reports.glob("*-A-z-report*.pdf"))  # killed before it was written
    assert not [p for p in reports.iterdir() if p.name.startswith(".")]  # no half file
    with pytest.raises(DayEndRefused, match="already closed"):
        close_day(
            led,
            DAY,
            "A",
            counted_usd_cents=None,
            counted_khr=None,
            supervisor_name="Vanna",
            supervisor_pin=SUPERVISOR_PIN,
            by=shop.clerk,
        )
    assert doctor(led) == []
    path = z_report(led, DAY, "A", printed_by="owner")
    words = " ".join(pdf_words(path).split())
    assert "Z report (day close), copy" in words and "Shift 1 and the day are closed." in words
    code = re.search(r"Z code (Z-\d+-[0-9A-Z-]+)", words)
    assert code is not None, words
    assert doctor_report(led, codes=[code.group(1)]).ok
