"""The Z report's deliveries section on a real ledger, with the real modem channel against
its stand-in: read back from the PDF with pdftotext as the owner would read it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from counter.domain.money import Money
from counter.services import business_date, close_day, sell
from counter.services.dealer_balance import read_balances
from tests.delivery.shops import counter_worker, modem_delivery, shop_with
from tests.ledger.conftest import SUPERVISOR_PIN
from tests.printing.helpers import PdfReader
from tests.support.modem import FakeModem, cusd


def _dealer(code: str) -> list[tuple[float, bytes]]:
    if code.startswith("*101*"):  # the balance code
        return [(0.05, cusd("Dealer Balance: $1,234.50"))]
    number = code.split("*")[2]
    if number.endswith("100"):
        return [(0.05, cusd(f"Transfer of $5.00 to {number} successful. Ref R100."))]
    if number.endswith("102"):
        return [(0.05, cusd(f"Transfer of $2.00 to {number} failed. Try later."))]
    return []  # no answer at all: it waits for a person


def test_the_z_report_lists_deliveries_refunds_open_ones_and_the_dealer_balance(
    counter_home: Path,
    modem: FakeModem,
    monkeypatch: pytest.MonkeyPatch,
    need_tool: Callable[[str], str],
) -> None:
    reader = PdfReader(need_tool("pdftotext"), need_tool("pdfinfo"))
    modem.on_ussd = _dealer
    shop = shop_with(monkeypatch, modem_delivery(modem.path))
    led, clerk = shop.ledger, shop.clerk
    for number, dollars in (("100", "5"), ("102", "2"), ("104", "1")):
        sell(led, clerk, f"010 345 {number}", dollars, paid=Money.usd(1000))
    counter = counter_worker(led, deadline_seconds=1)
    counter.worker.run_once()
    (read,) = read_balances(led, counter.courier, by="Vanna")
    assert read.reading is not None and read.reading.minor == 123_450
    closed = close_day(
        led,
        business_date(led, led.clock()),
        "A",
        counted_usd_cents=600,
        counted_khr=0,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
        by=clerk,
        accept_open_deliveries=True,
    )
    counter.courier.close()
    # Hand count: $8 sold, the $2 of A-2 given back: $6 expected, $6 counted.
    assert closed.expected_usd_cents == 600 and closed.report_path is not None
    text = " ".join(reader.text(closed.report_path).split())
    assert "Deliveries Channel State Count Amount" in text
    assert "modem delivered 1 $5.00" in text and "modem failed 1 $2.00" in text
    assert "modem needing review 1 $1.00" in text
    assert "Refunds Receipt State US dollars Riel By Reason" in text
    assert "A-000002 failed $2.00 0 KHR worker:modem declined" in text
    assert "1 refund $2.00 0 KHR" in text
    assert "Still open, oldest first" in text and "A-000003 needing review modem $1.00" in text
    assert "Float beside the dealer balance Operator Expected float Dealer balance Read at" in text
    assert "smart -$5.00 $1,234.50" in text and "(modem) $1,239.50" in text
