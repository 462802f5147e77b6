"""KHQR at the sale screen with Pilot, against the Bakong stand-in over real HTTP: the
confirmation's `q` shows the code (it fits and scans at 80x24), paid -> "Sold" and the
delivery started, cancel and no network said in words, manual confirmation refused for a
clerk by default."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from pytest_httpserver import HTTPServer

from counter.bootstrap import open_ledger
from counter.config import load_settings
from counter.config_khqr import KhqrSettings
from counter.services import sales_for_day
from tests.payments.conftest import TOKEN
from tests.payments.standin import BakongStandIn
from tests.payments.tlv import decode_khqr
from tests.support.system import require_tool
from tests.ui.helpers import (
    NOW,
    Shop,
    log_in,
    make_app,
    screen_text,
    status,
    type_text,
    wait_for_screen,
    wait_until,
)

TOP = {" ": False, "▀": True, "▄": False, "█": True}
BOTTOM = {" ": False, "▀": False, "▄": True, "█": True}


@pytest.fixture
def bakong(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[BakongStandIn]:
    monkeypatch.setenv("BAKONG_TOKEN", TOKEN)
    yield BakongStandIn(httpserver, TOKEN)


def khqr_settings(url: str) -> KhqrSettings:
    return KhqrSettings(
        account_id="lucky_phone@aclb",
        merchant_name="Lucky Phone",
        merchant_city="Phnom Penh",
        api_url=url,
    )


async def open_code(pilot, amount: str = "5") -> str:  # type: ignore[no-untyped-def]
    """Number, amount, `q` at the confirmation: the code's MD5 once it is shown."""
    await log_in(pilot)
    await type_text(pilot, "012345678")
    await pilot.press("enter")
    await type_text(pilot, amount)
    await pilot.press("enter")
    await wait_for_screen(pilot, "ConfirmSaleScreen")
    await pilot.press("q")
    await wait_for_screen(pilot, "KhqrPayScreen")
    await wait_until(pilot, lambda: pilot.app.screen.shown is not None, "the code")
    return str(pilot.app.screen.shown.request.md5)


def picture(lines: list[str], pixel: int = 6, margin: int = 3) -> Image.Image:
    cols, rows = len(lines[0]) + 2 * margin, 2 * (len(lines) + 2 * margin)
    image = Image.new("L", (cols, rows), 30)  # a dark terminal around the code
    for y, line in enumerate(lines):
        for x, glyph in enumerate(line):
            for half, dark in ((0, TOP[glyph]), (1, BOTTOM[glyph])):
                image.putpixel((x + margin, 2 * (y + margin) + half), 0 if dark else 255)
    return image.resize((cols * pixel, rows * pixel), Image.Resampling.NEAREST)


async def test_paid_by_khqr_is_sold_and_delivering(
    shop: Shop, bakong: BakongStandIn, tmp_path: Path
) -> None:
    app = make_app(khqr=khqr_settings(bakong.url))
    async with app.run_test(size=(80, 24)) as pilot:
        md5 = await open_code(pilot)
        box = pilot.app.screen
        assert "Lucky Phone" in screen_text(pilot, "#khqr-merchant")
        assert screen_text(pilot, "#khqr-amount") == "$5.00"
        assert "Pay within 10:00" in screen_text(pilot, "#khqr-countdown")
        assert "screenshot is never a confirmation" in screen_text(pilot, "#khqr-keys")
        code = box.query_one("#khqr-code")
        assert code.region.bottom <= 24 and code.region.right <= 80  # all of it on screen
        lines = screen_text(pilot, "#khqr-code").split("\n")
        assert len(lines) <= 24
        path = tmp_path / "code.png"
        picture(lines).save(path)
        read = subprocess.run(
            [require_tool("zbarimg"), "--raw", "-q", "-Sbinary", str(path)],
            capture_output=True,
            timeout=30,
        )
        payload = read.stdout.decode().removesuffix("\n")
        tags = decode_khqr(payload)
        assert tags.values["54"] == "5" and tags.values["59"] == "Lucky Phone"
        assert tags.additional["01"] == "A-Q000001"

        bakong.pay(md5, 5.0)
        await pilot.press("c")  # check now
        await wait_until(pilot, lambda: status(pilot).startswith("Sold A-000001"), "sold")
        assert type(pilot.app.screen).__name__ == "SaleScreen"

    with open_ledger(load_settings()) as ledger:
        (sale,) = sales_for_day(ledger, NOW.date(), "A", limit=10)
    (line,) = sale.payment.lines
    assert line.tender.value == "khqr" and line.reference.startswith(md5)
    assert sale.change_usd_cents == 0 and sale.change_khr == 0


async def test_cancel_takes_cash_and_no_network_is_said(shop: Shop, bakong: BakongStandIn) -> None:
    app = make_app(khqr=khqr_settings("http://127.0.0.1:9"))  # nothing listens there
    async with app.run_test(size=(100, 30)) as pilot:
        await open_code(pilot)
        await wait_until(
            pilot,
            lambda: "pay cash instead" in screen_text(pilot, "#khqr-status"),
            "no network said",
        )
        assert "Bakong" in screen_text(pilot, "#khqr-status")
        await pilot.press("7")  # a stray key is refused in words
        assert "Esc cancels the code" in screen_text(pilot, "#khqr-status")
        await pilot.press("m")
        await type_text(pilot, "7D5065")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: "does not let a clerk" in screen_text(pilot, "#khqr-status"),
            "manual refused",
        )
        await pilot.press("escape")
        await wait_for_screen(pilot, "SaleScreen")
        assert "Not paid by KHQR" in status(pilot)
    with open_ledger(load_settings()) as ledger:
        assert sales_for_day(ledger, NOW.date(), "A", limit=10) == []


def test_the_help_says_a_screenshot_is_never_a_confirmation() -> None:
    from counter.ui.screens.help import help_markdown

    text = help_markdown({})
    assert "| q | pay by KHQR:" in text
    assert "a customer's screenshot is never a confirmation" in text
