"""An operator's name on its brand colour, readable on any colour."""

from __future__ import annotations

from rich.text import Text

from counter.domain.operators import Operator


def ink_for(colour: str) -> str:
    """Black or white text, whichever reads better on `colour` (`#RRGGBB`)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.299 * red + 0.587 * green + 0.114 * blue
    return "#000000" if luminance > 140 else "#ffffff"


def operator_badge(operator: Operator) -> Text:
    return Text(f" {operator.name} ", style=f"bold {ink_for(operator.colour)} on {operator.colour}")


def operator_name(operator: Operator) -> Text:
    """The name in its colour, for lists where a badge on every line is too loud."""
    return Text(operator.name, style=f"bold {operator.colour}")
