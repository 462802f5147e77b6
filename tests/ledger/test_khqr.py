"""KHQR payments in the real ledger, on SQLite and PostgreSQL: the request and its chained
changes, the sale with its KHQR line in the same transaction, and what `doctor` finds."""

from __future__ import annotations

from counter.domain.khqr import KhqrState, WatchEnd, WatchResult
from counter.domain.money import Currency
from counter.domain.records import Approval
from counter.services import doctor
from counter.services.khqr import (
    cancel_khqr,
    find_late_khqr,
    finish_khqr,
    resolve_khqr_review,
    start_khqr,
)
from counter.storage import migrate
from tests.ledger.conftest import SUPERVISOR_PIN, Shop
from tests.support.khqr import FakeBank, fake_code, result_paid, with_khqr
from tests.support.ledger import execute, rows, scalar


def _start(shop: Shop, amount: str = "5"):  # type: ignore[no-untyped-def]
    led = with_khqr(shop.ledger)
    shown = start_khqr(
        led,
        shop.clerk,
        "012 345 678",
        amount,
        currency=Currency.USD,
        make_code=fake_code,
        rows=24,
        cols=80,
    )
    return led, shown.request


def test_paid_writes_the_change_and_the_sale_together_and_doctor_is_clean(shop: Shop) -> None:
    led, request = _start(shop)
    assert scalar(led, "SELECT count(*) FROM sales") == 0
    (req,) = rows(led, "SELECT bill_number, md5, currency, minor, clerk_name FROM khqr_requests")
    assert tuple(req) == ("A-Q000001", request.md5, "USD", 500, "Dara")
    bank = FakeBank()
    bank.pay(request, ref="8465d722d7d5065f2886d4a5")
    done = finish_khqr(led, request.id, result_paid(bank, request))
    assert done.sale is not None
    changes = rows(
        led, "SELECT seq, previous, state, actor, bank_ref, sale_id FROM khqr_changes ORDER BY id"
    )
    assert [tuple(c) for c in changes] == [
        (1, None, "waiting", "Dara", None, None),
        (2, "waiting", "paid", "bakong", "8465d722d7d5065f2886d4a5", done.sale.id),
    ]
    (line,) = rows(led, "SELECT tender, currency, minor, reference FROM sale_payments")
    assert tuple(line) == ("khqr", "USD", 500, f"{request.md5}:8465d722d7d5065f2886d4a5")
    assert scalar(led, "SELECT count(*) FROM deliveries") == 1
    assert doctor(led) == []


def test_late_payment_review_and_doctor(shop: Shop) -> None:
    led, request = _start(shop)
    _led, other = _start(shop, "2")
    cancel_khqr(led, request.id, shop.clerk)
    finish_khqr(led, other.id, WatchResult(WatchEnd.EXPIRED))
    bank = FakeBank()
    bank.pay(request, ref="LATE0001")
    (late,) = find_late_khqr(led, bank).finished
    assert late.request.state is KhqrState.NEEDS_REVIEW
    sold = resolve_khqr_review(
        led,
        request.bill_number,
        sell_it=True,
        approval=Approval("Vanna", SUPERVISOR_PIN),
        reason="customer came back",
    )
    assert sold.request.state is KhqrState.REVIEW_SOLD and sold.sale is not None
    states = [
        r[0]
        for r in rows(
            led, "SELECT state FROM khqr_changes WHERE request_id = :i ORDER BY seq", i=request.id
        )
    ]
    assert states == ["waiting", "cancelled", "needs_review", "review_sold"]
    assert doctor(led) == []


def test_doctor_finds_an_edited_or_forged_khqr_record(shop: Shop) -> None:
    led, request = _start(shop)
    bank = FakeBank()
    bank.pay(request)
    finish_khqr(led, request.id, result_paid(bank, request))
    execute(led, "UPDATE khqr_requests SET minor = 1")
    execute(led, "UPDATE sale_payments SET reference = 'x' WHERE tender = 'khqr'")
    found = doctor(led)
    assert any("KHQR request 1: changed after it was recorded" in p for p in found), found
    assert any("Sale A-000001 has no KHQR payment line for A-Q000001." in p for p in found), found


def test_doctor_finds_a_path_that_skips_a_state(shop: Shop) -> None:
    led, _request = _start(shop)
    execute(led, "UPDATE khqr_changes SET state = 'paid'")
    found = doctor(led)
    assert any("KHQR payment A-Q000001: it does not start waiting." in p for p in found), found
    assert any("KHQR change 1: changed after it was recorded" in p for p in found), found


def test_the_newest_revision_is_0009() -> None:
    assert migrate.HEAD_REVISION == "0009" == migrate.head_revision()
    assert migrate.KNOWN_REVISIONS[-1] == "0009"
