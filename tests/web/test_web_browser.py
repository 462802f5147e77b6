"""The customer's page in a real browser (Debian's Chromium through Playwright).

Each state is published with `show()` as the sale screen will, and the page must show it
within 300 ms; the KHQR code on the page must decode with `zbarimg` to the payload; after
"Thank you" nothing of the sale may remain in the page; and the page must come back by
itself when the server restarts.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from counter.domain.display import DisplayState
from counter.domain.money import Money
from counter.rules import load_rules
from counter.web.display import CustomerDisplay
from tests.support.browser import chromium
from tests.support.system import require_tool
from tests.web.helpers import SHOP, running_display

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Response

pytestmark = pytest.mark.system

# How long a test waits for the page: generous, because a test asserts what the page shows;
# how fast it shows it is measured by scripts/bench_display.py (see docs/benchmarks.md).
WAIT_MS = 10_000
# A dynamic KHQR as a bank app reads it (EMV tags 00..63); the display does not parse it.
PAYLOAD = (
    "00020101021230510016dara_sok@aclb0109dara_sok0211ACLEDA Bank5204599953038405405"
    "5.005802KH5913Sok Dara Shop6010Phnom Penh62290108A-0000420307Counter0702A1"
    "99340013176407640000001131764076700000630412AB"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def smart():  # type: ignore[no-untyped-def]
    return load_rules()["smart"]


@pytest.fixture
def display() -> Iterator[CustomerDisplay]:
    with running_display(hold_seconds=0.6) as started:
        yield started


class Tab:
    """One browser tab on the display, with every response it got."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.responses: list[Response] = []
        self.problems: list[str] = []  # console errors (a policy refusal) and script errors
        page.on("response", self._got)
        page.on("console", lambda m: self.problems.extend([m.text] if m.type == "error" else []))
        page.on("pageerror", lambda e: self.problems.append(str(e)))

    def _got(self, response: Response) -> None:
        self.responses.append(response)

    def open(self, display: CustomerDisplay) -> Tab:
        self.page.goto(display.address.url)
        self.page.wait_for_selector("body.stage-idle", timeout=5000)
        return self

    def text(self, element_id: str) -> str:
        return self.page.eval_on_selector(f"#{element_id}", "e => e.textContent")  # type: ignore[no-any-return]

    def show(self, display: CustomerDisplay, state: DisplayState, check: str) -> None:
        """Show `state` and wait until the page's DOM satisfies the JS `check`."""
        display.show(state)
        self.page.wait_for_function(check, timeout=WAIT_MS)


@pytest.fixture
def tab(browser: Browser, display: CustomerDisplay) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        yield Tab(context.new_page()).open(display)
    finally:
        context.close()


def has_text(element_id: str, text: str) -> str:
    """A JS check, as a function: the page's policy forbids evaluating strings."""
    return f"() => document.getElementById({element_id!r}).textContent === {text!r}"


def test_the_number_amount_and_operator_appear_as_the_clerk_types(
    tab: Tab,
    display: CustomerDisplay,
    smart: Any,
) -> None:
    assert tab.text("shop") == SHOP
    national = "010234567"
    for n in range(1, len(national) + 1):
        state = DisplayState.typing(SHOP, national=national[:n], operator=smart if n >= 3 else None)
        tab.show(display, state, has_text("number", state.number))
    assert tab.text("number") == "010 234 567"
    assert tab.text("operator-name") == "Smart"
    dot = "getComputedStyle(document.getElementById('operator-dot')).backgroundColor"
    assert tab.page.evaluate(dot) == "rgb(91, 185, 70)"  # #5BB946
    sale = DisplayState.typing(
        SHOP, national=national, operator=smart, amount=Money.usd(500), validity_days=30
    )
    tab.show(display, sale, has_text("amount", "$5.00"))
    assert tab.text("validity") == "+30"
    seen = tab.page.inner_text("body")
    for words in ("010 234 567", "Smart", "$5.00", "+30", "Amount", "ចំនួនទឹកប្រាក់", "充值金额"):
        assert words in seen
    assert tab.problems == []  # the page's own script and style pass its security policy


