"""Delivery tests: a modem on a pseudo-terminal, DT One on a local HTTP server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from counter.delivery.dealer import OperatorCodes
from counter.delivery.dtone import DtOneChannel, DtOneOptions
from counter.delivery.modem import ModemChannel, ModemOptions
from counter.domain.delivery import DeliveryRequest
from tests.support import dtone as fake_dtone
from tests.support.modem import FakeModem

PIN = "4321"
NOW = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)  # the stand-in's SMS are stamped 07:03:12 UTC

# Patterns a shop would write for its dealer SIM's answers (invented wording: the real
# answers are not public and differ per operator and contract).
SMART_CODES = OperatorCodes(
    ussd_template="*100*{number}*{amount}*{pin}#",
    balance_code="*101*{pin}#",
    success=(
        r"Transfer of \$(?P<amount>[\d.]+) to (?P<number>\d+) successful\. Ref (?P<ref>\w+)",
        r"ផ្ទេរ (?P<amount>[\d.]+) ដុល្លារ ទៅ (?P<number>\d+) ជោគជ័យ លេខយោង (?P<ref>\w+)",
    ),
    failure=(r"Transfer of \$(?P<amount>[\d.]+) to (?P<number>\d+) failed",),
    low_balance=(r"insufficient (dealer )?balance",),
    balance=(r"Balance:? \$(?P<amount>[\d,]+\.\d\d)",),
    sms_senders=("Smart", "+85510000000"),
)


def request_for(
    reference: str = "A-000042",
    msisdn: str = "+85512345678",
    cents: int = 500,
    created_at: datetime = NOW,
    operator: str = "smart",
) -> DeliveryRequest:
    return DeliveryRequest(reference, operator, msisdn, cents, "A", created_at)


@pytest.fixture
def modem() -> Iterator[FakeModem]:
    fake = FakeModem()
    yield fake
    fake.close()


@pytest.fixture
def make_channel(
    modem: FakeModem, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., ModemChannel]]:
    """A modem channel on the stand-in's pty, short timeouts, the PIN from the environment."""
    monkeypatch.setenv("COUNTER_DEALER_PIN", PIN)
    made: list[ModemChannel] = []

    def make(port: str | None = None, **options: object) -> ModemChannel:
        values: dict[str, object] = {
            "port": port or modem.path,
            "command_timeout_seconds": 1.0,
            "ussd_timeout_seconds": 1.0,
            "sms_wait_seconds": 0.6,
            "busy_timeout_seconds": 0.3,
            "operators": {"smart": SMART_CODES},
        }
        values.update(options)
        channel = ModemChannel(ModemOptions(**values), clock=lambda: NOW + timedelta(minutes=4))  # type: ignore[arg-type]
        made.append(channel)
        return channel

    yield make
    for channel in made:
        channel.close()


@pytest.fixture(scope="session")
def api_server() -> Iterator[HTTPServer]:
    """One threaded server, so a request held up by a fault does not stall the look-up."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def dtone(
    api_server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[fake_dtone.FakeDtOne]:
    api_server.clear()
    monkeypatch.setenv("COUNTER_DTONE_KEY", fake_dtone.KEY)
    monkeypatch.setenv("COUNTER_DTONE_SECRET", fake_dtone.SECRET)
    yield fake_dtone.FakeDtOne(api_server)
    api_server.clear()


@pytest.fixture
def make_api(dtone: fake_dtone.FakeDtOne) -> Iterator[Callable[..., DtOneChannel]]:
    made: list[DtOneChannel] = []

    def make(**options: object) -> DtOneChannel:
        values: dict[str, object] = {"base_url": dtone.url, "request_timeout_seconds": 0.5}
        values.update(options)
        channel = DtOneChannel(DtOneOptions(**values))  # type: ignore[arg-type]
        made.append(channel)
        return channel

    yield make
    for channel in made:
        channel.close()


def private_file(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path
