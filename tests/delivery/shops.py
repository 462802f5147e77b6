"""A shop whose top-ups go through a real channel: the ledger opened by `counter.bootstrap`
with `[delivery]` from COUNTER_DELIVERY, and the worker with the composition's courier."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from counter.config import load_settings
from counter.couriers import ChannelCourier
from counter.delivery.polling import Schedule
from counter.domain.delivery import Channel
from counter.services.delivery_worker import DeliveryWorker
from counter.services.ports import Ledger
from tests.delivery.conftest import PIN
from tests.ledger.conftest import Shop, set_up_shop
from tests.support.dtone import KEY, SECRET

SMART_SETTINGS: dict[str, Any] = {
    "ussd_template": "*100*{number}*{amount}*{pin}#",
    "balance_code": "*101*{pin}#",
    "success": [
        r"Transfer of \$(?P<amount>[\d.]+) to (?P<number>\d+) successful\. Ref (?P<ref>\w+)"
    ],
    "failure": [r"Transfer of \$(?P<amount>[\d.]+) to (?P<number>\d+) failed"],
    "low_balance": [r"insufficient (dealer )?balance"],
    "balance": [r"Balance:? \$(?P<amount>[\d,]+\.\d\d)"],
    "sms_senders": ["Smart"],
}


def modem_delivery(port: str, **more: Any) -> dict[str, Any]:
    return {
        "smart": "modem",
        "modem": {
            "port": port,
            "command_timeout_seconds": 1,
            "ussd_timeout_seconds": 1,
            "sms_wait_seconds": 0.6,
            "busy_timeout_seconds": 0.3,
            "smart": SMART_SETTINGS,
            **more,
        },
    }


def api_delivery(url: str, **more: Any) -> dict[str, Any]:
    return {
        "smart": "api",
        "api": {"base_url": url, "request_timeout_seconds": 0.5, **more},
    }


def use_delivery(monkeypatch: pytest.MonkeyPatch, settings: dict[str, Any]) -> None:
    """`[delivery]` for this process and its children (COUNTER_DELIVERY is JSON)."""
    monkeypatch.setenv("COUNTER_DELIVERY", json.dumps(settings))
    monkeypatch.setenv("COUNTER_DEALER_PIN", PIN)
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    monkeypatch.setenv("COUNTER_DTONE_KEY", KEY)
    monkeypatch.setenv("COUNTER_DTONE_SECRET", SECRET)


def shop_with(monkeypatch: pytest.MonkeyPatch, settings: dict[str, Any]) -> Shop:
    use_delivery(monkeypatch, settings)
    return set_up_shop()


@dataclass
class Counter:
    ledger: Ledger
    courier: ChannelCourier
    worker: DeliveryWorker


def counter_worker(
    ledger: Ledger, deadline_seconds: float | None = None, owner: str | None = None
) -> Counter:
    """The worker as the screen builds it, except that it does not sleep between look-ups
    (a deadline of `deadline_seconds` stands for the real minutes)."""
    settings = load_settings().delivery
    schedules = {}
    if deadline_seconds is not None:
        from datetime import timedelta

        deadline = timedelta(seconds=deadline_seconds)
        schedules = {
            Channel.API: Schedule(deadline=deadline),
            Channel.MODEM: Schedule(deadline=deadline),
        }
    courier = ChannelCourier(settings, sleep=lambda s: None, schedules=schedules)
    return Counter(ledger, courier, DeliveryWorker(ledger, courier, owner=owner))


def sms_time(moment: datetime | None = None) -> str:
    """An SMS service-centre time stamp (TS 23.040) for `moment` in UTC: `26/12/01,13:20:05+00`."""
    return (moment or datetime.now(UTC)).strftime("%y/%m/%d,%H:%M:%S+00")