def test_the_khqr_code_is_on_the_page_and_decodes(
    tab: Tab, display: CustomerDisplay, smart: Any, tmp_path: Path
) -> None:
    zbarimg = require_tool("zbarimg")
    sale = DisplayState.typing(SHOP, national="010234567", operator=smart, amount=Money.usd(500))
    paying = sale.paying_by_khqr(
        PAYLOAD, Money.khr(20_000), datetime.now(UTC) + timedelta(minutes=5)
    )
    ready = "() => { const q = document.getElementById('qr'); return q.complete && q.naturalWidth > 0; }"
    tab.show(display, paying, ready)
    assert tab.text("pay-amount") == "20,000៛"
    minutes, seconds = tab.text("countdown").split(":")
    assert 270 <= int(minutes) * 60 + int(seconds) <= 300  # counts down from 5:00
    assert tab.text("number") == "010 234 567"
    box = tab.page.locator("#qr").bounding_box()
    assert box is not None and box["width"] >= 300  # scannable from arm's length
    picture = tmp_path / "qr.png"
    tab.page.locator("#qr").screenshot(path=str(picture))
    decoded = subprocess.run(
        [zbarimg, "--raw", "-q", str(picture)], capture_output=True, text=True, timeout=30
    )
    assert decoded.returncode == 0, decoded.stderr
    assert decoded.stdout.strip() == PAYLOAD


def test_an_expired_code_is_taken_off_the_page(tab: Tab, display: CustomerDisplay) -> None:
    paying = DisplayState.typing(SHOP, national="010234567").paying_by_khqr(
        PAYLOAD, Money.usd(500), datetime.now(UTC) + timedelta(seconds=1)
    )
    display.show(paying)
    tab.page.wait_for_selector("body.expired", timeout=3000)
    assert tab.page.get_attribute("#qr", "src") is None
    assert "This code has expired" in tab.page.inner_text("body")


def test_after_thank_you_the_page_holds_nothing_of_the_sale(
    browser: Browser, display: CustomerDisplay, smart: Any
) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(display.address.url + "no-page-here")  # same origin, no script: the baseline
    bare_globals = sorted(page.evaluate("Object.keys(window)"))
    tab = Tab(page).open(display)
    sale = DisplayState.typing(
        SHOP, national="010234567", operator=smart, amount=Money.usd(500), validity_days=30
    )
    display.show(sale)
    tab.page.wait_for_function(has_text("number", "010 234 567"))
    paying = sale.paying_by_khqr(PAYLOAD, Money.usd(500), datetime.now(UTC) + timedelta(minutes=5))
    display.show(paying)
    tab.page.wait_for_function("() => document.getElementById('qr').naturalWidth > 0")
    thanks = DisplayState.thanks(SHOP, "A-000042")
    tab.show(display, thanks, has_text("receipt", "A-000042"))
    assert "Thank you" in tab.page.inner_text("body")
    tab.page.wait_for_selector("body.stage-idle", timeout=3000)

    html = tab.page.content()
    for trace in ("010 234 567", "010234567", "Smart", "$5.00", "+30", "A-000042", "data:image"):
        assert trace not in html, trace
    assert tab.page.get_attribute("#qr", "src") is None
    assert tab.page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert sorted(tab.page.evaluate("Object.keys(window)")) == bare_globals  # no global state
    assert tab.page.evaluate("document.cookie") == ""
    assert tab.responses and all(
        r.headers.get("cache-control") == "no-store" for r in tab.responses
    ), [(r.url, r.headers.get("cache-control")) for r in tab.responses]
    context.close()


def test_the_page_comes_back_by_itself_when_the_server_restarts(browser: Browser) -> None:
    context = browser.new_context()
    try:
        with running_display() as first:
            address = str(first.address)
            tab = Tab(context.new_page()).open(first)
            first.show(DisplayState.typing(SHOP, national="012345678"))
            tab.page.wait_for_function(has_text("number", "012 345 678"))
        # The server is gone: the customer no longer sees the number, and the page says so.
        tab.page.wait_for_selector("#status", state="visible", timeout=3000)
        assert "012 345 678" not in tab.page.content()
        assert "Connecting…" in tab.page.inner_text("#status")
        with running_display(address) as second:
            second.show(DisplayState.typing(SHOP, national="0971234567"))
            tab.page.wait_for_function(has_text("number", "097 123 4567"), timeout=WAIT_MS)
            tab.page.wait_for_selector("#status", state="hidden", timeout=1000)
    finally:
        context.close()


def test_khmer_and_chinese_labels_are_drawn_with_real_fonts(tab: Tab) -> None:
    cdp = tab.page.context.new_cdp_session(tab.page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]

    def fonts(selector: str) -> list[str]:
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        return [font["familyName"] for font in used]

    khmer = fonts('#idle span[lang="km"]')
    chinese = fonts('#idle span[lang="zh-Hans"]')
    assert any("Khmer" in family for family in khmer), khmer
    assert any("WenQuanYi" in family or "CJK" in family for family in chinese), chinese
    assert tab.page.inner_text("#idle") == "សូមស្វាគមន៍\nWelcome\n欢迎光临"
