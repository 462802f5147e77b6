"""An Input for forms typed at speed.

- Enter moves the focus to the next field (`next_field`) when the field is `ready()`;
  `on_enter`, for the last field of a form, runs on Enter instead (the amount field opens
  the confirmation). The Submitted message still follows.
- Enter is an ordinary binding, handled after the keys typed before it are in the field:
  the App's ordered key path (`counter.ui.key_path`) hands a key to Textual only once the
  keys before it have been applied, so `ready()` sees every digit, and a key typed right
  after Enter goes to the field Enter moved to.
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
        Binding("enter", "submit", N_("Next"), id="field-next", show=False)
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
