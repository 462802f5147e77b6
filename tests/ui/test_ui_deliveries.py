"""Deliveries on the screen: the status line says what to do and what happened, the line
under the form counts the open ones, Ctrl+O lists them and records a person's decision."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from counter.domain.delivery import Answer, DeliveryState, Outcome
from counter.services.deliveries import delivery_history, delivery_of, record_outcome
from tests.ui.helpers import (
    CLERK_PIN,
    SUPERVISOR_PIN,
    Shop,
    log_in,
    make_app,
    screen_text,
    set_up_shop,
    status,
    type_text,
    wait_for_screen,
    wait_until,
)


@pytest.fixture
def manual_shop(screen_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Shop]:
    monkeypatch.setenv("COUNTER_DELIVERY", json.dumps({"cellcard": "manual"}))
    opened = set_up_shop()
    yield opened
    opened.ledger.close()


async def sell(pilot: Pilot[None], number: str, amount: str) -> None:
    await type_text(pilot, number)
    await pilot.press("enter")
    await type_text(pilot, amount)
    await pilot.press("enter")
    await wait_for_screen(pilot, "ConfirmSaleScreen")
    await pilot.press("enter")


def listed(pilot: Pilot[None]) -> list[str]:
    return [d.receipt_no for d in getattr(pilot.app.screen, "found", [])]


def said(pilot: Pilot[None]) -> str:
    return screen_text(pilot, "#deliveries-said")


async def test_a_manual_delivery_is_confirmed_with_one_key_and_a_failed_one_refunds(
    manual_shop: Shop,
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await sell(pilot, "012345678", "5")
        await wait_until(
            pilot,
            lambda: (
                screen_text(pilot, "#deliveries-line")
                == "Top up 012 345 678 with $5.00 on the dealer phone. · 1 delivery pending · "
                "Ctrl+O lists them"
            ),
            "the dealer-phone instruction and the open-deliveries line",
        )
        assert status(pilot).startswith("Sold A-000001")
        await sell(pilot, "012345679", "2")
        await wait_until(
            pilot, lambda: "2 deliveries pending" in screen_text(pilot, "#deliveries-line"), "two"
        )
        await pilot.press("ctrl+o")
        await wait_for_screen(pilot, "DeliveriesScreen")
        await wait_until(pilot, lambda: listed(pilot) == ["A-000001", "A-000002"], "the list")
        await pilot.press("d")  # the one key: delivered
        await wait_until(pilot, lambda: said(pilot) == "A-000001 is delivered.", "confirmed")
        await wait_until(pilot, lambda: listed(pilot) == ["A-000002"], "listed again")
        await pilot.press("f")
        await wait_until(
            pilot,
            lambda: said(pilot) == "A-000002 failed: give back $2.00.",
            f"the refund ({said(pilot)!r})",
        )
        await pilot.press("escape")
        await wait_for_screen(pilot, "SaleScreen")
        await wait_until(pilot, lambda: screen_text(pilot, "#deliveries-line") == "", "none open")
    assert delivery_of(manual_shop.ledger, "A-1").state is DeliveryState.DELIVERED
    assert delivery_of(manual_shop.ledger, "A-2").state is DeliveryState.FAILED


async def _to_review(pilot: Pilot[None], shop: Shop, *receipts: str) -> None:
    """Sell, let each delivery run past its deadline, open the list."""
    for last, receipt in enumerate(receipts):
        await sell(pilot, f"01234567{last}", "5")
        await wait_until(
            pilot, lambda: "dealer phone" in screen_text(pilot, "#deliveries-line"), "the line"
        )
        delivery = delivery_of(shop.ledger, receipt)
        record_outcome(
            shop.ledger, delivery.id, Outcome(Answer.UNKNOWN, delivery.reference), overdue=True
        )
    await pilot.press("ctrl+o")
    await wait_for_screen(pilot, "DeliveriesScreen")
    await wait_until(pilot, lambda: listed(pilot) == list(receipts), "listed")


def problem(pilot: Pilot[None]) -> str:
    return screen_text(pilot, "#form-problem")


async def test_a_supervisor_resolves_a_review_from_the_list_after_the_pin(
    manual_shop: Shop,
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)  # Dara, a clerk
        await _to_review(pilot, manual_shop, "A-000001", "A-000002")
        option = pilot.app.screen.query_one("#deliveries-list", OptionList).get_option_at_index(0)
        assert "A-000001 · needing review · +85512345670 · $5.00 · manual" in str(option.prompt)
        await pilot.press("d")
        await wait_for_screen(pilot, "ReviewScreen")
        assert "A-000001 · needing review" in screen_text(pilot, ".form-intro")
        await type_text(pilot, "SMS8841")
        await pilot.press("enter")
        await type_text(pilot, "Dara")  # the clerk's own PIN is not a supervisor's
        await pilot.press("enter")
        await type_text(pilot, CLERK_PIN)
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: (
                "only a supervisor or admin can resolve a delivery that needs review"
                in problem(pilot)
            ),
            f"the refusal ({problem(pilot)!r})",
        )
        assert delivery_of(manual_shop.ledger, "A-1").state is DeliveryState.NEEDS_REVIEW
        supervisor = pilot.app.screen.query_one("#review-supervisor", Input)
        supervisor.value = ""
        supervisor.focus()
        await type_text(pilot, "Vanna")
        await pilot.press("enter")
        await type_text(pilot, SUPERVISOR_PIN)
        await pilot.press("enter")
        await wait_for_screen(pilot, "DeliveriesScreen")
        await wait_until(pilot, lambda: said(pilot) == "A-000001 is delivered.", "delivered")
        await wait_until(pilot, lambda: listed(pilot) == ["A-000002"], "listed again")
        await pilot.press("f")  # failed: the reason, then the supervisor
        await wait_for_screen(pilot, "ReviewScreen")
        await type_text(pilot, "no SMS, balance unchanged")
        await pilot.press("enter")
        await type_text(pilot, "Vanna")
        await pilot.press("enter")
        await type_text(pilot, SUPERVISOR_PIN)
        await pilot.press("enter")
        await wait_for_screen(pilot, "DeliveriesScreen")
        await wait_until(
            pilot, lambda: said(pilot) == "A-000002 failed: give back $5.00.", "the refund"
        )
    one, two = delivery_of(manual_shop.ledger, "A-1"), delivery_of(manual_shop.ledger, "A-2")
    assert (one.state, one.provider_ref) == (DeliveryState.DELIVERED, "SMS8841")
    assert (two.state, two.reason) == (DeliveryState.FAILED, "no SMS, balance unchanged")
    last = delivery_history(manual_shop.ledger, two.id)[-1]
    assert last.actor == "Vanna"


async def test_a_review_failed_without_a_reason_is_asked_for_one(manual_shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await _to_review(pilot, manual_shop, "A-000001")
        await pilot.press("f")
        await wait_for_screen(pilot, "ReviewScreen")
        await pilot.press("enter")  # no reason
        await type_text(pilot, "Vanna")
        await pilot.press("enter")
        await type_text(pilot, SUPERVISOR_PIN)
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: problem(pilot) == "Type the reason, the supervisor's name and PIN.",
            f"asked ({problem(pilot)!r})",
        )
        await pilot.press("escape")
        await wait_for_screen(pilot, "DeliveriesScreen")
    assert delivery_of(manual_shop.ledger, "A-1").state is DeliveryState.NEEDS_REVIEW
