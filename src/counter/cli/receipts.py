"""`counter reprint RECEIPT --by NAME`: a COPY of a recorded sale's receipt, without the
screen. The acting user's PIN as for the other commands; the reprint is audited."""

from __future__ import annotations

from typing import Annotated

import typer

from counter.cli.app import app
from counter.cli.common import ledger, log_in
from counter.i18n import _


@app.command(
    "reprint",
    help=_("Print a sale's receipt again, marked COPY (audited). Exit 0 printed, 1 not printed."),
)
def reprint_command(
    receipt_no: Annotated[str, typer.Argument(help=_("Receipt number, e.g. A-000042."))],
    by: Annotated[
        str, typer.Option("--by", help=_("Who reprints (PIN from COUNTER_PIN or a prompt)."))
    ],
) -> None:
    """Print a sale's receipt again, marked COPY (audited). Exit 0 printed, 1 not printed."""
    from counter.bootstrap import make_printer
    from counter.config import load_settings
    from counter.services.receipts import reprint

    with ledger() as opened:
        user = log_in(opened, by)
        _sale, result = reprint(opened, make_printer(load_settings()), receipt_no, by=user)
    if not result.ok:
        typer.echo(result.message, err=True)
        raise typer.Exit(1)
    typer.echo(result.message)
