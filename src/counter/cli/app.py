"""The Typer application and its entry point; command groups register themselves here."""

from __future__ import annotations

import sys

import typer

from counter.cli.language import choose_language
from counter.domain.errors import CounterError
from counter.i18n import _


def _app_help() -> str:
    """The app's help in the active language (asked again once the language is chosen)."""
    return _(
        "Counter: the top-up counter of a Cambodian phone shop. "
        "Run without a command to open the counter screen."
    )


app = typer.Typer(
    name="counter",
    help=_app_help(),
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a refusal on stderr and return the Exit to raise (`message` already translated)."""
    typer.echo(message, err=True)
    return typer.Exit(code)


@app.callback(invoke_without_command=True)
def _screen(ctx: typer.Context) -> None:
    """Without a command, open the counter screen (Textual is imported only then)."""
    if ctx.invoked_subcommand is not None:
        return
    from counter.config import load_settings
    from counter.ui.app import run

    run(load_settings())


def _register() -> None:
    # Imported for their side effect of adding commands to `app`.
    from counter.cli import check, dayend, khqr, ledger, printers, users  # noqa: F401


def main() -> None:
    """Console-script entry point: a CounterError becomes a sentence and exit code 1."""
    # The language first: the command modules translate their help texts when imported.
    choose_language()
    app.info.help = _app_help()
    _register()
    try:
        app()
    except CounterError as exc:
        typer.echo(str(exc), err=True)
        sys.exit(1)
