"""`counter khqr-check`, `khqr-reconcile` and `khqr-review` against the Bakong stand-in
over real HTTP, on a SQLite ledger: the worker's pass sells a paid code, a code paid after
it was cancelled reaches a supervisor, who sells it; the day is reconciled in one request."""

from __future__ import annotations

import json

import pytest
from pytest_httpserver import HTTPServer

from counter.domain.money import Currency
from counter.khqr_link import KhqrLink
from counter.services.dayend import record_opening_cash
from counter.services.khqr import cancel_khqr, start_khqr
from counter.services.sales import business_date
from tests.ledger.conftest import SUPERVISOR_PIN, Shop
from tests.payments.conftest import TOKEN
from tests.payments.standin import BakongStandIn
from tests.support.cli import counter
from tests.support.khqr import with_khqr


def test_the_worker_pass_the_late_check_the_review_and_the_reconciliation(
    sqlite_shop: Shop, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    bakong = BakongStandIn(httpserver, TOKEN)
    khqr = {
        "account_id": "lucky_phone@aclb",
        "merchant_name": "Lucky Phone",
        "merchant_city": "Phnom Penh",
        "api_url": bakong.url,
    }
    monkeypatch.setenv("COUNTER_KHQR", json.dumps(khqr))
    monkeypatch.setenv("BAKONG_TOKEN", TOKEN)
    from counter.config import load_settings

    link = KhqrLink(load_settings().khqr, "A")
    led = with_khqr(sqlite_shop.ledger)
    today = business_date(led, led.clock())
    record_opening_cash(led, today, "A", 0, 0, by=sqlite_shop.clerk)  # the CLI needs a shift
    one = start_khqr(
        led,
        sqlite_shop.clerk,
        "012 345 678",
        "5",
        currency=Currency.USD,
        make_code=link.make_code,
        rows=30,
        cols=70,
    ).request
    two = start_khqr(
        led,
        sqlite_shop.clerk,
        "012 345 679",
        "2",
        currency=Currency.USD,
        make_code=link.make_code,
        rows=30,
        cols=70,
    ).request
    cancel_khqr(led, two.id, sqlite_shop.clerk)
    bakong.pay(one.md5, 5.0)
    bakong.pay(two.md5, 2.0, hash_="LATE0000000000000000000000000001")

    ran = counter("khqr-check")
    assert ran.returncode == 0, ran.stderr
    assert "A-Q000001: paid ($5.00). Sold as A-000001." in ran.stdout
    assert "A-Q000002: needs_review ($2.00)." in ran.stdout
    assert "Paid after the code was cancelled." in ran.stdout

    ran = counter(
        "khqr-review",
        "A-Q000002",
        "--sell",
        "--by",
        "Vanna",
        "--reason",
        "customer came back",
        pin=SUPERVISOR_PIN,
    )
    assert ran.returncode == 0, ran.stderr
    assert "A-Q000002: review_sold ($2.00). Sold as A-000002." in ran.stdout

    lists = len([r for r in bakong.requests if r.path.endswith("_list")])
    ran = counter("khqr-reconcile")
    assert ran.returncode == 0, ran.stderr
    assert "2 KHQR payments checked: 2 confirmed by Bakong." in ran.stdout
    assert len([r for r in bakong.requests if r.path.endswith("_list")]) == lists + 1

    bakong.token_expired = True
    ran = counter("khqr-reconcile")
    assert ran.returncode == 1 and "token" in ran.stderr
    assert "Traceback" not in ran.stderr
