"""`counter printers test`: print a test slip on the printer the settings choose.
`counter printers retry`: print this counter's receipts that wait in the print queue."""

from __future__ import annotations

import typer

from counter.cli.app import app
from counter.cli.common import ledger
from counter.i18n import _

printers_app = typer.Typer(help=_("Receipt printers."), no_args_is_help=True)
app.add_typer(printers_app, name="printers")


@printers_app.command(
    "test",
    help=_("Print a test slip (no sale) on the configured printer. Exit 0 printed, 1 not printed."),
)
def test() -> None:
    """Print a test slip (no sale) on the configured printer. Exit 0 printed, 1 not printed."""
    from counter.config import load_settings
    from counter.printer_check import print_test_slip

    tried = print_test_slip(load_settings())
    typer.echo(tried.printer)
    if not tried.result.ok:
        typer.echo(tried.result.message, err=True)
        raise typer.Exit(1)
    typer.echo(tried.result.message)


@printers_app.command(
    "retry",
    help=_(
        "Print this counter's receipts that did not print (oldest first, each once). Stops at the first failure. Exit 0 when none is left waiting, 1 otherwise."
    ),
)
def retry() -> None:
    """Print this counter's receipts that did not print (oldest first, each once).

    Stops at the first failure. Exit 0 when none is left waiting, 1 otherwise."""
    from counter.bootstrap import make_printer
    from counter.config import load_settings
    from counter.services.queries import pending_receipts
    from counter.services.receipts import retry_pending

    with ledger() as opened:
        results = retry_pending(opened, make_printer(load_settings()))
        waiting = [sale.receipt_no for sale in pending_receipts(opened)]
    for result in results:
        typer.echo(result.message, err=not result.ok)
    if waiting:
        typer.echo(
            _(
                "{count} receipt(s) still waiting to print: {receipts}. "
                "Check the printer, then run `counter printers retry` again."
            ).format(count=len(waiting), receipts=", ".join(waiting)),
            err=True,
        )
        raise typer.Exit(1)
    typer.echo(
        _("Printed {count} waiting receipt(s).").format(count=len(results))
        if results
        else _("No receipts waiting to print.")
    )
