"""The Typer application and its entry point; command groups register themselves here.

`run(args)` is what `counter ARGS` does, returning the exit code: tests call it in the
same process. A refusal (a CounterError) becomes its sentence on stderr, followed by what
to do at the command line (`cli.advice`), and exit code 1; a usage error exit code 2.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

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
    from counter.ui.app import run as run_screen

    raise typer.Exit(run_screen())


# Which module adds each command. Typer builds every registered command when it starts
# (it reads each function's signature), so `counter check` registers `check` only.
COMMAND_MODULES = {
    "check": "check",
    "operators": "check",
    "init": "ledger",
    "sell": "ledger",
    "void": "ledger",
    "export": "ledger",
    "backup": "ledger",
    "doctor": "ledger",
    "report": "dayend",
    "x-report": "dayend",
    "close-day": "dayend",
    "opening-cash": "dayend",
    "opening-float": "dayend",
    "restock": "dayend",
    "float": "dayend",
    "printers": "printers",
    "users": "users",
    "khqr": "khqr",
    "deliveries": "deliveries",
}


def _register(args: Sequence[str] | None = None) -> None:
    """Import the command modules (they add their commands to `app`): the one that has
    the command asked for, or all of them (for `--help`, or a command that is unknown)."""
    import importlib

    asked = next((a for a in (args or []) if not a.startswith("-")), None)
    module = COMMAND_MODULES.get(asked or "")
    for name in [module] if module else sorted(set(COMMAND_MODULES.values())):
        importlib.import_module(f"counter.cli.{name}")


def run(args: Sequence[str] | None = None) -> int:
    """Run `counter ARGS` (default: this process's arguments); the exit code."""
    try:
        # The language first: the command modules translate their help texts when imported.
        choose_language()
        app.info.help = _app_help()
        given = list(args) if args is not None else sys.argv[1:]
        _register(given)
        app(args=given, prog_name="counter")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except CounterError as exc:
        from counter.cli.advice import explain

        typer.echo(explain(exc), err=True)
        return 1
    return 0


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
