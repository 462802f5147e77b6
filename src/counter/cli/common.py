"""What the ledger commands share: opening the ledger and asking for PINs.

PINs are never command-line arguments (they would show in `ps` and shell history):
the acting user's PIN comes from COUNTER_PIN or a hidden prompt, a new PIN from
COUNTER_NEW_PIN or a hidden prompt asked twice.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Protocol

import typer

from counter.i18n import _


class Change(Protocol):
    """A recorded change of a setting (a rate or the lockout threshold)."""

    @property
    def at(self) -> datetime: ...
    @property
    def by(self) -> str: ...
    @property
    def old(self) -> int | None: ...
    @property
    def new(self) -> int: ...


if TYPE_CHECKING:
    from counter.domain.records import Approval, User
    from counter.services.ports import Ledger

PIN_ENV = "COUNTER_PIN"
NEW_PIN_ENV = "COUNTER_NEW_PIN"


def ledger() -> Ledger:
    from counter.bootstrap import open_ledger
    from counter.config import load_settings

    return open_ledger(load_settings())


def _need_terminal(variable: str, name: str) -> None:
    """A PIN prompt needs someone at a terminal: without one (a script, a pipe, cron), say
    which variable to set instead of waiting or failing with a traceback."""
    if not sys.stdin.isatty():
        from counter.cli.app import fail

        raise fail(
            _(
                "No terminal to ask {name}'s PIN on: set {variable} for this command, "
                "or run it in a terminal."
            ).format(name=name, variable=variable)
        )


def acting_pin(name: str) -> str:
    pin = os.environ.get(PIN_ENV)
    if pin is not None:
        return pin
    _need_terminal(PIN_ENV, name)
    return str(typer.prompt(_("PIN for {name}").format(name=name), hide_input=True))


def new_pin(name: str) -> str:
    pin = os.environ.get(NEW_PIN_ENV)
    if pin is not None:
        return pin
    _need_terminal(NEW_PIN_ENV, name)
    return str(
        typer.prompt(
            _("New PIN for {name}").format(name=name),
            hide_input=True,
            confirmation_prompt=_("Repeat for confirmation"),
        )
    )


def log_in(opened: Ledger, name: str) -> User:
    """The acting user, logged in with their PIN (a wrong PIN is recorded as on the screen)."""
    from counter.services.users import authenticate

    return authenticate(opened, name, acting_pin(name))


def approval(name: str) -> Approval:
    """A supervisor's name and PIN, checked by the use case in its own transaction."""
    from counter.domain.records import Approval

    return Approval(name, acting_pin(name))


def echo_history(
    history: Sequence[Change], zone: tzinfo, shown: Callable[[int], str] = str
) -> None:
    """A setting's changes, newest first, one line each in the shop's time: when, who, old
    (`set-up` for the first value), new (`counter rate`, `counter lockout`)."""
    if history:
        typer.echo(_("History, newest first (when, who, old, new):"))
    for change in history:
        when = change.at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        old = shown(change.old) if change.old is not None else _("set-up")
        typer.echo(f"  {when}  {change.by:<16} {old:>8} → {shown(change.new)}")
