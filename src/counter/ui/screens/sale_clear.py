"""Escape on the sale form clears it at once, and Ctrl+Z brings it back (a mixin, so the
sale screen stays short).

We chose undo over asking: Escape is pressed fast and often at a counter, and a question
would stop the next keys of a burst; an undo costs nothing when the clear was meant. The
footer says which: while an undo is possible it shows the undo key in place of Escape's,
until something is typed (then the cleared sale is gone for good). A sale recorded, or
another clerk logging in over the lock, empties the form with no undo.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from counter.i18n import _

if TYPE_CHECKING:
    from collections.abc import Callable

    from counter.ui.widgets.amount_field import AmountField

from counter.ui.widgets.number_field import NumberField


class ClearWithUndo:
    """Mixed into SaleScreen (which has `number_field`, `amount_field`, `_status`, `_key`)."""

    _undo: tuple[str, str, str] | None = None  # number, amount, the field focused
    if TYPE_CHECKING:

        @property
        def number_field(self) -> NumberField: ...
        @property
        def amount_field(self) -> AmountField: ...

        _status: Callable[..., None]
        _key: Callable[[str], str]
        _ready_text: Callable[..., str]

    def action_clear_form(self) -> None:
        """Escape: the form emptied; what it held can come back with the undo key."""
        number, amount = self.number_field.value, self.amount_field.value
        if self._form_empty():
            return
        focused = getattr(self._screen().focused, "id", None)
        self.empty_form()
        self._undo = (number, amount, "amount" if focused == "amount" else "number")
        self._screen().refresh_bindings()
        self._status(
            _("Form cleared: {key} brings it back.").format(key=self._key("undo-clear")), kind=""
        )

    def action_undo_clear(self) -> None:
        """Ctrl+Z: the form as Escape found it, the focus where it was."""
        if self._undo is None or not self._form_empty():
            self._forget_undo()
            return
        number, amount, focused = self._undo
        self._forget_undo()
        self.number_field.input.value = number
        self.amount_field.input.value = amount
        field = self.amount_field if focused == "amount" else self.number_field
        field.input.focus()
        self._status(self._ready_text(), kind="")

    def empty_form(self) -> None:
        """The form empty, the number focused, no undo (after a sale, for another clerk)."""
        self._forget_undo()
        self.number_field.clear()
        self.amount_field.clear()
        self.number_field.input.focus()

    def _forget_undo(self) -> None:
        if self._undo is not None:
            self._undo = None
            self._screen().refresh_bindings()

    def on_number_field_changed(self, event: NumberField.Changed) -> None:
        """(The sale screen's own handler runs too: Textual calls each class's.)"""
        if self._undo is not None and not self._form_empty():
            self._forget_undo()  # a new sale is being typed: the cleared one is gone

    def _form_empty(self) -> bool:
        return not (self.number_field.value.strip() or self.amount_field.value.strip())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape's key in the footer, or the undo key while an undo is possible."""
        undo = self._undo is not None and self._form_empty()
        if action == "undo_clear":
            return undo
        if action == "clear_form":
            return not undo
        return True

    def _screen(self) -> Any:
        return self  # a Screen, once mixed in
