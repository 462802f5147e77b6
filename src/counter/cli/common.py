"""What the ledger commands share: opening the ledger and asking for PINs.

PINs are never command-line arguments (they would show in `ps` and shell history):
the acting user's PIN comes from COUNTER_PIN or a hidden prompt, a new PIN from
COUNTER_NEW_PIN or a hidden prompt asked twice.
"""

from __future__ import annotations

import os

import typer

from counter.config import load_settings
from counter.i18n import _
from counter.services import Ledger, User, authenticate, open_ledger

PIN_ENV = "COUNTER_PIN"
NEW_PIN_ENV = "COUNTER_NEW_PIN"


def ledger() -> Ledger:
    return open_ledger(load_settings())


def acting_pin(name: str) -> str:
    pin = os.environ.get(PIN_ENV)
    if pin is not None:
        return pin
    return str(typer.prompt(_("PIN for {name}").format(name=name), hide_input=True))


def new_pin(name: str) -> str:
    pin = os.environ.get(NEW_PIN_ENV)
    if pin is not None:
        return pin
    return str(
        typer.prompt(
            _("New PIN for {name}").format(name=name),
            hide_input=True,
            confirmation_prompt=_("Repeat for confirmation"),
        )
    )


def log_in(open_ledger: Ledger, name: str) -> User:
    return authenticate(open_ledger, name, acting_pin(name))
