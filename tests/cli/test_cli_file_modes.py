"""Every file a command writes that holds customers' numbers (or the shop's settings and
secrets) is 0600, its folder 0700, whatever the umask: checked file by file."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.shop import ADMIN, ADMIN_PIN, CLERK, CLERK_PIN, set_up_cli_shop
from tests.support.cli import counter


@pytest.fixture
def loose_umask() -> Iterator[None]:
    old = os.umask(0o022)  # a shell's usual umask: 0644 unless the writer says otherwise
    try:
        yield
    finally:
        os.umask(old)


CLOSED_BY = ("--supervisor", "Vanna", "--clerk", CLERK)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_file_a_command_writes_is_0600_in_a_0700_folder(
    counter_home: Path, monkeypatch: pytest.MonkeyPatch, loose_umask: None
) -> None:
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    set_up_cli_shop()
    steps = [
        (("sell", "012 345 678", "5", "--clerk", CLERK), CLERK_PIN, None),
        (("report", "--format", "pdf"), None, None),
        (("report", "--format", "csv", "--by", ADMIN), ADMIN_PIN, None),
        (("report", "--format", "xlsx", "--by", ADMIN), ADMIN_PIN, None),
        (("x-report",), None, None),
        (("export", "--by", ADMIN, "--output", str(counter_home / "sales.csv")), ADMIN_PIN, None),
        (("users", "add", "Vanna", "--role", "supervisor", "--by", ADMIN), ADMIN_PIN, "2468"),
        (
            ("close-day", "--counted-usd", "5", "--counted-khr", "0", *CLOSED_BY),
            "2468",
            None,
        ),
        (("backup",), None, None),
    ]
    for args, pin, new_pin in steps:
        done = counter(*args, pin=pin, new_pin=new_pin)
        assert done.returncode == 0, (args, done.stderr)
    files = sorted(p for p in counter_home.rglob("*") if p.is_file())
    names = {p.relative_to(counter_home).as_posix() for p in files}
    assert {"counter.toml", "ledger.sqlite3", "sales.csv", "receipts/A-000001.pdf"} <= names
    for kind in ("sales.pdf", "sales.csv", "totals.csv", "sales.xlsx", "x-report.pdf"):
        assert any(n.startswith("reports/") and n.endswith(kind) for n in names), kind
    assert any(n.endswith("z-report.pdf") for n in names)
    assert any(n.startswith("backups/") for n in names)
    assert {p.relative_to(counter_home).as_posix(): oct(_mode(p)) for p in files} == {
        n: oct(0o600) for n in names
    }
    for folder in ("receipts", "reports", "backups", "witness"):
        assert oct(_mode(counter_home / folder)) == oct(0o700), folder
