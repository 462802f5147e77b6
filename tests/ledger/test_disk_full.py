"""A ledger on a disk that is really full: a small tmpfs, filled to below 32 KiB free.

There SQLite cannot even make its 32 KiB shared-memory file, so every statement, a read
too, fails with a "disk I/O error". Writes must say the disk is full; reads must still
work (a snapshot of the file, which holds every commit when no WAL is pending).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter.domain.errors import DayEndRefused, Fault, StorageError
from counter.services import doctor, list_users, sell, write_x_report
from counter.services.sales import business_date
from tests.ledger.conftest import Shop, reopen, set_up_shop
from tests.support.system import missing


@pytest.fixture
def small_disk(tmp_path: Path, need_tool: object) -> Iterator[Path]:
    """A 2 MiB tmpfs (needs root to mount), unmounted afterwards."""
    mount = need_tool("mount")  # type: ignore[operator]
    if os.geteuid() != 0:
        missing("needs root to mount a small tmpfs")
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run([mount, "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], check=True)
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(disk: Path, leave: int) -> Path:
    """Fill the disk until `leave` bytes are free; the filler file."""
    filler = disk / "filler"
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with filler.open("wb") as out:
        out.write(b"\0" * max(0, free - leave))
    return filler


def test_below_32_kib_free_a_sale_says_the_disk_is_full_and_reads_work(
    sqlite_only: str, small_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNTER_HOME", str(small_disk / "home"))
    monkeypatch.setenv("COUNTER_PRINTER", "none")
    shop: Shop = set_up_shop()
    sell(shop.ledger, shop.clerk, "012 345 678", "5")
    shop.ledger.close()
    filler = _fill(small_disk, 16 * 1024)

    ledger = reopen()  # a start on the full disk reads the ledger
    with pytest.raises(StorageError) as refused:
        sell(ledger, shop.clerk, "012 345 679", "5")
    assert refused.value.fault is Fault.FULL
    assert str(refused.value) == (
        f"The disk is full: the disk holding the ledger file {small_disk}/home/ledger.sqlite3 "
        "has no space left. Free some space, then try again. Nothing was recorded."
    )
    assert doctor(ledger) == []  # reads still work
    assert [u.name for u in list_users(ledger)] == ["Dara", "Sok", "Vanna"]
    day = business_date(ledger, ledger.now())
    with pytest.raises(DayEndRefused) as report:  # the X report's figures read; its PDF not
        write_x_report(ledger, day, "A", small_disk / "x.pdf", printed_by=shop.clerk)
    assert str(report.value) == f"Cannot write {small_disk}/x.pdf: the disk is full."
    ledger.close()

    filler.unlink()  # space again: the next sale takes the next number
    ledger = reopen()
    assert sell(ledger, shop.clerk, "012 345 679", "5").receipt_no == "A-000002"
    ledger.close()
