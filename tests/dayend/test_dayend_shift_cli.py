"""`counter shift open|close|status`, `close-day`, `reopen-day` and `z-report` end to end:
exit codes, the sentences a shop owner reads, the files, and the Z code doctor accepts."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.dayend.test_dayend_report import pdf_words
from tests.ledger.test_cli import cli_home, counter

__all__ = ["cli_home"]


def _supervisor() -> None:
    added = counter(
        "users", "add", "Vanna", "--role", "supervisor", "--by", "Sok", pin="1234", new_pin="2468"
    )
    assert added.returncode == 0, added.stderr


def _sell(number: str, amount: str) -> None:
    sold = counter("sell", number, amount, "--clerk", "Dara", "--no-receipt", pin="5678")
    assert sold.returncode == 0, sold.stderr


def test_a_day_of_two_shifts_reopened_and_closed_again(cli_home: Path) -> None:
    _supervisor()
    opened = counter(
        "shift", "open", "--usd", "20", "--khr", "40000", "--clerk", "Dara", pin="5678"
    )
    assert opened.returncode == 0, opened.stderr
    assert re.match(r"Opened shift 1 of \S+ at counter A with \$20\.00 and 40,000", opened.stdout)
    _sell("012 345 678", "5")
    status = counter("shift", "status", "--json")
    assert status.returncode == 0, status.stderr
    shown = json.loads(status.stdout)
    assert (shown["open_shift"], shown["day_closed"], shown["expected"]) == (1, False, None)
    blind = counter("shift", "status")
    assert "The expected cash is shown after the count (blind count)." in blind.stdout
    seen = counter("shift", "status", "--by", "Vanna", "--json", pin="2468")
    assert json.loads(seen.stdout)["expected"] == {"usd_cents": 2500, "khr": 40000}

    closed = counter(
        "shift", "close", "--counted-usd", "24", "--counted-khr", "40000", "--clerk", "Dara",
        pin="5678",
    )  # fmt: skip
    assert closed.returncode == 0, closed.stderr
    lines = closed.stdout.splitlines()
    assert "counted $24.00 and 40,000" in lines[0] and "expected $25.00 and 40,000" in lines[0]
    assert "$1.00 short" in lines[0]
    code = lines[1].removeprefix("Z code ")
    assert re.fullmatch(r"Z-\d+-[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code), lines[1]
    assert lines[2].endswith("-A-shift-1-z-report.pdf") and Path(lines[2]).exists()
    words = " ".join(pdf_words(Path(lines[2])).split())
    assert "Z report (shift close)" in words and f"Z code {code}" in words
    assert "Shift 1 is closed; the day stays open." in words
    assert "Counted by Dara and closed." in words
    witnessed = counter("doctor", "--code", code)
    assert witnessed.returncode == 0, witnessed.stdout + witnessed.stderr

    again = counter("opening-float", "--usd", "10", "--khr", "0", "--clerk", "Dara", pin="5678")
    assert again.returncode == 0 and "Opened shift 2" in again.stdout
    _sell("010 222 333", "2")
    counted_twice = counter("close-day", "--supervisor", "Vanna", pin="2468")
    assert counted_twice.returncode == 1
    assert "Shift 2 is open at counter A: give the counted cash" in counted_twice.stderr
    second = counter(
        "shift", "close", "--counted-usd", "12", "--counted-khr", "0", "--clerk", "Dara",
        "--supervisor", "Vanna", pin="2468",
    )  # fmt: skip
    assert second.returncode == 0 and "exact" in second.stdout.splitlines()[0], second.stdout
    day = counter("close-day", "--supervisor", "Vanna", "--clerk", "Dara", pin="2468")
    assert day.returncode == 0, day.stderr
    # $20 opening + ($24 - $20) + ($12 - $10): cash handed from shift 1 to 2 counts once
    assert "counted $26.00 and 40,000" in day.stdout and "Z code Z-" in day.stdout
    day_code = day.stdout.split("Z code ")[1].split()[0]
    sold_late = counter("sell", "012 888 999", "1", "--clerk", "Dara", "--no-receipt", pin="5678")
    assert sold_late.returncode == 1 and "is closed (its Z report is done)" in sold_late.stderr

    no_reason = counter("reopen-day", "--reason", " ", "--by", "Vanna", pin="2468")
    assert no_reason.returncode == 1 and "needs a reason" in no_reason.stderr
    by_clerk = counter("reopen-day", "--reason", "late customer", "--by", "Dara", pin="5678")
    assert by_clerk.returncode == 1 and "only a supervisor or admin can reopen" in by_clerk.stderr
    reopened = counter("reopen-day", "--reason", "late customer", "--by", "Vanna", pin="2468")
    assert reopened.returncode == 0, reopened.stderr
    assert "shift 3 is open with the drawer as last counted, $12.00 and 0" in reopened.stdout
    _sell("012 888 999", "1")
    x = counter("x-report")
    assert x.returncode == 0 and "(day closed)" not in x.stderr
    final = counter(
        "close-day", "--counted-usd", "13", "--counted-khr", "0", "--supervisor", "Vanna",
        pin="2468",
    )  # fmt: skip
    assert final.returncode == 0, final.stderr
    doctor = counter("doctor", "--code", code, "--code", day_code)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr

    copy = counter("z-report")
    assert copy.returncode == 0 and copy.stdout.strip().endswith("-A-z-report-copy.pdf")
    copy_words = " ".join(pdf_words(Path(copy.stdout.strip())).split())
    assert (
        "Z report (day close), copy" in copy_words
        and "Shift 3 and the day are closed." in copy_words
    )
    x_words = " ".join(pdf_words(Path(x.stdout.strip())).split())
    assert "Shift 3 is open; the day stays open." in x_words
    shift_copy = counter("z-report", "--shift", "2")
    assert shift_copy.stdout.strip().endswith("-A-shift-2-z-report-copy.pdf")
    missing = counter("z-report", "--shift", "9")
    assert missing.returncode == 1 and "Shift 9 of" in missing.stderr


def test_a_shift_close_without_an_open_shift_is_refused(cli_home: Path) -> None:
    refused = counter(
        "shift", "close", "--counted-usd", "0", "--counted-khr", "0", "--clerk", "Dara",
        pin="5678",
    )  # fmt: skip
    assert refused.returncode == 1
    assert "No shift is open at counter A: there is no shift to close." in refused.stderr
    half = counter("close-day", "--counted-usd", "1", "--supervisor", "Sok", pin="1234")
    assert half.returncode == 2
