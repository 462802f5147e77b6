"""KHQR use cases on the in-memory ledger: the request when shown, each way it ends, the
sale with its KHQR line, the worker after a crash, late payments, the supervisor."""

from __future__ import annotations

from datetime import timedelta

import pytest

from counter.domain.cash import Tender
from counter.domain.errors import NotAllowed
from counter.domain.khqr import KhqrState, WatchEnd, WatchResult
from counter.domain.money import Currency, Money
from counter.domain.payment_errors import KhqrRefused
from counter.domain.records import Approval
from counter.services.khqr import (
    cancel_khqr,
    confirm_khqr_by_hand,
    find_late_khqr,
    finish_khqr,
    reconcile_khqr,
    resolve_khqr_review,
    resume_khqr,
    start_khqr,
)
from tests.fakes import book_of
from tests.support.khqr import FakeBank, fake_code, result_paid, with_khqr
from tests.usecases.shop import SUPERVISOR_PIN, FakeShop


def _start(shop: FakeShop, amount: str = "5", currency: Currency = Currency.USD):  # type: ignore[no-untyped-def]
    led = with_khqr(shop.ledger)
    shown = start_khqr(
        led,
        shop.clerk,
        "012 345 678",
        amount,
        currency=currency,
        make_code=fake_code,
        rows=24,
        cols=80,
    )
    return led, shown.request


def test_the_request_is_recorded_waiting_when_shown(shop: FakeShop) -> None:
    led, request = _start(shop)
    assert request.state is KhqrState.WAITING
    assert request.bill_number == "A-Q000001"
    assert request.charge == Money.usd(500)
    assert request.expires_at - request.created_at == timedelta(minutes=10)
    assert book_of(led).sales == {}  # nothing sold yet, no receipt number taken
    _led, second = _start(shop, "2")
    assert second.bill_number == "A-Q000002"


