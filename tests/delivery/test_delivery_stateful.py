"""Hypothesis state machine over deliveries: sales on three channels, answers in any order
(final, not final, overdue), people resolving, voids; the invariants after every step:

- every delivery has one path from `pending`, along `TRANSITIONS`, append-only, ending at
  its state;
- a refund for each failed or reversed delivery and for nothing else, of the cash the sale
  took in minus its change;
- the X report's expected drawer = opening cash + cash taken - change - refunds, the float
  = minus what was delivered and not reversed or voided (hand formulas from the model);

on the in-memory unit of work (many examples) and on a SQLite ledger (a few, `doctor` clean
at the end of each)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

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

from counter.domain.deliveries import DeliveryPlan
from counter.domain.delivery import TRANSITIONS, Answer, Channel, DeliveryState, Outcome
from counter.domain.errors import CounterError
from counter.domain.money import Money
from counter.domain.records import User
from counter.services import business_date, doctor, sell, void_sale, x_report
from counter.services.deliveries import delivery_history, delivery_of, record_outcome, resolve
from counter.services.ports import Ledger
from counter.services.queries import operator_balances

P, D, F, R = (
    DeliveryState.PENDING,
    DeliveryState.DELIVERED,
    DeliveryState.FAILED,
    DeliveryState.REVERSED,
)
PLAN = DeliveryPlan(channels={"cellcard": Channel.API, "smart": Channel.MANUAL})
NUMBERS = {"cellcard": "012 345 678", "smart": "010 123 456", "metfone": "097 123 4567"}
ANSWERS = [Answer.DELIVERED, Answer.FAILED, Answer.REVERSED, Answer.PENDING, Answer.UNKNOWN]


@dataclass(frozen=True)
class Shop:
    ledger: Ledger
    clerk: User
    supervisor: User
    supervisor_pin: str
    opening_usd_cents: int
    close: Callable[[], None] = lambda: None
    doctor_at_end: bool = False


@dataclass
class Sold:
    receipt: str
    operator: str
    cents: int
    paid: int
    change: int
    voided: bool = False


class DeliveryMachine(RuleBasedStateMachine):
    make_shop: Callable[[], Shop]

    def __init__(self) -> None:
        super().__init__()
        self.shop = type(self).make_shop()
        self.ledger = self.shop.ledger
        self.sold: dict[str, Sold] = {}
        self.seen: dict[str, list[tuple[DeliveryState | None, DeliveryState]]] = {}
        self.refs = 0

    @initialize()
    def a_sale_on_each_channel(self) -> None:
        for operator in sorted(NUMBERS):
            self.sell_one(operator, 5, 0)

    @rule(
        operator=st.sampled_from(sorted(NUMBERS)),
        dollars=st.sampled_from([2, 5]),
        extra=st.sampled_from([0, 1, 5]),
    )
    def sell_one(self, operator: str, dollars: int, extra: int) -> None:
        paid = (dollars + extra) * 100
        sale = sell(
            self.ledger,
            self.shop.clerk,
            NUMBERS[operator],
            str(dollars),
            paid=Money.usd(paid),
            allow_duplicate=True,
        )
        assert (sale.change_usd_cents, sale.change_khr) == (extra * 100, 0)
        self.sold[sale.receipt_no] = Sold(
            sale.receipt_no, operator, dollars * 100, paid, extra * 100
        )

    def _pick(self, data: st.DataObject, operator: str | None = None) -> Sold | None:
        found = [s for s in self.sold.values() if operator in (None, s.operator)]
        return data.draw(st.sampled_from(found)) if found else None

    @precondition(lambda self: bool(self.sold))
    @rule(data=st.data(), answer=st.sampled_from(ANSWERS), overdue=st.booleans())
    def channel_answers(self, data: st.DataObject, answer: Answer, overdue: bool) -> None:
        sold = self._pick(data, "cellcard")
        if sold is None:
            return
        self.refs += 1
        ref = f"DT{self.refs}" if answer is not Answer.FAILED else None
        delivery = delivery_of(self.ledger, sold.receipt)
        try:
            record_outcome(
                self.ledger,
                delivery.id,
                Outcome(answer, delivery.reference, provider_ref=ref, raw=f"raw {answer}"),
                overdue=overdue,
            )
        except CounterError:
            assert delivery_of(self.ledger, sold.receipt).state is delivery.state

    @precondition(lambda self: bool(self.sold))
    @rule(data=st.data(), delivered=st.booleans(), supervisor=st.booleans())
    def person_resolves(self, data: st.DataObject, delivered: bool, supervisor: bool) -> None:
        sold = self._pick(data)
        assert sold is not None
        before = delivery_of(self.ledger, sold.receipt).state
        by = self.shop.supervisor if supervisor else self.shop.clerk
        self.refs += 1
        try:
            resolve(
                self.ledger,
                sold.receipt,
                delivered=delivered,
                by=by,
                ref=f"P{self.refs}" if delivered else None,
                reason=None if delivered else "no SMS",
            )
        except CounterError:
            assert delivery_of(self.ledger, sold.receipt).state is before

    @precondition(lambda self: bool(self.sold))
    @rule(data=st.data())
    def void_one(self, data: st.DataObject) -> None:
        sold = self._pick(data)
        assert sold is not None
        state = delivery_of(self.ledger, sold.receipt).state
        try:
            void_sale(
                self.ledger,
                sold.receipt,
                reason="test",
                requested_by=self.shop.clerk,
                supervisor_name=self.shop.supervisor.name,
                supervisor_pin=self.shop.supervisor_pin,
            )
        except CounterError:
            assert sold.voided or state is not D  # only a delivered sale may be voided
            return
        assert not sold.voided and state is D
        sold.voided = True

    @invariant()
    def one_path_from_pending(self) -> None:
        for receipt in self.sold:
            delivery = delivery_of(self.ledger, receipt)
            path = [(c.previous, c.state) for c in delivery_history(self.ledger, delivery.id)]
            assert path[0] == (None, P)
            for previous, state in path[1:]:
                assert previous is not None and state in TRANSITIONS[previous]
            assert [s for _p, s in path[:-1]] == [p for p, _s in path[1:]]
            assert path[-1][1] is delivery.state
            assert path[: len(self.seen.get(receipt, []))] == self.seen.get(receipt, [])
            self.seen[receipt] = path

    @invariant()
    def a_refund_for_each_failed_or_reversed(self) -> None:
        with self.ledger.uow(write=False) as uow:
            for sold in self.sold.values():
                delivery = delivery_of(self.ledger, sold.receipt)
                refund = uow.refunds.by_sale(delivery.sale_id)
                event(f"a delivery {delivery.state.value}")
                if delivery.state in (F, R):
                    assert refund is not None and refund.state is delivery.state
                    assert (refund.usd_cents, refund.khr) == (sold.paid - sold.change, 0)
                    assert not sold.voided
                else:
                    assert refund is None

    @invariant()
    def drawer_and_float_match_the_hand_count(self) -> None:
        states = {r: delivery_of(self.ledger, r).state for r in self.sold}
        kept = [s for s in self.sold.values() if not s.voided]
        refunded = [s for s in kept if states[s.receipt] in (F, R)]
        expected = (
            self.shop.opening_usd_cents
            + sum(s.paid - s.change for s in kept)
            - sum(s.paid - s.change for s in refunded)
        )
        day = business_date(self.ledger, self.ledger.clock())
        cash = x_report(self.ledger, day, "A", printed_by=self.shop.supervisor).cash
        assert (cash.expected_usd_cents, cash.expected_khr) == (expected, 0)
        floats = dict(operator_balances(self.ledger))
        for operator in NUMBERS:
            moved = sum(s.cents for s in kept if s.operator == operator and states[s.receipt] is D)
            assert floats.get(operator, 0) == -moved

    def teardown(self) -> None:
        if self.shop.doctor_at_end:
            assert doctor(self.ledger) == []
        self.shop.close()


def _run(machine: type[DeliveryMachine], examples: int, steps: int) -> None:
    machine.TestCase.settings = settings(
        max_examples=examples,
        stateful_step_count=steps,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    machine.TestCase().runTest()


@pytest.mark.timeout(300)  # a loaded machine: the examples are few, each step reads a report
def test_deliveries_on_the_fake_unit_of_work() -> None:
    from tests.usecases.shop import SUPERVISOR_PIN, fake_shop

    def make() -> Shop:
        shop = fake_shop()
        ledger = replace(shop.ledger, delivery=PLAN)
        return Shop(ledger, shop.clerk, shop.supervisor, SUPERVISOR_PIN, 0)

    _run(type("FakeDeliveries", (DeliveryMachine,), {"make_shop": staticmethod(make)}), 8, 10)


@pytest.fixture
def template(counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    from tests.ledger.conftest import set_up_shop

    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")

    shop = set_up_shop()
    shop.ledger.close()
    return shop


@pytest.mark.timeout(300)  # a loaded machine: the examples are few, each step reads a report
def test_deliveries_on_a_sqlite_ledger(
    template: object, counter_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.ledger.conftest import SUPERVISOR_PIN, reopen

    def make() -> Shop:
        home = Path(tempfile.mkdtemp(dir=counter_home))
        for name in ("ledger.sqlite3", "pepper.key", "witness.key", "counter.toml"):
            shutil.copy(counter_home / name, home / name)
        monkeypatch.setenv("COUNTER_HOME", str(home))
        ledger = replace(reopen(), delivery=PLAN)

        def close() -> None:
            ledger.close()
            shutil.rmtree(home, ignore_errors=True)

        shop = template
        return Shop(
            ledger,
            shop.clerk,  # type: ignore[attr-defined]
            shop.supervisor,  # type: ignore[attr-defined]
            SUPERVISOR_PIN,
            0,
            close,
            doctor_at_end=True,
        )

    _run(type("SqliteDeliveries", (DeliveryMachine,), {"make_shop": staticmethod(make)}), 3, 8)
