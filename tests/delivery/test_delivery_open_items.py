"""Issue 15: a delivery accepted as an open item at a day close is listed again on every
later X and Z report, with its age and the day it was accepted, until it is final. Two
days on a real ledger (SQLite); the PDFs read back with pdftotext; the roll's lines too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from counter.domain.delivery import Answer, Outcome
from counter.domain.records import Approval
from counter.printing.roll_print import roll_of
from counter.services import close_day, record_opening_cash, sell, write_x_report, x_report
from counter.services.deliveries import delivery_of, record_outcome, resolve
from tests.delivery.shops import shop_with
from tests.ledger.conftest import SUPERVISOR_PIN
from tests.printing.helpers import PdfReader

DAY1, DAY2 = date(2026, 11, 25), date(2026, 11, 26)
TEN = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 10:00 on the 25th in Phnom Penh
VANNA = Approval("Vanna", SUPERVISOR_PIN)


def _words(reader: PdfReader, path: Path) -> str:
    return " ".join(reader.text(path).split())


def _has(text: str, row: str) -> bool:
    """A table row in the text, its spaces aside (pdftotext -layout closes up `1 d 0 h`)."""
    return row.replace(" ", "") in text.replace(" ", "")


def test_an_open_item_accepted_at_a_close_is_listed_on_later_days_until_it_is_final(
    counter_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    need_tool: Callable[[str], str],
) -> None:
    reader = PdfReader(need_tool("pdftotext"), need_tool("pdfinfo"))
    shop = shop_with(monkeypatch, {"cellcard": "manual"})
    led, clerk = shop.ledger, shop.clerk
    sell(led, clerk, "012 345 671", "5", now=TEN)  # nobody confirms it
    sell(led, clerk, "012 345 672", "2", now=TEN + timedelta(minutes=10))
    two = delivery_of(led, "A-2")
    record_outcome(
        led,
        two.id,
        Outcome(Answer.UNKNOWN, two.reference),
        overdue=True,
        now=TEN + timedelta(hours=1),
    )
    evening = TEN + timedelta(hours=10)  # 20:00: the supervisor accepts both as open items
    closed = close_day(
        led, DAY1, "A", counted_usd_cents=700, counted_khr=0, supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN, by=clerk, now=evening, accept_open_deliveries=True,
    )  # fmt: skip
    assert closed.report_path is not None
    z1 = _words(reader, closed.report_path)
    assert "A-000001 pending manual $5.00 10:00 10 h 00 min 2026-11-25" in z1
    assert "A-000002 needing review manual $2.00 10:10 9 h 50 min 2026-11-25" in z1

    # The next morning: both are listed again on the X report, sold the day before.
    morning = TEN + timedelta(days=1)  # 10:00 on the 26th
    record_opening_cash(led, DAY2, "A", 2000, 0, by=clerk, now=morning - timedelta(hours=2))
    sell(led, clerk, "012 345 673", "1", now=morning - timedelta(hours=1))  # A-3, day 2
    _report, x_path = write_x_report(
        led, DAY2, "A", tmp_path / "x1.pdf", printed_by="Vanna", now=morning
    )
    x1 = _words(reader, x_path)
    assert _has(x1, "A-000001 pending manual $5.00 2026-11-25 1 d 0 h 2026-11-25")
    assert _has(x1, "A-000002 needing review manual $2.00 2026-11-25 23 h 50 min 2026-11-25")
    assert "A-000003 pending manual $1.00 09:00 1 h 00 min -" in x1  # the day's own

    # A-2 is settled: it is final, and no longer listed; A-1 still is, on the roll too.
    resolve(led, "A-2", delivered=True, by=VANNA, ref="SMS2", now=morning + timedelta(minutes=5))
    resolve(led, "A-3", delivered=True, by=clerk, ref="SMS3", now=morning + timedelta(minutes=6))
    later = morning + timedelta(hours=2)
    _report, x_path = write_x_report(
        led, DAY2, "A", tmp_path / "x2.pdf", printed_by="Vanna", now=later
    )
    x2 = _words(reader, x_path)
    assert _has(x2, "A-000001 pending manual $5.00 2026-11-25 1 d 2 h 2026-11-25")
    assert "A-000002" not in x2.split("Still open, oldest first")[1]
    report = x_report(led, DAY2, "A", printed_by="Vanna", now=later)
    roll = roll_of("X report", report.summary, report.cash)
    (still_open,) = [s for s in roll.sections if s.heading == "Still open, oldest first"]
    assert [(line.label, line.value) for line in still_open.lines] == [
        ("A-000001 pending", "$5.00"),
        ("Sold at", "2026-11-25 10:00"),
        ("Open for", "1 d 2 h"),
        ("Accepted as open on", "2026-11-25"),
    ]

    # A-1 fails on day 2: its refund leaves day 2's drawer, and nothing is open any more.
    resolve(led, "A-1", delivered=False, by=VANNA, reason="no SMS", now=later)
    # Hand count, day 2: $20 opening + $1 sold - $5 given back for A-1 = $16.
    closed2 = close_day(
        led, DAY2, "A", counted_usd_cents=1600, counted_khr=0, supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN, by=clerk, now=later + timedelta(hours=8),
    )  # fmt: skip
    assert closed2.expected_usd_cents == 1600 and closed2.report_path is not None
    z2 = _words(reader, closed2.report_path)
    assert "A-000001 failed $5.00 0 KHR Vanna no SMS" in z2
    assert "Still open, oldest first No delivery is still open." in z2
