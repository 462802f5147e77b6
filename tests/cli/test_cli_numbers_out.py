"""Customers' numbers leave the ledger only with a supervisor's PIN, audited: `export`,
CSV and XLSX reports. The PDF daily report (totals) stays open to the clerk."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter.bootstrap import open_ledger
from counter.config import load_settings
from tests.cli.shop import ADMIN, ADMIN_PIN, CLERK, CLERK_PIN, set_up_cli_shop
from tests.support.cli import counter


@pytest.fixture
def home(counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    set_up_cli_shop()
    sold = counter("sell", "012 345 678", "5", "--clerk", CLERK, pin=CLERK_PIN)
    assert sold.returncode == 0, sold.stderr
    return counter_home


def _audited(action: str) -> list[tuple[str, str]]:
    with open_ledger(load_settings()) as ledger, ledger.uow(write=False) as uow:
        return [(e.actor, e.detail) for e in uow.audit.entries(action=action)]


def test_export_without_a_supervisor_is_refused_in_words(home: Path) -> None:
    done = counter("export")
    assert done.returncode == 1 and done.stdout == ""
    assert "An export lists every customer's number: name a supervisor or admin" in done.stderr
    clerk = counter("export", "--by", CLERK, pin=CLERK_PIN)
    assert clerk.returncode == 1 and "+85512345678" not in clerk.stdout
    assert "Dara is a clerk" in clerk.stderr
    wrong = counter("export", "--by", ADMIN, pin="0000")
    assert wrong.returncode == 1 and "+85512345678" not in wrong.stdout
    assert _audited("sales_exported") == []


def test_export_by_a_supervisor_lists_the_numbers_and_is_audited(home: Path) -> None:
    done = counter("export", "--by", ADMIN, "--from", "2026-01-01", pin=ADMIN_PIN)
    assert done.returncode == 0, done.stderr
    assert "+85512345678" in done.stdout
    ((actor, detail),) = _audited("sales_exported")
    assert actor == ADMIN and "2026-01-01" in detail


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_csv_and_xlsx_reports_need_a_supervisor(home: Path, fmt: str) -> None:
    refused = counter("report", "--format", fmt)
    assert refused.returncode == 1
    assert (
        f"A {fmt.upper()} report lists every customer's number: it needs a supervisor's "
        "name and PIN." in refused.stderr
    )
    assert not list((home / "reports").glob(f"*.{fmt}")) if (home / "reports").exists() else True
    clerk = counter("report", "--format", fmt, "--by", CLERK, pin=CLERK_PIN)
    assert clerk.returncode == 1 and "Dara is a clerk" in clerk.stderr
    done = counter("report", "--format", fmt, "--by", ADMIN, pin=ADMIN_PIN)
    assert done.returncode == 0, done.stderr
    ((actor, detail),) = _audited("report_exported")
    assert actor == ADMIN and fmt in detail


def test_the_pdf_report_stays_open_to_the_clerk(home: Path) -> None:
    done = counter("report")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("-A-sales.pdf")
    assert _audited("report_exported") == []
