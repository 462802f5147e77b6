"""The customer's display driven by the real sale screen (Pilot), read in Debian's
Chromium (Playwright): the number as typed with its operator, the amount and validity,
the KHQR code while paying, "Thank you" and the receipt number once sold (the whole path
against the Bakong stand-in), and nothing of the sale after."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.payments.standin import BakongStandIn
from tests.support.browser import CHROMIUM_ARGS
from tests.support.system import require_tool
from tests.ui.helpers import Shop, log_in, make_app, status, type_text, wait_for_screen, wait_until
from tests.ui.test_ui_khqr import bakong, khqr_settings

__all__ = ["bakong"]  # the stand-in fixture, shared with the KHQR screen tests

WAIT_MS = 10_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _text(page: Any, element_id: str) -> str:
    return str(await page.eval_on_selector(f"#{element_id}", "e => e.textContent"))


def has_text(element_id: str, text: str) -> Callable[[], str]:
    return f"() => document.getElementById({element_id!r}).textContent === {text!r}"  # type: ignore[return-value]


@pytest.mark.system
async def test_the_sale_screen_drives_the_page_through_a_khqr_sale(
    shop: Shop, bakong: BakongStandIn, tmp_path: Path
) -> None:
    chromium = require_tool("chromium")
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        pytest.skip("needs the Python package playwright")
    port = free_port()
    app = make_app(khqr=khqr_settings(bakong.url), customer_display=f"127.0.0.1:{port}")
    async with app.run_test(size=(100, 30)) as pilot, async_playwright() as playwright:
        await log_in(pilot)
        driver = app.till.display
        await wait_until(pilot, lambda: driver._display is not None, "the display up")
        browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = await browser.new_page()
        await page.goto(f"http://127.0.0.1:{port}/")
        await page.wait_for_selector("body.stage-idle", timeout=WAIT_MS)

        await type_text(pilot, "012345678")
        await page.wait_for_function(has_text("number", "012 345 678"), timeout=WAIT_MS)
        assert await _text(page, "operator-name") == "Cellcard"
        await pilot.press("enter")
        await type_text(pilot, "5")
        await page.wait_for_function(has_text("amount", "$5.00"), timeout=WAIT_MS)
        assert (await _text(page, "validity")).startswith("+")

        await pilot.press("enter")
        await wait_for_screen(pilot, "ConfirmSaleScreen")
        await pilot.press("q")  # pay by KHQR: "show code"
        await page.wait_for_selector("body.stage-khqr", timeout=WAIT_MS)
        assert await _text(page, "pay-amount") == "$5.00"
        ready = "() => { const q = document.getElementById('qr'); return q.complete && q.naturalWidth > 0; }"
        await page.wait_for_function(ready, timeout=WAIT_MS)
        picture = tmp_path / "qr.png"
        await page.locator("#qr").screenshot(path=str(picture))
        decoded = subprocess.run(
            [require_tool("zbarimg"), "--raw", "-q", str(picture)],
            capture_output=True,
            text=True,
            timeout=30,
        )
        request = app.screen.shown.request
        assert decoded.stdout.strip() == request.payload  # the page's code is the recorded one
        md5 = str(request.md5)

        bakong.pay(md5, 5.0)  # "paid"
        await pilot.press("c")
        await wait_until(pilot, lambda: status(pilot).startswith("Sold A-000001"), "sold")
        await page.wait_for_selector("body.stage-thanks", timeout=WAIT_MS)  # "sold"
        assert "A-000001" in await _text(page, "receipt")
        body = await page.inner_text("body")
        assert "012 345 678" not in body and "$5.00" not in body

        await page.wait_for_selector("body.stage-idle", timeout=WAIT_MS)  # nothing after
        assert "A-000001" not in await page.inner_text("body")
        await browser.close()

    from counter.bootstrap import open_ledger
    from counter.config import load_settings
    from counter.services.deliveries import delivery_of

    with open_ledger(load_settings()) as ledger:
        delivery = delivery_of(ledger, "A-000001")  # the delivery started, as for cash
    assert delivery.msisdn == "+85512345678" and delivery.amount_cents == 500
