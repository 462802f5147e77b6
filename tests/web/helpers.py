"""A display on a free loopback port, and a reader of its server-sent events."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import datetime

import aiohttp

from counter.domain.display import DisplayState, parse_display_address
from counter.web.display import CustomerDisplay

SHOP = "Sok Dara Phone Shop"


@contextmanager
def running_display(
    address: str = "127.0.0.1:0",
    *,
    first: DisplayState | None = None,
    hold_seconds: float = 0.5,
    clock: Callable[[], datetime] | None = None,
) -> Iterator[CustomerDisplay]:
    extra = {"clock": clock} if clock else {}
    display = CustomerDisplay(
        parse_display_address(address, any_port=True),
        first or DisplayState.idle(SHOP),
        hold_seconds=hold_seconds,
        **extra,
    )
    with display.start():
        yield display


class Events:
    """The events of one `/events` stream, parsed as a browser's EventSource would."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self.response = response
        self.retry: int | None = None

    async def next(self, timeout: float = 2.0) -> dict[str, object]:
        return await asyncio.wait_for(self._next(), timeout)

    async def _next(self) -> dict[str, object]:
        data: list[str] = []
        while True:
            raw = await self.response.content.readline()
            if not raw:
                raise EOFError("the stream ended")
            line = raw.decode("utf-8").rstrip("\n")
            if line.startswith("data: "):
                data.append(line[len("data: ") :])
            elif line.startswith("retry: "):
                self.retry = int(line[len("retry: ") :])
            elif not line and data:
                return json.loads("\n".join(data))  # type: ignore[no-any-return]

    async def ended(self, timeout: float = 2.0) -> bool:
        """True once the server closed the stream."""

        async def drain() -> bool:
            while await self.response.content.readline():
                pass
            return True

        return await asyncio.wait_for(drain(), timeout)


@asynccontextmanager
async def events_of(display: CustomerDisplay) -> AsyncIterator[Events]:
    """The display's event stream, opened as a page opens it."""
    async with (
        aiohttp.ClientSession() as http,
        http.get(display.address.url + "events") as response,
    ):
        yield Events(response)
