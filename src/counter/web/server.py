"""The aiohttp application of the customer's display: the page, its events, nothing else.

Routes (all GET): `/` the page, `/events` the server-sent events, `/ping` an empty answer
(the floor `scripts/bench_display.py` measures against). Every answer says `no-store`, so
a browser keeps no copy of a sale. A request naming another host is refused (a web page
elsewhere cannot read the display through a DNS trick), and every refusal is a sentence.

`Hub` lives on the server's loop: it holds the one state being shown and wakes each page's
stream when it changes. A slow page only skips states (it always gets the latest).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from importlib import resources

from aiohttp import web

from counter.domain.display import DisplayState, Stage
from counter.i18n import _
from counter.web.event import event_body, sse_frame

KEEPALIVE_SECONDS = 15.0  # a comment line this often: a dead page is noticed, proxies stay open
RETRY_MS = 1000  # the browser reconnects this soon after losing the stream
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_SAFETY = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

Write = Callable[[bytes], Awaitable[None]]


class Hub:
    """The state on show and the pages listening; used on the server's loop only."""

    def __init__(self, clock: Callable[[], datetime], hold_seconds: float) -> None:
        self.clock = clock
        self.hold_seconds = hold_seconds
        self.state: DisplayState | None = None
        self.version = 0
        self.closing = False
        self._listeners: set[asyncio.Event] = set()
        self._revert: asyncio.TimerHandle | None = None

    @property
    def listeners(self) -> int:
        return len(self._listeners)

    def publish(self, state: DisplayState) -> None:
        """Show `state` on every page; "Thank you" goes back to idle by itself."""
        self.state = state
        self.version += 1
        if self._revert is not None:
            self._revert.cancel()
            self._revert = None
        if state.stage is Stage.THANKS:
            loop = asyncio.get_running_loop()
            self._revert = loop.call_later(self.hold_seconds, self.publish, state.cleared())
        for wake in self._listeners:
            wake.set()

    def close(self) -> None:
        """End every stream (the app is stopping)."""
        self.closing = True
        if self._revert is not None:
            self._revert.cancel()
        for wake in self._listeners:
            wake.set()

    async def stream(self, write: Write) -> None:
        """Write each new state to one page until it goes away or the hub closes."""
        wake = asyncio.Event()
        self._listeners.add(wake)
        sent = 0
        try:
            while not self.closing:
                wake.clear()
                if self.state is not None and sent != self.version:
                    sent = self.version
                    body = event_body(self.state, self.clock(), hold_seconds=self.hold_seconds)
                    await write(sse_frame(body))
                    continue
                try:
                    await asyncio.wait_for(wake.wait(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    await write(b": still here\n\n")
        finally:
            self._listeners.discard(wake)


class Page:
    """The page's HTML, read once from the package, with a policy naming its own script."""

    def __init__(self) -> None:
        self.html = resources.files("counter.web").joinpath("page/display.html").read_bytes()
        text = self.html.decode("utf-8")
        self.policy = "; ".join(
            [
                "default-src 'none'",
                f"script-src 'unsafe-inline' {_hashes(text, 'script')}",
                f"style-src 'unsafe-inline' {_hashes(text, 'style')}",
                "img-src data:",
                "connect-src 'self'",
                "base-uri 'none'",
                "form-action 'none'",
                "frame-ancestors 'none'",
            ]
        )


def _hashes(html: str, tag: str) -> str:
    """CSP hashes of the inline `<tag>` blocks (old browsers fall back to 'unsafe-inline')."""
    blocks = re.findall(rf"<{tag}>(.*?)</{tag}>", html, flags=re.DOTALL)
    digests = (hashlib.sha256(block.encode("utf-8")).digest() for block in blocks)
    return " ".join(f"'sha256-{base64.b64encode(d).decode('ascii')}'" for d in digests)


HUB = web.AppKey("hub", Hub)
PAGE = web.AppKey("page", Page)
HOSTS = web.AppKey("hosts", list[str])  # the Host headers answered; the address first


def make_app(hub: Hub) -> web.Application:
    """The application; fill `app[HOSTS]` with the Host headers to answer once bound."""
    app = web.Application(middlewares=[_guard])
    app[HUB] = hub
    app[PAGE] = Page()
    app[HOSTS] = []
    app.router.add_get("/", _page)
    app.router.add_get("/events", _events)
    app.router.add_get("/ping", _ping)
    app.router.add_get("/favicon.ico", _ping)
    app.on_shutdown.append(_close_streams)
    return app


async def _close_streams(app: web.Application) -> None:
    app[HUB].close()


async def _page(request: web.Request) -> web.Response:
    page = request.app[PAGE]
    return web.Response(
        body=page.html,
        content_type="text/html",
        charset="utf-8",
        headers={**NO_STORE, **_SAFETY, "Content-Security-Policy": page.policy},
    )


async def _ping(request: web.Request) -> web.Response:
    return web.Response(status=204, headers=NO_STORE)


async def _events(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(
        headers={
            **NO_STORE,
            **_SAFETY,
            "Content-Type": "text/event-stream; charset=utf-8",
            "X-Accel-Buffering": "no",
        }
    )
    await response.prepare(request)
    try:
        await response.write(f"retry: {RETRY_MS}\n\n".encode("ascii"))
        await request.app[HUB].stream(response.write)
    except ConnectionError:
        pass  # the page went away; it reconnects by itself
    return response


@web.middleware
async def _guard(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Answer only for our own address, and say every refusal in words."""
    hosts = request.app[HOSTS]
    address = hosts[0] if hosts else ""
    if request.host not in hosts:
        return _refusal(
            421, _("This page is served only at http://{address}/.").format(address=address)
        )
    try:
        return await handler(request)
    except web.HTTPNotFound:
        return _refusal(
            404,
            _("This address is not part of the customer's display: open http://{address}/.").format(
                address=address
            ),
        )
    except web.HTTPMethodNotAllowed:
        return _refusal(405, _("The customer's display only shows the sale; it takes no orders."))


def _refusal(status: int, message: str) -> web.Response:
    return web.Response(status=status, text=message + "\n", headers={**NO_STORE, **_SAFETY})
