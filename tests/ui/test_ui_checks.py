"""The checks that ask before selling: duplicates and large amounts; and worker failures."""

from __future__ import annotations

import pytest

from counter.bootstrap import open_ledger
from counter.config import load_settings
from counter.services import sales_for_day
from tests.ui.helpers import (
    NOW,
    Shop,
    log_in,
    make_app,
    screen_text,
    status,
    type_text,
    wait_for_screen,
    wait_until,
)


async def _sell(pilot, number: str, amount: str) -> None:  # type: ignore[no-untyped-def]
    await type_text(pilot, number)
    await pilot.press("enter")
    await type_text(pilot, amount)
    await pilot.press("enter")
    await wait_for_screen(pilot, "ConfirmSaleScreen")
    await pilot.press("enter")


def _ledger_sales() -> list[tuple[str, int]]:
    with open_ledger(load_settings()) as ledger:
        return [
            (s.receipt_no, s.amount_cents) for s in sales_for_day(ledger, NOW.date(), "A", limit=10)
        ]


async def test_duplicate_asks_before_selling_again(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await _sell(pilot, "010222333", "5")
        await wait_until(pilot, lambda: "Sold A-000001" in status(pilot), "the first sale")

        await _sell(pilot, "010222333", "5")
        await wait_for_screen(pilot, "DuplicateScreen")
        assert (
            pilot.app.screen.query_one("#duplicate-box").border_title
            == "Sold 0 seconds ago: sell again?"
        )
        assert "already topped up with $5.00" in screen_text(pilot, "#duplicate-message")
        await pilot.press("enter")  # the safe answer: do not sell
        await wait_for_screen(pilot, "SaleScreen")
        assert status(pilot).startswith("Not sold")
        assert _ledger_sales() == [("A-000001", 500)]

        await pilot.press("enter")  # the form was kept: confirm again, and this time say yes
        await wait_for_screen(pilot, "ConfirmSaleScreen")
        await pilot.press("enter")
        await wait_for_screen(pilot, "DuplicateScreen")
        await pilot.press("y")
        await wait_until(pilot, lambda: "Sold A-000002" in status(pilot), "the second sale")
    assert _ledger_sales() == [("A-000002", 500), ("A-000001", 500)]


async def test_large_amount_needs_the_last_four_digits_again(shop: Shop) -> None:
    async with make_app(large_amount_cents=2000).run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await _sell(pilot, "010222333", "20")
        await wait_for_screen(pilot, "RetypeLast4Screen")
        await type_text(pilot, "1111")
        await pilot.press("enter")
        assert "1111 is not how this number ends" in screen_text(pilot, "#retype-problem")
        assert _ledger_sales() == []
        await type_text(pilot, "2333")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Sold A-000001" in status(pilot), "the sale")
    assert _ledger_sales() == [("A-000001", 2000)]


async def test_below_the_threshold_no_retyping(shop: Shop) -> None:
    async with make_app(large_amount_cents=2000).run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await _sell(pilot, "010222333", "19.99")
        await wait_until(pilot, lambda: "Sold A-000001" in status(pilot), "the sale")


async def test_a_failing_worker_becomes_a_sentence_not_a_traceback(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()

    def broken_sell(*_: object, **__: object) -> None:
        raise RuntimeError("disk on fire")

    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        monkeypatch.setattr("counter.services.sell", broken_sell)
        await _sell(pilot, "010222333", "5")
        await wait_until(pilot, lambda: bool(app._notifications), "the notification")
        (note,) = list(app._notifications)
        assert "Something unexpected went wrong (RuntimeError)" in note.message
        assert "Traceback" not in note.message
        assert status(pilot).startswith("Not sold")
        # The screen still works: the form is there and a sale can be made again.
        assert screen_text(pilot, "#number") == "010222333"
    assert _ledger_sales() == []
