"""The confirmation's money, with Pilot: the riel hint at the shop's rate, a top-up asked
for in riel with what it buys and what goes back, dollars and riel in one field, and the
"are you sure" of cash far above the amount due (never recorded without `y`)."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from counter.bootstrap import open_ledger
from counter.config import load_settings
from counter.domain.money import Currency
from counter.domain.records import Approval, Sale
from counter.services import rate_book, sales_for_day, set_exchange_rate
from tests.ui.helpers import (
    NOW,
    SUPERVISOR,
    SUPERVISOR_PIN,
    Shop,
    log_in,
    make_app,
    run_command,
    screen_text,
    status,
    type_text,
    wait_for_screen,
    wait_until,
)


def _placeholder(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#cash", Input).placeholder)


async def _confirm(pilot: Pilot[None], number: str, amount: str) -> None:
    await type_text(pilot, number)
    await pilot.press("enter")
    await type_text(pilot, amount)
    await pilot.press("enter")
    await wait_for_screen(pilot, "ConfirmSaleScreen")


def _sales() -> list[Sale]:
    with open_ledger(load_settings()) as ledger:
        return sales_for_day(ledger, NOW.date(), "A", limit=10)


async def test_the_riel_hint_is_the_amount_due_at_the_shops_rate(shop: Shop) -> None:
    set_exchange_rate(shop.ledger, 4100, approval=Approval(SUPERVISOR, SUPERVISOR_PIN))
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await _confirm(pilot, "010222333", "1.21")
        # $1.21 at 4,100 = 4,961៛: 5,000៛ in 100៛ notes settles it with nothing back.
        assert _placeholder(pilot) == "exact ($1.21) · riel: 5000r"
        assert screen_text(pilot, "#confirm-amount") == "$1.21   = 4,961៛"


async def test_a_riel_top_up_shows_what_it_buys_and_what_goes_back(shop: Shop) -> None:
    set_exchange_rate(shop.ledger, 4100, approval=Approval(SUPERVISOR, SUPERVISOR_PIN))
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await _confirm(pilot, "012345678", "5000r")
        # Cellcard sells whole dollars: $1.00 = 4,100៛, 900៛ back.
        assert screen_text(pilot, "#confirm-amount") == "5,000៛ → $1.00 top-up, 900៛ back"
        assert _placeholder(pilot) == "exact (5,000៛)"
        assert screen_text(pilot, "#change") == "900៛"
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Sold A-000001" in status(pilot), "the sale")
    (sale,) = _sales()
    assert (sale.amount_cents, sale.paid_khr, sale.change_khr) == (100, 5000, 900)


async def test_dollars_and_riel_in_one_field(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await _confirm(pilot, "010222333", "4.25")
        await type_text(pilot, "5 + 2000r")
        # $5 + 2,000៛ ($0.50) for $4.25 at 4,000: $1.25 over, a $1 note and 1,000៛.
        assert screen_text(pilot, "#change") == "$1.00 + 1,000៛"
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Sold A-000001" in status(pilot), "the sale")
    (sale,) = _sales()
    assert [(x.currency, x.minor) for x in sale.payment.lines] == [
        (Currency.USD, 500),
        (Currency.KHR, 2000),
    ]
    assert (sale.change_usd_cents, sale.change_khr) == (100, 1000)


async def test_twenty_thousand_without_its_r_is_asked_again_and_needs_y(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await _confirm(pilot, "012345678", "5")
        await type_text(pilot, "20000")
        await pilot.press("enter")  # asked again, not sold
        assert type(pilot.app.screen).__name__ == "ConfirmSaleScreen"
        change = screen_text(pilot, "#change")
        assert "Cash received for $5.00: $20,000.00 or 20,000៛?" in change
        assert "y sells it as typed; or type it again." in change
        await pilot.press("enter")  # Enter again is not the second key
        assert type(pilot.app.screen).__name__ == "ConfirmSaleScreen"
        assert _sales() == []
        await pilot.press(*["backspace"] * 5)
        await type_text(pilot, "20000r")  # typed again with its mark: believable, no question
        assert screen_text(pilot, "#change") == "none"
        await pilot.press(*["backspace"] * 6)
        await type_text(pilot, "20000")
        await pilot.press("enter")
        await pilot.press("y")  # the second key: sold as typed
        await wait_until(pilot, lambda: "Sold A-000001" in status(pilot), "the sale")
    (sale,) = _sales()
    assert (sale.paid_usd_cents, sale.change_usd_cents) == (2_000_000, 1_999_500)


async def test_the_rate_form_from_reports_refuses_a_slip_then_sets_the_rate(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await pilot.press("f10")
        await wait_for_screen(pilot, "ReportsScreen")
        await pilot.press("e")
        await wait_for_screen(pilot, "RateScreen")
        assert "In force: 4,000 riel per dollar (set by Sok at" in screen_text(pilot, "#rate-intro")
        for text in ["41000", SUPERVISOR, SUPERVISOR_PIN]:
            await type_text(pilot, text)
            await pilot.press("enter")
        await wait_until(pilot, lambda: "41,000" in screen_text(pilot, "#form-problem"), "refusal")
        assert screen_text(pilot, "#form-problem").startswith(
            "41,000 riel per dollar is above this shop's highest rate of 5,000"
        )
        assert type(pilot.app.screen).__name__ == "RateScreen"
        await pilot.press(*["backspace"] * 5)
        await type_text(pilot, "4100")
        await pilot.press("enter", "enter")  # the name is kept; the PIN was cleared
        await type_text(pilot, SUPERVISOR_PIN)
        await pilot.press("enter")
        await wait_for_screen(pilot, "ReportsScreen")
        assert screen_text(pilot, "#report-message") == (
            "The rate is now 4,100 riel per dollar (was 4,000), from the next sale; set by Vanna."
        )
        await pilot.press("escape")
        await wait_for_screen(pilot, "SaleScreen")
        await _confirm(pilot, "010222333", "5")
        assert screen_text(pilot, "#confirm-amount") == "$5.00   = 20,500៛"  # the next sale


async def test_the_rate_form_from_the_palette(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await run_command(pilot, "Exchange rate")
        await wait_for_screen(pilot, "RateScreen")
        for text in ["4,050", SUPERVISOR, SUPERVISOR_PIN]:
            await type_text(pilot, text)
            await pilot.press("enter")
        await wait_for_screen(pilot, "SaleScreen")
    with open_ledger(load_settings()) as ledger:
        assert rate_book(ledger).riel_per_usd == 4050