def test_riel_code_asks_the_amount_at_the_shop_rate(shop: FakeShop) -> None:
    _led, request = _start(shop, "5", Currency.KHR)
    assert request.charge == Money.khr(500 * request.riel_per_usd // 100)


def test_khqr_refused_when_the_shop_has_no_account(shop: FakeShop) -> None:
    with pytest.raises(KhqrRefused, match="not set up"):
        start_khqr(
            shop.ledger,
            shop.clerk,
            "012 345 678",
            "5",
            currency=Currency.USD,
            make_code=fake_code,
            rows=24,
            cols=80,
        )


def test_paid_records_the_sale_with_a_khqr_line_and_no_cash(shop: FakeShop) -> None:
    led, request = _start(shop)
    bank = FakeBank()
    bank.pay(request, ref="8465d722d7d5065f2886")
    done = finish_khqr(led, request.id, result_paid(bank, request))
    assert done.request.state is KhqrState.PAID
    assert done.sale is not None and done.sale.receipt_no == "A-000001"
    (line,) = done.sale.payment.lines
    assert line.tender is Tender.KHQR and line.money == Money.usd(500)
    assert line.reference == f"{request.md5}:8465d722d7d5065f2886"
    assert (done.sale.change_usd_cents, done.sale.change_khr) == (0, 0)
    assert done.request.sale_id == done.sale.id and done.request.bank_ref == "8465d722d7d5065f2886"
    # The delivery starts as for any sale.
    assert [d.sale_id for d in book_of(led).delivery.deliveries.values()] == [done.sale.id]
    # Finishing again (the worker after the screen) records nothing more.
    again = finish_khqr(led, request.id, result_paid(bank, request))
    assert again.request.changes == 2 and len(book_of(led).sales) == 1


def test_expired_and_cancelled_are_their_own_changes(shop: FakeShop) -> None:
    led, one = _start(shop)
    _led, two = _start(shop, "2")
    assert (
        finish_khqr(led, one.id, WatchResult(WatchEnd.EXPIRED)).request.state is KhqrState.EXPIRED
    )
    assert cancel_khqr(led, two.id, shop.clerk).request.state is KhqrState.CANCELLED
    assert [c.state for c in book_of(led).khqr.changes[2]] == [
        KhqrState.WAITING,
        KhqrState.CANCELLED,
    ]
    assert book_of(led).sales == {}


def test_a_stopped_wait_records_nothing_and_says_why(shop: FakeShop) -> None:
    led, request = _start(shop)
    done = finish_khqr(
        led, request.id, WatchResult(WatchEnd.STOPPED, problem="Bakong refused the token.")
    )
    assert done.request.state is KhqrState.WAITING and done.message == "Bakong refused the token."


def test_wrong_amount_goes_to_a_supervisor_unsold(shop: FakeShop) -> None:
    led, request = _start(shop)
    bank = FakeBank()
    bank.pay(request, amount=Money.usd(50))
    done = finish_khqr(led, request.id, WatchResult(WatchEnd.WRONG_AMOUNT, bank.paid[request.md5]))
    assert done.request.state is KhqrState.NEEDS_REVIEW and done.sale is None
    assert "Paid $0.50 instead of $5.00." in (done.message or "")


def test_manual_confirmation_is_off_for_clerks_by_default(shop: FakeShop) -> None:
    led, request = _start(shop)
    with pytest.raises(NotAllowed, match="does not let a clerk"):
        confirm_khqr_by_hand(led, request.id, "ABC123", shop.clerk)
    with pytest.raises(KhqrRefused, match="last 6"):
        confirm_khqr_by_hand(led, request.id, "12", shop.supervisor)
    done = confirm_khqr_by_hand(led, request.id, " 7d5065 ", shop.supervisor)
    assert done.request.state is KhqrState.PAID and done.sale is not None
    assert book_of(led).khqr.changes[1][-1].actor == "Vanna"
    allowed = with_khqr(shop.ledger, allow_manual_confirm=True)
    _l, other = _start(shop, "2")
    assert confirm_khqr_by_hand(allowed, other.id, "FFEE9911", shop.clerk).sale is not None


def test_the_worker_finishes_after_a_crash(shop: FakeShop) -> None:
    led, paid = _start(shop)
    _led, unpaid = _start(shop, "2")
    bank = FakeBank()
    bank.pay(paid)
    first = resume_khqr(led, bank)
    assert [f.request.state for f in first.finished] == [KhqrState.PAID]
    shop.clock.advance(minutes=11)
    second = resume_khqr(led, bank)
    assert [(f.request.bill_number, f.request.state) for f in second.finished] == [
        (unpaid.bill_number, KhqrState.EXPIRED)
    ]
    bank.offline = True
    assert resume_khqr(led, bank).finished == ()


def test_worker_offline_says_so_and_keeps_waiting(shop: FakeShop) -> None:
    led, request = _start(shop)
    bank = FakeBank(offline=True)
    shop.clock.advance(minutes=30)
    done = resume_khqr(led, bank)
    assert done.problem and "network" in done.problem
    assert book_of(led).khqr.changes[request.id][-1].state is KhqrState.WAITING


def test_a_late_payment_after_cancel_reaches_the_supervisor(shop: FakeShop) -> None:
    led, request = _start(shop)
    cancel_khqr(led, request.id, shop.clerk)
    bank = FakeBank()
    bank.pay(request, ref="LATE0001")
    late = find_late_khqr(led, bank)
    assert bank.calls == [("list", 1)]  # one bulk request
    (found,) = late.finished
    assert found.request.state is KhqrState.NEEDS_REVIEW
    assert "Paid after the code was cancelled." in (found.message or "")
    with pytest.raises(NotAllowed):
        resolve_khqr_review(
            led, request.bill_number, sell_it=True, approval=Approval("Dara", "5678"), reason="x"
        )
    sold = resolve_khqr_review(
        led,
        request.bill_number,
        sell_it=True,
        approval=Approval("Vanna", SUPERVISOR_PIN),
        reason="customer still here",
    )
    assert sold.request.state is KhqrState.REVIEW_SOLD and sold.sale is not None
    assert sold.sale.payment.lines[0].reference == f"{request.md5}:LATE0001"


def test_a_late_payment_refunded_outside_the_app_is_recorded(shop: FakeShop) -> None:
    led, request = _start(shop)
    finish_khqr(led, request.id, WatchResult(WatchEnd.EXPIRED))
    bank = FakeBank()
    bank.pay(request)
    find_late_khqr(led, bank)
    done = resolve_khqr_review(
        led,
        request.bill_number,
        sell_it=False,
        approval=Approval("Vanna", SUPERVISOR_PIN),
        reason="refunded by ABA",
    )
    assert done.request.state is KhqrState.REVIEW_REFUNDED and book_of(led).sales == {}


def test_reconciliation_checks_the_days_khqr_sales_in_one_request(shop: FakeShop) -> None:
    led, one = _start(shop)
    _led, two = _start(shop, "2")
    bank = FakeBank()
    bank.pay(one)
    bank.pay(two)
    for r in (one, two):
        finish_khqr(led, r.id, result_paid(bank, r))
    del bank.paid[two.md5]
    bank.calls.clear()
    found = reconcile_khqr(led, bank, shop.day)
    assert bank.calls == [("list", 2)]
    assert (found.checked, found.confirmed, found.missing) == (2, 1, ("A-000002",))
    bank.offline = True
    assert reconcile_khqr(led, bank, shop.day).problem is not None


def test_the_late_check_asks_the_newest_closed_codes_of_the_last_days(shop: FakeShop) -> None:
    """A busy counter's old codes never crowd out today's: with more closed codes than one
    check reads, the code cancelled last is asked first and its late payment found; a code
    closed before the window is not asked again."""
    led, old = _start(shop)
    cancel_khqr(led, old.id, shop.clerk)
    shop.clock.advance(days=4)
    for _n in range(6):
        _led, request = _start(shop)
        cancel_khqr(led, request.id, shop.clerk)
    bank = FakeBank()
    bank.pay(request, ref="LATE0042")
    bank.pay(old, ref="OLD00001")
    late = find_late_khqr(led, bank)
    assert bank.calls == [("list", 6)]  # the six of the last days, not the old one
    (found,) = late.finished
    assert found.request.bill_number == request.bill_number
    assert found.request.state is KhqrState.NEEDS_REVIEW
