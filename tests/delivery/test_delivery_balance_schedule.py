"""Dealer balances read on the schedule of `[delivery] balance_every_minutes`, by the
worker's pass (the screen's sweep and `deliveries send` run the same `run_once`), against
the modem stand-in on a pty and the DT One stand-in; the clock is the ledger's, injected."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from counter.config import load_settings
from counter.couriers import ChannelCourier
from counter.domain.delivery import DeliveryState
from counter.domain.records import User
from counter.services import sell, x_report
from counter.services.dealer_balance import BALANCE_UNREAD
from counter.services.delivery_worker import DeliveryWorker
from tests.delivery.shops import api_delivery, modem_delivery, shop_with
from tests.fakes import FakeClock
from tests.support.dtone import FakeDtOne
from tests.support.ledger import rows
from tests.support.modem import FakeModem, cusd

START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 09:00 in Phnom Penh
BALANCE_CODE = "*101*4321#"


def _dealer(code: str) -> list[tuple[float, bytes]]:
    if code == BALANCE_CODE:
        return [(0.02, cusd("Balance: $123.45"))]
    number, dollars = code.split("*")[2], code.split("*")[3]
    text = f"Transfer of ${int(dollars)}.00 to {number} successful. Ref R{number[-3:]}."
    return [(0.02, cusd(text))]


@dataclass
class _Counter:
    worker: DeliveryWorker
    clock: FakeClock  # the ledger's: the test moves it
    clerk: User


def _counter(monkeypatch: pytest.MonkeyPatch, settings: dict[str, object]) -> _Counter:
    shop = shop_with(monkeypatch, settings)
    clock = FakeClock(START)
    ledger = replace(shop.ledger, clock=clock)
    courier = ChannelCourier(load_settings().delivery, sleep=lambda s: None, clock=clock)
    return _Counter(DeliveryWorker(ledger, courier), clock, shop.clerk)


def _audit(worker: DeliveryWorker, action: str) -> list[dict[str, object]]:
    found = rows(
        worker.ledger, "SELECT detail FROM audit_log WHERE action = :a ORDER BY id", a=action
    )
    return [json.loads(detail) for (detail,) in found]


def _balance_gets(dtone: FakeDtOne) -> int:
    return len([r for r in dtone.requests if r[1] == "/v1/balances"])


def test_the_modem_balance_is_read_on_the_schedule_after_the_pass_s_deliveries(
    counter_home: Path, modem: FakeModem, monkeypatch: pytest.MonkeyPatch
) -> None:
    modem.on_ussd = _dealer
    counter = _counter(monkeypatch, {**modem_delivery(modem.path), "balance_every_minutes": 30})
    worker, clock = counter.worker, counter.clock
    sell(worker.ledger, counter.clerk, "010 345 100", "5")
    (done,) = worker.run_once()
    assert done.delivery.state is DeliveryState.DELIVERED
    # The top-up's code went first; the balance code only after its answer was recorded.
    assert [c.split('"')[1] for c in modem.ussd_codes()] == ["*100*010345100*5*4321#", BALANCE_CODE]
    (reading,) = worker.readings
    assert reading.reading is not None and reading.reading.minor == 12_345
    assert reading.reading.float_cents == -500  # the ledger's float then: $5 delivered
    clock.advance(minutes=29)
    assert worker.run_once() == [] and worker.readings == []
    assert len(modem.ussd_codes()) == 2  # not due yet: nothing sent
    clock.advance(minutes=1)
    DeliveryWorker(worker.ledger, worker.courier).run_once()  # a new worker (the next sweep)
    assert len(modem.ussd_codes()) == 3
    kept = _audit(worker, "dealer_balance_read")
    assert [d["minor"] for d in kept] == [12_345, 12_345]
    assert all(d["float_cents"] == -500 and d["operator"] == "smart" for d in kept)


def test_a_reading_that_fails_is_kept_and_not_asked_again_before_its_time(
    counter_home: Path, modem: FakeModem, monkeypatch: pytest.MonkeyPatch
) -> None:
    modem.on_ussd = lambda code: [(0.02, cusd("Service unavailable"))]
    counter = _counter(monkeypatch, {**modem_delivery(modem.path), "balance_every_minutes": 15})
    worker, clock = counter.worker, counter.clock
    worker.run_once()
    (failed,) = worker.readings
    assert failed.reading is None and "gave no balance" in failed.problem
    (detail,) = _audit(worker, BALANCE_UNREAD)
    assert detail["operator"] == "smart" and "gave no balance" in str(detail["problem"])
    for _ in range(3):  # the screen sweeps every 5 s: the silent modem is not asked again
        clock.advance(seconds=5)
        worker.run_once()
    assert len(modem.ussd_codes()) == 1
    clock.advance(minutes=15)
    worker.run_once()
    assert len(modem.ussd_codes()) == 2


def test_the_schedule_is_off_by_default(
    counter_home: Path, modem: FakeModem, monkeypatch: pytest.MonkeyPatch
) -> None:
    modem.on_ussd = _dealer
    worker = _counter(monkeypatch, modem_delivery(modem.path)).worker
    worker.run_once()
    assert worker.readings == [] and modem.ussd_codes() == []


def test_the_api_balance_is_read_on_the_schedule_and_set_beside_the_float_of_then(
    counter_home: Path, dtone: FakeDtOne, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter = _counter(monkeypatch, {**api_delivery(dtone.url), "balance_every_minutes": 60})
    worker, clock = counter.worker, counter.clock
    led = worker.ledger
    worker.run_once()  # 09:00: nothing sold yet, the float is $0
    assert _balance_gets(dtone) == 1
    clock.advance(minutes=20)
    sell(led, counter.clerk, "010 345 100", "5")
    (done,) = worker.run_once()  # delivered at 09:20: the float is now -$5.00
    assert done.delivery.state is DeliveryState.DELIVERED
    assert _balance_gets(dtone) == 1
    report = x_report(led, worker.ledger.now().astimezone(led.zone).date(), "A", printed_by="V")
    section = report.summary.deliveries
    assert section is not None
    (smart,) = [f for f in section.floats if f.operator_id == "smart"]
    # Beside the 09:00 reading ($1,000.50), the float of 09:00 ($0), not today's -$5.00.
    assert smart.reading is not None and smart.reading.minor == 100_050
    assert smart.expected_cents == 0 and smart.difference_cents == 100_050
    clock.advance(minutes=40)
    worker.run_once()
    assert _balance_gets(dtone) == 2
