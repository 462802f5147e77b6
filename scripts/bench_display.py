#!/usr/bin/env python3
"""Benchmark the customer's display: from `show(state)` to the page's DOM, in a real browser.

A display runs as the app runs it (its own thread, loopback port); Debian's Chromium opens
the page. Each state is shown from Python with a gap between them (a clerk typing), and a
MutationObserver in the page notes when each number lands in the DOM. Browser and Python
clocks are lined up by bracketing a read of the page's clock (the tightest of 20 tries).

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
            window.__seen.push([id, document.getElementById(id).textContent, at]);
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


def clock_offset_ms(page) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Browser clock minus Python's `time.time()` in ms, and its uncertainty (half the
    tightest bracket)."""
    best: tuple[float, float] | None = None
    for _ in range(20):
        before = time.time() * 1000
        browser = page.evaluate("() => performance.timeOrigin + performance.now()")
        after = time.time() * 1000
        if best is None or after - before < best[0]:
            best = (after - before, browser - (before + after) / 2)
    assert best is not None
    return best[1], best[0] / 2


UNCERTAINTY: list[float] = []  # of each clock alignment, ms


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def number_of(i: int) -> str:
    return f"0{12_000_000 + i}"


def measure(
    page,
    display: CustomerDisplay,
    states: list[DisplayState],
    element: str,
    expect: list[str],
    gap: float,
) -> list[float]:  # type: ignore[no-untyped-def]
    """Latency in ms from each `show()` to its text in `#element`."""
    offset, uncertainty = clock_offset_ms(page)
    UNCERTAINTY.append(uncertainty)
    page.evaluate("() => { window.__seen = []; }")
    shown: list[float] = []
    for state in states:
        shown.append(time.time() * 1000)
        display.show(state)
        time.sleep(gap)
    page.wait_for_function(
        f"() => document.getElementById({element!r}).textContent === {expect[-1]!r}"
    )
    seen = page.evaluate("() => window.__seen")
    landed: dict[str, float] = {}
    for where, text, at in seen:
        if where == element:
            landed.setdefault(text, at - offset)
    missing = [text for text in expect if text not in landed]
    if missing:
        raise SystemExit(f"{len(missing)} states never reached the page: {missing[:3]}")
    return [landed[text] - at for text, at in zip(expect, shown, strict=True)]


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
            page.evaluate(WATCH, ["number", "pay-amount"])
            gap = args.gap_ms / 1000
            typing = [DisplayState.typing(SHOP, national=number_of(i)) for i in range(args.states)]
            latencies = measure(page, display, typing, "number", [s.number for s in typing], gap)
            pings = page.evaluate(PINGS, args.states)
            base = DisplayState.typing(SHOP, national=number_of(0))
            now = datetime.now(UTC) + timedelta(minutes=5)
            codes = [
                base.paying_by_khqr(
                    PAYLOAD.format(amount=f"{i + 1}.00"), Money.usd(100 * (i + 1)), now
                )
                for i in range(args.khqr)
            ]
            # Each code follows a typing state, so every code is a change the page must show.
            khqr: list[float] = []
            for code in codes:
                display.show(base)
                time.sleep(gap)
                khqr += measure(
                    page,
                    display,
                    [code],
                    "pay-amount",
                    [f"${code.khqr.amount.minor // 100}.00"],
                    gap,
                )  # type: ignore[union-attr]
            browser.close()
    finally:
        display.stop()

    median, floor = statistics.median(latencies), statistics.median(pings)
    print(f"show() -> DOM, typing, {len(latencies)} states, {args.gap_ms:g} ms apart:")
    print(
        f"  median {median:.2f} ms, p95 {pct(latencies, 0.95):.2f} ms, max {max(latencies):.2f} ms"
    )
    print(f"  clocks lined up to within {max(UNCERTAINTY):.2f} ms")
    print(f"floor: fetch('/ping') round trip, {len(pings)} times:")
    print(f"  median {floor:.2f} ms, p95 {pct(pings, 0.95):.2f} ms")
    print(f"ratio (median / floor median): {median / floor:.2f}")
    if khqr:
        print(f"show() -> DOM, KHQR with a new code each time, {len(khqr)} codes:")
        print(f"  median {statistics.median(khqr):.2f} ms, p95 {pct(khqr, 0.95):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
