"""Hypothesis state machine: sell, refuse and void in any order; totals and numbers stay right."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from counter.services import (
    DuplicateSale,
    SaleRefused,
    VoidRefused,
    day_totals,
    doctor,
    sell,
    void_sale,
)
from tests.ledger.conftest import SUPERVISOR_PIN, Shop, reopen, set_up_shop

NUMBERS = {"012 345 678": "cellcard", "010 123 456": "smart", "097 123 4567": "metfone"}


@pytest.fixture
def template(sqlite_only: str, counter_home: Path) -> Shop:
    shop = set_up_shop()
    shop.ledger.close()
    return shop


def test_ledger_state_machine(
    template: Shop, counter_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = counter_home

    class LedgerMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            home = Path(tempfile.mkdtemp(dir=base))
            for name in ("ledger.sqlite3", "pepper.key", "witness.key", "counter.toml"):
                shutil.copy(base / name, home / name)
            monkeypatch.setenv("COUNTER_HOME", str(home))
            self.home = home
            self.ledger = reopen()
            self.day = None
            self.sold: dict[str, tuple[str, int]] = {}  # receipt -> (operator, cents)
            self.voided: set[str] = set()

        @rule(number=st.sampled_from(sorted(NUMBERS)), dollars=st.sampled_from([2, 5, 10]))
        def sell_one(self, number: str, dollars: int) -> None:
            try:
                sale = sell(self.ledger, template.clerk, number, str(dollars), allow_duplicate=True)
            except SaleRefused:
                return
            self.day = sale.business_date
            assert sale.receipt_no == f"A-{len(self.sold) + 1:06d}"
            self.sold[sale.receipt_no] = (NUMBERS[number], dollars * 100)

        @rule(amount=st.sampled_from(["0", "-1", "1.001", "abc", "1000"]))
        def refused(self, amount: str) -> None:
            with pytest.raises(SaleRefused):
                sell(self.ledger, template.clerk, "012 345 678", amount)

        @rule()
        def duplicate(self) -> None:
            if not self.sold:
                return
            with pytest.raises((DuplicateSale, SaleRefused)):
                sell(self.ledger, template.clerk, "012 345 678", "5")
                sell(self.ledger, template.clerk, "012 345 678", "5")
            # The first of the two may have been recorded: account for it.
            self._resync()

        @precondition(lambda self: bool(self.sold))
        @rule(data=st.data())
        def void_one(self, data: st.DataObject) -> None:
            receipt = data.draw(st.sampled_from(sorted(self.sold)))
            try:
                void_sale(
                    self.ledger,
                    receipt,
                    reason="test",
                    requested_by=template.clerk,
                    supervisor_name="Vanna",
                    supervisor_pin=SUPERVISOR_PIN,
                )
            except VoidRefused:
                assert receipt in self.voided
                return
            assert receipt not in self.voided
            self.voided.add(receipt)

        def _resync(self) -> None:
            from counter.services import last_sale

            last = last_sale(self.ledger)
            if last is not None and last.receipt_no not in self.sold:
                self.sold[last.receipt_no] = (last.operator_id, last.amount_cents)
                self.day = last.business_date

        @invariant()
        def totals_balance(self) -> None:
            day = self.day or datetime.now(UTC).date()
            expected: dict[str, tuple[int, int]] = {}
            for receipt, (op, cents) in self.sold.items():
                if receipt not in self.voided:
                    n, total = expected.get(op, (0, 0))
                    expected[op] = (n + 1, total + cents)
            got = {
                t.operator_id: (t.count, t.amount_cents) for t in day_totals(self.ledger, day, "A")
            }
            assert got == expected

        def teardown(self) -> None:
            assert doctor(self.ledger) == []
            self.ledger.close()
            shutil.rmtree(self.home, ignore_errors=True)

    LedgerMachine.TestCase.settings = settings(
        max_examples=12,
        stateful_step_count=12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    LedgerMachine.TestCase().runTest()
