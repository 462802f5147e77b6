"""Keys in a burst: a scanner, a paste, a fast typist, tmux send-keys in one call.

Each test puts a whole burst in the App's queue at once (`burst`: Textual's own parser,
every event posted before the App handles the first), then checks what the clerk and the
ledger got. Before the ordered key path, `012345678 Enter 5 Enter Enter` in a burst sold
to 0123456785 with the amount empty, and a login burst put the PIN in the name field.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from textual.message import Message
from textual.widgets import Input

from counter import services
from counter.domain.records import Sale
from counter.services import expected_in_drawer, sales_for_day
from counter.ui.app import CounterApp
from tests.ui.helpers import (
    CLERK,
    CLERK_PIN,
    NOW,
    Shop,
    burst,
    log_in,
    make_app,
    screen_text,
    set_up_shop,
    status,
    wait_for_screen,
    wait_until,
)

SALE = "012345678\r5\r\r"  # the key contract: <number> Enter <amount> Enter Enter


def sold(shop: Shop) -> list[tuple[str, str, int]]:
    """(receipt, number, amount in cents) of today's sales, first sale first."""
    sales = sales_for_day(shop.ledger, NOW.date(), "A", limit=50)
    return [(s.receipt_no, s.msisdn, s.amount_cents) for s in reversed(sales)]


def sold_count(shop: Shop, n: int) -> Callable[[], bool]:
    return lambda: len(sales_for_day(shop.ledger, NOW.date(), "A", limit=50)) >= n


async def settle(pilot: Any, app: CounterApp) -> None:
    """Until the key path has handed on every key and the screen is still."""
    path = getattr(app, "key_path", None)
    await wait_until(pilot, lambda: path is None or path.waiting == 0, "every key handed on")
    await pilot.pause(0.3)


