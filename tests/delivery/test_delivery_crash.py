"""Kill the process between "sent" and "answered": the restart looks up, never sends twice.

The process is the point here, so each test runs the sender in a child process and kills
it with SIGKILL while it waits for the answer; the stand-ins count what reached them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from counter.delivery.dtone import DtOneChannel
from counter.delivery.modem import ModemChannel
from counter.delivery.polling import Schedule, resume
from counter.domain.delivery import Answer
from tests.delivery.conftest import NOW, request_for
from tests.support.dtone import FakeDtOne
from tests.support.modem import FakeModem, Sms

ROOT = Path(__file__).resolve().parents[2]
OK_TEXT = "Transfer of $5.00 to 012345678 successful. Ref 8841234."


def _child(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.delivery.child", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill_when(
    child: subprocess.Popen[str], ready: Callable[[], bool], timeout: float = 20
) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the child never sent its request"
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL


def _no_sleep(seconds: float) -> None:
    return None


def test_a_modem_top_up_killed_mid_way_is_looked_up_in_the_sms_store(
    modem: FakeModem, make_channel: Callable[..., ModemChannel]
) -> None:
    modem.on_ussd = lambda code: []  # the answer never comes before the kill
    child = _child("modem", modem.path, "A-000077")
    _kill_when(child, lambda: len(modem.ussd_codes()) == 1)
    modem.store_sms(4, Sms("Smart", OK_TEXT))  # the operator's SMS came while we were down
    followed = resume(
        make_channel(), request_for("A-000077"), Schedule(), sleep=_no_sleep, clock=lambda: NOW
    )
    assert followed.outcome.answer is Answer.DELIVERED
    assert followed.outcome.provider_ref == "8841234"
    assert followed.sends == 0
    assert len(modem.ussd_codes()) == 1  # sent once, by the process that died


def test_a_modem_top_up_killed_with_no_sms_is_never_resent(
    modem: FakeModem, make_channel: Callable[..., ModemChannel]
) -> None:
    modem.on_ussd = lambda code: []
    child = _child("modem", modem.path, "A-000078")
    _kill_when(child, lambda: len(modem.ussd_codes()) == 1)
    clock = iter([NOW, NOW, NOW.replace(hour=8)])
    followed = resume(
        make_channel(),
        request_for("A-000078"),
        Schedule(),
        sleep=_no_sleep,
        clock=lambda: next(clock),
    )
    assert followed.overdue and followed.outcome.answer is Answer.UNKNOWN  # a person decides
    assert len(modem.ussd_codes()) == 1


def test_an_api_top_up_killed_mid_way_is_looked_up_by_our_reference(
    dtone: FakeDtOne, make_api: Callable[..., DtOneChannel]
) -> None:
    dtone.faults = ["timeout_after_accept"]
    dtone.slow_seconds = 5
    child = _child("api", dtone.url, "A-000079", "+85512345100")
    _kill_when(child, lambda: "A-000079" in dtone.transactions)
    followed = resume(
        make_api(),
        request_for("A-000079", msisdn="+85512345100"),
        Schedule(),
        sleep=_no_sleep,
        clock=lambda: NOW,
    )
    assert followed.outcome.answer is Answer.DELIVERED and followed.sends == 0
    assert [p["external_id"] for p in dtone.posts()] == ["A-000079"]


def test_two_processes_on_one_account_never_make_two_transactions(dtone: FakeDtOne) -> None:
    """Two counters, one API account: distinct references each once; a shared one only once."""
    children = [
        _child("api", dtone.url, reference, "+85512345100")
        for reference in ("A-000080", "B-000080", "A-000081", "A-000081")
    ]
    outputs = [json.loads(c.communicate(timeout=60)[0]) for c in children]
    assert sorted(dtone.transactions) == ["A-000080", "A-000081", "B-000080"]
    assert sorted(p["external_id"] for p in dtone.posts()) == [
        "A-000080",
        "A-000081",
        "A-000081",
        "B-000080",
    ]  # the second A-000081 was refused as a duplicate and looked up instead
    assert {o["answer"] for o in outputs} <= {"pending", "delivered"}
    refs = [o["ref"] for o in outputs[2:]]
    assert refs[0] == refs[1]  # both processes report the one transaction
