"""The footer, with each key's description in the clerk's language.

Textual's Footer shows a Binding's description as it is; ours are English (see
`ui.lang.N_`), so this footer translates each key's `description` (a public attribute of
the key widgets it builds) as it builds them. A language change refreshes the screen's
bindings (`Screen.refresh_bindings`), and the footer is built again in the new language.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

from counter.i18n import _


class CounterFooter(Footer):
    def compose(self) -> ComposeResult:
        for widget in super().compose():
            description = getattr(widget, "description", None)
            if isinstance(description, str) and description:
                widget.description = _(description)  # type: ignore[attr-defined]
            if isinstance(widget.tooltip, str) and widget.tooltip:
                widget.tooltip = _(widget.tooltip)
            yield widget
