"""The screen's path to customers' numbers: the logged-in user must be a supervisor."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter.domain.errors import NotAllowed
from counter.services import sell
from counter.services.dayend import write_report
from counter.services.upkeep import export_sales
from tests.fakes import book_of
from tests.usecases.shop import FakeShop


def _exports(shop: FakeShop) -> list[str]:
    return [e.action for e in book_of(shop.ledger).audit if "export" in e.action]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_clerk_at_the_screen_cannot_write_the_sales_lines(
    shop: FakeShop, fmt: str, tmp_path: Path
) -> None:
    sell(shop.ledger, shop.clerk, "012 345 678", "5")
    with pytest.raises(NotAllowed, match="Dara is a clerk"):
        write_report(shop.ledger, shop.day, "A", fmt, tmp_path, printed_by=shop.clerk)
    assert _exports(shop) == []


def test_a_supervisor_at_the_screen_may_and_it_is_audited(shop: FakeShop) -> None:
    # (the CSV file itself: tests/cli/test_cli_numbers_out.py; the fake has no writer)
    sell(shop.ledger, shop.clerk, "012 345 678", "5")
    assert [s.msisdn for s, _ in export_sales(shop.ledger, by=shop.supervisor)] == ["+85512345678"]
    assert _exports(shop) == ["sales_exported"]
    with pytest.raises(NotAllowed):
        list(export_sales(shop.ledger, by=shop.clerk))
