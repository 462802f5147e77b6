"""The screen's language: Binding descriptions that follow the active language, and the
keys in force (the shop's `keys` setting over each Binding's default) for help and footer.

Binding descriptions are plain `str` (Textual's Footer shows them as they are), so they
are written in English, marked with this module's `N_` for extraction, and translated
per node by `localize_bindings` when a screen is built and again after a language change.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingsMap

from counter.i18n import _

if TYPE_CHECKING:
    from textual.dom import DOMNode


def N_(message: str) -> str:
    """Mark a Binding description (or another plain-`str` constant) for extraction.

    Returns `message` unchanged, in English: `_()` it where it is shown. (Unlike
    `counter.i18n.N_`, which returns a lazy object Textual could not show.)
    """
    return message


def localize_bindings(node: DOMNode) -> None:
    """Give `node` its bindings with the descriptions in the active language.

    Textual copies a node's `_bindings` when it builds the footer and checks keys, and
    applies the app's keymap on that copy, so remapped keys keep the translated text.
    """
    source: BindingsMap | None = getattr(node, "_english_bindings", None)
    if source is None:  # the first time: what Textual gave the node, in English
        source = node._bindings.copy()  # the class's bindings, and the app's palette key
        node._english_bindings = source  # type: ignore[attr-defined]
    bindings = source.copy()
    bindings.key_to_bindings = {
        key: [
            replace(binding, description=_(binding.description)) if binding.description else binding
            for binding in group
        ]
        for key, group in source.key_to_bindings.items()
    }
    node._bindings = bindings


def default_bindings(node_class: type[DOMNode]) -> list[Binding]:
    """The bindings a screen, widget or app class declares (its own and inherited)."""
    merged = node_class._merged_bindings
    if merged is None:
        return []
    return [binding for group in merged.key_to_bindings.values() for binding in group]


def keys_of(binding: Binding, keymap: dict[str, str]) -> list[str]:
    """The keys a binding answers to with `keymap` applied (a keymap value may list several)."""
    if binding.id and binding.id in keymap:
        return [key.strip() for key in keymap[binding.id].split(",") if key.strip()]
    return [binding.key]
