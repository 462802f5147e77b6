"""Keys from settings: the `keys` setting (binding id -> key) checked before the app runs,
and the keys in force as the help screen shows them.

Every Binding has an `id`; the setting remaps it with Textual's keymap (`App.set_keymap`).
A remap that puts two actions on one key where both can answer (a screen with the
app's keys and the input fields' Enter) is refused at start, naming both ids and the key.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.keys import KEY_NAME_REPLACEMENTS, format_key

from counter.domain.errors import KeymapError
from counter.i18n import _
from counter.ui.lang import default_bindings

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

__all__ = ["KeymapError", "check_keymap", "key_for", "key_label", "keymap_of"]


def keymap_of(app: App[Any]) -> Mapping[str, str]:
    """The keymap the app was started with (the shop's `keys` setting, checked)."""
    keys = getattr(app, "keys_setting", None)
    return keys if isinstance(keys, dict) else {}


def _character_to_key(character: str) -> str:
    """A key named as Textual names it: `a` stays `a`, `+` becomes `plus`."""
    if character.isalnum():
        key = character
    else:
        try:
            key = unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")
        except ValueError:
            key = {"\t": "tab"}.get(character, character)
    return KEY_NAME_REPLACEMENTS.get(key, key)


def _normalize_key_list(keys: str) -> str:
    """A comma-separated list of keys, each single character named as Textual names it."""
    listed = [key.strip() for key in keys.split(",")]
    return ",".join(_character_to_key(key) if len(key) == 1 else key for key in listed)


def _scope_classes() -> list[tuple[type[DOMNode], bool]]:
    """Every screen with bindings, and whether it is modal (the app's keys do not reach it)."""
    from counter.ui.modals.close_day import CloseDayScreen
    from counter.ui.modals.confirm_sale import ConfirmSaleScreen
    from counter.ui.modals.duplicate import DuplicateScreen
    from counter.ui.modals.opening_cash import OpeningCashScreen
    from counter.ui.modals.report_pin import ReportPinScreen
    from counter.ui.modals.restock import RestockScreen
    from counter.ui.modals.retype_last4 import RetypeLast4Screen
    from counter.ui.modals.users import AddUserScreen
    from counter.ui.modals.void import VoidScreen
    from counter.ui.screens.first_run import FirstRunScreen
    from counter.ui.screens.help import HelpScreen
    from counter.ui.screens.history import HistoryScreen
    from counter.ui.screens.login import LoginScreen
    from counter.ui.screens.reports import ReportsScreen
    from counter.ui.screens.sale import SaleScreen
    from counter.ui.screens.users import UsersScreen

    return [
        (LoginScreen, False),
        (FirstRunScreen, False),
        (SaleScreen, False),
        (HistoryScreen, False),
        (ReportsScreen, False),
        (HelpScreen, True),
        (ConfirmSaleScreen, True),
        (DuplicateScreen, True),
        (RetypeLast4Screen, True),
        (VoidScreen, True),
        (CloseDayScreen, True),
        (OpeningCashScreen, True),
        (RestockScreen, True),
        (ReportPinScreen, True),
        (UsersScreen, False),
        (AddUserScreen, True),
    ]


def _app_class() -> type[DOMNode]:
    from counter.ui.app import CounterApp

    return CounterApp


def _field_class() -> type[DOMNode]:
    from counter.ui.widgets.field_input import FieldInput

    return FieldInput


def all_binding_ids() -> set[str]:
    classes = [_app_class(), _field_class(), *(cls for cls, _ in _scope_classes())]
    return {b.id for cls in classes for b in default_bindings(cls) if b.id}


def normalize_keymap(keymap: Mapping[str, str]) -> dict[str, str]:
    return {binding_id: _normalize_key_list(keys) for binding_id, keys in keymap.items()}


def _keys(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    if binding.id and binding.id in keymap:
        return [key for key in keymap[binding.id].split(",") if key]
    return [_normalize_key_list(binding.key)]


def check_keymap(keymap: Mapping[str, str]) -> dict[str, str]:
    """The keymap normalised for `App.set_keymap`, or KeymapError saying what to change."""
    keymap = normalize_keymap(keymap)
    known = all_binding_ids()
    unknown = sorted(set(keymap) - known)
    if unknown:
        raise KeymapError(
            _("keys: no action has the id {ids}; the ids are: {known}.").format(
                ids=", ".join(unknown), known=", ".join(sorted(known))
            )
        )
    for binding_id, keys in keymap.items():
        if not keys.strip(","):
            raise KeymapError(_("keys: {id} has no key.").format(id=binding_id))
    app_bindings = default_bindings(_app_class())
    field_bindings = default_bindings(_field_class())
    for screen, modal in _scope_classes():
        scope = [*default_bindings(screen), *field_bindings]
        scope += [b for b in app_bindings if b.priority] if modal else app_bindings
        _check_scope(scope, keymap, screen.__name__)
    return keymap


def _check_scope(bindings: Iterable[Binding], keymap: Mapping[str, str], where: str) -> None:
    """Two bindings with different actions on one key, at least one of them remapped."""
    seen: dict[str, Binding] = {}
    for binding in bindings:
        for key in _keys(binding, keymap):
            other = seen.get(key)
            if other is None:
                seen[key] = binding
                continue
            if other.action == binding.action or other.id == binding.id:
                continue
            if other.id not in keymap and binding.id not in keymap:
                continue  # the shipped defaults: a field's Enter and a screen's Enter, by design
            raise KeymapError(
                _(
                    "keys: {first} and {second} are both on {key} ({where}): "
                    "give one of them another key."
                ).format(first=other.id, second=binding.id, key=key, where=where)
            )


def key_label(key: str) -> str:
    """`f11` -> `F11`, `ctrl+l` -> `Ctrl+L`, `escape` -> `Esc`, `y` -> `y`: a key as the help names it."""
    parts = key.split("+")
    *modifiers, last = parts
    named = {"escape": "Esc", "enter": "Enter", "pagedown": "PgDn", "pageup": "PgUp"}
    shown = format_key(last)
    if last in named:
        shown = named[last]
    elif len(shown) == 1:
        shown = shown.upper() if modifiers else shown  # `y` as typed; Ctrl+L as written
    elif shown.lower().startswith("f") and shown[1:].isdigit():
        shown = shown.upper()
    else:
        shown = shown[:1].upper() + shown[1:]
    return "+".join([*(m.capitalize() for m in modifiers), shown])


def key_for(binding_id: str, keymap: Mapping[str, str], node_class: type[DOMNode]) -> str:
    """The key(s) in force for `binding_id` of `node_class`, as the help shows them."""
    for binding in default_bindings(node_class):
        if binding.id == binding_id:
            return " ".join(key_label(key) for key in _keys(binding, keymap))
    return binding_id
