"""`counter rate` (the rate in force and its history) and `counter rate set RATE --by NAME`."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from counter.cli.app import app
from counter.cli.common import approval, echo_history, ledger
from counter.domain.rate import RateBook, RateChange
from counter.i18n import _

rate_app = typer.Typer(
    help=_("The shop's exchange rate: the rate in force, its history, a change."),
    invoke_without_command=True,
)
app.add_typer(rate_app, name="rate")


@rate_app.callback()
def show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print one JSON object."))] = False,
) -> None:
    """The rate in force for the next sale, and its history: when, who, old, new."""
    if ctx.invoked_subcommand is not None:
        return
    from counter.services.rate import rate_book

    with ledger() as opened:
        book = rate_book(opened)
        zone = opened.zone
    if as_json:
        typer.echo(json.dumps(_as_json(book), ensure_ascii=False))
        return
    typer.echo(
        _("Rate in force: {rate} riel per dollar, for the next sale.").format(
            rate=f"{book.riel_per_usd:,}"
        )
    )
    echo_history(book.history, zone, lambda rate: f"{rate:,}")


def _as_json(book: RateBook) -> dict[str, object]:
    return {
        "riel_per_usd": book.riel_per_usd,
        "history": [_change_json(change) for change in book.history],
    }


def _change_json(change: RateChange) -> dict[str, object]:
    return {"at": change.at.isoformat(), "by": change.by, "old": change.old, "new": change.new}


@rate_app.command("set", help=_("Set the rate for the next sales (a supervisor's PIN)."))
def set_rate(
    rate: Annotated[str, typer.Argument(help=_("Whole riel per dollar, e.g. 4100."))],
    by: Annotated[
        str,
        typer.Option(
            "--by", help=_("The supervisor who sets it (PIN from COUNTER_PIN or a prompt).")
        ),
    ],
) -> None:
    """Set the rate for the next sales; recorded sales keep theirs."""
    from counter.domain.rate import read_rate
    from counter.services.rate import set_exchange_rate

    with ledger() as opened:
        read_rate(rate, opened.policy.rate_bounds)  # a slip is refused before the PIN is asked
        change = set_exchange_rate(opened, rate, approval=approval(by))
    typer.echo(change.sentence)
