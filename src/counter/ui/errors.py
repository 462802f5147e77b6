"""Turning a failure in a worker into a sentence for the clerk, never a traceback."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

from counter.domain.errors import CounterError
from counter.i18n import _

log = logging.getLogger("counter.ui")


def explain(error: BaseException, app: App[Any]) -> str:
    """What went wrong, in words a clerk can act on."""
    if isinstance(error, CounterError):
        from counter.ui.advice import with_advice

        return with_advice(error, app)
    if isinstance(error, PermissionError):
        return _(
            "Counter may not write to {file}: ask the shop owner to check the folder's permissions."
        ).format(file=error.filename or _("a file it needs"))
    if isinstance(error, OSError):
        from counter.files import os_reason

        where = f" ({error.filename})" if error.filename else ""
        return _("The computer refused a file operation{where}: {reason}.").format(
            where=where, reason=os_reason(error)
        )
    if type(error).__module__.startswith(("sqlalchemy", "sqlite3", "psycopg")):
        return _(
            "The ledger could not be read or written. Nothing was lost; try again, and tell "
            "the shop owner if it happens again."
        )
    return _(
        "Something unexpected went wrong ({error}). The counter still works; tell the shop "
        "owner if it happens again."
    ).format(error=type(error).__name__)


if TYPE_CHECKING:
    _Node = DOMNode
else:
    _Node = object  # a DOMNode first base would hide Screen's CSS: Textual follows first bases


class WorkerErrorsToApp(_Node):
    """Sends a failed worker's error to the app's one handler, `CounterApp.worker_failed`.

    Mixed into every screen, after the Screen base: worker state messages do not bubble, so without this a
    failure in a screen's worker would go unseen. Screens may handle their own workers'
    states too; Textual calls this handler as well.
    """

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        error = event.worker.error
        if event.state is WorkerState.ERROR and error is not None:
            handler = getattr(self.app, "worker_failed", None)
            if handler is not None:
                handler(error)
