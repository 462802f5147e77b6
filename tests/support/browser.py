"""Debian's Chromium driven by Playwright: the real browser for the customer's display.

Playwright's own browser download is not reachable from here, so the system's Chromium is
launched by path. Like every system tool it skips on a developer's machine without it and
fails under COUNTER_REQUIRE_SYSTEM=1 (CI, which installs Debian's `chromium`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from tests.support.system import missing, require_tool

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM_ARGS = [
    "--no-sandbox",  # root in CI: Chromium's sandbox refuses to start as root
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",  # no update, safe-browsing or metrics requests
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-extensions",
]


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Debian Chromium, or skip/fail the test."""
    path = require_tool("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("needs the Python package playwright (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
