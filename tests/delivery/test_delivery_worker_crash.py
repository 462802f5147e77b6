"""The worker killed between "sent" and "answer", and workers side by side.

A child process runs the real worker on the real ledger and is killed with SIGKILL while
its request waits for an answer; the worker started afterwards finds `sends > 0`, looks the
request up by our reference and records the answer, and the stand-ins show one request.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from counter.domain.delivery import DeliveryState
from counter.domain.records import Approval
from counter.services import doctor, sell
from counter.services.deliveries import delivery_of
from counter.services.setup import add_counter
from tests.delivery.shops import (
    api_delivery,
    counter_worker,
    modem_delivery,
    shop_with,
    sms_time,
)
from tests.ledger.conftest import ADMIN_PIN
from tests.support.dtone import FakeDtOne
from tests.support.ledger import scalar
from tests.support.modem import FakeModem, Sms, cusd

ROOT = Path(__file__).resolve().parents[2]
D = DeliveryState.DELIVERED


def _worker_child(delivery: dict[str, Any], *args: str, code: str = "A") -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "COUNTER_DELIVERY": json.dumps(delivery),
        "COUNTER_COUNTER_CODE": code,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tests.delivery.worker_child", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill_when(child: subprocess.Popen[str], ready: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30
    while not ready():
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the worker never sent its request"
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL


def _sends(shop: Any, receipt: str) -> int:
    return int(
        scalar(
            shop.ledger,
            "SELECT d.sends FROM deliveries d JOIN sales s ON s.id = d.sale_id"
            " WHERE s.receipt_no = :r",
            r=receipt,
        )
    )


def test_a_modem_worker_killed_after_sending_is_looked_up_not_resent(
    counter_home: Path, modem: FakeModem, monkeypatch: pytest.MonkeyPatch
) -> None:
    modem.on_ussd = lambda code: []  # no answer before the kill
    shop = shop_with(monkeypatch, modem_delivery(modem.path))
    sell(shop.ledger, shop.clerk, "012 345 678", "5")  # cellcard: assumed
    sell(shop.ledger, shop.clerk, "010 345 678", "5")  # smart: the modem
    slow = modem_delivery(modem.path, ussd_timeout_seconds=60, sms_wait_seconds=60)
    _kill_when(_worker_child(slow), lambda: len(modem.ussd_codes()) == 1)
    assert _sends(shop, "A-000002") == 1  # counted before it was sent
    assert delivery_of(shop.ledger, "A-2").state is DeliveryState.PENDING
    text = "Transfer of $5.00 to 010345678 successful. Ref 99001."
    modem.store_sms(1, Sms("Smart", text, scts=sms_time()))  # came while the worker was down
    (recorded,) = counter_worker(shop.ledger, deadline_seconds=5).worker.run_once()
    assert recorded.delivery.state is D and recorded.delivery.provider_ref == "99001"
    assert len(modem.ussd_codes()) == 1  # sent once, by the worker that died
    assert _sends(shop, "A-000002") == 1
    assert doctor(shop.ledger) == []


def test_a_modem_worker_killed_with_no_sms_goes_to_review_never_resent(
    counter_home: Path, modem: FakeModem, monkeypatch: pytest.MonkeyPatch
) -> None:
    modem.on_ussd = lambda code: []
    shop = shop_with(monkeypatch, modem_delivery(modem.path))
    sell(shop.ledger, shop.clerk, "010 345 678", "5")
    slow = modem_delivery(modem.path, ussd_timeout_seconds=60, sms_wait_seconds=60)
    _kill_when(_worker_child(slow), lambda: len(modem.ussd_codes()) == 1)
    (recorded,) = counter_worker(shop.ledger, deadline_seconds=1).worker.run_once()
    assert recorded.delivery.state is DeliveryState.NEEDS_REVIEW
    assert len(modem.ussd_codes()) == 1


def test_an_api_worker_killed_while_waiting_is_looked_up_by_our_reference(
    counter_home: Path, dtone: FakeDtOne, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = shop_with(monkeypatch, api_delivery(dtone.url))
    sell(shop.ledger, shop.clerk, "010 345 100", "5")
    dtone.slow_seconds = 30
    dtone.faults = ["timeout_after_accept"]
    slow = api_delivery(dtone.url, request_timeout_seconds=60)
    _kill_when(_worker_child(slow), lambda: len(dtone.posts()) == 1)
    (recorded,) = counter_worker(shop.ledger).worker.run_once()
    assert recorded.delivery.state is D
    assert len(dtone.posts()) == 1
    gets = [p for m, p, _ in dtone.requests if m == "GET" and "external_id=" in p]
    assert gets and all(delivery_of(shop.ledger, "A-1").reference in p for p in gets)
    assert doctor(shop.ledger) == []


@pytest.mark.parametrize("in_flight", [1, 3])  # 3: each process sends three at once
def test_two_worker_processes_on_one_api_account_send_each_top_up_once(
    counter_home: Path, dtone: FakeDtOne, monkeypatch: pytest.MonkeyPatch, in_flight: int
) -> None:
    delivery = api_delivery(dtone.url, poll_schedule_seconds=[1], max_in_flight=in_flight)
    shop = shop_with(monkeypatch, delivery)
    add_counter(shop.ledger, "B", Approval("Sok", ADMIN_PIN))
    on_b = replace(shop.ledger, counter_code="B")
    for i in range(6):
        sell(shop.ledger, shop.clerk, f"010 34{i} 100", "1")
        sell(on_b, shop.clerk, f"010 35{i} 100", "2")
    children = [
        _worker_child(delivery, "2", code="A"),
        _worker_child(delivery, "2", code="A"),
        _worker_child(delivery, "2", code="B"),
    ]
    outputs = [c.communicate(timeout=120) for c in children]
    assert [c.returncode for c in children] == [0, 0, 0], outputs
    refs = [p["external_id"] for p in dtone.posts()]
    assert len(refs) == len(set(refs)) == 12  # one POST per reference, across processes
    assert scalar(shop.ledger, "SELECT count(*) FROM deliveries WHERE state = 'delivered'") == 12
    recorded = [line for out, _ in outputs for line in out.splitlines()]
    assert len(recorded) == 12  # each delivery recorded by exactly one worker
    assert doctor(shop.ledger) == []


def test_two_counters_each_with_its_own_modem(
    counter_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = FakeModem(), FakeModem()
    try:
        for fake in (first, second):
            fake.on_ussd = lambda code: [(0.05, cusd(_ok_for(code)))]
        shop = shop_with(monkeypatch, modem_delivery(first.path))
        add_counter(shop.ledger, "B", Approval("Sok", ADMIN_PIN))
        on_b = replace(shop.ledger, counter_code="B")
        for i in range(3):
            sell(shop.ledger, shop.clerk, f"010 34{i} 111", "1")
            sell(on_b, shop.clerk, f"010 35{i} 222", "2")
        worker_a = counter_worker(shop.ledger).worker
        monkeypatch.setenv("COUNTER_DELIVERY", json.dumps(modem_delivery(second.path)))
        worker_b = counter_worker(on_b).worker
        done: dict[str, list[Any]] = {}
        threads = [
            threading.Thread(target=lambda w=w, k=k: done.__setitem__(k, w.run_once()))
            for k, w in (("A", worker_a), ("B", worker_b))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert [r.delivery.state for r in done["A"] + done["B"]] == [D] * 6
        assert all("111*1*" in c for c in first.ussd_codes()) and len(first.ussd_codes()) == 3
        assert all("222*2*" in c for c in second.ussd_codes()) and len(second.ussd_codes()) == 3
        assert doctor(shop.ledger) == []
    finally:
        first.close()
        second.close()


def _ok_for(code: str) -> str:
    number, dollars = code.split("*")[2], code.split("*")[3]
    return f"Transfer of ${int(dollars)}.00 to {number} successful. Ref R{number}."
