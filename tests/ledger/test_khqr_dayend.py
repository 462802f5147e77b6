"""KHQR takings at day end, in the real ledger: apart from cash (the expected drawer leaves
them out), on the X report per currency with their references, in the PDF and the CSV."""

from __future__ import annotations

import csv
import subprocess
from collections.abc import Callable
from pathlib import Path

from counter.domain.money import Currency, Money
from counter.services import sell
from counter.services.dayend import write_report
from counter.services.khqr import finish_khqr, start_khqr
from counter.services.xreports import write_x_report, x_report
from tests.ledger.conftest import Shop
from tests.support.khqr import FakeBank, fake_code, result_paid, with_khqr


def _khqr_sale(shop: Shop, amount: str, currency: Currency, ref: str) -> None:
    led = with_khqr(shop.ledger)
    shown = start_khqr(
        led,
        shop.clerk,
        "012 345 678",
        amount,
        currency=currency,
        make_code=fake_code,
        rows=24,
        cols=80,
    )
    bank = FakeBank()
    bank.pay(shown.request, ref=ref)
    assert finish_khqr(led, shown.request.id, result_paid(bank, shown.request)).sale


def test_khqr_takings_are_apart_from_the_drawer(
    sqlite_shop: Shop, need_tool: Callable[[str], str], tmp_path: Path
) -> None:
    shop = sqlite_shop
    cash = sell(shop.ledger, shop.clerk, "012 345 670", "5", paid=Money.usd(1000))
    _khqr_sale(shop, "2", Currency.USD, "8465d722d7d5065f")
    _khqr_sale(shop, "1", Currency.KHR, "ABA0000099")
    day = cash.business_date
    report = x_report(shop.ledger, day, "A", printed_by=shop.supervisor)
    rate = cash.riel_per_usd
    # By hand: the drawer got $10 and gave $5 back; the $2 and the riel went to the bank.
    assert report.cash.expected_usd_cents == 1000 - 500
    assert report.cash.expected_khr == 0
    assert report.summary.payments.received_usd_cents == 1000
    k = report.summary.khqr
    assert (k.usd_cents, k.usd_count) == (200, 1)
    assert (k.khr, k.khr_count) == (100 * rate // 100, 1)
    assert [(x.receipt_no, x.reference) for x in k.lines] == [
        ("A-000002", "8465d722d7d5065f"),
        ("A-000003", "ABA0000099"),
    ]
    assert report.summary.total.amount_cents == 800  # every sale counts in the day's total

    _x, pdf = write_x_report(shop.ledger, day, "A", tmp_path / "x.pdf", printed_by="Vanna")
    words = subprocess.run(
        [need_tool("pdftotext"), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "KHQR payments" in words and "A-000002 · 8465d722d7d5065f" in words
    assert "the drawer does not count them" in words

    paths = write_report(
        shop.ledger, day, "A", "csv", tmp_path, printed_by="Vanna", by=shop.supervisor
    )
    totals = next(p for p in paths if "totals" in p.name)
    rows = list(csv.reader(totals.open(encoding="utf-8")))
    assert rows[[r[:2] for r in rows].index(["khqr", "usd"])][:4] == ["khqr", "usd", "1", "2.00"]
    keys = [r[1] for r in rows if r[0] == "khqr_payment"]
    assert keys == ["A-000002 8465d722d7d5065f", "A-000003 ABA0000099"]
