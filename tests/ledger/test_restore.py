"""`counter restore BACKUP --by NAME` through the command line, on a real SQLite ledger.

A backup restores to a working shop whose receipt numbers never repeat: the counter
continues above the highest number the witness log or the replaced ledger saw, the lost
range is a receipt gap doctor accepts and the day's reports print, and the replaced ledger
is kept aside. A wrong PIN, a clerk or a damaged backup change nothing.
"""

from __future__ import annotations

import hashlib
import itertools
import shutil
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from tests.cli.shop import ADMIN, ADMIN_PIN, CLERK, CLERK_PIN, set_up_cli_shop
from tests.support.cli import counter
from tests.support.made_shop import copy_into, home_for_making, kill_when, start_counter
from tests.support.system import require_tool

_NUMBERS = itertools.count(1)


def _sell(count: int) -> list[str]:
    numbers = []
    for _ in range(count):
        i = next(_NUMBERS)
        done = counter("sell", f"012 {i:06d}", "5", "--clerk", CLERK, "--no-receipt", pin=CLERK_PIN)
        assert done.returncode == 0, done.stderr
        numbers.append(done.stdout.strip())
    return numbers


@pytest.fixture(scope="module")
def made_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A shop with A-000001..3, a backup of it, then A-000004..6 sold after the backup."""
    made = tmp_path_factory.mktemp("restore-shop")
    with home_for_making(made):
        set_up_cli_shop()
        assert _sell(3) == ["A-000001", "A-000002", "A-000003"]
        backed = counter("backup", "--to", str(made / "backups" / "before.tar"), "--mkdir")
        assert backed.returncode == 0, backed.stderr
        assert _sell(3) == ["A-000004", "A-000005", "A-000006"]
    return made


@pytest.fixture
def home(made_shop: Path, counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return copy_into(made_shop, counter_home, monkeypatch)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sales(ledger: Path) -> list[str]:
    with closing(sqlite3.connect(ledger)) as db:  # closed now: restore refuses a ledger held open
        return [r[0] for r in db.execute("SELECT receipt_no FROM sales ORDER BY receipt_seq")]


def test_a_restore_never_hands_out_a_number_again(home: Path) -> None:
    backup = home / "backups" / "before.tar"
    done = counter("restore", str(backup), "--by", ADMIN, pin=ADMIN_PIN)
    assert done.returncode == 0, done.stderr
    assert (
        "Receipts A-000004 to A-000006 were lost in the restore: counter A continues above "
        "them, and the next Z report says so."
    ) in done.stdout
    (aside,) = home.glob("ledger-replaced-*.sqlite3")
    assert f"The ledger it replaced is kept as {aside}." in done.stdout
    assert _sales(aside)[-1] == "A-000006", "the replaced ledger is kept whole"
    assert _sales(home / "ledger.sqlite3") == ["A-000001", "A-000002", "A-000003"]
    assert (home / "ledger.sqlite3").stat().st_mode & 0o777 == 0o600

    doctor = counter("doctor")  # the witness log in its default folder is read
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "Checked against the witness log" in doctor.stdout
    assert "were lost in a restore recorded in the ledger" in doctor.stdout
    assert _sell(1) == ["A-000007"]

    report = counter("report", "--output", str(home / "day.pdf"))
    assert report.returncode == 0, report.stderr
    words = subprocess.run(
        [require_tool("pdftotext"), str(home / "day.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Receipts A-000004 to A-000006 were lost in a restore." in words
    closed = counter(
        "close-day",
        "--counted-usd",
        "35",
        "--counted-khr",
        "0",
        "--supervisor",
        ADMIN,
        pin=ADMIN_PIN,
    )
    assert closed.returncode == 0, closed.stderr
    (z_report,) = (home / "reports").glob("*-z-report.pdf")
    z_words = subprocess.run(
        [require_tool("pdftotext"), str(z_report), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Receipts A-000004 to A-000006 were lost in a restore." in z_words
    assert counter("doctor").returncode == 0


def test_a_lost_ledger_is_restored_above_what_the_witness_log_saw(home: Path) -> None:
    for part in ("", "-wal", "-shm"):
        (home / f"ledger.sqlite3{part}").unlink(missing_ok=True)
    (home / "pepper.key").unlink()  # a new machine: the keys come from the backup
    (home / "witness.key").unlink()
    done = counter("restore", str(home / "backups" / "before.tar"), "--by", ADMIN, pin=ADMIN_PIN)
    assert done.returncode == 0, done.stderr
    assert "Receipts A-000004 to A-000006 were lost" in done.stdout
    assert (home / "pepper.key").stat().st_mode & 0o777 == 0o600
    assert _sell(1) == ["A-000007"], "the PINs work with the backup's pepper"
    assert counter("doctor").returncode == 0


@pytest.mark.parametrize(
    ("name", "pin", "says"),
    [
        (ADMIN, "0000", "That name and PIN do not match: check both and try again."),
        (CLERK, CLERK_PIN, "Dara is a clerk: only an admin can restore a backup."),
    ],
)
def test_a_wrong_pin_or_a_clerk_changes_nothing(home: Path, name: str, pin: str, says: str) -> None:
    before = _digest(home / "ledger.sqlite3")
    done = counter("restore", str(home / "backups" / "before.tar"), "--by", name, pin=pin)
    assert done.returncode == 1
    assert done.stderr.strip() == says
    assert _digest(home / "ledger.sqlite3") == before
    assert not list(home.glob("ledger-replaced-*")) and not list(home.glob(".restore-*"))


def test_a_damaged_backup_is_refused_before_anything_moves(home: Path) -> None:
    backup = home / "backups" / "before.tar"
    with tarfile.open(backup) as tar:
        offset = tar.getmember("ledger.sqlite3").offset_data
    data = bytearray(backup.read_bytes())
    data[offset + 5000] ^= 0xFF
    damaged = home / "damaged.tar"
    damaged.write_bytes(bytes(data))
    before = _digest(home / "ledger.sqlite3")
    done = counter("restore", str(damaged), "--by", ADMIN, pin=ADMIN_PIN)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"ledger.sqlite3 in the backup {damaged} is not what its manifest says (its SHA-256 "
        "differs): the backup was damaged or changed."
    )
    assert _digest(home / "ledger.sqlite3") == before
    not_a_backup = counter("restore", str(home / "counter.toml"), "--by", ADMIN, pin=ADMIN_PIN)
    assert not_a_backup.returncode == 1
    assert not_a_backup.stderr.startswith(f"{home / 'counter.toml'} is not a Counter backup")


def test_a_bare_sqlite_copy_restores_with_this_machines_keys(home: Path) -> None:
    with tarfile.open(home / "backups" / "before.tar") as tar:
        member = tar.extractfile("ledger.sqlite3")
        assert member is not None
        (home / "plain.sqlite3").write_bytes(member.read())
    done = counter("restore", str(home / "plain.sqlite3"), "--by", ADMIN, pin=ADMIN_PIN)
    assert done.returncode == 0, done.stderr
    assert "Receipts A-000004 to A-000006 were lost in the restore" in done.stdout
    assert _sell(1) == ["A-000007"]


def test_a_key_from_the_environment_is_said_not_to_be_in_the_backup(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNTER_WITNESS_KEY", (home / "witness.key").read_text().strip())
    done = counter("backup", "--to", str(home / "env.tar"))
    assert done.returncode == 0, done.stderr
    assert (
        "witness.key is not in the backup: it comes from COUNTER_WITNESS_KEY; keep it with "
        "the backup, away from this machine."
    ) in done.stderr
    with tarfile.open(home / "env.tar") as tar:
        assert sorted(tar.getnames()) == [
            "counter.toml",
            "ledger.sqlite3",
            "manifest.json",
            "pepper.key",
        ]
        assert {m.mode for m in tar.getmembers()} == {0o600}


def test_a_postgresql_ledger_is_restored_by_the_server(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNTER_DATABASE_URL", "postgresql+psycopg://shop@127.0.0.1:9/counter")
    done = counter("restore", str(home / "backups" / "before.tar"), "--by", ADMIN, pin=ADMIN_PIN)
    assert (done.returncode, done.stderr.strip()) == (
        1,
        "A PostgreSQL ledger is restored with the server's own tools (pg_restore), not by "
        "Counter: nothing was changed.",
    )


def test_a_ledger_still_open_elsewhere_is_not_replaced(home: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time; db = sqlite3.connect(sys.argv[1]); "
            "db.execute('SELECT 1 FROM counters'); print('open', flush=True); time.sleep(120)",
            str(home / "ledger.sqlite3"),
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"open\n"
        before = _digest(home / "ledger.sqlite3")
        done = counter(
            "restore", str(home / "backups" / "before.tar"), "--by", ADMIN, pin=ADMIN_PIN
        )
        assert done.returncode == 1
        assert done.stderr.strip() == (
            f"The ledger {home / 'ledger.sqlite3'} is open in another program (process "
            f"{holder.pid}): close the counter screen and every command using it, then "
            "restore. Nothing was changed."
        )
        assert _digest(home / "ledger.sqlite3") == before
    finally:
        holder.kill()
        holder.wait()


def test_a_damaged_ledger_is_backed_up_only_as_evidence(home: Path) -> None:
    with closing(sqlite3.connect(home / "ledger.sqlite3")) as db, db:
        db.execute("UPDATE sales SET amount_cents = 100 WHERE receipt_seq = 2")
    refused = counter("backup", "--to", str(home / "plain.tar"))
    assert refused.returncode == 1
    assert refused.stderr.startswith(
        "The backup copy fails its check (Sale A-000002: changed after it was recorded"
    )
    assert not (home / "plain.tar").exists()
    kept = counter("backup", "--to", str(home / "evidence.tar"), "--even-if-damaged")
    assert kept.returncode == 0, kept.stderr
    assert "Kept as it is, as evidence (restore refuses it): Sale A-000002" in kept.stderr
    before = _digest(home / "ledger.sqlite3")
    again = counter("restore", str(home / "evidence.tar"), "--by", ADMIN, pin=ADMIN_PIN)
    assert again.returncode == 1
    assert again.stderr.startswith(
        f"The backup {home / 'evidence.tar'} fails its check: Sale A-000002"
    )
    assert again.stderr.strip().endswith("Nothing was changed.")
    assert _digest(home / "ledger.sqlite3") == before


# -- killed in the middle --------------------------------------------------------------------


def _start_restore(backup: Path) -> subprocess.Popen[bytes]:
    return start_counter("restore", str(backup), "--by", ADMIN, COUNTER_PIN=ADMIN_PIN)


def _state(home: Path) -> str:
    """`old` (A-000001..6), `restored` (A-000001..3, next number 7), or what is wrong."""
    ledger = home / "ledger.sqlite3"
    if not ledger.exists():
        return "no ledger at all"
    with closing(sqlite3.connect(ledger)) as db:  # closed now: restore refuses a ledger held open
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        (next_receipt,) = db.execute("SELECT next_receipt FROM counters").fetchone()
    sales = _sales(ledger)
    if sales == [f"A-00000{n}" for n in range(1, 7)] and next_receipt == 7:
        return "old"
    if sales == ["A-000001", "A-000002", "A-000003"] and next_receipt == 7:
        return "restored"
    return f"unexpected: {sales} next {next_receipt}"


@pytest.mark.timeout(600)  # a dozen processes, each seconds long on a busy machine
def test_a_killed_restore_leaves_the_old_ledger_or_the_new_one_never_neither(home: Path) -> None:
    backup = home / "backups" / "before.tar"
    started = time.monotonic()
    alone = _start_restore(home / "backups" / "before.tar")
    assert alone.wait() == 0, alone.stderr.read() if alone.stderr else ""
    took = time.monotonic() - started
    assert _state(home) == "restored"
    shutil.copy2(next(home.glob("ledger-replaced-*.sqlite3")), home / "old.sqlite3")

    def put_back_the_old_ledger() -> None:
        for part in ("-wal", "-shm"):
            (home / f"ledger.sqlite3{part}").unlink(missing_ok=True)
        shutil.copy2(home / "old.sqlite3", home / "ledger.sqlite3")
        assert _state(home) == "old"

    points: list[tuple[str, Callable[[], bool]]] = [
        ("work folder made", lambda: any(home.glob(".restore-*.partial"))),
        ("backup read", lambda: any(home.glob(".restore-*.partial/ledger.sqlite3"))),
        (
            "old ledger linked aside",
            lambda: len(list(home.glob("ledger-replaced-*.sqlite3"))) > seen_aside,
        ),
    ]
    outcomes: dict[str, str] = {}
    for name, point in points:
        put_back_the_old_ledger()
        seen_aside = len(list(home.glob("ledger-replaced-*.sqlite3")))
        child = _start_restore(backup)
        killed = kill_when(child, point)
        said = b"" if killed or child.stderr is None else child.stderr.read()
        outcomes[name] = ("killed: " if killed else f"finished ({said!r}): ") + _state(home)
    for fraction in (0.5, 0.8, 0.95):
        put_back_the_old_ledger()
        child = _start_restore(backup)
        time.sleep(took * fraction)
        child.send_signal(signal.SIGKILL)
        child.wait()
        outcomes[f"at {fraction:.0%} of a run"] = _state(home)
    print(outcomes)
    assert outcomes["work folder made"] == "killed: old"
    assert all(o.endswith(("old", "restored")) for o in outcomes.values()), outcomes
    # Each restore above removed what the kills before it left; one more kill, then a restore.
    put_back_the_old_ledger()
    assert kill_when(_start_restore(backup), points[0][1])
    left = sorted(home.glob(".*.partial"))
    assert left, "the kill at 'work folder made' leaves its work folder"
    again = counter("restore", str(backup), "--by", ADMIN, pin=ADMIN_PIN)
    assert again.returncode == 0, again.stderr
    assert (
        "Removed what a stopped backup, restore or file write had left half-made: "
        f"{', '.join(str(p) for p in left)}."
    ) in again.stderr.splitlines()
    assert not list(home.glob(".*.partial"))
    assert _state(home) == "restored"
    assert counter("doctor").returncode == 0
