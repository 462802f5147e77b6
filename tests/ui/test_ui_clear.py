"""Escape on a filled sale form clears it, and Ctrl+Z brings it back: the footer shows the
undo key while it can, and nothing else empties the form with an undo (a sale, another
clerk). Keys in a burst, as a fast clerk types them."""

from __future__ import annotations

from counter.services import sales_for_day
from tests.ui.helpers import (
    NOW,
    Shop,
    burst,
    footer_keys,
    log_in,
    make_app,
    screen_text,
    status,
    wait_until,
)


def _form(pilot) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    return screen_text(pilot, "#number"), screen_text(pilot, "#amount")


async def test_escape_clears_and_ctrl_z_brings_the_form_back(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        assert footer_keys(pilot).get("escape") == "Clear" and "ctrl+z" not in footer_keys(pilot)
        burst(pilot, "010222333\r5")  # number, Enter, amount; then Escape
        await wait_until(pilot, lambda: _form(pilot) == ("010222333", "5"), "the form")
        await pilot.press("escape")
        await wait_until(pilot, lambda: "brings it back" in status(pilot), "the clear")
        assert _form(pilot) == ("", "")
        assert status(pilot) == "Form cleared: Ctrl+Z brings it back."
        assert footer_keys(pilot).get("ctrl+z") == "Undo clear"
        assert "escape" not in footer_keys(pilot)  # the footer says which: undo, not clear

        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: _form(pilot) == ("010222333", "5"), "the form back")
        focused = pilot.app.screen.focused
        assert focused is not None and focused.id == "amount"
        assert footer_keys(pilot).get("escape") == "Clear" and "ctrl+z" not in footer_keys(pilot)

        burst(pilot, "\r\r")  # and the sale goes through as typed
        await wait_until(pilot, lambda: "receipt printed" in status(pilot), "the sale", 40)
    (sale,) = sales_for_day(shop.ledger, NOW.date(), "A", limit=5)
    assert (sale.msisdn, sale.amount_cents) == ("+85510222333", 500)


async def test_typing_after_the_clear_forgets_it(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        burst(pilot, "010222333\r5")
        await wait_until(pilot, lambda: _form(pilot) == ("010222333", "5"), "the form")
        await pilot.press("escape")
        await wait_until(pilot, lambda: "brings it back" in status(pilot), "the clear")
        burst(pilot, "097")  # a new sale: the cleared one is gone for good
        await wait_until(pilot, lambda: _form(pilot) == ("097", ""), "the new number")
        await pilot.press("ctrl+z")
        await pilot.pause(0.2)
        assert _form(pilot) == ("097", "")
        assert footer_keys(pilot).get("escape") == "Clear" and "ctrl+z" not in footer_keys(pilot)


async def test_a_recorded_sale_empties_the_form_with_no_undo(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        burst(pilot, "010222333\r5\r\r")
        await wait_until(pilot, lambda: "receipt printed" in status(pilot), "the sale", 40)
        await pilot.press("ctrl+z")
        await pilot.pause(0.2)
        assert _form(pilot) == ("", "")
        assert "ctrl+z" not in footer_keys(pilot)
