"""A reprint from the screen leaves a ledger `counter doctor` finds clean: the reprint's
audit row is hashed and stored with the same UTC time (the screen's clock here is the
shop's own zone, as a wall clock is)."""

from __future__ import annotations

from counter.services import doctor, get_sale
from tests.support.cli import counter
from tests.ui.helpers import Shop, log_in, make_app, seed_sales, wait_until


async def test_reprints_from_the_screen_leave_doctor_clean(shop: Shop) -> None:
    seed_sales(shop)
    assert doctor(shop.ledger) == []
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await pilot.press("f9")  # reprint the last receipt
        await wait_until(
            pilot, lambda: any("Reprint" in (n.title or "") for n in app._notifications), "copy"
        )
        await pilot.press("f8")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "HistoryScreen", "history")
        await wait_until(pilot, lambda: app.screen.query_one("#history-table").row_count, "rows")
        await pilot.press("down", "f5")  # a second reprint, from the history
        await wait_until(
            pilot,
            lambda: sum("Reprint" in (n.title or "") for n in app._notifications) >= 2,
            "the second copy",
        )
    with shop.ledger.uow(write=False) as uow:
        reprints = uow.audit.entries(action="receipt_reprinted")
    assert [e.actor for e in reprints] == ["Dara", "Dara"]
    assert doctor(shop.ledger) == []
    done = counter("doctor")
    assert done.returncode == 0, done.stderr
    assert get_sale(shop.ledger, "A-000005") is not None
