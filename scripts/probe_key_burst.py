"""Log what Textual does with one burst of keys from a real terminal.

Run it inside tmux and send the burst in ONE call, then read the log:

    tmux new-session -d -s probe -x 100 -y 30 ".venv/bin/python scripts/probe_key_burst.py /tmp/keys.log"
    tmux send-keys -t probe "012345678" Enter "5" Enter Enter
    tmux send-keys -t probe C-q; cat /tmp/keys.log

Each line is: milliseconds since the first read, the task that handled it (app, a widget,
a screen), what happened. `read` lines are the driver's terminal reads (one os.read each);
`app key` is the App taking a key from its queue (where it forwards it: `app.focused`
then); `<field> key` is the field itself applying it; `submit` is the Enter binding's
action (and what the field held then); `focus` is a focus change. `--plain` makes Enter
a normal binding instead of a priority one. With `--ordered` the
fields go through the counter's ordered key path (`counter.ui.key_path`) instead.
"""

from __future__ import annotations

import sys
import time
from typing import Any, ClassVar

from textual import events, on
from textual._xterm_parser import XTermParser
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input

LOG: list[str] = []
START: list[float] = []


def note(who: str, what: str) -> None:
    now = time.perf_counter()
    if not START:
        START.append(now)
    LOG.append(f"{(now - START[0]) * 1000:8.2f} ms  {who:<8} {what}")


_feed = XTermParser.feed


def _logged_feed(self: XTermParser, data: str) -> Any:
    if data:
        note("driver", f"read {len(data)} chars {data!r}")
    return _feed(self, data)


XTermParser.feed = _logged_feed  # type: ignore[method-assign]


class PriorityEnter(Input):
    """The counter's field before the ordered key path: Enter as a priority binding."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "submit", priority=True)]

    async def _on_key(self, event: events.Key) -> None:
        note(self.id or "?", f"key {event.key!r} (field held {self.value!r})")
        await super()._on_key(event)

    async def action_submit(self) -> None:
        note(self.id or "?", f"submit: field holds {self.value!r}")
        if self.id == "number" and self.value:
            self.screen.set_focus(self.screen.query_one("#amount"))
        await super().action_submit()


class PlainEnter(PriorityEnter):
    """Enter as Input's own (non-priority) binding: it runs when the key bubbles to the App."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "submit")]


class Probe(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "quit", priority=True)]

    def __init__(self, ordered: bool, plain: bool = False) -> None:
        super().__init__()
        self.ordered, self.plain = ordered, plain

    def compose(self) -> ComposeResult:
        if self.ordered:
            from counter.ui.widgets.field_input import FieldInput

            class Logged(FieldInput):
                async def _on_key(self, event: events.Key) -> None:
                    note(self.id or "?", f"key {event.key!r} (field held {self.value!r})")
                    await super()._on_key(event)

            yield Logged(id="number", next_field="#amount")
            yield Logged(id="amount")
        else:
            field = PlainEnter if self.plain else PriorityEnter
            yield field(id="number")
            yield field(id="amount")

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            target = self.focused.id if self.focused is not None else None
            note("app", f"key {event.key!r}, focused field {target}")
        await super().on_event(event)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        note("screen", f"Submitted from {event.input.id} with {event.value!r}")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        note("screen", f"focus now on {event.widget.id}")


def main() -> None:
    args = sys.argv[1:]
    ordered = "--ordered" in args
    path = next(a for a in args if not a.startswith("--"))
    app: App[None]
    if ordered:
        from counter.ui.key_path import OrderedKeys

        class OrderedProbe(OrderedKeys, Probe):
            pass

        app = OrderedProbe(True)
    else:
        app = Probe(False, plain="--plain" in args)
    app.run()
    with open(path, "w", encoding="utf-8") as log:
        log.write("\n".join(LOG) + "\n")


if __name__ == "__main__":
    main()
