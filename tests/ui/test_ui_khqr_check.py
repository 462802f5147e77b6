"""The KHQR worker's pass and the late check while the sale screen is up (issue 16),
against the Bakong stand-in over real HTTP: a code left waiting (the app closed while it
was shown) and paid meanwhile is sold by the screen's check, printed and counted; a code
paid after it was cancelled puts the line for a supervisor on the screen."""

from __future__ import annotations

from datetime import UTC

from counter.bootstrap import open_ledger
from counter.config import load_settings
from counter.domain.khqr import KhqrState
from counter.domain.money import Currency
from counter.khqr_link import KhqrLink
from counter.services import khqr as pay
from counter.services import sales_for_day
from tests.payments.standin import BakongStandIn
from tests.ui.helpers import NOW, Shop, log_in, make_app, screen_text, status, wait_until
from tests.ui.test_ui_khqr import bakong, khqr_settings

__all__ = ["bakong"]  # the fixture, shared with test_ui_khqr


def left_codes(url: str, shop: Shop) -> tuple[str, str]:
    """Two codes of this counter: one still waiting, one the clerk cancelled (MD5s)."""
    settings = load_settings(khqr=khqr_settings(url))
    link = KhqrLink(settings.khqr, "A")
    now = NOW.astimezone(UTC)
    with open_ledger(settings) as ledger:
        md5s = []
        for amount in ("5", "2"):
            shown = pay.start_khqr(
                ledger,
                shop.clerk,
                "012345678",
                amount,
                currency=Currency.USD,
                make_code=link.make_code,
                rows=24,
                cols=49,
                now=now,
            )
            md5s.append(shown.request.md5)
        pay.cancel_khqr(ledger, shown.request.id, shop.clerk, now=now)
    return md5s[0], md5s[1]


async def test_the_screen_sells_a_waiting_code_and_shows_a_late_payment(
    shop: Shop, bakong: BakongStandIn
) -> None:
    waiting, cancelled = left_codes(bakong.url, shop)
    bakong.pay(waiting, 5.0)
    bakong.pay(cancelled, 2.0, hash_="77aa10c2" * 8)
    app = make_app(khqr=khqr_settings(bakong.url))
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await wait_until(pilot, lambda: "A-000001" in status(pilot), "the sale said")
        assert "KHQR A-Q000001 paid" in status(pilot) or "receipt printed" in status(pilot)
        await wait_until(
            pilot,
            lambda: "1 KHQR payment needs a supervisor" in screen_text(pilot, "#khqr-line"),
            "the supervisor's line",
        )
        assert pilot.app.screen.query_one("#khqr-line").display
        await wait_until(pilot, lambda: "receipt printed" in status(pilot), "the receipt")

    with open_ledger(load_settings()) as ledger:
        (sale,) = sales_for_day(ledger, NOW.date(), "A", limit=10)
        with ledger.uow(write=False) as uow:
            requests = {r.md5: r for r in uow.khqr.listed(counter_code="A")}
    assert sale.amount_cents == 500 and sale.payment.lines[0].reference.startswith(waiting)
    assert requests[waiting].state is KhqrState.PAID and requests[waiting].sale_id == sale.id
    late = requests[cancelled]
    assert late.state is KhqrState.NEEDS_REVIEW and late.bank_ref == "77aa10c2" * 8
    assert [s.path for s in bakong.requests].count("/v1/check_transaction_by_md5") == 1


async def test_no_token_no_check(shop: Shop, bakong: BakongStandIn, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    waiting, _cancelled = left_codes(bakong.url, shop)
    bakong.pay(waiting, 5.0)
    monkeypatch.delenv("BAKONG_TOKEN")
    app = make_app(khqr=khqr_settings(bakong.url))
    async with app.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await wait_until(pilot, lambda: "Type the number" in status(pilot), "the sale screen")
        await pilot.pause(1.0)
        assert bakong.requests == []
        assert not pilot.app.screen.query_one("#khqr-line").display
