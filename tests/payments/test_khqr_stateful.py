"""Hypothesis state machine over KHQR requests on the in-memory unit of work: codes shown,
paid at the bank or not, seen by the watcher or the worker's pass, cancelled, expired,
paid late and found by the late check, decided by a supervisor; cash sales between.

After every step: each request has one path from `waiting` along `TRANSITIONS`
(append-only, ending at its state); a request has a sale exactly when it is `paid` or
`review_sold`, and only if the bank has its payment; the X report's expected drawer is the
opening cash plus the cash sales alone (KHQR takings never in the drawer), and its KHQR
takings are the sold requests' charges per currency."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from counter.domain.errors import CounterError
from counter.domain.khqr import CLOSED_UNPAID, SOLD, TRANSITIONS, KhqrRequest, KhqrState
from counter.domain.money import Currency, Money
from counter.domain.records import Approval
from counter.services import business_date, sell, x_report
from counter.services.khqr import (
    cancel_khqr,
    find_late_khqr,
    finish_khqr,
    resolve_khqr_review,
    resume_khqr,
    start_khqr,
)
from tests.support.khqr import FakeBank, fake_code, result_paid, with_khqr
from tests.usecases.shop import SUPERVISOR_PIN, fake_shop

W = KhqrState.WAITING


class KhqrMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.shop = fake_shop()
        self.ledger = with_khqr(self.shop.ledger)
        self.bank = FakeBank()
        self.requests: list[int] = []
        self.cash_in = 0  # USD cents taken in cash minus change
        self.seen: dict[int, list[KhqrState]] = {}

    def _get(self, request_id: int) -> KhqrRequest:
        with self.ledger.uow(write=False) as uow:
            found = uow.khqr.get(request_id)
        assert found is not None
        return found

    def _pick(self, data: st.DataObject) -> KhqrRequest:
        return self._get(data.draw(st.sampled_from(self.requests)))

    @initialize()
    def two_codes_shown(self) -> None:
        self.show_a_code("5", riel=False)
        self.show_a_code("2", riel=True)

    @rule(dollars=st.sampled_from(["2", "5"]), riel=st.booleans())
    def show_a_code(self, dollars: str, riel: bool) -> None:
        shown = start_khqr(
            self.ledger,
            self.shop.clerk,
            "012 345 678",
            dollars,
            currency=Currency.KHR if riel else Currency.USD,
            make_code=fake_code,
            rows=24,
            cols=80,
        )
        assert shown.request.state is W
        self.requests.append(shown.request.id)

    @rule(extra=st.sampled_from([0, 1]))
    def cash_sale(self, extra: int) -> None:
        sale = sell(
            self.ledger,
            self.shop.clerk,
            "010 123 456",
            "2",
            paid=Money.usd(200 + extra * 100),
            allow_duplicate=True,
        )
        self.cash_in += 200 + extra * 100 - sale.change_usd_cents

    @precondition(lambda self: bool(self.requests))
    @rule(data=st.data())
    def customer_pays(self, data: st.DataObject) -> None:
        request = self._pick(data)
        if request.md5 not in self.bank.paid:
            self.bank.pay(request, ref=f"BANK{request.id:04d}")

    @precondition(lambda self: bool(self.requests))
    @rule(data=st.data())
    def watcher_sees_the_payment(self, data: st.DataObject) -> None:
        request = self._pick(data)
        if request.md5 in self.bank.paid:
            finish_khqr(self.ledger, request.id, result_paid(self.bank, request))

    @precondition(lambda self: bool(self.requests))
    @rule(data=st.data())
    def clerk_cancels(self, data: st.DataObject) -> None:
        request = self._pick(data)
        try:
            cancel_khqr(self.ledger, request.id, self.shop.clerk)
        except CounterError:
            assert self._get(request.id).state is not W

    @rule(minutes=st.sampled_from([1, 11]))
    def time_passes_then_the_worker_s_pass(self, minutes: int) -> None:
        """Paid ones are sold, those past their expiry expire."""
        self.shop.clock.advance(minutes=minutes)
        resume_khqr(self.ledger, self.bank)

    @precondition(lambda self: bool(self.requests))
    @rule(data=st.data())
    def paid_late_then_the_late_check(self, data: st.DataObject) -> None:
        """A customer pays a code (maybe one already cancelled or expired); the check
        finds the payments of closed codes for a supervisor."""
        closed = [r for r in self.requests if self._get(r).state in CLOSED_UNPAID]
        pool = closed if closed and data.draw(st.booleans()) else self.requests
        request = self._get(data.draw(st.sampled_from(pool)))
        if request.md5 not in self.bank.paid:
            self.bank.pay(request, ref=f"BANK{request.id:04d}")
        find_late_khqr(self.ledger, self.bank)

    @precondition(lambda self: bool(self.requests))
    @rule(data=st.data(), sell_it=st.booleans())
    def supervisor_decides(self, data: st.DataObject, sell_it: bool) -> None:
        """Mostly one that waits for a supervisor; sometimes any (refused if not)."""
        review = [r for r in self.requests if self._get(r).state is KhqrState.NEEDS_REVIEW]
        pool = review if review and data.draw(st.booleans()) else self.requests
        request = self._get(data.draw(st.sampled_from(pool)))
        try:
            resolve_khqr_review(
                self.ledger,
                request.bill_number,
                sell_it=sell_it,
                approval=Approval(self.shop.supervisor.name, SUPERVISOR_PIN),
                reason="decided",
            )
        except CounterError:
            assert self._get(request.id).state is not KhqrState.NEEDS_REVIEW

    @invariant()
    def one_path_from_waiting(self) -> None:
        with self.ledger.uow(write=False) as uow:
            for request_id in self.requests:
                path = [c.state for c in uow.khqr.changes(request_id)]
                assert path[0] is W
                for before, after in itertools.pairwise(path):
                    assert after in TRANSITIONS.get(before, frozenset())
                assert path[-1] is self._get(request_id).state
                assert path[: len(self.seen.get(request_id, []))] == self.seen.get(request_id, [])
                self.seen[request_id] = path

    @invariant()
    def a_sale_only_for_what_the_bank_paid(self) -> None:
        for request_id in self.requests:
            request = self._get(request_id)
            event(f"a request {request.state.value}")  # the statistics show every state reached
            sold = request.state in SOLD
            assert (request.sale_id is not None) == sold
            if sold:
                assert request.md5 in self.bank.paid

    @invariant()
    def khqr_takings_never_in_the_drawer(self) -> None:
        day = business_date(self.ledger, self.ledger.clock())
        report = x_report(self.ledger, day, "A", printed_by=self.shop.supervisor)
        assert (report.cash.expected_usd_cents, report.cash.expected_khr) == (self.cash_in, 0)
        sold = [self._get(r) for r in self.requests]
        sold = [r for r in sold if r.state in SOLD]
        usd = sum(r.charge.minor for r in sold if r.charge.currency is Currency.USD)
        khr = sum(r.charge.minor for r in sold if r.charge.currency is Currency.KHR)
        assert (report.summary.khqr.usd_cents, report.summary.khqr.khr) == (usd, khr)


@pytest.mark.timeout(300)  # a loaded machine: the examples are few, each step reads a report
def test_khqr_requests_on_the_fake_unit_of_work() -> None:
    KhqrMachine.TestCase.settings = settings(
        max_examples=14,
        stateful_step_count=12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    KhqrMachine.TestCase().runTest()
