"""History search finds a number as it is shown or said, and a receipt number as the
clerk reads it off the paper, on a real ledger (SQLite; PostgreSQL with COUNTER_TEST_PG_URL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter.domain.records import Sale
from counter.services import search_sales, sell
from counter.services.queries import number_start
from tests.ledger.conftest import Shop

NOON_PP = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)


def _found(shop: Shop, text: str, **kw: object) -> list[str]:
    return [s.receipt_no for s in search_sales(shop.ledger, text, **kw)]  # type: ignore[arg-type]


@pytest.fixture
def sales(shop: Shop) -> list[Sale]:
    numbers = ["012 345 678", "097 234 5678", "010 995 678", "012 888 042"]
    return [
        sell(shop.ledger, shop.clerk, n, "5", now=NOON_PP + timedelta(minutes=i))
        for i, n in enumerate(numbers)
    ]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("012 345", ["A-000001"]),
        ("012345", ["A-000001"]),
        ("097-234", ["A-000002"]),
        ("097.234.5", ["A-000002"]),
        ("+855 97", ["A-000002"]),
        ("+855 (0)97 234", ["A-000002"]),
        ("00855 10 995", ["A-000003"]),
        ("012", ["A-000004", "A-000001"]),
        ("+855 12 345 678", ["A-000001"]),
        ("+1 415", []),
        ("+855", []),
    ],
)
def test_a_number_as_shown_or_said(
    shop: Shop, sales: list[Sale], typed: str, expected: list[str]
) -> None:
    assert _found(shop, typed) == expected


@pytest.mark.parametrize("typed", ["3", "000003", "03"])
def test_a_receipt_number_without_its_prefix_or_zeros(
    shop: Shop, sales: list[Sale], typed: str
) -> None:
    assert _found(shop, typed)[0] == "A-000003"


def test_bare_digits_find_the_receipt_first_then_the_last_digits(
    shop: Shop, sales: list[Sale]
) -> None:
    assert _found(shop, "42") == ["A-000004"]  # no receipt 42 yet: the number ending 042
    assert _found(shop, "1") == ["A-000001"]  # receipt 1; no number ends in 1
    assert _found(shop, "678") == ["A-000003", "A-000002", "A-000001"]  # no receipt 678
    assert _found(shop, "2") == ["A-000002", "A-000004"]  # receipt 2, then the number ending 2
    assert _found(shop, "2", operator="smart") == []  # receipt 2 is Metfone's


def test_the_prefix_search_keeps_the_operator_and_day_filters(
    shop: Shop, sales: list[Sale]
) -> None:
    day = sales[0].business_date
    assert _found(shop, "012", operator="cellcard", day=day) == ["A-000004", "A-000001"]
    assert _found(shop, "012", day=day + timedelta(days=1)) == []


@given(st.text(alphabet="0123456789 -.()+", max_size=20))
def test_number_start_is_digits_after_the_country_or_nothing(text: str) -> None:
    start = number_start(text)
    assert start is None or (start.startswith("+855") and start[1:].isdigit())
