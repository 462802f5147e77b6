#!/usr/bin/env python3
"""Benchmark the customer's display: from `show(state)` to the page's DOM, in a real browser.

A display runs as the app runs it (its own thread, loopback port); Debian's Chromium opens
the page. Each state is shown from Python with a gap between them (a clerk typing), and a
MutationObserver in the page notes when each number lands in the DOM. Browser and Python
clocks are lined up by bracketing a read of the page's clock (the tightest of 20 tries); as
a check that needs no alignment, the page also reports each mutation back to Python through
Playwright, which gives an upper bound on one clock.

Floor, measured in the same run: a bare `fetch('/ping')` round trip from the page to the
same server (an empty 204 answer). Goal: median well under 100 ms; the ratio says how far
from the cheapest thing the browser and the server can do together.

Also: the KHQR step with a new code each time (the QR drawn on the server, cache cold).

Run: .venv/bin/python scripts/bench_display.py [--states 200] [--khqr 10] [--gap-ms 30]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from counter.domain.display import DisplayState, parse_display_address
from counter.domain.money import Money
from counter.web.display import CustomerDisplay
from tests.support.browser import CHROMIUM_ARGS

SHOP = "Bench Phone Shop"
PAYLOAD = "00020101021230510016bench_shop@aclb5204599953038405405{amount}5802KH5910Bench Shop6010Phnom Penh6304"

WATCH = """(ids) => {
    window.__seen = [];
    const observer = new MutationObserver(() => {
        const at = performance.timeOrigin + performance.now();
        for (const id of ids) {
            const text = document.getElementById(id).textContent;
            window.__seen.push([id, text, at]);
            window.__ack(id, text);
        }
    });
    for (const id of ids) {
        observer.observe(document.getElementById(id), {childList: true, characterData: true, subtree: true});
    }
}"""

PINGS = """async (n) => {
    const out = [];
    for (let i = 0; i < n; i++) {
        const t = performance.now();
        await fetch('ping', {cache: 'no-store'});
        out.push(performance.now() - t);
    }
    return out;
}"""


class Probe:
    """The page under test: when each text landed in its DOM, on two clocks.

    `dom`: the page's own clock at the mutation, moved onto Python's clock by the tightest
    of 20 bracketed reads (`uncertainty` is half that bracket). `back`: Python's clock when
    the page's report of the mutation reached Python through Playwright, an upper bound
    that needs no clock alignment.
    """

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.back: dict[tuple[str, str], float] = {}
        self.uncertainty: list[float] = []
        self.coalesced = 0  # states overtaken by the next before the page drew them
        page.expose_function("__ack", self._ack)
        page.evaluate(WATCH, ["number", "pay-amount"])

    def _ack(self, element: str, text: str) -> None:
        self.back.setdefault((element, text), time.time() * 1000)

    def offset(self) -> float:
        best: tuple[float, float] | None = None
        for _ in range(20):
            before = time.time() * 1000
            browser = self.page.evaluate("() => performance.timeOrigin + performance.now()")
            after = time.time() * 1000
            if best is None or after - before < best[0]:
                best = (after - before, browser - (before + after) / 2)
        assert best is not None
        self.uncertainty.append(best[0] / 2)
        return best[1]

    def run(
        self, display: CustomerDisplay, states: list[DisplayState], element: str, gap_ms: float
    ) -> tuple[list[float], list[float]]:
        """Show each state `gap_ms` apart; ms from each `show()` to the DOM, and to Python."""
        offset = self.offset()
        self.page.evaluate("() => { window.__seen = []; }")
        expect = [text_of(state, element) for state in states]
        shown: list[float] = []
        for state in states:
            shown.append(time.time() * 1000)
            display.show(state)
            self.page.wait_for_timeout(gap_ms)  # lets Playwright deliver the page's reports
        self.page.wait_for_function(
            f"() => document.getElementById({element!r}).textContent === {expect[-1]!r}"
        )
        self.page.wait_for_timeout(50)
        dom: dict[str, float] = {}
        for where, text, at in self.page.evaluate("() => window.__seen"):
            if where == element:
                dom.setdefault(text, at - offset)
        # The display coalesces a burst (only the latest state matters to the customer), so
        # a state overtaken by the next one on a busy machine may never be drawn; the last
        # one always is. Latencies are of the states that reached the page.
        arrived = [
            (text, at)
            for text, at in zip(expect, shown, strict=True)
            if text in dom and (element, text) in self.back
        ]
        if expect[-1] not in dom:
            raise SystemExit(f"the last state never reached the page: {expect[-1]!r}")
        self.coalesced += len(expect) - len(arrived)
        return (
            [dom[text] - at for text, at in arrived],
            [self.back[(element, text)] - at for text, at in arrived],
        )


def text_of(state: DisplayState, element: str) -> str:
    if element == "number":
        return state.number
    assert state.khqr is not None
    return f"${state.khqr.amount.minor // 100}.00"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def figures(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):.2f} ms, p95 {pct(values, 0.95):.2f} ms, "
        f"max {max(values):.2f} ms"
    )


def khqr_states(count: int) -> list[DisplayState]:
    """A typing state then a new code, `count` times: each code is a change to show."""
    base = DisplayState.typing(SHOP, national=number_of(0))
    expires = datetime.now(UTC) + timedelta(minutes=5)
    return [
        base.paying_by_khqr(PAYLOAD.format(amount=f"{i + 1}.00"), Money.usd(100 * (i + 1)), expires)
        for i in range(count)
    ]


def number_of(i: int) -> str:
    return f"0{12_000_000 + i}"


def bench(chromium: str, args: argparse.Namespace) -> None:
    from playwright.sync_api import sync_playwright

    display = CustomerDisplay(
        parse_display_address("127.0.0.1:0", any_port=True), DisplayState.idle(SHOP)
    ).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(display.address.url)
            page.wait_for_selector("body.stage-idle")
            probe = Probe(page)
            typing = [DisplayState.typing(SHOP, national=number_of(i)) for i in range(args.states)]
            dom, back = probe.run(display, typing, "number", args.gap_ms)
            pings = page.evaluate(PINGS, args.states)
            khqr: list[float] = []
            for code in khqr_states(args.khqr):
                display.show(DisplayState.typing(SHOP, national=number_of(0)))
                page.wait_for_timeout(args.gap_ms)
                khqr += probe.run(display, [code], "pay-amount", args.gap_ms)[0]
            browser.close()
    finally:
        display.stop()
    floor = statistics.median(pings)
    print(
        f"show() -> DOM, typing, {args.states} states, {args.gap_ms:g} ms apart"
        f" ({probe.coalesced} overtaken by the next and not drawn):"
    )
    print(f"  {figures(dom)}  (clocks lined up to within {max(probe.uncertainty):.2f} ms)")
    print(f"show() -> DOM -> back in Python (upper bound, one clock): {figures(back)}")
    print(f"floor: fetch('/ping') round trip, {len(pings)} times: {figures(pings)}")
    print(f"ratio (show() -> DOM median / floor median): {statistics.median(dom) / floor:.2f}")
    if khqr:
        print(f"show() -> DOM, KHQR with a new code each time, {len(khqr)} codes: {figures(khqr)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--states", type=int, default=200, help="typing states to show")
    parser.add_argument("--khqr", type=int, default=10, help="KHQR codes to show")
    parser.add_argument("--gap-ms", type=float, default=30.0, help="pause between states")
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        print("needs Debian's chromium (apt-get install chromium)", file=sys.stderr)
        return 2
    bench(chromium, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
