"""The set-up form: its labels say the ledger's real rules, a refusal moves the focus to the
field at fault, and the message goes once that field is changed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import Label

from counter.domain.errors import RateError
from counter.services.setup import check_rate
from tests.ui.helpers import fill_first_run, make_app, screen_text, wait_for_screen, wait_until


@pytest.mark.parametrize(
    ("bad", "field_id", "words"),
    [
        ({"counter_code": "1A"}, "counter-code", "'1A' is not a counter code"),
        ({"admin_pin": "12", "admin_pin_again": "12"}, "admin-pin", "A PIN is 4 to 8 digits"),
        ({"riel_per_usd": "40"}, "riel-per-usd", "40"),
    ],
)
async def test_a_refusal_focuses_the_field_at_fault_and_goes_once_it_is_fixed(
    screen_home: Path, bad: dict[str, str], field_id: str, words: str
) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, "FirstRunScreen")
        await fill_first_run(pilot, **bad)
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: words in screen_text(pilot, "#first-run-message"), "the refusal"
        )
        focused = pilot.app.screen.focused
        assert focused is not None and focused.id == field_id
        assert type(pilot.app.screen).__name__ == "FirstRunScreen"  # nothing set up

        await pilot.press("backspace")  # the clerk starts fixing it: the message goes
        await wait_until(
            pilot, lambda: screen_text(pilot, "#first-run-message") == "", "the message gone"
        )


async def test_the_labels_say_the_real_rules(screen_home: Path) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, "FirstRunScreen")
        labels = [str(label.render()) for label in pilot.app.screen.query(Label)]
    assert "Counter code (a letter, then up to 7 letters or digits)" in labels
    assert "Your PIN (4 to 8 digits)" in labels
    rate = next(label for label in labels if label.startswith("Riel per US dollar"))
    assert rate == "Riel per US dollar (3,000 to 5,000)"
    lowest, highest = (int(n.replace(",", "")) for n in re.findall(r"[\d,]+\d", rate))
    check_rate(lowest)  # both ends are accepted, a riel beyond either is refused
    check_rate(highest)
    for outside in (lowest - 1, highest + 1):
        with pytest.raises(RateError):
            check_rate(outside)
