"""Issue 15: the deliveries section in the CSV and XLSX reports and on the X/Z report on
the receipt roll, from the same report record as the PDF (one source, three renderings).
A real ledger (SQLite), a day with a delivered, a failed and refunded, a needs-review and
a pending delivery; files read back (csv, openpyxl) and ESC/POS bytes decoded from Dummy;
every figure against a hand count."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from escpos.printer import Dummy

from counter.domain.delivery import Answer, DeliveryState, Outcome, state_label
from counter.domain.records import Approval
from counter.i18n import use_language
from counter.printing.roll import render_roll_escpos
from counter.printing.roll_print import roll_of
from counter.services import sell, write_report, x_report
from counter.services.deliveries import delivery_of, record_outcome, resolve
from counter.services.ports import Ledger
from tests.delivery.shops import shop_with
from tests.ledger.conftest import SUPERVISOR_PIN, Shop
from tests.printing.helpers import printed_lines, split_escpos

DAY = datetime(2026, 11, 25).date()
TEN = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 10:00 in Phnom Penh
PRINTED = TEN + timedelta(hours=1)  # 11:00


@pytest.fixture
def day_of_deliveries(counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> Shop:
    """Cellcard by hand on the dealer phone; four sales ten minutes apart, paid exactly."""
    shop = shop_with(monkeypatch, {"cellcard": "manual"})
    led, clerk = shop.ledger, shop.clerk
    for n, dollars in enumerate(("5", "2", "1", "3")):
        sell(led, clerk, f"012 345 67{n + 1}", dollars, now=TEN + timedelta(minutes=10 * n))
    resolve(led, "A-1", delivered=True, by=clerk, ref="SMS1", now=TEN + timedelta(minutes=5))
    resolve(led, "A-2", delivered=False, by=clerk, reason="no SMS", now=TEN + timedelta(minutes=15))
    three = delivery_of(led, "A-3")
    record_outcome(
        led, three.id, Outcome(Answer.UNKNOWN, three.reference), overdue=True, now=PRINTED
    )
    return shop


def _totals(led: Ledger, folder: Path) -> list[list[str]]:
    vanna = Approval("Vanna", SUPERVISOR_PIN)
    paths = write_report(led, DAY, "A", "csv", folder, printed_by="Vanna", by=vanna, now=PRINTED)
    with paths[1].open(encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_the_csv_totals_list_deliveries_refunds_open_items_and_the_float(
    day_of_deliveries: Shop, tmp_path: Path
) -> None:
    rows = _totals(day_of_deliveries.ledger, tmp_path)
    mine = [r for r in rows if r[0] in ("delivery", "refund", "refunds", "open_delivery")]
    # Hand count: $5 delivered, $2 failed and given back, $1 waiting for a person, $3 pending.
    assert mine == [
        ["delivery", "manual:pending", "1", "3.00", "", ""],
        ["delivery", "manual:delivered", "1", "5.00", "", ""],
        ["delivery", "manual:failed", "1", "2.00", "", ""],
        ["delivery", "manual:needs_review", "1", "1.00", "", ""],
        ["refund", "A-000002", "1", "2.00", "", "0"],
        ["refunds", "all", "1", "2.00", "", "0"],
        ["open_delivery", "A-000003 needs_review 2026-11-25T10:20", "1", "1.00", "", ""],
        ["open_delivery", "A-000004 pending 2026-11-25T10:30", "1", "3.00", "", ""],
    ]
    # The float moved by the one delivered top-up only: nothing restocked, $5 out.
    assert ["float_expected", "cellcard", "", "-5.00", "", ""] in rows
    assert rows[-1][:4] == ["total", "all", "4", "11.00"]


def test_the_xlsx_summary_says_the_same_figures_in_the_reports_language(
    day_of_deliveries: Shop, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    led = day_of_deliveries.ledger
    vanna = Approval("Vanna", SUPERVISOR_PIN)
    for language in ("en", "zh"):
        (path,) = write_report(
            led, DAY, "A", "xlsx", tmp_path / language, printed_by="Vanna", by=vanna,
            now=PRINTED, language=language,
        )  # fmt: skip
        sheet = load_workbook(path, read_only=True)["Summary"]
        rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
        by_key = {(r[0], r[1]): r for r in rows}
        with use_language(language):
            failed, review = (
                state_label(DeliveryState.FAILED),
                state_label(DeliveryState.NEEDS_REVIEW),
            )
        assert by_key[("delivery", "manual:failed")][2:5] == [
            f"manual {failed}",
            1,
            Decimal("2.00"),
        ]
        assert by_key[("refund", "A-000002")][2:5] == [f"{failed}: no SMS", 1, Decimal("2.00")]
        assert by_key[("refunds", "all")][3:5] == [1, Decimal("2.00")]
        open_item = by_key[("open_delivery", "A-000003 needs_review 2026-11-25T10:20")]
        assert open_item[3:5] == [1, Decimal("1.00")]
        assert str(open_item[2]).startswith(review) and "40" in str(open_item[2])
        amounts = [r[4] for r in rows if r[0] == "delivery"]
        assert sum(amounts) == Decimal("11.00")  # every sale of the day has its delivery
    assert state_label(DeliveryState.FAILED) == "failed"


def test_the_x_report_on_the_roll_lists_the_deliveries(day_of_deliveries: Shop) -> None:
    led = day_of_deliveries.ledger
    report = x_report(led, DAY, "A", printed_by="Vanna", now=PRINTED)
    dummy = Dummy(profile="TM-T20II")
    render_roll_escpos(roll_of("X report", report.summary, report.cash), dummy, width_mm=80)
    lines = printed_lines(split_escpos(bytes(dummy.output)))

    def pair(label: str, value: str) -> str:
        return f"{label}{value:>{48 - len(label)}}"

    for expected in (
        "Deliveries",
        pair("manual pending", "1 $3.00"),
        pair("manual delivered", "1 $5.00"),
        pair("manual failed", "1 $2.00"),
        pair("manual needing review", "1 $1.00"),
        "Refunds",
        pair("A-000002 failed", "$2.00"),
        "no SMS",
        pair("1 refund", "$2.00"),
        "Still open, oldest first",
        pair("A-000003 needing review", "$1.00"),
        pair("Sold at", "10:20"),
        pair("Open for", "40 min"),
        pair("A-000004 pending", "$3.00"),
        pair("Open for", "30 min"),
        "Float beside the dealer balance",
        pair("Expected float", "-$5.00"),
        pair("Dealer balance", "not read"),
    ):
        assert expected in lines, expected
    # The drawer: $11 received, the $2 of A-2 given back: $9 expected.
    assert pair("Expected (USD)", "$9.00") in lines
    assert all(len(line) <= 48 for line in lines)
