"""The screen's words for its keys: Binding descriptions marked for translation, and the
bindings a screen or widget class declares (for the help screen and the keys check).

Binding descriptions are plain `str` (Textual keeps them as they are), so they are
written in English, marked with this module's `N_` for extraction, and translated where
they are shown: the footer (`ui.widgets.footer.CounterFooter`) and the help screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

if TYPE_CHECKING:
    from textual.dom import DOMNode


def N_(message: str) -> str:
    """Mark a Binding description (or another plain-`str` constant) for extraction.

    Returns `message` unchanged, in English: `_()` it where it is shown. (Unlike
    `counter.i18n.N_`, which returns a lazy object Textual could not show.)
    """
    return message


def default_bindings(node_class: type[DOMNode]) -> list[Binding]:
    """The bindings a screen, widget or app class declares, its own and inherited, the
    way Textual merges them (a subclass's binding for a key wins)."""
    by_key: dict[str, Binding] = {}
    for cls in reversed(node_class.__mro__):
        declared = cls.__dict__.get("BINDINGS")
        if not declared:
            continue
        if not cls.__dict__.get("INHERIT_BINDINGS", True):
            by_key.clear()
        for binding in Binding.make_bindings(declared):
            by_key[binding.key] = binding
    return list(by_key.values())
