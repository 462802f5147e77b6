"""The owner's tasks in the command palette: the printer test for anyone logged in, and
the Users screen for a supervisor or admin (a clerk is not offered it; the use cases
refuse a clerk anyway)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from counter.domain.records import Role
from counter.i18n import _

if TYPE_CHECKING:
    from counter.ui.app import CounterApp


def owner_commands(app: CounterApp) -> Iterable[SystemCommand]:
    """What the palette adds for the owner's tasks (the clerk is logged in)."""
    yield SystemCommand(
        _("Printer test"),
        _("Print a test slip (no sale) and say whether it printed"),
        partial(printer_test, app),
    )
    clerk = app.till.clerk
    if clerk is not None and clerk.role.at_least(Role.SUPERVISOR):
        yield SystemCommand(
            _("Users"),
            _("Add a clerk or supervisor, a new PIN, unlock, disable; asks your PIN"),
            partial(open_users, app),
        )


def open_users(app: CounterApp) -> None:
    from counter.ui.screens.users import UsersScreen

    if app.till.clerk is not None:
        app.push_screen(UsersScreen(app.till))


def printer_test(app: CounterApp) -> None:
    from counter.ui.printer_test import run_printer_test

    if app.till.clerk is None:
        return

    def said(text: str, printed: bool) -> None:
        app.notify(text, title=_("Printer test"), severity="information" if printed else "error")

    run_printer_test(app, app.till, said)
