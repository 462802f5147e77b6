"""History (F8) in Chinese: every state a clerk sees there (empty, after sales, a search
as said, no match, a sale's detail, the COPY reprint, the void and its refusals) shows no
English word, at 100x30 and at 60x20 (where the columns and the detail squeeze)."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from counter.domain.money import Money
from counter.services import sell, set_user_language
from tests.ui.helpers import (
    MEI,
    MEI_PIN,
    NOW,
    SUPERVISOR,
    SUPERVISOR_PIN,
    Shop,
    add_chinese_clerk,
    assert_all_chinese,
    log_in,
    make_app,
    screen_lines,
    screen_text,
    seed_sales,
    type_text,
    wait_for_screen,
    wait_until,
    zh,
)
from tests.ui.test_ui_chinese_reports import path_words

SIZES = [(100, 30), (60, 20)]
# The receipt's own prefix (A-000001) is the counter's code, printed so on the paper.
RECEIPTS = frozenset({"A"})


def _rows(pilot: Pilot[None]) -> list[str]:
    table = pilot.app.screen.query_one("#history-table", DataTable)
    return [str(key.value) for key in table.rows]


def _shown(pilot: Pilot[None]) -> str:
    return "\n".join(screen_lines(pilot))


def _said(pilot: Pilot[None], message: str, **values: str) -> bool:
    """`message`, in Chinese, is in a notification (a toast wraps it over its lines)."""
    words = zh(message).format(**values)
    return any(words in f"{n.title} {n.message}" for n in pilot.app._notifications)


async def _open_history(pilot: Pilot[None], name: str = MEI, pin: str = MEI_PIN) -> None:
    await log_in(pilot, name, pin)
    await pilot.press("f8")
    await wait_for_screen(pilot, "HistoryScreen")
    await pilot.pause(0.2)


async def _search(pilot: Pilot[None], text: str, rows: list[str]) -> None:
    field = pilot.app.screen.query_one("#history-text")
    field.focus()
    field.value = ""  # type: ignore[attr-defined]
    await type_text(pilot, text)
    await wait_until(pilot, lambda: _rows(pilot) == rows, f"the search {text!r}")
    await pilot.pause(0.1)


@pytest.mark.parametrize("size", SIZES)
async def test_an_empty_history_is_chinese(shop: Shop, size: tuple[int, int]) -> None:
    add_chinese_clerk(shop)
    async with make_app().run_test(size=size, notifications=True) as pilot:
        await _open_history(pilot)
        await wait_until(pilot, lambda: "2026-11-25" in _shown(pilot), "the day's line")
        assert_all_chinese(pilot, "empty history")
        await pilot.press("f5")  # nothing to reprint: said in a notification
        await wait_until(pilot, lambda: _said(pilot, "Choose a sale to reprint first."), "F5 said")
        await pilot.press("f6")
        await wait_until(pilot, lambda: _said(pilot, "Choose a sale to void first."), "F6 said")
        assert_all_chinese(pilot, "empty history, F5 and F6 refused")
        await _search(pilot, "99", [])
        day = pilot.app.screen.query_one("#history-day")  # a day that is not one
        day.focus()
        day.value = "25/11"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_until(pilot, lambda: "25/11" in screen_text(pilot, "#history-page"), "refusal")
        assert_all_chinese(pilot, "history, a day refused")


@pytest.mark.parametrize("size", SIZES)
async def test_the_history_of_a_morning_is_chinese(
    shop: Shop, screen_home: Path, size: tuple[int, int]
) -> None:
    home = screen_home
    add_chinese_clerk(shop)
    seed_sales(shop)
    async with make_app().run_test(size=size, notifications=True) as pilot:
        await _open_history(pilot)
        await wait_until(pilot, lambda: len(_rows(pilot)) == 5, "the morning's sales")
        assert_all_chinese(pilot, "history after sales", also=RECEIPTS)
        await pilot.press("down", "down")  # A-000003's detail
        assert_all_chinese(pilot, "a sale's detail", also=RECEIPTS)
        await _search(pilot, "012 345", ["A-000005", "A-000001"])
        assert_all_chinese(pilot, "a number searched as said", also=RECEIPTS)
        await _search(pilot, "3", ["A-000003", "A-000005", "A-000004", "A-000002", "A-000001"])
        assert_all_chinese(pilot, "a receipt searched by its number", also=RECEIPTS)
        await _search(pilot, "42", [])
        await wait_until(pilot, lambda: "42" in screen_text(pilot, "#history-page"), "no match")
        assert_all_chinese(pilot, "a search with no match", also=RECEIPTS)
        await _search(pilot, "Metfone", ["A-000004", "A-000002"])
        assert_all_chinese(pilot, "an operator's sales", also=RECEIPTS)
        await pilot.press("f2")  # the day before: no sales
        await wait_until(pilot, lambda: "2026-11-24" in screen_text(pilot, "#history-page"), "")
        assert_all_chinese(pilot, "the day before, no sales", also=RECEIPTS)
        await pilot.press("f4")
        await wait_until(pilot, lambda: len(_rows(pilot)) == 5, "today again")
        pilot.app.screen.query_one("#history-table").focus()
        await pilot.press("f5")  # the reprint, marked COPY, said in a notification
        said = lambda: _said(pilot, "Reprint of {receipt}", receipt="A-000005")  # noqa: E731
        await wait_until(pilot, said, "the reprint said")
        # The notification names the copy's file, as the disk has it (`...-copy-...pdf`).
        assert_all_chinese(pilot, "a reprint", also=RECEIPTS | path_words(home))


@pytest.mark.parametrize("size", SIZES)
async def test_a_void_and_its_refusals_are_chinese(shop: Shop, size: tuple[int, int]) -> None:
    add_chinese_clerk(shop)
    set_user_language(shop.ledger, SUPERVISOR, "zh", by=shop.admin)
    seed_sales(shop)
    async with make_app().run_test(size=size, notifications=True) as pilot:
        await _open_history(pilot)
        await wait_until(pilot, lambda: len(_rows(pilot)) == 5, "the morning's sales")
        await pilot.press("down", "f6")  # A-000004
        await wait_for_screen(pilot, "VoidScreen")
        assert_all_chinese(pilot, "the void form", also=RECEIPTS)
        await pilot.press("enter", "enter", "enter")  # nothing typed
        await wait_until(pilot, lambda: bool(screen_text(pilot, "#void-problem")), "asked")
        assert_all_chinese(pilot, "the void form, nothing typed", also=RECEIPTS)
        pilot.app.screen.query_one("#void-reason").focus()
        await type_text(pilot, "wrong number")
        await pilot.press("enter")
        await type_text(pilot, MEI)  # a clerk cannot approve a void
        await pilot.press("enter")
        await type_text(pilot, MEI_PIN)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "…" not in screen_text(pilot, "#void-problem"), "refused")
        # The reason is what the clerk typed, kept as typed.
        typed = RECEIPTS | {"wrong", "number"}
        assert_all_chinese(pilot, "the void refused for a clerk", also=typed)
        supervisor = pilot.app.screen.query_one("#void-supervisor")
        supervisor.value = ""  # type: ignore[attr-defined]
        supervisor.focus()
        await type_text(pilot, SUPERVISOR)
        await pilot.press("enter")
        await type_text(pilot, "0000")  # a wrong PIN
        await pilot.press("enter")
        await wait_until(pilot, lambda: "…" not in screen_text(pilot, "#void-problem"), "refused")
        assert_all_chinese(pilot, "the void refused for a wrong PIN", also=typed)
        await type_text(pilot, SUPERVISOR_PIN)
        await pilot.press("enter")
        await wait_for_screen(pilot, "HistoryScreen")
        said = lambda: _said(pilot, "{receipt} is void.", receipt="A-000004")  # noqa: E731
        await wait_until(pilot, said, "the void said")
        await wait_until(pilot, lambda: zh("VOID") in _shown(pilot), "the row marked")
        assert_all_chinese(pilot, "history after a void", also=RECEIPTS)
        await pilot.press("f6")  # the same sale again
        again = lambda: _said(pilot, "{receipt} is already void.", receipt="A-000004")  # noqa: E731
        await wait_until(pilot, again, "already void")
        assert_all_chinese(pilot, "a void refused: already void", also=RECEIPTS)


async def test_receipt_42_paid_in_riel_is_found_and_shown_in_chinese(shop: Shop) -> None:
    """A busy day: receipt 42 typed as `42`, its detail with riel paid, change and the
    operator's reference, all in Chinese."""
    add_chinese_clerk(shop)
    start = NOW.replace(hour=7).astimezone(UTC)
    for index in range(41):
        at = start + timedelta(minutes=index)
        sell(
            shop.ledger,
            shop.clerk,
            f"097 111 {2200 + index}",
            "2",
            now=at,
            idempotency_key=f"k{index}",
        )
    sell(
        shop.ledger,
        shop.clerk,
        "012 345 678",
        "5",
        paid=Money.khr(25000),
        operator_ref="778812",
        now=start + timedelta(minutes=50),
        idempotency_key="k42",
    )
    async with make_app().run_test(size=(100, 30), notifications=True) as pilot:
        await _open_history(pilot)
        await wait_until(pilot, lambda: len(_rows(pilot)) == 15, "a page of sales")
        assert_all_chinese(pilot, "a busy day's first page", also=RECEIPTS)
        await pilot.press("pagedown")
        await wait_until(pilot, lambda: _rows(pilot)[0] == "A-000027", "the next page")
        assert_all_chinese(pilot, "a busy day's second page", also=RECEIPTS)
        await _search(pilot, "42", ["A-000042"])
        pilot.app.screen.query_one("#history-table").focus()
        await pilot.pause(0.1)
        detail = screen_text(pilot, "#history-detail")
        assert "778812" in detail and "25,000" in detail
        assert_all_chinese(pilot, "receipt 42, paid in riel, its detail", also=RECEIPTS)
