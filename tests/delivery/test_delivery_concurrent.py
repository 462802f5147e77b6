"""Several deliveries at once: the API up to `[delivery.api] max_in_flight`, each modem
port one request at a time, the lanes side by side; every request sent once.

The DT One stand-in counts the requests it answers at once (`most_in_flight`; with `meet`
each POST waits for the other, so overlap is seen for certain); the modem stand-in counts
USSD sessions open at once (`most_ussd_open`)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from counter.domain.delivery import DeliveryState
from counter.services import doctor, sell
from tests.delivery.shops import api_delivery, counter_worker, modem_delivery, shop_with
from tests.support.dtone import FakeDtOne
from tests.support.modem import FakeModem, cusd

D = DeliveryState.DELIVERED


def _dealer(code: str) -> list[tuple[float, bytes]]:
    number, dollars = code.split("*")[2], code.split("*")[3]
    text = f"Transfer of ${int(dollars)}.00 to {number} successful. Ref R{number[-4:]}."
    return [(0.2, cusd(text))]  # the operator takes a moment: time for overlap, if any


def _mixed(modem: FakeModem, dtone: FakeDtOne, in_flight: int) -> dict[str, object]:
    """Smart by the modem, Cellcard by DT One."""
    api = api_delivery(dtone.url, max_in_flight=in_flight, request_timeout_seconds=5)
    return {**modem_delivery(modem.path), "cellcard": "api", "api": api["api"]}


def test_two_api_deliveries_in_flight_at_once_and_the_modem_one_at_a_time(
    counter_home: Path, modem: FakeModem, dtone: FakeDtOne, monkeypatch: pytest.MonkeyPatch
) -> None:
    modem.on_ussd = _dealer
    dtone.meet = 2
    shop = shop_with(monkeypatch, _mixed(modem, dtone, in_flight=2))
    led, clerk = shop.ledger, shop.clerk
    sold = [
        sell(led, clerk, "012 345 100", "5"),  # Cellcard: DT One
        sell(led, clerk, "010 345 100", "5"),  # Smart: the modem
        sell(led, clerk, "012 346 100", "2"),
        sell(led, clerk, "010 346 100", "1"),
        sell(led, clerk, "012 347 100", "1"),
    ]
    done = counter_worker(led).worker.run_once()
    # In the order sold, whatever order the answers came in.
    assert [r.delivery.receipt_no for r in done] == [s.receipt_no for s in sold]
    assert [r.delivery.state for r in done] == [D] * 5
    assert dtone.most_in_flight >= 2  # two POSTs were at the stand-in at once
    assert modem.most_ussd_open == 1  # never a second code before the first's answer
    posted = Counter(p["external_id"] for p in dtone.posts())
    assert len(posted) == 3 and set(posted.values()) == {1}  # each sent once
    assert len(modem.ussd_codes()) == 2
    assert doctor(led) == []


def test_one_at_a_time_is_the_default(
    counter_home: Path, dtone: FakeDtOne, monkeypatch: pytest.MonkeyPatch
) -> None:
    dtone.meet, dtone.meet_seconds = 2, 1.0  # each POST waits for a second that never comes
    api = api_delivery(dtone.url, request_timeout_seconds=5)
    shop = shop_with(monkeypatch, {**api, "cellcard": "api"})
    for number in ("012 345 100", "012 346 100"):
        sell(shop.ledger, shop.clerk, number, "1")
    done = counter_worker(shop.ledger).worker.run_once()
    assert [r.delivery.state for r in done] == [D, D]
    assert dtone.most_in_flight == 1
