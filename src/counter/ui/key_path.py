"""One ordered path for keys: each key is handed to Textual only once every key before it
has been applied, so a burst (a scanner, a paste, a fast typist, a slow machine catching
up) does exactly what the same keys typed slowly do.

Textual takes every key of a terminal read from the App's queue and forwards it to the
widget focused *then*, before that widget has applied the keys ahead of it; an Enter that
moves the focus, opens a modal or starts a sale races the keys that follow it (see
docs/screen.md, "Keys in a burst"). Here the App keeps the keys in its own queue and lets
the next one through when the screen has settled: every message queue empty, every
callback run, every new screen or widget mounted, and nothing holding the keys. A screen
holds the keys while a worker does what the next key depends on (recording a sale,
checking a PIN); the keys then wait for the form that follows, in order.

A paste takes the same path: each line is pasted into the field focused then, each line
break is an Enter and each tab a Tab (a row copied from a spreadsheet fills the form).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections import deque
from typing import Any

from textual import events
from textual.app import App
from textual.message_pump import MessagePump

_QUICK_ROUNDS = 200  # event-loop turns polled at once before the path sleeps between looks
_SLEEP = 0.002  # seconds between looks once a key takes long to apply (a screen mounting)
_BREAK = re.compile(r"(\r\n|\r|\n|\t)")  # a line break is an Enter, a tab a Tab
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not \t, \n, \r


def _busy(node: MessagePump) -> bool:
    """Has `node` still something to do: its own compose and mount, a message queued or
    being handled, a callback to run? A node is idle only while its task waits on its
    empty queue (Textual's queue keeps no count of messages in hand, its event does keep
    the waiting task). Closed nodes have nothing left."""
    if node._closed or node._closing:
        return False
    if not node._is_mounted:
        return True
    if not node._running:
        return False
    queue: Any = node._message_queue
    if not queue.empty() or node._next_callbacks:
        return True
    return not queue.ready_event._waiters


def split_paste(text: str) -> tuple[list[str], bool]:
    """A paste as the pieces to paste and the keys between them (a carriage return stands
    for the Enter of each line break, a tab for a Tab), without control characters; and
    whether any were left out."""
    cleaned = _CONTROL.sub("", text)
    pieces = [piece for piece in _BREAK.split(cleaned) if piece]
    return ["\r" if piece in ("\r\n", "\n", "\r") else piece for piece in pieces], cleaned != text


class KeyPath:
    """The App's queue of keys not yet handed to Textual, and who holds them back."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._waiting: deque[events.Event] = deque()
        self._holds: set[str] = set()
        self._released: events.Event | None = None
        self._unheld = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # -- what the App asks ----------------------------------------------------------------

    def keeps(self, event: events.Key | events.Paste) -> bool:
        """True when the path keeps `event` to hand it on later: the App must not handle it now.

        The key the path itself hands on comes back here once, and goes through."""
        if event is self._released:
            self._released = None
            return False
        if isinstance(event, events.Key) and self._is_quit(event.key):
            return False  # leaving always works, even while a sale is being recorded
        if isinstance(event, events.Paste):
            self._waiting.extend(self._paste_as_keys(event.text))
        else:
            self._waiting.append(event)
        self._start()
        return True

    @property
    def waiting(self) -> int:
        """How many keys wait to be handed on."""
        return len(self._waiting)

    # -- what the screens ask -------------------------------------------------------------

    def hold(self, reason: str) -> None:
        """Keep every following key back until `release(reason)`."""
        self._holds.add(reason)
        self._unheld.clear()

    def release(self, reason: str) -> None:
        """Let keys through again (once the screen has settled); unknown reasons are ignored."""
        self._holds.discard(reason)
        if not self._holds:
            self._unheld.set()

    def held(self, reason: str) -> bool:
        return reason in self._holds

    async def until_still(self) -> None:
        """Until the screen has nothing left to do (callbacks run, screens closed), whether
        the keys are held or not."""
        while self._app.is_running and self._busy():
            await asyncio.sleep(_SLEEP)

    # -- inside -----------------------------------------------------------------------

    def _is_quit(self, key: str) -> bool:
        """Is `key` bound to quitting on the screen shown now (keymap applied)?"""
        try:
            active = self._app.active_bindings.get(key)
        except Exception:  # no screen yet: the app is starting
            return False
        return active is not None and active.binding.action in ("quit", "app.quit")

    def _paste_as_keys(self, text: str) -> list[events.Event]:
        pieces, refused = split_paste(text)
        if refused:
            from counter.i18n import _

            self._app.notify(
                _("The pasted text had control characters; they were left out."),
                severity="warning",
            )
        keys: list[events.Event] = []
        for piece in pieces:
            if piece == "\r":
                keys.append(events.Key("enter", "\r"))
            elif piece == "\t":
                keys.append(events.Key("tab", "\t"))
            else:
                keys.append(events.Paste(piece))
        return keys

    def _start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._hand_on(), name="key path")

    async def _hand_on(self) -> None:
        """Hand the waiting keys to the App one at a time, each once the screen settled."""
        while self._waiting and self._app.is_running:
            if not await self._settled():
                return
            event = self._waiting.popleft()
            self._released = event
            if not self._app.post_message(event):
                self._released = None
                return

    async def _settled(self) -> bool:
        """Wait until nothing holds the keys and the screen has nothing left to do."""
        rounds = 0
        while self._app.is_running:
            if self._holds:
                with contextlib.suppress(TimeoutError):  # a look now and then: still running?
                    await asyncio.wait_for(self._unheld.wait(), timeout=0.5)
                continue
            if self._released is None and not self._busy():
                return True
            rounds += 1
            await asyncio.sleep(0 if rounds < _QUICK_ROUNDS else _SLEEP)
        return False

    def _busy(self) -> bool:
        app = self._app
        if _busy(app):
            return True
        try:
            screen = app.screen
        except Exception:  # no screen yet: the app is starting
            return True
        if screen._callbacks:  # call_after_refresh on the screen on show
            return True
        return any(_busy(node) for node in list(app._registry))


class OrderedKeys(App[None]):
    """Mixed into the App before `App`: keys and pastes take the ordered path."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_path = KeyPath(self)

    async def on_event(self, event: events.Event) -> None:
        if (
            isinstance(event, events.Key | events.Paste)
            and not event.is_forwarded
            and self.key_path.keeps(event)
        ):
            return
        await super().on_event(event)


def hold_keys(node: MessagePump, reason: str) -> None:
    """Keep the keys typed from now on until `release_keys(node, reason)` (a no-op outside
    an App with the ordered path)."""
    path = getattr(node.app, "key_path", None)
    if isinstance(path, KeyPath):
        path.hold(reason)


def release_keys(node: MessagePump, reason: str) -> None:
    path = getattr(node.app, "key_path", None)
    if isinstance(path, KeyPath):
        path.release(reason)
