"""Waiting for a payment, with a fake clock, against the Bakong stand-in through the real
client: the schedule, the back-off, expiry, "check now", cancel and a late payment."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from counter.domain.money import Money
from counter.payments.bakong import BakongClient
from counter.payments.khqr import KhqrCode, Merchant, build_khqr
from counter.payments.poller import (
    Backoff,
    Cancelled,
    ClosedCode,
    Confirmed,
    Expired,
    PaymentWatch,
    PollStatus,
    Stopped,
    WrongAmount,
    find_late_payments,
)
from tests.payments.conftest import TOKEN
from tests.payments.standin import BakongStandIn

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
FIVE = Money.usd(500)
SHOP = Merchant("lucky_phone@aclb", "Lucky Phone", "Phnom Penh")


class FakeClock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


class FakeWaiter:
    """Waits by moving the fake clock; `during[n]` runs while the n-th wait is under way
    (1-based) and may press "check now", which ends that wait after `early` seconds."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.waits: list[float] = []
        self.during: dict[int, Callable[[], None]] = {}
        self.early = 1.0
        self._woken = False

    def wait(self, seconds: float) -> None:
        self.waits.append(seconds)
        action = self.during.get(len(self.waits))
        if action is not None:
            action()
        if self._woken:
            self._woken = False
            seconds = min(seconds, self.early)
        self.clock.now += timedelta(seconds=seconds)

    def wake(self) -> None:
        self._woken = True


def make_code(minutes: int = 10, amount: Money = FIVE) -> KhqrCode:
    return build_khqr(
        SHOP,
        amount,
        created_at=START,
        expires_at=START + timedelta(minutes=minutes),
        bill_number="A-000042",
    )


def watch(
    code: KhqrCode, client: BakongClient, backoff: Backoff | None = None
) -> tuple[PaymentWatch, FakeWaiter, list[PollStatus]]:
    clock = FakeClock()
    waiter = FakeWaiter(clock)
    statuses: list[PollStatus] = []
    w = PaymentWatch(
        code,
        client.check_transaction_by_md5,
        clock=clock,
        waiter=waiter,
        backoff=backoff,
        on_status=statuses.append,
    )
    return w, waiter, statuses


def test_a_payment_is_confirmed_after_a_few_checks(
    bakong: BakongStandIn, client: BakongClient
) -> None:
    code = make_code()
    bakong.pay(code.md5, 5.0, after_checks=3)
    w, waiter, statuses = watch(code, client)
    outcome = w.run()
    assert isinstance(outcome, Confirmed)
    assert outcome.checks == 4 == bakong.checks_of(code.md5)
    assert outcome.transaction.amount == Money.usd(500)
    assert waiter.waits == [3.0, 3.0, 3.0]
    assert [s.problem for s in statuses] == [None, None, None]
    assert statuses[-1].next_check_at - statuses[-1].last_checked_at == timedelta(seconds=3)


def test_checks_slow_down_and_end_at_the_expiry(
    bakong: BakongStandIn, client: BakongClient
) -> None:
    code = make_code(minutes=10)
    w, waiter, statuses = watch(code, client)
    outcome = w.run()
    assert isinstance(outcome, Expired) and outcome.problem is None
    # 3 s for a minute, 5 s to five minutes, 10 s to the end, one last check 15 s after it.
    assert waiter.waits[:20] == [3.0] * 20
    assert set(waiter.waits[20:68]) == {5.0}
    assert set(waiter.waits[68:-1]) == {10.0}
    assert sum(waiter.waits) == 10 * 60 + 15
    assert statuses[-1].next_check_at == code.expires_at + timedelta(seconds=15)
    assert outcome.checks == len(waiter.waits) + 1 == bakong.checks_of(code.md5)


def test_failures_back_off_and_are_said(bakong: BakongStandIn, client: BakongClient) -> None:
    code = make_code()
    bakong.pay(code.md5, 5.0, after_checks=4)
    bakong.fail_next("status", 503, times=3)
    w, waiter, statuses = watch(code, client)
    outcome = w.run()
    assert isinstance(outcome, Confirmed)
    assert waiter.waits[:4] == [5.0, 10.0, 20.0, 3.0]  # then back to the usual pace
    assert [s.problem for s in statuses[:3]] == [
        "Bakong's server is failing or busy (HTTP 503)."
    ] * 3
    assert statuses[3].problem is None


def test_the_back_off_has_a_ceiling() -> None:
    backoff = Backoff()
    assert [backoff.delay(0, n) for n in range(1, 8)] == [5, 10, 20, 40, 60, 60, 60]


