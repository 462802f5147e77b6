"""Operator airtime float: restocks, corrections, balances, warning and refusal."""

from __future__ import annotations

import pytest

from counter.services import (
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
from counter.storage.repositories import FloatRepository
from tests.dayend.helpers import sell_morning, void
from tests.ledger.conftest import Shop


def balances(shop: Shop) -> dict[str, int]:
    return dict(operator_balances(shop.ledger))


def recomputed(shop: Shop) -> dict[str, int]:
    with shop.ledger.uow(write=False) as uow:
        return FloatRepository(uow.session).recomputed()


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


def test_low_balance_warning_and_refuse_policy(shop: Shop) -> None:
    led = shop.ledger
    restock(led, "cellcard", 2_500, by=shop.supervisor)
    # Default policy "off": no warning, and a sale past the balance is sold.
    assert led.settings.float_policy == "off"
    assert float_warning(led, "cellcard") is None

    led.settings = led.settings.model_copy(update={"float_policy": "warn", "low_float_cents": 2000})
    assert float_warning(led, "cellcard") is None  # $25.00 >= $20.00
    sell(led, shop.clerk, "012 345 678", "10")
    warning = float_warning(led, "cellcard")
    assert warning is not None and "$15.00" in warning and "low" in warning
    sell(led, shop.clerk, "012 345 679", "10")  # warn only: sold, balance $5.00

    led.settings = led.settings.model_copy(update={"float_policy": "refuse"})
    with pytest.raises(
        SaleRefused, match=r"Cellcard airtime stock has \$5.00 left, less than \$10.00"
    ):
        sell(led, shop.clerk, "012 345 670", "10")
    assert balances(shop)["cellcard"] == 500
    sell(led, shop.clerk, "012 345 671", "5")  # exactly the balance: sold
    assert balances(shop)["cellcard"] == 0
    with pytest.raises(SaleRefused, match="has nothing left"):
        sell(led, shop.clerk, "012 345 672", "1")
