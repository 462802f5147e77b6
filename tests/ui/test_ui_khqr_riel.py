"""A riel code from the screen (issue 16): at the code, `r` cancels the dollar code and
shows the same sale's code in riel at the shop's rate (4,000៛ a dollar here); it scans
(zbarimg on the drawn code), Bakong's riel payment sells it, and the ledger keeps both
requests: the dollar one cancelled, the riel one paid."""

from __future__ import annotations

import subprocess
from pathlib import Path

from counter.bootstrap import open_ledger
from counter.config import load_settings
from counter.domain.khqr import KhqrState
from counter.domain.money import Currency
from counter.services import sales_for_day
from tests.payments.standin import BakongStandIn
from tests.payments.tlv import decode_khqr
from tests.support.system import require_tool
from tests.ui.helpers import NOW, Shop, make_app, screen_text, status, wait_until
from tests.ui.test_ui_khqr import bakong, khqr_settings, open_code, picture

__all__ = ["bakong"]  # the fixture, shared with test_ui_khqr


def scanned(lines: list[str], path: Path) -> str:
    picture(lines).save(path)
    read = subprocess.run(
        [require_tool("zbarimg"), "--raw", "-q", "-Sbinary", str(path)],
        capture_output=True,
        timeout=30,
    )
    return read.stdout.decode().removesuffix("\n")


async def test_r_shows_the_code_in_riel_and_the_riel_payment_sells(
    shop: Shop, bakong: BakongStandIn, tmp_path: Path
) -> None:
    app = make_app(khqr=khqr_settings(bakong.url))
    async with app.run_test(size=(80, 24)) as pilot:
        dollar_md5 = await open_code(pilot)
        assert "r shows it in riel" in screen_text(pilot, "#khqr-keys")
        await pilot.press("r")

        def riel_shown() -> bool:
            shown = pilot.app.screen.shown
            return shown is not None and shown.request.charge.currency is Currency.KHR

        await wait_until(pilot, riel_shown, "the riel code")
        md5 = pilot.app.screen.shown.request.md5
        assert md5 != dollar_md5
        assert screen_text(pilot, "#khqr-amount") == "20,000៛"
        assert "r shows it in dollars" in screen_text(pilot, "#khqr-keys")
        lines = screen_text(pilot, "#khqr-code").split("\n")
        assert len(lines) <= 24
        tags = decode_khqr(scanned(lines, tmp_path / "riel.png"))
        assert tags.values["53"] == "116" and tags.values["54"] == "20000"
        assert tags.values["59"] == "Lucky Phone"

        bakong.pay(md5, 20000, "KHR")
        await pilot.press("c")
        await wait_until(pilot, lambda: status(pilot).startswith("Sold A-000001"), "sold")

    with open_ledger(load_settings()) as ledger:
        (sale,) = sales_for_day(ledger, NOW.date(), "A", limit=10)
        with ledger.uow(write=False) as uow:
            requests = uow.khqr.listed(states=list(KhqrState), counter_code="A")
    (line,) = sale.payment.lines
    assert (line.currency, line.minor) == (Currency.KHR, 20000)
    assert line.reference.startswith(md5)
    assert sale.amount_cents == 500
    by_md5 = {r.md5: r for r in requests}
    assert by_md5[dollar_md5].state is KhqrState.CANCELLED
    assert (by_md5[dollar_md5].charge.minor, by_md5[dollar_md5].charge.currency) == (
        500,
        Currency.USD,
    )
    paid = by_md5[md5]
    assert paid.state is KhqrState.PAID and paid.sale_id == sale.id
    assert (paid.charge.minor, paid.charge.currency) == (20000, Currency.KHR)


def test_the_help_lists_the_keys_at_the_code() -> None:
    from counter.ui.screens.help import help_markdown

    text = help_markdown({})
    assert "## KHQR code" in text
    assert "| r | the same sale's code in riel at the shop's rate" in text
    assert "| c | ask Bakong now whether the code is paid |" in text
    assert "| Esc | cancel the code: the customer pays cash |" in text
