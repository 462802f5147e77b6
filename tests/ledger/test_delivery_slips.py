"""The receipt's delivery lines and the slips that follow it, on a real ledger (SQLite and
PostgreSQL), read back from the PDF with pdftotext as the customer would read the paper."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from counter.domain.money import Money
from counter.domain.records import Approval
from counter.printing.printers import PdfFolderPrinter
from counter.services import print_sale, retry_pending, sell
from counter.services.deliveries import resolve
from counter.services.slips import print_slips
from tests.fakes import FakePrinter
from tests.ledger.conftest import SUPERVISOR_PIN, Shop, set_up_shop
from tests.printing.helpers import PdfReader


@pytest.fixture
def manual_shop(backend: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Shop]:
    monkeypatch.setenv("COUNTER_DELIVERY", json.dumps({"cellcard": "manual"}))
    opened = set_up_shop()
    yield opened
    opened.ledger.close()


@pytest.fixture
def reader(need_tool: Callable[[str], str]) -> PdfReader:
    return PdfReader(need_tool("pdftotext"), need_tool("pdfinfo"))


def words(text: str) -> str:
    return " ".join(text.split())


def test_a_manual_sale_prints_pending_then_a_delivery_slip_never_a_second_original(
    manual_shop: Shop, reader: PdfReader, tmp_path: Path
) -> None:
    led = manual_shop.ledger
    printer = PdfFolderPrinter(tmp_path)
    sale = sell(led, manual_shop.clerk, "012 345 678", "5")
    assert print_sale(led, printer, sale).ok
    original = words(reader.text(tmp_path / "A-000001.pdf"))
    assert "Delivery PENDING" in original and "Then a slip with the answer" in original
    assert "Our ref " in original and "-A-000001" in original
    assert "Provider ref" not in original and "SLIP" not in original

    assert print_slips(led, printer) == []  # nothing settled yet
    resolve(led, "A-000001", delivered=True, by=manual_shop.clerk, ref="8841XK")
    printed = print_slips(led, printer)
    assert [r.ok for r in printed] == [True]
    slip = words(reader.text(tmp_path / "A-000001-delivery-slip.pdf"))
    assert slip.startswith("DELIVERY SLIP Printed ")
    assert "Delivery delivered" in slip and "Provider ref 8841XK" in slip
    assert "A-000001" in slip and "012 345 678" in slip and "$5.00" in slip
    assert "Then a slip" not in slip
    assert print_slips(led, printer) == []  # printed once
    # The original's file is untouched, and it is still the only ORIGINAL printed.
    assert words(reader.text(tmp_path / "A-000001.pdf")) == original
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == [
        "A-000001-delivery-slip.pdf",
        "A-000001.pdf",
    ]
    again = print_sale(led, printer, sale)
    assert "already printed" in again.message


def test_a_failed_delivery_prints_a_refund_slip_with_the_cash_given_back(
    manual_shop: Shop, reader: PdfReader, tmp_path: Path
) -> None:
    led = manual_shop.ledger
    printer = PdfFolderPrinter(tmp_path)
    sell(led, manual_shop.clerk, "012 345 678", "2", paid=Money.usd(500))
    resolve(
        led,
        "A-000001",
        delivered=False,
        by=Approval("Vanna", SUPERVISOR_PIN),
        reason="no SMS from Cellcard",
    )
    assert [r.ok for r in print_slips(led, printer)] == [True]
    slip = words(reader.text(tmp_path / "A-000001-refund-slip.pdf"))
    assert slip.startswith("REFUND SLIP Printed ")
    assert "Delivery FAILED, money back" in slip
    # Paid $5.00, $3.00 change: the drawer gives back the $2.00 it kept.
    assert "Refund (USD) $2.00" in slip and "Reason no SMS from Cellcard" in slip
    assert "Refund (KHR)" not in slip and "Provider ref" not in slip


def test_a_slip_waits_while_the_printer_is_down_and_prints_with_the_retry(
    manual_shop: Shop,
) -> None:
    led = manual_shop.ledger
    sell(led, manual_shop.clerk, "012 345 678", "5")
    resolve(led, "A-000001", delivered=True, by=manual_shop.clerk, ref="77")
    down = FakePrinter(broken="out of paper")
    failed = print_slips(led, down)
    assert [r.ok for r in failed] == [False] and "out of paper" in failed[0].message
    back = FakePrinter()
    results = retry_pending(led, back)  # the original receipt first, then the slip
    assert [r.ok for r in results] == [True, True]
    original, slip = back.printed
    assert original.slip is None and original.delivery_state == "delivered"
    assert slip.slip == "delivery" and slip.provider_ref == "77"
    assert retry_pending(led, back) == []


def test_an_assumed_sale_prints_no_delivery_lines_and_no_slip(
    manual_shop: Shop, tmp_path: Path
) -> None:
    led = manual_shop.ledger
    printer = FakePrinter()
    sale = sell(led, manual_shop.clerk, "010 345 678", "5")  # smart: assumed
    assert print_sale(led, printer, sale).ok
    assert printer.printed[0].delivery_state is None
    assert print_slips(led, printer) == []
