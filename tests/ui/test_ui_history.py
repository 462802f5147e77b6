"""History: today's sales, search, pages, reprint marked COPY, void with a supervisor."""

from __future__ import annotations

import subprocess

from textual.widgets import DataTable

from counter.bootstrap import make_printer, open_ledger
from counter.config import load_settings
from counter.services import get_sale
from counter.services.receipts import print_sale
from tests.support.system import require_tool
from tests.ui.helpers import (
    SUPERVISOR,
    SUPERVISOR_PIN,
    Shop,
    log_in,
    make_app,
    screen_text,
    seed_sales,
    type_text,
    wait_for_screen,
    wait_until,
)


def _rows(pilot) -> list[str]:  # type: ignore[no-untyped-def]
    table = pilot.app.screen.query_one("#history-table", DataTable)
    return [str(key.value) for key in table.rows]


async def _open_history(pilot) -> None:  # type: ignore[no-untyped-def]
    await log_in(pilot)
    await pilot.press("f8")
    await wait_for_screen(pilot, "HistoryScreen")
    await wait_until(pilot, lambda: bool(_rows(pilot)), "the day's sales")


async def test_history_shows_today_and_searches(shop: Shop) -> None:
    seed_sales(shop)
    async with make_app().run_test(size=(100, 30)) as pilot:
        await _open_history(pilot)
        assert _rows(pilot) == ["A-000005", "A-000004", "A-000003", "A-000002", "A-000001"]
        assert "A-000005" in pilot.app.screen.query_one("#history-detail").border_title

        await pilot.press("tab", "tab")  # day box, then the search box
        await type_text(pilot, "5678")
        await wait_until(
            pilot, lambda: _rows(pilot) == ["A-000005", "A-000001"], "the number's sales"
        )
        await pilot.press(*["backspace"] * 4)
        await type_text(pilot, "a-3")
        await wait_until(pilot, lambda: _rows(pilot) == ["A-000003"], "the receipt")
        await pilot.press(*["backspace"] * 3)
        await type_text(pilot, "Metfone")
        await wait_until(
            pilot, lambda: _rows(pilot) == ["A-000004", "A-000002"], "the operator's sales"
        )

        await pilot.press("f2")  # the day before: nothing sold
        await wait_until(
            pilot, lambda: "2026-11-24" in screen_text(pilot, "#history-page"), "the day before"
        )
        await pilot.press("escape")
        await wait_for_screen(pilot, "SaleScreen")


async def test_history_pages_through_the_ledger(shop: Shop, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("counter.ui.screens.history.PAGE", 2)
    seed_sales(shop)
    async with make_app().run_test(size=(100, 30)) as pilot:
        await _open_history(pilot)
        assert _rows(pilot) == ["A-000005", "A-000004"]
        assert "sales 1-2" in screen_text(pilot, "#history-page")
        await pilot.press("pagedown")
        await wait_until(pilot, lambda: _rows(pilot) == ["A-000003", "A-000002"], "page 2")
        await pilot.press("pagedown")
        await wait_until(pilot, lambda: _rows(pilot) == ["A-000001"], "page 3")
        await pilot.press("pagedown")  # no page 4
        await pilot.press("pageup")
        await wait_until(pilot, lambda: _rows(pilot) == ["A-000003", "A-000002"], "back to page 2")


async def test_reprint_is_marked_copy(shop: Shop, screen_home) -> None:  # type: ignore[no-untyped-def]
    seed_sales(shop)
    original = get_sale(shop.ledger, "A-000003")
    assert original is not None
    assert print_sale(shop.ledger, make_printer(load_settings()), original).ok
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_history(pilot)
        await pilot.press("down", "down")  # A-000003
        await pilot.press("f5")
        await wait_until(
            pilot,
            lambda: any("A-000003-copy" in n.message for n in app._notifications),
            "the reprint",
        )
    (pdf,) = (screen_home / "receipts").glob("A-000003-copy-*.pdf")
    words = subprocess.run(
        [require_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "COPY" in words and "A-000003" in words and "010 222 333" in words


async def test_void_needs_a_supervisor(shop: Shop) -> None:
    seed_sales(shop)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_history(pilot)
        await pilot.press("down")  # A-000004
        await pilot.press("f6")
        await wait_for_screen(pilot, "VoidScreen")
        await type_text(pilot, "wrong number")
        await pilot.press("enter")
        await type_text(pilot, "Dara")  # a clerk cannot approve a void
        await pilot.press("enter")
        await type_text(pilot, "5678")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: "only a supervisor or admin" in screen_text(pilot, "#void-problem"),
            "the refusal",
        )
        with open_ledger(load_settings()) as ledger:
            assert not get_sale(ledger, "A-000004").voided  # type: ignore[union-attr]

        await pilot.press("shift+tab")
        pilot.app.screen.query_one("#void-supervisor").value = ""  # type: ignore[attr-defined]
        await type_text(pilot, SUPERVISOR)
        await pilot.press("enter")
        await type_text(pilot, SUPERVISOR_PIN)
        await pilot.press("enter")
        await wait_for_screen(pilot, "HistoryScreen")
        await wait_until(
            pilot,
            lambda: any("A-000004 is void" in n.message for n in app._notifications),
            "the void",
        )
        await wait_until(
            pilot, lambda: "VOID" in screen_text(pilot, "#history-detail"), "the detail"
        )
    with open_ledger(load_settings()) as ledger:
        assert get_sale(ledger, "A-000004").voided  # type: ignore[union-attr]


async def test_history_finds_a_number_as_said_and_a_receipt_as_read(shop: Shop) -> None:
    seed_sales(shop)
    async with make_app().run_test(size=(100, 30)) as pilot:
        await _open_history(pilot)
        await pilot.press("tab", "tab")
        for typed, rows in [
            ("097-123", ["A-000002"]),
            ("+855 12 345", ["A-000005", "A-000001"]),
            ("000003", ["A-000003"]),
            # receipt 4 first, then the rest of today's numbers with a 4 in them
            ("4", ["A-000004", "A-000005", "A-000002", "A-000001"]),
        ]:
            await type_text(pilot, typed)
            await wait_until(pilot, lambda rows=rows: _rows(pilot) == rows, typed)
            await pilot.press(*["backspace"] * len(typed))
