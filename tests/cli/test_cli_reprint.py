"""`counter reprint RECEIPT --by NAME`: a COPY without the screen, PIN checked, audited,
and a ledger `counter doctor` still finds clean."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from counter.bootstrap import open_ledger
from counter.config import load_settings
from tests.cli.shop import CLERK, CLERK_PIN, set_up_cli_shop
from tests.support.cli import counter
from tests.support.system import require_tool


@pytest.fixture
def home(counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    set_up_cli_shop()
    sold = counter("sell", "012 345 678", "5", "--clerk", CLERK, pin=CLERK_PIN)
    assert sold.returncode == 0, sold.stderr
    assert sold.stdout.strip() == "A-000001"
    return counter_home


def _reprints() -> list[tuple[str, str]]:
    with open_ledger(load_settings()) as ledger, ledger.uow(write=False) as uow:
        return [(e.actor, e.detail) for e in uow.audit.entries(action="receipt_reprinted")]


def test_reprint_prints_a_copy_audits_it_and_doctor_stays_clean(home: Path) -> None:
    done = counter("reprint", "a-1", "--by", CLERK, pin=CLERK_PIN)
    assert done.returncode == 0, done.stderr
    assert "A-000001" in done.stdout
    (copy,) = (home / "receipts").glob("A-000001-copy-*.pdf")
    words = subprocess.run(
        [require_tool("pdftotext"), str(copy), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "COPY" in words and "012 345 678" in words
    assert _reprints() == [(CLERK, '{"receipt": "A-000001"}')]
    again = counter("reprint", "A-000001", "--by", CLERK, pin=CLERK_PIN)
    assert again.returncode == 0, again.stderr
    assert len(_reprints()) == 2
    doctor = counter("doctor")
    assert doctor.returncode == 0, doctor.stderr
    assert "Ledger OK" in doctor.stdout


def test_reprint_needs_the_right_pin_and_a_real_receipt(home: Path) -> None:
    wrong = counter("reprint", "A-000001", "--by", CLERK, pin="0000")
    assert wrong.returncode == 1
    assert "PIN" in wrong.stderr and "Traceback" not in wrong.stderr
    missing = counter("reprint", "A-000099", "--by", CLERK, pin=CLERK_PIN)
    assert missing.returncode == 1
    assert "No sale with receipt number A-000099" in missing.stderr
    nonsense = counter("reprint", "yesterday", "--by", CLERK, pin=CLERK_PIN)
    assert nonsense.returncode == 1
    assert "is not a receipt number like A-000042" in nonsense.stderr
    assert _reprints() == []
    assert not list((home / "receipts").glob("*-copy-*.pdf"))
