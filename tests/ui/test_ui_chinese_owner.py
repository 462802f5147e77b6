"""What Reports opens for the owner, in Chinese: the users (add, disable, a new PIN), the
deliveries list and a review's refund, a shift close with deliveries still open (Enter
again accepts them), the late KHQR payments. No English word, at 100x30 and 60x20."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from counter.domain.delivery import Answer, Outcome
from counter.services import authenticate, sell, set_user_language
from counter.services.deliveries import delivery_of, record_outcome
from tests.payments.standin import BakongStandIn
from tests.ui.helpers import (
    ADMIN,
    ADMIN_PIN,
    MEI,
    MEI_PIN,
    SUPERVISOR,
    SUPERVISOR_PIN,
    Shop,
    add_chinese_clerk,
    assert_all_chinese,
    log_in,
    make_app,
    screen_text,
    set_up_shop,
    type_text,
    wait_for_screen,
    wait_until,
)
from tests.ui.test_ui_chinese_reports import path_words
from tests.ui.test_ui_khqr import bakong, khqr_settings
from tests.ui.test_ui_khqr_review import late_payment

__all__ = ["bakong"]  # the fixture, shared with test_ui_khqr

SIZES = [(100, 30), (60, 20)]
RECEIPTS = frozenset({"A"})  # a receipt's prefix (A-000001): the counter's code


@pytest.fixture
def manual_shop(screen_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Shop]:
    """Cellcard top-ups delivered by hand on the dealer phone; no drawer counted yet."""
    monkeypatch.setenv("COUNTER_DELIVERY", json.dumps({"cellcard": "manual"}))
    opened = set_up_shop(opening_cash=False)
    yield opened
    opened.ledger.close()


async def fill(pilot: Pilot[None], *lines: str) -> None:
    for line in lines:
        await type_text(pilot, line)
        await pilot.press("enter")


def problem(pilot: Pilot[None]) -> str:
    return screen_text(pilot, "#form-problem")


async def answer(pilot: Pilot[None], *lines: str, what: str) -> None:
    """Fill `lines` from the focused field on, then wait for the form's new answer."""
    pilot.app.screen.query_one("#form-problem", Static).update("")
    await fill(pilot, *lines)
    await wait_until(pilot, lambda: bool(problem(pilot)) and not problem(pilot).endswith("…"), what)


def refill(pilot: Pilot[None], *fields: str) -> None:
    """Empty `fields` and put the focus on the first, as a person retyping them."""
    for field in fields:
        pilot.app.screen.query_one(field).value = ""  # type: ignore[attr-defined]
    pilot.app.screen.query_one(fields[0]).focus()


async def open_reports(pilot: Pilot[None], name: str, pin: str) -> None:
    await log_in(pilot, name, pin)
    await pilot.press("f10")
    await wait_for_screen(pilot, "ReportsScreen")


def users_said(pilot: Pilot[None]) -> str:
    return screen_text(pilot, "#users-message")


