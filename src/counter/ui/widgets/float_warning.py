"""The line under the sale form that warns when the typed number's operator is low on
airtime stock (the shop's `float_policy`: `warn` or `refuse`), with where to restock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message
from textual.widgets import Static

from counter import services
from counter.i18n import _
from counter.ui.till import Till
from counter.ui.work import in_thread


class FloatWarningLine(Static):
    """`restock` names the keys in force: (Reports key, restock key)."""

    @dataclass
    class Loaded(Message):
        operator_id: str
        text: str | None

    def __init__(
        self, till: Till, restock: Callable[[], tuple[str, str]], *, id: str | None = None
    ) -> None:
        super().__init__("", id=id, classes="notice")
        self.till = till
        self.restock = restock
        self.operator_id: str | None = None  # whose airtime balance the warning is about

    def check(self, operator_id: str | None) -> None:
        """Warn about `operator_id` (None: no operator detected, no warning)."""
        self.operator_id = operator_id
        if operator_id is None:
            self.show(None)
        elif self.till.policy.watches_float():
            self._load(operator_id)

    @in_thread(group="float", exclusive=True)
    def _load(self, operator_id: str) -> None:
        warning = services.float_warning(self.till.ledger, operator_id)
        if warning is not None:
            reports, restock = self.restock()
            warning += " " + _("Restock from Reports ({reports}, then {restock}).").format(
                reports=reports, restock=restock
            )
        self.post_message(self.Loaded(operator_id, warning))

    def on_float_warning_line_loaded(self, message: Loaded) -> None:
        message.stop()
        if message.operator_id == self.operator_id:
            self.show(message.text)

    def show(self, text: str | None) -> None:
        self.update(text or "")
        self.set_class(bool(text), "-shown")
