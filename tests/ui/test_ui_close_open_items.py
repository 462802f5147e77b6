"""Issue 15 on the screen: a shift (or day) close refused while a delivery is still open
says which and how a supervisor accepts it; the next Enter on the supervisor's PIN closes
with it as an open item, recorded for every later report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter.services import sell
from counter.services.deliveries import OPEN_ITEMS_ACCEPTED
from tests.ui.helpers import (
    SUPERVISOR,
    SUPERVISOR_PIN,
    Shop,
    log_in,
    make_app,
    screen_text,
    set_up_shop,
    type_text,
    wait_for_screen,
    wait_until,
)
from tests.ui.test_ui_dayend import open_reports


@pytest.fixture
def manual_no_float_shop(screen_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Shop]:
    monkeypatch.setenv("COUNTER_DELIVERY", json.dumps({"cellcard": "manual"}))
    opened = set_up_shop(opening_cash=False)
    yield opened
    opened.ledger.close()


@pytest.mark.system
async def test_a_shift_close_accepts_an_open_delivery_with_a_supervisors_pin(
    manual_no_float_shop: Shop,
) -> None:
    shop = manual_no_float_shop
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)  # shift 1 opens with an empty drawer
        sell(shop.ledger, shop.clerk, "012 345 678", "5", idempotency_key="one")  # manual
        await open_reports(pilot)
        await pilot.press("k")
        await wait_for_screen(pilot, "CloseShiftScreen")
        await type_text(pilot, "5")
        await pilot.press("enter")
        await type_text(pilot, "0")
        for _field in ("riel", "supervisor", "pin"):
            await pilot.press("enter")  # the clerk's own count: no supervisor
        await wait_until(
            pilot, lambda: "still open" in screen_text(pilot, "#form-problem"), "the refusal"
        )
        problem = screen_text(pilot, "#form-problem")
        assert "1 delivery of shift 1 is still open (A-000001)" in problem
        assert "A supervisor's name and PIN, then Enter on the PIN" in problem
        await type_text(pilot, SUPERVISOR)  # the focus went to the supervisor's name
        await pilot.press("enter")
        await type_text(pilot, SUPERVISOR_PIN)
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: "Closed shift" in screen_text(pilot, "#report-message"), "closed"
        )
    with shop.ledger.uow(write=False) as uow:
        (entry,) = uow.audit.entries(action=OPEN_ITEMS_ACCEPTED)
    assert entry.actor == SUPERVISOR
    assert json.loads(entry.detail)["receipts"] == ["A-000001"]
