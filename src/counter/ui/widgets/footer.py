"""The footer, with each key's description in the clerk's language.

Textual's Footer shows a Binding's description as it is; ours are English (see
`ui.lang.N_`), so this footer translates each key's `description` (a public attribute of
the key widgets it builds) as it builds them. A language change refreshes the screen's
bindings (`Screen.refresh_bindings`), and the footer is built again in the new language.

Textual rebuilds the footer each time the screen's bindings may have changed: a modal
closing, the focus moving. A sale does that about six times with the same keys shown,
and each rebuild lays out and paints a dozen widgets on the event loop while the sale's
worker waits for its turn: the footer is built again only when what it shows changed.

It is compact (one space between keys) and each key carries its action as a class
(`-action-reprint-last`), so `app.tcss` can leave keys out where the screen is narrow: every
key it shows is shown whole (Textual's footer cuts the last one off at the edge).
"""

from __future__ import annotations

import re
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer

from counter.i18n import _


class CounterFooter(Footer):
    _shown: object = None

    def __init__(self, *children: Any, **options: Any) -> None:
        options.setdefault("compact", True)  # one space between keys: they fit at 80 columns
        super().__init__(*children, **options)

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            description = getattr(widget, "description", None)
            if isinstance(description, str) and description:
                widget.description = _(description)  # type: ignore[attr-defined]
            if isinstance(widget.tooltip, str) and widget.tooltip:
                widget.tooltip = _(widget.tooltip)
            action = getattr(widget, "action", None)
            if isinstance(action, str):  # so a narrow screen's CSS can leave a key out
                widget.add_class(_action_class(action))
            yield widget

    def what_it_shows(self) -> object:
        """Everything `compose` reads, in the words it would show them."""
        app = self.app
        return (
            self.show_command_palette,
            tuple(
                (
                    binding.key,
                    app.get_key_display(binding),
                    _(binding.description) if binding.description else "",
                    binding.action,
                    binding.group,
                    binding.show,
                    enabled,
                    _(tooltip) if tooltip else "",
                )
                for (_node, binding, enabled, tooltip) in self.screen.active_bindings.values()
            ),
        )

    async def recompose(self) -> None:
        if not self.is_attached:
            return await super().recompose()
        shown = self.what_it_shows()
        if shown != self._shown or not self.children:
            self._shown = shown
            await super().recompose()


def _action_class(action: str) -> str:
    """`app.reprint_last` -> `-action-reprint-last` (parameters left out: `move_day(-1)`)."""
    name = action.split("(", 1)[0].rsplit(".", 1)[-1]
    return "-action-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
