"""The delivery worker on a real ledger, with the real channels against their stand-ins.

A day of sales per channel: deliveries that succeed, fail, time out and get reviewed; the
stand-ins count every request (never two under one reference), the ledger holds each
change, the refunds and the float, and `doctor` is clean.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from counter.domain.delivery import DeliveryState
from counter.domain.errors import DayEndRefused
from counter.domain.money import Money
from counter.services import business_date, doctor, sell
from counter.services.deliveries import delivery_history, delivery_of, resolve
from counter.services.delivery_worker import check
from tests.delivery.shops import (
    api_delivery,
    counter_worker,
    modem_delivery,
    shop_with,
    sms_time,
)
from tests.ledger.conftest import Shop
from tests.support.dtone import FakeDtOne
from tests.support.ledger import rows, scalar
from tests.support.modem import FakeModem, Sms, cusd

D, F, N, P, R = (
    DeliveryState.DELIVERED,
    DeliveryState.FAILED,
    DeliveryState.NEEDS_REVIEW,
    DeliveryState.PENDING,
    DeliveryState.REVERSED,
)


def ok(number: str, dollars: str, ref: str) -> str:
    return f"Transfer of ${dollars} to {number} successful. Ref {ref}."


@pytest.fixture
def home(counter_home: Path) -> Iterator[Path]:
    yield counter_home


def float_cents(shop: Shop) -> int:
    return int(scalar(shop.ledger, "SELECT coalesce(sum(balance_cents), 0) FROM operator_floats"))


def states_of(shop: Shop) -> dict[str, DeliveryState]:
    found = rows(
        shop.ledger,
        "SELECT s.receipt_no, d.state FROM deliveries d JOIN sales s ON s.id = d.sale_id",
    )
    return {r[0]: DeliveryState(r[1]) for r in found}


def test_a_day_through_the_api(
    home: Path, dtone: FakeDtOne, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = shop_with(monkeypatch, api_delivery(dtone.url))
    led, clerk = shop.ledger, shop.clerk
    sell(led, clerk, "010 345 100", "5")  # A-1 completed
    sell(led, clerk, "010 345 102", "2")  # A-2 invalid number: failed
    dtone.faults = ["", "", "timeout_after_accept"]
    sell(led, clerk, "010 346 100", "1")  # A-3 accepted, the answer lost: looked up
    counter = counter_worker(led)
    worker = counter.worker
    done = worker.run_once()
    assert [r.delivery.state for r in done] == [D, F, D]
    assert states_of(shop) == {"A-000001": D, "A-000002": F, "A-000003": D}
    refs = [p["external_id"] for p in dtone.posts()]
    assert len(refs) == len(set(refs)) == 3  # one POST per reference, the timeout not resent
    prefix = scalar(led, "SELECT value FROM ledger_settings WHERE key = 'delivery_prefix'")
    assert refs == [f"{prefix}-A-00000{i}" for i in (1, 2, 3)]
    # A reversal after completion: the worker records delivered, a check sees the reversal.
    dtone.reverse.add(f"{prefix}-A-000004")
    sell(led, clerk, "010 347 100", "2")
    assert [r.delivery.state for r in worker.run_once()] == [D]
    assert check(led, counter.courier, "A-4").delivery.state is R
    assert check(led, counter.courier, "A-4").delivery.state is R  # nothing more to record
    assert len(dtone.posts()) == 4
    refunds = rows(
        led,
        "SELECT s.receipt_no, usd_cents, state FROM refunds r JOIN sales s ON s.id = r.sale_id ORDER BY r.id",
    )
    assert [tuple(r) for r in refunds] == [
        ("A-000002", 200, "failed"),
        ("A-000004", 200, "reversed"),
    ]
    assert float_cents(shop) == -600  # $5 + $1 delivered; the reversed $2 came back
    # Hand count: $10 taken, $2 + $2 given back: $6 in the drawer; nothing open.
    closed = _z(shop, 600)
    assert (closed.expected_usd_cents, _refunded(shop)) == (600, 400)
    assert doctor(led) == []


def _dealer(code: str) -> list[tuple[float, bytes]]:
    """The dealer SIM's answers, chosen by the number's last three digits."""
    number, dollars = code.split("*")[2], code.split("*")[3]
    answers = {
        "100": cusd(ok(number, f"{int(dollars)}.00", f"R{number[-3:]}")),
        "102": cusd(f"Transfer of ${int(dollars)}.00 to {number} failed. Try later."),
        "103": cusd("Sorry, insufficient dealer balance."),
    }
    found = answers.get(number[-3:])
    return [(0.05, found)] if found else []  # anything else: no answer at all


def test_a_day_through_the_modem(
    home: Path, modem: FakeModem, monkeypatch: pytest.MonkeyPatch
) -> None:
    modem.on_ussd = _dealer
    shop = shop_with(monkeypatch, modem_delivery(modem.path))
    led, clerk = shop.ledger, shop.clerk
    for number, dollars in (("100", "5"), ("102", "2"), ("103", "3"), ("104", "1"), ("105", "1")):
        sell(led, clerk, f"010 345 {number}", dollars)
    counter = counter_worker(led, deadline_seconds=2)
    done = counter.worker.run_once()
    assert [r.delivery.state for r in done] == [D, F, F, N, N]
    assert delivery_of(led, "A-1").provider_ref == "R100"
    assert [c.reason for c in delivery_history(led, delivery_of(led, "A-3").id)][-1] == (
        "balance_too_low"
    )
    # Nothing is sent again: one USSD code per sale, the look-ups read the SMS store only.
    assert len(modem.ussd_codes()) == 5
    # The SMS of A-5 arrives late; a check finds it, and a supervisor decides A-4.
    modem.store_sms(3, Sms("Smart", ok("010345105", "1.00", "SMS55"), scts=sms_time()))
    assert check(led, counter.courier, "A-5").delivery.state is D
    resolve(led, "A-4", delivered=False, by=shop.supervisor, reason="dealer balance unchanged")
    assert len(modem.ussd_codes()) == 5
    assert states_of(shop) == {
        "A-000001": D,
        "A-000002": F,
        "A-000003": F,
        "A-000004": F,
        "A-000005": D,
    }
    refunds = rows(led, "SELECT usd_cents FROM refunds ORDER BY id")
    assert [r[0] for r in refunds] == [200, 300, 100]
    assert float_cents(shop) == -600
    # Hand count: $12 taken, $2 + $3 + $1 given back: $6 in the drawer; nothing open.
    closed = _z(shop, 600)
    assert (closed.expected_usd_cents, _refunded(shop)) == (600, 600)
    assert doctor(led) == []


def _z(shop: Shop, usd: int, *, accept: bool = False) -> Any:
    from counter.services import close_day
    from tests.ledger.conftest import SUPERVISOR_PIN

    led = shop.ledger
    return close_day(
        led,
        business_date(led, led.clock()),
        "A",
        counted_usd_cents=usd,
        counted_khr=0,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
        by=shop.clerk,
        accept_open_deliveries=accept,
    )


def _refunded(shop: Shop) -> int:
    return int(scalar(shop.ledger, "SELECT coalesce(sum(usd_cents), 0) FROM refunds"))


def test_a_manual_day_ends_with_a_z_report_that_matches_a_hand_count(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = shop_with(monkeypatch, {"cellcard": "manual", "manual_review_minutes": 30})
    led, clerk = shop.ledger, shop.clerk
    for last, dollars in zip("1234", ("5", "2", "3", "1"), strict=True):
        sell(led, clerk, f"012 345 67{last}", dollars, paid=Money.usd(1000))
    resolve(led, "A-1", delivered=True, by=clerk, ref="SMS1")  # the clerk's one key
    resolve(led, "A-2", delivered=False, by=clerk, reason="number unreachable")
    later = replace(led, clock=lambda: datetime.now(UTC) + timedelta(minutes=31))
    reviewed = counter_worker(later).worker.run_once()
    assert [r.delivery.state for r in reviewed] == [N, N]  # not confirmed in time
    resolve(led, "A-3", delivered=True, by=shop.supervisor, ref="SMS3")
    # Hand count: $40 in, $29 change out, $2 back for A-2 = $9; A-4 still open.
    with pytest.raises(DayEndRefused, match=r"still open \(A-000004\)"):
        _z(shop, 900)
    closed = _z(shop, 900, accept=True)
    assert (closed.expected_usd_cents, closed.counted_usd_cents) == (900, 900)
    assert _refunded(shop) == 200
    assert float_cents(shop) == -800  # $5 + $3 delivered; A-4 is an open item
    assert states_of(shop)["A-000004"] is N
    assert doctor(led) == []
