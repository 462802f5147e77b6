"""`counter lockout` (the threshold in force and its history) and `counter lockout set N
--by ADMIN`: how many wrong PINs in a row lock an account."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from counter.cli.app import app
from counter.cli.common import approval, echo_history, ledger
from counter.domain.lockout import HIGHEST_LOCKOUT, LOWEST_LOCKOUT, LockoutBook
from counter.i18n import _

lockout_app = typer.Typer(
    help=_("How many wrong PINs in a row lock an account: the threshold, its history, a change."),
    invoke_without_command=True,
)
app.add_typer(lockout_app, name="lockout")


@lockout_app.callback()
def show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print one JSON object."))] = False,
) -> None:
    """The threshold in force for the next log-in, and its history: when, who, old, new."""
    if ctx.invoked_subcommand is not None:
        return
    from counter.services.lockout import lockout_book

    with ledger() as opened:
        book = lockout_book(opened)
        zone = opened.zone
    if as_json:
        typer.echo(json.dumps(_as_json(book), ensure_ascii=False))
        return
    typer.echo(
        _("An account locks after {attempts} wrong PINs in a row, from the next log-in.").format(
            attempts=book.attempts
        )
    )
    echo_history(book.history, zone)


def _as_json(book: LockoutBook) -> dict[str, object]:
    return {
        "lockout_attempts": book.attempts,
        "history": [
            {"at": c.at.isoformat(), "by": c.by, "old": c.old, "new": c.new} for c in book.history
        ],
    }


@lockout_app.command(
    "set", help=_("Set how many wrong PINs lock an account (an admin's PIN), from the next log-in.")
)
def set_lockout_command(
    attempts: Annotated[
        str,
        typer.Argument(
            help=_("Wrong PINs in a row, from {low} to {high}.").format(
                low=LOWEST_LOCKOUT, high=HIGHEST_LOCKOUT
            )
        ),
    ],
    by: Annotated[
        str,
        typer.Option("--by", help=_("The admin who sets it (PIN from COUNTER_PIN or a prompt).")),
    ],
) -> None:
    """Set the threshold for the next log-ins; a slip is refused before the PIN is asked."""
    from counter.domain.lockout import read_attempts
    from counter.services.lockout import set_lockout

    read_attempts(attempts)
    with ledger() as opened:
        change = set_lockout(opened, attempts, approval=approval(by))
    typer.echo(change.sentence)
