"""Operator airtime float: restocks, corrections, balances, warning and refusal."""

from __future__ import annotations

from dataclasses import replace

import pytest

from counter.cli.advice import explain
from counter.domain.records import Approval
from counter.services import (
    AuthError,
    DayEndRefused,
    NotAllowed,
    SaleRefused,
    correct_float,
    doctor,
    float_warning,
    operator_balances,
    restock,
    sell,
)
from tests.dayend.helpers import sell_morning, void
from tests.ledger.conftest import CLERK_PIN, SUPERVISOR_PIN, Shop


def balances(shop: Shop) -> dict[str, int]:
    return dict(operator_balances(shop.ledger))


def recomputed(shop: Shop) -> dict[str, int]:
    with shop.ledger.uow(write=False) as uow:
        return uow.floats.recomputed()


def test_balance_is_restocks_plus_corrections_minus_sales_plus_voids(shop: Shop) -> None:
    led = shop.ledger
    assert restock(led, "smart", 10_000, ref="INV-1", by=shop.supervisor) == 10_000
    assert restock(led, "Cellcard", 5_000, by=shop.admin) == 5_000
    sales = sell_morning(shop)
    void(shop, sales[1])  # smart $2.50 comes back
    assert (
        correct_float(led, "metfone", -200, reason="dealer statement", by=shop.supervisor) == -3200
    )
    got = balances(shop)
    assert got["smart"] == 10_000 - 250 - 300 + 250
    assert got["cellcard"] == 5_000 - 500 - 100
    assert got["metfone"] == -1000 - 2000 - 200
    # The running balances equal the sum recomputed from every record.
    assert {k: v for k, v in got.items() if v} == recomputed(shop)
    assert list(balances(shop))[:1] == [next(iter(op.id for op in led.rules))]
    assert doctor(led) == []


def test_refusals_of_float_records(shop: Shop) -> None:
    led = shop.ledger
    with pytest.raises(NotAllowed):
        restock(led, "smart", 100, by=shop.clerk)
    with pytest.raises(DayEndRefused, match="needs a reason"):
        correct_float(led, "smart", 100, reason="  ", by=shop.supervisor)
    with pytest.raises(DayEndRefused, match="not an operator"):
        restock(led, "nokia", 100, by=shop.supervisor)
    with pytest.raises(DayEndRefused, match="positive"):
        restock(led, "smart", 0, by=shop.supervisor)
    assert recomputed(shop) == {}


def test_a_restock_approved_by_a_typed_pin_is_checked_in_its_own_transaction(shop: Shop) -> None:
    led = shop.ledger
    with pytest.raises(NotAllowed, match="Dara is a clerk: only a supervisor or admin can record"):
        restock(led, "smart", 1000, by=Approval("Dara", CLERK_PIN))
    with pytest.raises(AuthError, match="That name and PIN do not match"):
        restock(led, "smart", 1000, by=Approval("Vanna", "0000"))
    assert balances(shop)["smart"] == 0  # nothing recorded by either
    assert restock(led, "smart", 1000, by=Approval("Vanna", SUPERVISOR_PIN)) == 1000
    with led.uow(write=False) as uow:
        entry = uow.audit.entries(action="restock")[0]
    assert entry.actor == "Vanna"


def test_low_balance_warning_and_refuse_policy(shop: Shop) -> None:
    led = shop.ledger
    restock(led, "cellcard", 2_500, by=shop.supervisor)
    # Default policy "off": no warning, and a sale past the balance is sold.
    assert led.policy.float_policy == "off"
    assert float_warning(led, "cellcard") is None

    led = shop.ledger = replace(
        led, policy=replace(led.policy, float_policy="warn", low_float_cents=2000)
    )
    assert float_warning(led, "cellcard") is None  # $25.00 >= $20.00
    sell(led, shop.clerk, "012 345 678", "10")
    warning = float_warning(led, "cellcard")
    assert warning is not None and "$15.00" in warning and "low" in warning
    sell(led, shop.clerk, "012 345 679", "10")  # warn only: sold, balance $5.00

    led = shop.ledger = replace(led, policy=replace(led.policy, float_policy="refuse"))
    with pytest.raises(
        SaleRefused, match=r"Cellcard airtime stock has \$5.00 left, less than \$10.00"
    ) as short:
        sell(led, shop.clerk, "012 345 670", "10")
    assert explain(short.value).endswith(  # the CLI says what to do, the use case does not
        "Record a restock (`counter restock cellcard AMOUNT --by NAME`) or sell a smaller amount."
    )
    assert balances(shop)["cellcard"] == 500
    sell(led, shop.clerk, "012 345 671", "5")  # exactly the balance: sold
    assert balances(shop)["cellcard"] == 0
    with pytest.raises(SaleRefused, match="has nothing left"):
        sell(led, shop.clerk, "012 345 672", "1")
