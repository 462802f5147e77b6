"""The day-end commands end to end: exit codes, sentences, files."""

from __future__ import annotations

from pathlib import Path

from tests.ledger.test_cli import cli_home, counter

__all__ = ["cli_home"]


def test_report_close_day_float_commands(cli_home: Path) -> None:
    added = counter(
        "users", "add", "Vanna", "--role", "supervisor", "--by", "Sok", pin="1234", new_pin="2468"
    )
    assert added.returncode == 0, added.stderr
    opened = counter(
        "opening-float", "--usd", "20", "--khr", "40000", "--clerk", "Dara", pin="5678"
    )
    assert opened.returncode == 0, opened.stderr
    again = counter("opening-float", "--usd", "20", "--khr", "40000", "--clerk", "Dara", pin="5678")
    assert again.returncode == 1 and "close it before opening another" in again.stderr

    restocked = counter("restock", "cellcard", "100", "--ref", "INV-7", "--by", "Vanna", pin="2468")
    assert restocked.returncode == 0, restocked.stderr
    assert "balance $100.00" in restocked.stdout
    sold = counter("sell", "012 345 678", "5", "--clerk", "Dara", "--no-receipt", pin="5678")
    assert sold.returncode == 0, sold.stderr

    report = counter("report")
    assert report.returncode == 0, report.stderr
    (pdf,) = report.stdout.split()
    assert pdf.endswith("-A-sales.pdf") and Path(pdf).read_bytes().startswith(b"%PDF")
    csv = counter("report", "--format", "csv", "--counter", "all", "--by", "Vanna", pin="2468")
    assert csv.returncode == 0 and len(csv.stdout.split()) == 2
    bad = counter("report", "--format", "docx")
    assert bad.returncode == 2
    bad_date = counter("report", "--date", "25/11/2026")
    assert bad_date.returncode == 2

    x = counter("x-report", "--by", "Vanna", pin="2468")
    assert x.returncode == 0, x.stderr
    assert "expected in the drawer: $25.00 and 40,000" in x.stderr

    balances = counter(
        "float",
        "--correct",
        "cellcard",
        "-1.50",
        "--reason",
        "dealer statement",
        "--by",
        "Vanna",
        pin="2468",
    )
    assert balances.returncode == 0, balances.stderr
    assert any(line.split() == ["cellcard", "$93.50"] for line in balances.stdout.splitlines())
    no_reason = counter("float", "--correct", "cellcard", "1")
    assert no_reason.returncode == 2

    clerk_close = counter(
        "close-day",
        "--counted-usd",
        "25",
        "--counted-khr",
        "40000",
        "--supervisor",
        "Dara",
        pin="5678",
    )
    assert clerk_close.returncode == 1 and "only a supervisor or admin" in clerk_close.stderr
    closed = counter(
        "close-day",
        "--counted-usd",
        "24.50",
        "--counted-khr",
        "40000",
        "--supervisor",
        "Vanna",
        "--clerk",
        "Dara",
        pin="2468",
    )
    assert closed.returncode == 0, closed.stderr
    assert "difference -$0.50 and 0" in closed.stdout
    assert closed.stdout.splitlines()[-1].endswith("-A-z-report.pdf")
    twice = counter(
        "close-day", "--counted-usd", "1", "--counted-khr", "0", "--supervisor", "Vanna", pin="2468"
    )
    assert twice.returncode == 1 and "already closed" in twice.stderr
    late = counter("sell", "012 345 679", "1", "--clerk", "Dara", "--no-receipt", pin="5678")
    assert late.returncode == 1 and "is closed" in late.stderr
