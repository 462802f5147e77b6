"""The whole flow with Pilot: first run, login, a sale by the key contract, refusals."""

from __future__ import annotations

import subprocess
from pathlib import Path

from counter.bootstrap import open_ledger
from counter.config import load_settings
from counter.services import sales_for_day
from tests.support.system import require_tool
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


async def test_first_run_then_login_then_sale_by_the_key_contract(screen_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, "FirstRunScreen")
        for text in ["Sokha Phone Shop", "St 271", "", "Sok", "1234", "1234", ""]:
            await type_text(pilot, text)  # counter code "A" and rate 4000 are offered already
            await pilot.press("enter")
        await log_in(pilot, "Sok", "1234")

        # The contract: <number> Enter <amount> Enter Enter.
        await type_text(pilot, "012345678")
        await pilot.press("enter")
        await type_text(pilot, "5")
        await pilot.press("enter")
        await wait_for_screen(pilot, "ConfirmSaleScreen")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "receipt printed" in status(pilot), "the receipt")

        assert status(pilot) == "Sold A-000001 · Cellcard 012 345 678 · $5.00 · receipt printed"
        assert app.screen.focused is not None and app.screen.focused.id == "number"
        assert screen_text(pilot, "#number") == "" and screen_text(pilot, "#amount") == ""

    with open_ledger(load_settings()) as ledger:
        sales = sales_for_day(ledger, NOW.date(), "A", limit=10)
    assert [(s.receipt_no, s.msisdn, s.amount_cents, s.clerk_name) for s in sales] == [
        ("A-000001", "+85512345678", 500, "Sok")
    ]
    assert sales[0].paid_usd_cents == 500 and sales[0].change_usd_cents == 0

    pdf = screen_home / "receipts" / "A-000001.pdf"
    assert pdf.exists()
    words = subprocess.run(
        [require_tool("pdftotext"), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for expected in [
        "Sokha Phone Shop",
        "A-000001",
        "Cellcard",
        "012 345 678",
        "$5.00",
        "+40 days",
        "Sok",
    ]:
        assert expected in words, expected
    assert "COPY" not in words


async def test_operator_shows_while_typing(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await type_text(pilot, "010")
        await wait_until(pilot, lambda: "Smart" in screen_text(pilot, "#number-operator"), "Smart")
        assert screen_text(pilot, "#number-problem") == ""  # still typing: no red refusal yet
        await type_text(pilot, "222333")
        await wait_until(
            pilot, lambda: "010 222 333" in screen_text(pilot, "#number-operator"), "grouping"
        )
        assert "F2 $1" in screen_text(pilot, "#quick-amounts")
        await pilot.press("f4")  # the third quick amount: $5
        assert screen_text(pilot, "#amount") == "5.00"
        assert "Adds 40 days of validity" in screen_text(pilot, "#amount-validity")


async def test_bad_number_is_refused_in_words(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await type_text(pilot, "023123456")
        await pilot.press("enter")
        problem = screen_text(pilot, "#number-problem")
        assert "landline" in problem
        assert pilot.app.screen.query_one("#number-problem").has_class("-error")
        assert pilot.app.screen.focused is not None and pilot.app.screen.focused.id == "number"


async def test_bad_amount_is_refused_in_words(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await type_text(pilot, "097 123 4567")  # Metfone sells only set amounts
        await pilot.press("enter")
        await type_text(pilot, "3")
        await pilot.press("enter")
        problem = screen_text(pilot, "#amount-problem")
        assert "Metfone sells only $2.00, $5.00" in problem
        assert type(pilot.app.screen).__name__ == "SaleScreen"  # no confirmation opened
        with open_ledger(load_settings()) as ledger:
            assert sales_for_day(ledger, NOW.date(), "A", limit=5) == []


async def test_cash_in_riel_shows_change_live_and_is_recorded(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await type_text(pilot, "010222333")
        await pilot.press("enter")
        await type_text(pilot, "5")
        await pilot.press("enter")
        await wait_for_screen(pilot, "ConfirmSaleScreen")
        await type_text(pilot, "10")
        assert screen_text(pilot, "#change") == "$5.00 + 0៛"
        await pilot.press("backspace", "backspace")
        await type_text(pilot, "15000r")
        assert "short of 20,000៛ by 5,000៛" in screen_text(pilot, "#change")
        await pilot.press("enter")  # refused: still on the confirmation
        assert type(pilot.app.screen).__name__ == "ConfirmSaleScreen"
        await pilot.press(*["backspace"] * 6)
        await type_text(pilot, "22000r")
        assert screen_text(pilot, "#change") == "2,000៛"
        await pilot.press("y")
        await wait_until(pilot, lambda: "Sold A-000001" in status(pilot), "the sale")
        assert "change 2,000៛" in status(pilot)
    with open_ledger(load_settings()) as ledger:
        (sale,) = sales_for_day(ledger, NOW.date(), "A", limit=5)
    assert (sale.paid_usd_cents, sale.paid_khr, sale.change_khr) == (0, 22000, 2000)


async def test_escape_on_the_confirmation_goes_back_to_edit(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await type_text(pilot, "010222333")
        await pilot.press("enter")
        await type_text(pilot, "5")
        await pilot.press("enter")
        await wait_for_screen(pilot, "ConfirmSaleScreen")
        await pilot.press("escape")
        await wait_for_screen(pilot, "SaleScreen")
        assert screen_text(pilot, "#number") == "010222333"
        assert pilot.app.screen.focused is not None and pilot.app.screen.focused.id == "amount"
