"""A restore refuses a ledger another program holds, told by SQLite's own lock.

/proc (Linux) names the processes; SQLite's exclusive locking mode, taken with no wait,
works wherever SQLite does. Here a real second process holds the ledger (inside a
transaction, or merely open and idle between sales, as a counter screen is) and the check
is run with /proc and without it (as on a machine that has none).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter import restoring
from tests.cli.shop import ADMIN, ADMIN_PIN
from tests.ledger.test_restore import home, made_shop  # noqa: F401 (fixtures)
from tests.support.cli import counter

HOLD = {
    "in a transaction": "db.execute('BEGIN IMMEDIATE')",
    "open between sales": "db.execute('SELECT count(*) FROM sales').fetchone()",
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(params=sorted(HOLD))
def holder(request: pytest.FixtureRequest, home: Path) -> Iterator[subprocess.Popen[bytes]]:  # noqa: F811
    script = (
        "import sqlite3, sys, time; "
        "db = sqlite3.connect(sys.argv[1], isolation_level=None); "
        f"{HOLD[request.param]}; print('held', flush=True); time.sleep(120)"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(home / "ledger.sqlite3")], stdout=subprocess.PIPE
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == b"held\n"
        yield child
    finally:
        child.kill()
        child.wait()


def test_sqlite_tells_the_ledger_is_held_and_then_free(
    home: Path,  # noqa: F811
    holder: subprocess.Popen[bytes],
) -> None:
    live = home / "ledger.sqlite3"
    assert restoring.held_elsewhere(live)
    holder.kill()
    holder.wait()
    assert not restoring.held_elsewhere(live)


def test_without_proc_the_restore_is_refused_in_words(
    home: Path,  # noqa: F811
    holder: subprocess.Popen[bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(restoring, "holders", lambda live: [])  # a machine with no /proc
    live = home / "ledger.sqlite3"
    before = _digest(live)
    done = counter("restore", str(home / "backups" / "before.tar"), "--by", ADMIN, pin=ADMIN_PIN)
    assert (done.returncode, done.stderr.strip()) == (
        1,
        f"The ledger {live} is in use by another program (SQLite says it holds the ledger): "
        "close the counter screen and every command using it, then restore. Nothing was "
        "changed.",
    )
    assert _digest(live) == before
    assert not list(home.glob(".restore-*.partial"))


def test_a_ledger_nobody_holds_is_restored_after_the_check(home: Path) -> None:  # noqa: F811
    assert not restoring.held_elsewhere(home / "ledger.sqlite3")
    done = counter("restore", str(home / "backups" / "before.tar"), "--by", ADMIN, pin=ADMIN_PIN)
    assert done.returncode == 0, done.stderr


def test_a_file_sqlite_cannot_read_is_not_held(tmp_path: Path) -> None:
    damaged = tmp_path / "ledger.sqlite3"
    damaged.write_bytes(b"not a database at all" * 100)
    assert not restoring.held_elsewhere(damaged)
    assert not restoring.held_elsewhere(tmp_path / "absent.sqlite3")