@asynccontextmanager
async def after_burst(
    shop: Shop, data: str, *, sales: int, logged_in: bool = True
) -> AsyncIterator[Any]:
    """Run the counter, log in (or stop at the login), post `data` as one burst, and wait
    for `sales` sales in the ledger and the screen to settle."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        if logged_in:
            await log_in(pilot)
        else:
            await wait_for_screen(pilot, "LoginScreen")
        burst(pilot, data)
        if sales:
            await wait_until(pilot, sold_count(shop, sales), f"{sales} sales", timeout=30)
        await settle(pilot, app)
        yield pilot


class Values:
    """Every value a field ever held, from its Changed messages."""

    def __init__(self) -> None:
        self.seen: dict[str, list[str]] = {}

    def __call__(self, message: Message) -> None:
        if isinstance(message, Input.Changed) and message.input.id:
            self.seen.setdefault(message.input.id, []).append(message.value)


async def test_login_burst_puts_the_pin_in_the_masked_field_only(shop: Shop) -> None:
    values = Values()
    app = make_app()
    async with app.run_test(size=(100, 30), message_hook=values) as pilot:
        await wait_for_screen(pilot, "LoginScreen")
        login = app.screen
        assert login.query_one("#login-pin", Input).password
        burst(pilot, f"{CLERK}\r{CLERK_PIN}\r")
        await wait_for_screen(pilot, "SaleScreen")
        await settle(pilot, app)
        assert app.till.clerk is not None and app.till.clerk.name == CLERK
    assert values.seen["login-name"][-1] == CLERK
    assert not any(CLERK_PIN[:1] in value for value in values.seen["login-name"])
    assert values.seen["login-pin"][-1] == CLERK_PIN


async def test_enter_on_an_empty_name_still_sends_the_pin_to_the_masked_field(
    shop: Shop,
) -> None:
    values = Values()
    app = make_app()
    async with app.run_test(size=(100, 30), message_hook=values) as pilot:
        await wait_for_screen(pilot, "LoginScreen")
        burst(pilot, f"\r{CLERK_PIN}\r")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "LoginScreen"
        assert "Type your name first" in screen_text(pilot, "#login-message")
        assert screen_text(pilot, "#login-pin") == ""  # cleared: typed before the name
        assert app.screen.focused is not None and app.screen.focused.id == "login-name"
    assert "login-name" not in values.seen  # the PIN never reached the name field


async def test_a_wrong_pin_then_the_right_one_in_one_burst(shop: Shop) -> None:
    data = f"{CLERK}\r9999\r{CLERK_PIN}\r{SALE}"
    async with after_burst(shop, data, sales=1, logged_in=False):
        pass
    assert sold(shop) == [("A-000001", "+85512345678", 500)]


async def test_login_and_three_sales_in_one_burst(shop: Shop) -> None:
    data = f"{CLERK}\r{CLERK_PIN}\r012345678\r5\r\r097 123 4567\r2\r\r010222333\r10\r\r"
    async with after_burst(shop, data, sales=3, logged_in=False) as pilot:
        assert screen_text(pilot, "#number") == "" and screen_text(pilot, "#amount") == ""
        assert "Sold A-000003" in status(pilot)
    assert sold(shop) == [
        ("A-000001", "+85512345678", 500),
        ("A-000002", "+855971234567", 200),
        ("A-000003", "+85510222333", 1000),
    ]


async def test_the_keys_typed_while_a_sale_is_recorded_go_to_the_next_form(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    real_sell, recorded = services.sell, threading.Event()

    def sell(*args: Any, **kwargs: Any) -> Sale:
        recorded.wait(10)  # a slow disk: the sale is recorded when the test says so
        return real_sell(*args, **kwargs)

    monkeypatch.setattr(services, "sell", sell)  # what the sale screen calls
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        burst(pilot, SALE)
        await wait_until(pilot, lambda: "Recording the sale" in status(pilot), "recording")
        burst(pilot, "0889876543\r2\r\r")  # the next sale, typed while this one is recorded
        await pilot.pause(0.3)
        # The form being recorded keeps its own number and amount: nothing added to them.
        assert (screen_text(pilot, "#number"), screen_text(pilot, "#amount")) == ("012345678", "5")
        assert app.key_path.waiting == 14  # all of them wait
        recorded.set()
        await wait_until(pilot, sold_count(shop, 2), "two sales", timeout=20)
        await settle(pilot, app)
    assert sold(shop) == [
        ("A-000001", "+85512345678", 500),
        ("A-000002", "+855889876543", 200),
    ]


async def test_cash_received_in_the_burst_reaches_the_confirmation(shop: Shop) -> None:
    async with after_burst(shop, "012345678\r5\r20\r", sales=1) as pilot:
        assert "change $15.00" in status(pilot)
    (sale,) = sales_for_day(shop.ledger, NOW.date(), "A", limit=5)
    assert (sale.amount_cents, sale.paid_usd_cents, sale.change_usd_cents) == (500, 2000, 1500)


async def test_large_amount_with_the_last_4_retyped_in_the_burst(shop: Shop) -> None:
    # A wrong retype is refused in words and cleared; the right one sells.
    async with after_burst(shop, "012345678\r25\r\r1111\r5678\r012345678\r1\r\r", sales=2):
        pass
    assert sold(shop) == [
        ("A-000001", "+85512345678", 2500),
        ("A-000002", "+85512345678", 100),
    ]


async def test_large_amount_retype_waits_for_its_digits(shop: Shop) -> None:
    async with after_burst(shop, "012345678\r25\r\r1111\r", sales=0) as pilot:
        assert type(pilot.app.screen).__name__ == "RetypeLast4Screen"
        assert "1111 is not how this number ends" in screen_text(pilot, "#retype-problem")
        assert screen_text(pilot, "#last4") == ""
    assert sold(shop) == []


async def test_duplicate_in_the_burst_answered_yes(shop: Shop) -> None:
    async with after_burst(shop, f"{SALE}{SALE}y", sales=2) as pilot:
        assert type(pilot.app.screen).__name__ == "SaleScreen"
    assert sold(shop) == [
        ("A-000001", "+85512345678", 500),
        ("A-000002", "+85512345678", 500),
    ]


async def test_duplicate_in_the_burst_refuses_the_next_sale_digits_in_words(shop: Shop) -> None:
    # The next number's digits reach the question.
    async with after_burst(shop, f"{SALE}{SALE}09", sales=1) as pilot:
        app = pilot.app
        await wait_until(pilot, lambda: "not an answer" in _problem(app), "the refusal")
        assert type(app.screen).__name__ == "DuplicateScreen"
        assert _problem(app) == "9 is not an answer: the top-up is not sold again yet."
        burst(pilot, "\r")  # Enter: the safe answer
        await wait_for_screen(pilot, "SaleScreen")
        await settle(pilot, app)
        assert "Not sold: the same top-up was sold moments ago." in status(pilot)
    assert sold(shop) == [("A-000001", "+85512345678", 500)]


def _problem(app: CounterApp) -> str:
    try:
        return str(app.screen.query_one("#duplicate-problem").render())
    except Exception:  # the question is not up yet
        return ""


async def test_opening_cash_and_a_sale_in_the_login_burst(screen_home: Any) -> None:
    shop = set_up_shop(opening_cash=False)
    try:
        data = f"{CLERK}\r{CLERK_PIN}\r20\r40000\r{SALE}"
        async with after_burst(shop, data, sales=1, logged_in=False) as pilot:
            assert type(pilot.app.screen).__name__ == "SaleScreen"
        assert sold(shop) == [("A-000001", "+85512345678", 500)]
        # The drawer: the opening cash typed in the burst, plus the $5 paid exactly.
        drawer = expected_in_drawer(shop.ledger, NOW.date(), "A")
        assert (drawer.expected_usd_cents, drawer.expected_khr) == (2500, 40000)
    finally:
        shop.ledger.close()


async def test_a_pasted_number_and_amount_sell_like_typed_keys(shop: Shop) -> None:
    # A bracketed paste of two lines, then Enter typed: number, amount, confirm.
    async with after_burst(shop, "\x1b[200~012 345 678\n5\x1b[201~\r\r", sales=1):
        pass
    assert sold(shop) == [("A-000001", "+85512345678", 500)]


async def test_a_row_pasted_from_a_spreadsheet_fills_number_and_amount(shop: Shop) -> None:
    async with after_burst(shop, "\x1b[200~012345678\t5\x1b[201~\r\r", sales=1):
        pass
    assert sold(shop) == [("A-000001", "+85512345678", 500)]


async def test_ctrl_q_quits_at_once_while_a_sale_holds_the_keys(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    real_sell, never = services.sell, threading.Event()

    def sell(*args: Any, **kwargs: Any) -> Sale:
        never.wait(5)  # a sale that takes long to record
        return real_sell(*args, **kwargs)

    monkeypatch.setattr(services, "sell", sell)  # what the sale screen calls
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        burst(pilot, f"{SALE}0889")
        await wait_until(pilot, lambda: "Recording the sale" in status(pilot), "recording")
        burst(pilot, "\x11")  # Ctrl+Q, behind keys that wait for the next form
        await wait_until(pilot, lambda: not app.is_running, "the counter to close")
        assert not never.is_set() and sold(shop) == []  # closed while the sale was recorded
    never.set()
