"""What to do, said the screen's way: added after a refusal's own sentence.

The use cases and adapters say what happened; the screen knows its keys, so it names
them here (with the keys in force, after the shop's `keys` setting).
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.dom import DOMNode

from counter.domain.errors import (
    CounterError,
    Fault,
    FloatTooLow,
    NoOpenShift,
    OpeningCashMissing,
    StorageError,
)
from counter.i18n import _
from counter.ui.keys import key_for, keymap_of


def _key(app: App[Any], binding_id: str, where: str = "sale") -> str:
    from counter.ui.app import CounterApp
    from counter.ui.screens.reports import ReportsScreen
    from counter.ui.screens.sale import SaleScreen

    nodes: dict[str, type[DOMNode]] = {
        "sale": SaleScreen,
        "reports": ReportsScreen,
        "app": CounterApp,
    }
    return key_for(binding_id, keymap_of(app), nodes[where])


def advice(error: BaseException, app: App[Any]) -> str:
    """The screen's advice for `error`, or "" when its sentence says enough."""
    if isinstance(error, FloatTooLow):
        return _(
            "Restock from Reports ({reports}, then {restock}), or sell a smaller amount."
        ).format(reports=_key(app, "reports"), restock=_key(app, "reports-restock", "reports"))
    if isinstance(error, OpeningCashMissing):
        return _("Lock ({lock}) and log in again to enter it.").format(
            lock=_key(app, "lock", "app")
        )
    if isinstance(error, NoOpenShift):
        return _("Lock ({lock}) and log in again to count the drawer into a shift.").format(
            lock=_key(app, "lock", "app")
        )
    if isinstance(error, StorageError) and error.fault in (Fault.DAMAGED, Fault.REFUSED):
        return _("Tell the shop owner: `counter doctor` checks the ledger.")
    return ""


def with_advice(error: CounterError, app: App[Any]) -> str:
    """The refusal as the screen shows it: what happened, then what to do."""
    tip = advice(error, app)
    return f"{error.message} {tip}" if tip else error.message
