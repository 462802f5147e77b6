"""The supervisor's late KHQR payments on the screen (issue 16): a code paid after the
clerk cancelled it waits for a supervisor; from Reports (`k`) the list shows it, `s` asks
a reason and a supervisor's name and PIN; a clerk's own PIN is refused in words, the
supervisor's sells it (the ledger has the sale with its KHQR line and `review_sold`)."""

from __future__ import annotations

from datetime import UTC

from counter.bootstrap import open_ledger
from counter.config import load_settings
from counter.domain.khqr import KhqrState
from counter.khqr_link import KhqrLink
from counter.services import khqr as pay
from counter.services import sales_for_day
from tests.payments.standin import BakongStandIn
from tests.ui.helpers import (
    CLERK,
    CLERK_PIN,
    NOW,
    SUPERVISOR,
    SUPERVISOR_PIN,
    Shop,
    log_in,
    make_app,
    screen_text,
    status,
    type_text,
    wait_for_screen,
    wait_until,
)
from tests.ui.test_ui_khqr import bakong, khqr_settings
from tests.ui.test_ui_khqr_check import left_codes

__all__ = ["bakong"]  # the fixture, shared with test_ui_khqr


def late_payment(url: str, shop: Shop, bakong: BakongStandIn) -> str:
    """A cancelled code paid anyway, found by the late check: `needs_review` (its MD5)."""
    _waiting, cancelled = left_codes(url, shop)
    bakong.pay(cancelled, 2.0, hash_="77aa10c2" * 8)
    settings = load_settings(khqr=khqr_settings(url))
    link = KhqrLink(settings.khqr, "A")
    with open_ledger(settings) as ledger:
        found = pay.find_late_khqr(ledger, link, now=NOW.astimezone(UTC))
    link.close()
    assert [f.request.state for f in found.finished] == [KhqrState.NEEDS_REVIEW]
    return cancelled


def listed(pilot) -> str:  # type: ignore[no-untyped-def]
    options = pilot.app.screen.query_one("#khqr-review-list")
    return "\n".join(
        str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
    )


async def decide(pilot, name: str, pin: str) -> None:  # type: ignore[no-untyped-def]
    await type_text(pilot, "customer still here")
    await pilot.press("enter")
    await type_text(pilot, name)
    await pilot.press("enter")
    await type_text(pilot, pin)
    await pilot.press("enter")


async def test_a_supervisor_sells_a_late_payment_a_clerk_is_refused(
    shop: Shop, bakong: BakongStandIn
) -> None:
    md5 = late_payment(bakong.url, shop, bakong)
    app = make_app(khqr=khqr_settings(bakong.url))
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await wait_until(
            pilot,
            lambda: (
                "1 KHQR payment needs a supervisor: Reports (F10), then l"
                in screen_text(pilot, "#khqr-line")
            ),
            "the supervisor's line",
        )
        await pilot.press("f10")
        await wait_for_screen(pilot, "ReportsScreen")
        await pilot.press("l")
        await wait_for_screen(pilot, "KhqrReviewsScreen")
        await wait_until(pilot, lambda: "A-Q000002 · $2.00" in listed(pilot), "the list")
        assert "bank ref " + "77aa10c2" * 8 in listed(pilot)
        await pilot.press("s")
        await wait_for_screen(pilot, "KhqrDecisionScreen")
        await decide(pilot, CLERK, CLERK_PIN)
        await wait_until(
            pilot,
            lambda: (
                "only a supervisor decides on a late KHQR payment"
                in screen_text(pilot, "#form-problem")
            ),
            "the clerk refused",
        )
        assert screen_text(pilot, "#form-problem").startswith("Dara is a clerk")
        for field in ("#khqr-decision-supervisor", "#khqr-decision-pin"):
            pilot.app.screen.query_one(field).value = ""
        pilot.app.screen.query_one("#khqr-decision-supervisor").focus()
        await type_text(pilot, SUPERVISOR)
        await pilot.press("enter")
        await type_text(pilot, SUPERVISOR_PIN)
        await pilot.press("enter")
        await wait_for_screen(pilot, "KhqrReviewsScreen")
        await wait_until(
            pilot,
            lambda: "A-Q000002 sold as A-000001." in screen_text(pilot, "#khqr-review-said"),
            "sold said",
        )
        await wait_until(
            pilot,
            lambda: "No KHQR payment waits" in screen_text(pilot, "#khqr-review-help"),
            "the list empty",
        )
        await pilot.press("escape")
        await wait_for_screen(pilot, "ReportsScreen")
        await pilot.press("escape")
        await wait_for_screen(pilot, "SaleScreen")
        await wait_until(pilot, lambda: "A-000001" in status(pilot), "the sale on the status")
        await wait_until(
            pilot, lambda: not pilot.app.screen.query_one("#khqr-line").display, "line gone"
        )

    with open_ledger(load_settings()) as ledger:
        (sale,) = sales_for_day(ledger, NOW.date(), "A", limit=10)
        with ledger.uow(write=False) as uow:
            request = next(r for r in uow.khqr.listed(counter_code="A") if r.md5 == md5)
            changes = uow.khqr.changes(request.id)
    assert request.state is KhqrState.REVIEW_SOLD and request.sale_id == sale.id
    assert changes[-1].actor == SUPERVISOR and changes[-1].reason == "customer still here"
    (line,) = sale.payment.lines
    assert line.tender.value == "khqr" and line.reference.startswith(md5)
    assert sale.amount_cents == 200


async def test_a_supervisor_records_a_late_payment_refunded_outside_the_app(
    shop: Shop, bakong: BakongStandIn
) -> None:
    md5 = late_payment(bakong.url, shop, bakong)
    app = make_app(khqr=khqr_settings(bakong.url))
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot, SUPERVISOR, SUPERVISOR_PIN)
        await pilot.press("f10")
        await wait_for_screen(pilot, "ReportsScreen")
        await pilot.press("l")
        await wait_for_screen(pilot, "KhqrReviewsScreen")
        await wait_until(pilot, lambda: "A-Q000002" in listed(pilot), "the list")
        await pilot.press("r")
        await wait_for_screen(pilot, "KhqrDecisionScreen")
        await decide(pilot, SUPERVISOR, SUPERVISOR_PIN)
        await wait_for_screen(pilot, "KhqrReviewsScreen")
        await wait_until(
            pilot,
            lambda: (
                "A-Q000002: recorded as refunded outside the app."
                in screen_text(pilot, "#khqr-review-said")
            ),
            "refund said",
        )

    with open_ledger(load_settings()) as ledger:
        assert sales_for_day(ledger, NOW.date(), "A", limit=10) == []
        with ledger.uow(write=False) as uow:
            request = next(r for r in uow.khqr.listed(counter_code="A") if r.md5 == md5)
    assert request.state is KhqrState.REVIEW_REFUNDED and request.sale_id is None
