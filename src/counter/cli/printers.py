"""`counter printers test`: print a test slip on the printer the settings choose."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from counter.cli.app import app
from counter.config import load_settings
from counter.printing.printers import make_printer
from counter.printing.receipt import printer_test_slip

printers_app = typer.Typer(help="Receipt printers.", no_args_is_help=True)
app.add_typer(printers_app, name="printers")


@printers_app.command("test")
def test() -> None:
    """Print a test slip (no sale) on the configured printer. Exit 0 printed, 1 not printed."""
    settings = load_settings()
    slip = printer_test_slip(
        datetime.now(UTC),
        shop_name="Counter printer test",
        shop_address=settings.shop_address,
        tz=settings.zone,
    )
    languages = ", ".join(settings.receipt_languages) or "none"
    typer.echo(
        f"Printer: {settings.printer}, {settings.receipt_width_mm} mm paper, "
        f"second languages: {languages}."
    )
    result = make_printer(settings).print_receipt(slip)
    # The slip is not a sale: "reprint it from History" would send the clerk looking for it.
    message = result.message.replace(" The sale is recorded; reprint it from History.", "")
    if not result.ok:
        typer.echo(message, err=True)
        raise typer.Exit(1)
    typer.echo(message)
