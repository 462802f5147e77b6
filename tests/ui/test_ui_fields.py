"""The number and amount fields keep every key typed and say in words what they cannot
use: nothing is dropped on the way (before, `-5` became 5 and `1e3` became 13 and reached
the confirmation). The operator badge shows only for a number on its way to a Cambodian
one."""

from __future__ import annotations

import pytest

from counter.services import sales_for_day
from tests.ui.helpers import NOW, Shop, log_in, make_app, screen_text, type_text, wait_until


async def _amount(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await type_text(pilot, "012345678")
    await pilot.press("enter")
    await type_text(pilot, text)
    await pilot.pause(0.05)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("-5", "'-5' is negative: an amount must be more than zero."),
        ("1e3", "'1e3' is not an amount: 'e' cannot be part of one."),
        ("5x", "'5x' is not an amount: 'x' cannot be part of one."),
    ],
)
async def test_an_amount_keeps_what_was_typed_and_says_what_is_wrong(
    shop: Shop, typed: str, said: str
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await _amount(pilot, typed)
        assert screen_text(pilot, "#amount") == typed  # every key kept
        problem = pilot.app.screen.query_one("#amount-problem")
        assert screen_text(pilot, "#amount-problem") == said
        assert problem.has_class("-error")
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert type(pilot.app.screen).__name__ == "SaleScreen"  # no confirmation
        assert said in screen_text(pilot, "#amount-problem")
    assert sales_for_day(shop.ledger, NOW.date(), "A", limit=5) == []


async def test_riel_typed_with_its_mark_is_read_as_the_cli_reads_it(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await _amount(pilot, "20,000r")
        assert screen_text(pilot, "#amount-problem") == ""
        assert "(= $5.00)" in screen_text(pilot, "#amount-validity")


async def test_a_letter_in_the_number_is_said_in_red_not_dropped(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await type_text(pilot, "012x")
        assert screen_text(pilot, "#number") == "012x"
        assert screen_text(pilot, "#number-problem") == (
            "'x' is not a digit: type the number with digits 0-9."
        )
        assert pilot.app.screen.query_one("#number-problem").has_class("-error")
        assert screen_text(pilot, "#number-operator") == ""


@pytest.mark.parametrize("typed", ["+1 415 555 0123", "+855", "+44 7700"])
async def test_no_operator_badge_for_a_number_that_is_not_cambodian(shop: Shop, typed: str) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await type_text(pilot, typed)
        await pilot.pause(0.05)
        assert screen_text(pilot, "#number-operator") == ""


async def test_the_badge_comes_with_the_first_national_digits(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await type_text(pilot, "+855 12")
        await wait_until(
            pilot, lambda: "Cellcard" in screen_text(pilot, "#number-operator"), "Cellcard"
        )
        assert "012" in screen_text(pilot, "#number-operator")
        assert screen_text(pilot, "#number-problem") == ""  # still typing: quiet


async def test_zero_then_enter_says_too_short(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await type_text(pilot, "0")
        await pilot.press("enter")
        assert screen_text(pilot, "#number-problem") == (
            "0 is too short: a Cambodian mobile number has 9 or 10 digits with its leading 0."
        )
        assert pilot.app.screen.focused is not None and pilot.app.screen.focused.id == "number"
