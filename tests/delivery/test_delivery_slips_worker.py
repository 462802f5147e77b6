"""The worker's final-state path prints the slips: a modem delivery that succeeds gives a
DELIVERY SLIP with the operator's reference, one that fails a REFUND SLIP; each once."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter.services import sell
from tests.delivery.shops import counter_worker, modem_delivery, shop_with
from tests.fakes import FakePrinter
from tests.support.modem import FakeModem, cusd


def _dealer(code: str) -> list[tuple[float, bytes]]:
    number = code.split("*")[2]
    if number.endswith("100"):
        return [(0.05, cusd(f"Transfer of $5.00 to {number} successful. Ref R100."))]
    return [(0.05, cusd(f"Transfer of $2.00 to {number} failed. Try later."))]


def test_the_worker_prints_a_slip_for_each_final_answer_once(
    counter_home: Path, modem: FakeModem, monkeypatch: pytest.MonkeyPatch
) -> None:
    modem.on_ussd = _dealer
    shop = shop_with(monkeypatch, modem_delivery(modem.path))
    led, clerk = shop.ledger, shop.clerk
    sell(led, clerk, "010 345 100", "5")
    sell(led, clerk, "010 345 102", "2")
    printer = FakePrinter()
    counter = counter_worker(led)
    worker = counter.worker
    worker.printer = printer
    worker.run_once()
    assert [(r.receipt_no, r.slip, r.delivery_state, r.provider_ref) for r in printer.printed] == [
        ("A-000001", "delivery", "delivered", "R100"),
        ("A-000002", "refund", "FAILED, money back", None),
    ]
    assert printer.printed[1].refund_lines == (("USD", 200),)
    assert all(r.delivery_reference.endswith(r.receipt_no) for r in printer.printed)
    worker.run_once()  # nothing new: nothing printed again
    assert len(printer.printed) == 2