@pytest.mark.parametrize("size", SIZES)
async def test_the_users_and_their_forms_are_chinese(shop: Shop, size: tuple[int, int]) -> None:
    set_user_language(shop.ledger, ADMIN, "zh", by=shop.admin)
    async with make_app().run_test(size=size, notifications=True) as pilot:
        await open_reports(pilot, ADMIN, ADMIN_PIN)
        await pilot.press("u")
        await wait_for_screen(pilot, "UsersScreen")
        table = pilot.app.screen.query_one("#users-table", DataTable)
        await wait_until(pilot, lambda: table.row_count == 3, "the users")
        assert_all_chinese(pilot, "the users")
        await pilot.press("a")
        await wait_for_screen(pilot, "AddUserScreen")
        assert_all_chinese(pilot, "the add-user form")
        refill(pilot, "#user-acting-pin")  # Enter on the last line, nothing typed
        await answer(pilot, "", what="nothing typed")
        assert_all_chinese(pilot, "the add-user form, nothing typed")
        refill(pilot, "#user-name")
        await answer(pilot, "Bopha", "老板", "4321", "4321", ADMIN_PIN, what="no such role")
        assert_all_chinese(pilot, "the add-user form, no such role", also={"Bopha"})
        refill(pilot, "#user-role", "#user-new-pin", "#user-new-pin-again")
        await answer(pilot, "店员", "4321", "4322", ADMIN_PIN, what="the PINs differ")
        assert_all_chinese(pilot, "the add-user form, the PINs differ", also={"Bopha"})
        refill(pilot, "#user-new-pin", "#user-new-pin-again", "#user-acting-pin")
        await answer(pilot, "4321", "4321", "0000", what="a wrong PIN of the admin")
        assert_all_chinese(pilot, "the add-user form, a wrong PIN", also={"Bopha"})
        refill(pilot, "#user-acting-pin")
        await fill(pilot, ADMIN_PIN)
        await wait_for_screen(pilot, "UsersScreen")
        await wait_until(pilot, lambda: "Bopha" in users_said(pilot), "added")
        assert_all_chinese(pilot, "the users, one added", also={"Bopha"})
        assert authenticate(shop.ledger, "Bopha", "4321").role.value == "clerk"

        await pilot.press("n")  # the first row's new PIN
        await wait_for_screen(pilot, "NewPinScreen")
        assert_all_chinese(pilot, "the new-PIN form", also={"Bopha"})
        await answer(pilot, "12", "12", ADMIN_PIN, what="a PIN too short")
        assert_all_chinese(pilot, "the new-PIN form, too short", also={"Bopha"})
        refill(pilot, "#user-new-pin", "#user-new-pin-again", "#user-acting-pin")
        await fill(pilot, "9753", "9753", ADMIN_PIN)
        await wait_for_screen(pilot, "UsersScreen")
        await wait_until(pilot, lambda: bool(users_said(pilot)), "the new PIN said")
        assert_all_chinese(pilot, "the users, a new PIN set", also={"Bopha"})

        await pilot.press("u")  # nobody is locked
        await wait_for_screen(pilot, "UnlockScreen")
        assert_all_chinese(pilot, "the unlock form", also={"Bopha"})
        await pilot.press("escape")
        await wait_for_screen(pilot, "UsersScreen")
        await pilot.press("d")
        await wait_for_screen(pilot, "DisableScreen")
        assert_all_chinese(pilot, "the disable form", also={"Bopha"})
        await fill(pilot, ADMIN_PIN)
        await wait_for_screen(pilot, "UsersScreen")
        await wait_until(pilot, lambda: bool(users_said(pilot)), "disabled said")
        await pilot.pause(0.2)
        assert_all_chinese(pilot, "the users, one disabled", also={"Bopha"})


async def _sell_by_hand(shop: Shop, *numbers: str) -> None:
    for index, number in enumerate(numbers):
        sell(shop.ledger, shop.clerk, number, "5", idempotency_key=f"hand-{index}")


@pytest.mark.parametrize("size", SIZES)
async def test_the_deliveries_and_a_reviews_refund_are_chinese(
    manual_shop: Shop, size: tuple[int, int]
) -> None:
    shop = manual_shop
    add_chinese_clerk(shop)
    async with make_app().run_test(size=size, notifications=True) as pilot:
        await log_in(pilot, MEI, MEI_PIN)
        await _sell_by_hand(shop, "012 345 670", "012 345 671", "012 345 672")
        for receipt in ("A-000002", "A-000003"):  # past their deadline: a person decides
            delivery = delivery_of(shop.ledger, receipt)
            record_outcome(
                shop.ledger, delivery.id, Outcome(Answer.UNKNOWN, delivery.reference), overdue=True
            )
        await pilot.press("ctrl+o")
        await wait_for_screen(pilot, "DeliveriesScreen")
        await pilot.pause(0.3)
        also = RECEIPTS
        assert_all_chinese(pilot, "the deliveries", also=also)
        await pilot.press("d")  # A-000001: delivered with one key
        await wait_until(pilot, lambda: bool(screen_text(pilot, "#deliveries-said")), "said")
        assert_all_chinese(pilot, "the deliveries, one delivered", also=also)
        assert screen_text(pilot, "#deliveries-said") == "A-000001：已到账。"  # not 已已到账
        await pilot.press("f")  # A-000002 needs review: a reason and a supervisor
        await wait_for_screen(pilot, "ReviewScreen")
        assert_all_chinese(pilot, "the review form", also=also)
        await answer(pilot, "", "", "", what="nothing typed")
        assert_all_chinese(pilot, "the review form, nothing typed", also=also)
        refill(pilot, "#review-words")
        await answer(pilot, "没有短信", MEI, MEI_PIN, what="a clerk's PIN")
        assert_all_chinese(pilot, "the review form, a clerk's PIN", also=also)
        refill(pilot, "#review-supervisor", "#review-pin")
        await answer(pilot, SUPERVISOR, "0000", what="a wrong PIN")
        assert_all_chinese(pilot, "the review form, a wrong PIN", also=also)
        refill(pilot, "#review-pin")
        await fill(pilot, SUPERVISOR_PIN)
        await wait_for_screen(pilot, "DeliveriesScreen")
        await wait_until(pilot, lambda: "US$" in screen_text(pilot, "#deliveries-said"), "refund")
        assert_all_chinese(pilot, "the deliveries, a refund to give", also=also)
        await pilot.press("escape")
        await wait_for_screen(pilot, "SaleScreen")