def test_no_network_keeps_trying_until_expiry_and_says_why(bakong: BakongStandIn) -> None:
    code = make_code(minutes=2)
    with BakongClient(TOKEN, api_url="http://127.0.0.1:9", timeout=1.0) as offline:
        w, waiter, statuses = watch(code, offline, Backoff(grace=0))
        outcome = w.run()
    assert isinstance(outcome, Expired)
    assert outcome.problem is not None and "cannot be reached" in outcome.problem
    assert all(s.problem == outcome.problem for s in statuses)
    assert waiter.waits == [5.0, 10.0, 20.0, 40.0, 45.0]  # the last one cut to the expiry


def test_a_refused_token_stops_at_once(bakong: BakongStandIn, client: BakongClient) -> None:
    bakong.token_expired = True
    w, waiter, _ = watch(make_code(), client)
    outcome = w.run()
    assert isinstance(outcome, Stopped) and outcome.checks == 1
    assert "refused the token" in str(outcome.error)
    assert waiter.waits == []


def test_check_now_cuts_the_wait_short(bakong: BakongStandIn, client: BakongClient) -> None:
    code = make_code()
    w, waiter, _ = watch(code, client)
    waiter.clock.now = START + timedelta(minutes=6)  # the 10 s pace

    def customer_pays_and_clerk_presses_check_now() -> None:
        bakong.pay(code.md5, 5.0)
        w.check_now()

    waiter.during[2] = customer_pays_and_clerk_presses_check_now
    outcome = w.run()
    assert isinstance(outcome, Confirmed)
    assert waiter.waits == [10.0, 10.0]
    assert waiter.clock.now == START + timedelta(minutes=6, seconds=11)  # 10 s, then 1 s


def test_cancel_ends_the_wait_and_a_late_payment_is_found(
    bakong: BakongStandIn, client: BakongClient
) -> None:
    code = make_code()
    w, waiter, _ = watch(code, client)
    waiter.during[2] = w.cancel
    outcome = w.run()
    assert outcome == Cancelled(checks=2)

    bakong.pay(code.md5, 5.0)  # the customer paid after the clerk cancelled
    other = make_code(minutes=11)
    closed = [
        ClosedCode(code.md5, code.amount, "cancelled"),
        ClosedCode(other.md5, other.amount, "expired"),
    ]
    late = find_late_payments(client.check_transactions_by_md5_list, closed)
    assert [(p.code.closed_as, p.transaction.md5, p.wrong_amount) for p in late.payments] == [
        ("cancelled", code.md5, False)
    ]
    assert late.unchecked == ()


def test_nothing_closed_asks_nothing(bakong: BakongStandIn, client: BakongClient) -> None:
    assert find_late_payments(client.check_transactions_by_md5_list, []).payments == ()
    assert bakong.requests == []


def test_a_payment_of_another_amount_goes_to_a_supervisor(
    bakong: BakongStandIn, client: BakongClient
) -> None:
    code = make_code(amount=Money.usd(500))
    bakong.pay(code.md5, 4.0)
    outcome = watch(code, client)[0].run()
    assert isinstance(outcome, WrongAmount)
    assert (outcome.transaction.amount, outcome.expected) == (Money.usd(400), Money.usd(500))


def test_a_late_payment_of_another_amount_is_flagged(
    bakong: BakongStandIn, client: BakongClient
) -> None:
    code = make_code(amount=Money.khr(20000))
    bakong.pay(code.md5, 2000, "KHR")
    late = find_late_payments(
        client.check_transactions_by_md5_list, [ClosedCode(code.md5, code.amount, "expired")]
    )
    assert late.payments[0].wrong_amount


@pytest.mark.timeout(10)
def test_a_real_thread_wakes_on_check_now(bakong: BakongStandIn, client: BakongClient) -> None:
    """With the real waiter and clock: a long wait ends as soon as "check now" is pressed."""
    code = build_khqr(
        SHOP,
        Money.usd(500),
        created_at=datetime.now(UTC),
        expires_at=datetime.now(UTC) + timedelta(minutes=5),
    )
    w = PaymentWatch(
        code,
        client.check_transaction_by_md5,
        clock=lambda: datetime.now(UTC),
        backoff=Backoff(first=30.0),
    )
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(w.run()))
    worker.start()
    while bakong.checks_of(code.md5) < 1:
        time.sleep(0.01)
    bakong.pay(code.md5, 5.0)
    started = time.monotonic()
    w.check_now()
    worker.join(5)
    assert isinstance(result[0], Confirmed)
    assert time.monotonic() - started < 10  # not the 30 s wait
