"""`scripts/seed_ledger.py` writes what the app writes: a seeded ledger (SQLite and
PostgreSQL) has each sale's delivery and its chained changes, so `counter doctor` is
clean, and a backup of it is written and checked."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import counter

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "seed_ledger.py"


def _seed(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--sales", "120", "--days", "3", "--counters", "A,B", *args],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=cwd,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _doctor_is_clean() -> None:
    checked = counter("doctor")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Ledger OK" in checked.stdout


def test_a_seeded_sqlite_ledger_has_its_deliveries_and_doctor_and_backup_accept_it(
    counter_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    assert "Seeded 120 sales" in _seed("--home", str(counter_home), cwd=counter_home)
    with sqlite3.connect(counter_home / "ledger.sqlite3") as db:
        sales = db.execute("SELECT count(*) FROM sales").fetchone()[0]
        delivered = db.execute(
            "SELECT count(*) FROM deliveries d JOIN sales s ON s.id = d.sale_id "
            "WHERE d.state = 'delivered' AND d.reference LIKE '%-' || s.receipt_no"
        ).fetchone()[0]
        changes = db.execute(
            "SELECT counter_code, count(*) FROM delivery_changes GROUP BY counter_code"
        ).fetchall()
        heads = dict(db.execute("SELECT name, length FROM chain_heads").fetchall())
    assert sales == delivered == 120
    assert {code: n for code, n in changes} == {
        "A": heads["deliveries:A"],
        "B": heads["deliveries:B"],
    }
    assert heads["deliveries:A"] + heads["deliveries:B"] == 2 * 120  # pending, then delivered
    _doctor_is_clean()
    backed = counter("backup")
    assert backed.returncode == 0, backed.stderr
    assert "Backup written and checked" in backed.stdout + backed.stderr


def test_a_delivery_edited_in_a_seeded_ledger_is_caught(
    counter_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    _seed("--home", str(counter_home), cwd=counter_home)
    with sqlite3.connect(counter_home / "ledger.sqlite3") as db:
        db.execute("UPDATE delivery_changes SET state = 'failed' WHERE id = 2")
    checked = counter("doctor")
    assert checked.returncode == 1
    assert "Delivery change" in checked.stdout + checked.stderr


@pytest.mark.pg
def test_a_seeded_postgresql_ledger_is_clean(
    counter_home: Path, monkeypatch: pytest.MonkeyPatch, pg_url: str
) -> None:
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    monkeypatch.setenv("COUNTER_DATABASE_URL", pg_url)
    _seed("--url", pg_url, "--home", str(counter_home), cwd=counter_home)
    _doctor_is_clean()