@pytest.mark.parametrize("size", SIZES)
async def test_a_shift_close_with_open_deliveries_is_chinese(
    manual_shop: Shop, screen_home: Path, size: tuple[int, int]
) -> None:
    shop = manual_shop
    add_chinese_clerk(shop)
    set_user_language(shop.ledger, SUPERVISOR, "zh", by=shop.admin)
    async with make_app().run_test(size=size, notifications=True) as pilot:
        await open_reports(pilot, MEI, MEI_PIN)
        await _sell_by_hand(shop, "012 345 678")
        await pilot.press("k")
        await wait_for_screen(pilot, "CloseShiftScreen")
        await answer(pilot, "5", "0", "", "", what="open deliveries")
        assert_all_chinese(pilot, "the shift close, deliveries open", also=RECEIPTS)
        await answer(pilot, SUPERVISOR, "0000", what="a wrong PIN")
        assert_all_chinese(pilot, "the shift close, open, a wrong PIN", also=RECEIPTS)
        refill(pilot, "#shift-pin")
        await fill(pilot, SUPERVISOR_PIN)  # Enter again: closed with the open item
        await wait_for_screen(pilot, "ReportsScreen")
        await wait_until(pilot, lambda: not screen_text(pilot, "#report-message").endswith("…"), "")
        await pilot.pause(0.2)
        paths = path_words(screen_home)
        assert_all_chinese(pilot, "reports, a shift closed with an open item", also=paths)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("key", ["s", "r"])  # sold after all, or refunded outside the app
async def test_the_late_khqr_payments_are_chinese(
    shop: Shop, bakong: BakongStandIn, size: tuple[int, int], key: str
) -> None:
    add_chinese_clerk(shop)
    late_payment(bakong.url, shop, bakong)
    async with make_app(khqr=khqr_settings(bakong.url)).run_test(
        size=size, notifications=True
    ) as pilot:
        await open_reports(pilot, MEI, MEI_PIN)
        await pilot.press("l")
        await wait_for_screen(pilot, "KhqrReviewsScreen")
        await pilot.pause(0.3)
        # the bank's reference is a hash (hex letters), printed as the bank sends it; ABA is
        # a bank's name (the example of a refund outside the app)
        bank = frozenset({"aa", "ABA"})
        assert_all_chinese(pilot, "the late KHQR payments", also=bank)
        await pilot.press(key)
        await wait_for_screen(pilot, "KhqrDecisionScreen")
        assert_all_chinese(pilot, "the late KHQR decision", also=bank)
        await answer(pilot, "", "", "", what="nothing typed")
        assert_all_chinese(pilot, "the late KHQR decision, nothing typed", also=bank)
        refill(pilot, "#khqr-decision-reason")
        await answer(pilot, "顾客还在", MEI, MEI_PIN, what="a clerk refused")
        assert_all_chinese(pilot, "the late KHQR decision, a clerk", also=bank)
        refill(pilot, "#khqr-decision-supervisor", "#khqr-decision-pin")
        await fill(pilot, SUPERVISOR, SUPERVISOR_PIN)
        await wait_for_screen(pilot, "KhqrReviewsScreen")
        await wait_until(pilot, lambda: bool(screen_text(pilot, "#khqr-review-said")), "sold")
        await pilot.pause(0.2)
        assert_all_chinese(pilot, f"the late KHQR payments, one decided ({key})", also=bank)
