"""The customer's display as the app uses it: `start()`, `show(state)` as often as it likes,
`stop()` when the app stops.

The server runs on an asyncio loop in a thread of its own, so the sale screen's loop never
waits for a browser and a slow tablet never slows a keystroke. `show()` only stores the
state and, if no wake-up is already on its way, asks the server's loop for one: a burst of
keystrokes costs one wake-up and the page gets the latest state, never a backlog. The
thread is a daemon, so a forgotten `stop()` never keeps the app's process alive.
"""

from __future__ import annotations

import asyncio
import errno
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING

from counter.domain.display import DisplayAddress, DisplayState
from counter.domain.errors import DisplayError
from counter.i18n import _

if TYPE_CHECKING:
    from counter.web.server import Hub

HOLD_SECONDS = 6.0  # "Thank you" and the receipt number stay this long, then idle
SHUTDOWN_SECONDS = 1.0  # open page streams are ended; requests get this long to finish


def _utc_now() -> datetime:
    return datetime.now(UTC)


class CustomerDisplay:
    """A web page at `address` that shows the last state it was given."""

    def __init__(
        self,
        address: DisplayAddress,
        first: DisplayState,
        *,
        hold_seconds: float = HOLD_SECONDS,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._wanted = address
        self._bound: DisplayAddress | None = None
        self._hold = hold_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._latest = first
        self._wake_pending = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._hub: Hub | None = None
        self._stopping: asyncio.Event | None = None
        self._ready = threading.Event()
        self._failure: DisplayError | None = None
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> DisplayAddress:
        """Where the page is: the address given, with the port the system gave for port 0."""
        return self._bound or self._wanted

    @property
    def running(self) -> bool:
        return self._loop is not None

    def start(self, timeout: float = 10.0) -> CustomerDisplay:
        """Listen at the address; DisplayError in words if that cannot be done."""
        if self._thread is not None:
            raise RuntimeError("a CustomerDisplay starts once")
        self._thread = threading.Thread(target=self._run, name="customer-display", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise DisplayError(
                _("The customer's display did not start within {seconds} seconds.").format(
                    seconds=int(timeout)
                )
            )
        if self._failure is not None:
            self._thread.join(timeout)
            raise self._failure
        return self

    def show(self, state: DisplayState) -> None:
        """Show `state` from now on. Cheap, from any thread; never raises once started."""
        with self._lock:
            self._latest = state
            if self._wake_pending or self._loop is None:
                return
            self._wake_pending = True
            self._loop.call_soon_threadsafe(self._deliver)

    def stop(self, timeout: float = 5.0) -> None:
        """End the pages' streams, stop listening and end the thread."""
        with self._lock:
            loop, stopping = self._loop, self._stopping
        if loop is not None and stopping is not None:
            loop.call_soon_threadsafe(stopping.set)
        if self._thread is not None:
            self._thread.join(timeout)

    def __enter__(self) -> CustomerDisplay:
        return self.start() if self._thread is None else self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- on the server's thread ----------------------------------------------------------

    def _deliver(self) -> None:
        with self._lock:
            state = self._latest
            self._wake_pending = False
        if self._hub is not None:
            self._hub.publish(state)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._serve())
        except Exception as exc:  # pragma: no cover - aiohttp failing to import or set up
            self._failure = DisplayError(
                _("The customer's display could not start ({error}).").format(
                    error=type(exc).__name__
                )
            )
        finally:
            with self._lock:
                self._loop = None
            self._ready.set()
            loop.close()

    async def _serve(self) -> None:
        from aiohttp import web

        from counter.web.server import HOSTS, Hub, make_app

        hub = Hub(self._clock, self._hold)
        app = make_app(hub)
        runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=SHUTDOWN_SECONDS
        )
        await runner.setup()
        site = web.TCPSite(runner, self._wanted.host, self._wanted.port, reuse_address=True)
        try:
            await site.start()
        except OSError as exc:
            self._failure = _bind_refusal(self._wanted, exc)
            await runner.cleanup()
            return
        port = runner.addresses[0][1]
        self._bound = self._wanted.with_port(port)
        app[HOSTS].append(str(self._bound))
        if self._wanted.host == "127.0.0.1":
            app[HOSTS].append(f"localhost:{port}")
        self._hub = hub
        self._stopping = asyncio.Event()
        with self._lock:
            self._loop = asyncio.get_running_loop()
            hub.publish(self._latest)
        self._ready.set()
        try:
            await self._stopping.wait()
        finally:
            with self._lock:
                self._loop = None
            await runner.cleanup()


def _bind_refusal(address: DisplayAddress, exc: OSError) -> DisplayError:
    """Why the display cannot listen at `address`, in words."""
    if exc.errno == errno.EADDRINUSE:
        reason = _("another program already uses port {port}.").format(port=address.port)
    elif exc.errno == errno.EADDRNOTAVAIL:
        reason = _("this machine has no network address {host}.").format(host=address.host)
    elif exc.errno == errno.EACCES:
        reason = _("this user may not listen on port {port} (ports below 1024 need root).").format(
            port=address.port
        )
    else:
        reason = _("the system refused it ({code}).").format(
            code=errno.errorcode.get(exc.errno or 0, exc.errno)
        )
    return DisplayError(
        _("The customer's display cannot listen at {address}: {reason}").format(
            address=address, reason=reason
        )
    )
