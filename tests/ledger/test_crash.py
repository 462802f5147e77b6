"""Kill -9 during sales, and several processes selling on one counter at once."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from counter.bootstrap import open_ledger
from counter.config import load_settings
from counter.services import doctor
from tests.ledger.conftest import Shop
from tests.support.ledger import rows

REPO = Path(__file__).resolve().parents[2]


def start_seller(ack: Path, count: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, "-m", "tests.ledger.seller", str(ack), str(count)],
        env=env,
        cwd=REPO,
        stderr=subprocess.PIPE,
    )


def acknowledged(acks: list[Path]) -> list[str]:
    numbers = []
    for ack in acks:
        if ack.exists():
            # A kill in the middle of a write leaves a line without its newline: not acknowledged.
            numbers += [line for line in ack.read_text().split("\n")[:-1] if line]
    return numbers


def recorded(shop: Shop) -> list[str]:
    with open_ledger(load_settings()) as led:
        return [r[0] for r in rows(led, "SELECT receipt_no FROM sales ORDER BY receipt_seq")]


def size_of(ack: Path) -> int:
    return ack.stat().st_size if ack.exists() else 0


def selling_since(ack: Path, size: int, child: subprocess.Popen[bytes], deadline: float) -> None:
    """Wait until the child has acknowledged a sale past `size` bytes of its file."""
    while size_of(ack) <= size and time.monotonic() < deadline:
        if child.poll() is not None:
            err = child.stderr.read().decode() if child.stderr else ""
            pytest.fail(f"a seller stopped by itself: {err[-2000:]}")
        time.sleep(0.02)


def expect_gapless(numbers: list[str]) -> None:
    assert numbers == [f"A-{n:06d}" for n in range(1, len(numbers) + 1)]


# Each kill starts a new seller process; on a loaded 2-core machine a start takes seconds,
# so the loop gets 200 s and the test 300 s (pytest's default is 120 s).
@pytest.mark.timeout(300)
def test_kill_9_loses_no_acknowledged_sale(
    sqlite_shop: Shop, tmp_path: Path, counter_home: Path
) -> None:
    rng = random.Random(42)
    acks = [tmp_path / f"ack-{i}.txt" for i in range(2)]
    children = [start_seller(ack, 0) for ack in acks]
    kills = 0
    deadline = time.monotonic() + 200
    try:
        while kills < 24 and time.monotonic() < deadline:
            i = rng.randrange(len(children))
            # Kill a seller that is selling, not one still starting (a loaded machine
            # with the suite on both cores can take seconds to start a child).
            selling_since(acks[i], size_of(acks[i]), children[i], deadline)
            time.sleep(rng.uniform(0.05, 0.4))
            children[i].send_signal(signal.SIGKILL)
            children[i].wait()
            kills += 1
            children[i] = start_seller(acks[i], 0)
    finally:
        for child in children:
            child.kill()
            child.wait()
    acked = acknowledged(acks)
    numbers = recorded(sqlite_shop)
    lost = set(acked) - set(numbers)
    expect_gapless(numbers)
    with sqlite3.connect(counter_home / "ledger.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with open_ledger(load_settings()) as led:
        assert doctor(led) == []
    print(
        f"\nkill -9: {kills} kills, {len(lost)} lost, 0 gaps "
        f"({len(acked)} acknowledged, {len(numbers)} recorded)"
    )
    assert kills >= 20 and not lost and len(acked) > kills


@pytest.mark.parametrize("processes", [4])
def test_processes_selling_on_one_counter(
    shop: Shop, backend: str, tmp_path: Path, processes: int
) -> None:
    per_process = 40
    acks = [tmp_path / f"ack-{i}.txt" for i in range(processes)]
    children = [start_seller(ack, per_process) for ack in acks]
    for child in children:
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err.decode()[-2000:]
    acked = acknowledged(acks)
    numbers = recorded(shop)
    assert len(acked) == len(set(acked)) == processes * per_process  # no duplicate
    assert sorted(acked) == numbers  # none missing
    expect_gapless(numbers)
    with open_ledger(load_settings()) as led:
        assert doctor(led) == []
    print(f"\n{backend}: {processes} processes x {per_process} sales: 0 duplicates, 0 missing")
