"""An Input for forms typed at speed.

- Enter moves the focus to the next field at once (`next_field`), before the next key
  is read: the clerk's first digit of the amount, typed right after Enter, must not
  land in the number field. A priority binding runs in the app's own task, before the
  app hands the next key to the focused widget; the Submitted message still follows.
- `on_enter`, for the last field of a form, runs at once on Enter in the same way: the
  amount field opens the confirmation before a key typed right after Enter is read.
- Keys its `restrict` pattern refuses are left to the screen's bindings: a cash field
  that only takes digits lets `y` confirm.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

from counter.ui.lang import N_


class FieldInput(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", N_("Next"), id="field-next", show=False, priority=True)
    ]

    def __init__(
        self,
        *args: Any,
        next_field: str | None = None,
        ready: Callable[[], bool] | None = None,
        on_enter: Callable[[], object] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.next_field = next_field
        self.on_enter = on_enter
        self.ready = ready or (lambda: bool(self.value.strip()))

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if character is not None and self.restrict and not re.fullmatch(self.restrict, character):
            return False
        return super().check_consume_key(key, character)

    async def action_submit(self) -> None:
        if self.next_field is not None and self.ready():
            self.screen.set_focus(self.screen.query_one(self.next_field))
        elif self.on_enter is not None:
            self.on_enter()
        await super().action_submit()
