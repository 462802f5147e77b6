"""Widgets keep their styles in a `.tcss` file next to their module, like screens do.

Textual reads `CSS_PATH` for apps and screens only; a widget's `DEFAULT_CSS` is a string,
so this reads the file beside the widget's module once, at import.
"""

from __future__ import annotations

from pathlib import Path


def css_next_to(module_file: str) -> str:
    """The text of the `.tcss` file named like `module_file` (`amount_field.py` -> `.tcss`)."""
    return Path(module_file).with_suffix(".tcss").read_text(encoding="utf-8")
