"""The Typer application and its entry point; command groups register themselves here.

`run(args)` is what `counter ARGS` does, returning the exit code: tests call it in the
same process. A refusal (a CounterError) becomes its sentence on stderr, followed by what
to do at the command line (`cli.advice`), and exit code 1; a usage error exit code 2.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated

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


class Refused(CounterError):
    """A command's own refusal (`message` already translated): `run` says it, in JSON
    under `--json`, and exits 1."""


def fail(message: str) -> Refused:
    """The refusal to raise; `run` prints it (on stderr, or as JSON) and exits 1."""
    return Refused(message)


def _say_version(asked: bool) -> None:
    """`counter --version`: the version installed, then exit 0 before any command runs."""
    if asked:
        from counter import __version__

        typer.echo(_("Counter {version}").format(version=__version__))
        raise typer.Exit(0)


@app.callback(invoke_without_command=True)
def _screen(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            callback=_say_version,
            help=_("Print the version of Counter and exit."),
        ),
    ] = False,
) -> None:
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
    "backup": "safekeeping",
    "restore": "safekeeping",
    "admin-reset": "safekeeping",
    "doctor": "ledger",
    "report": "dayend",
    "x-report": "dayend",
    "close-day": "dayend",
    "opening-cash": "shifts",
    "opening-float": "shifts",
    "shift": "shifts",
    "reopen-day": "shifts",
    "z-report": "shifts",
    "restock": "dayend",
    "float": "dayend",
    "printers": "printers",
    "users": "users",
    "khqr": "khqr",
    "khqr-check": "khqr_ledger",
    "khqr-reconcile": "khqr_ledger",
    "khqr-review": "khqr_ledger",
    "reprint": "receipts",
    "deliveries": "deliveries",
    "rate": "rate",
    "lockout": "lockout",
}


def _register(args: Sequence[str] | None = None) -> None:
    """Import the command modules (they add their commands to `app`): the one that has
    the command asked for, or all of them (for `--help`, or a command that is unknown)."""
    import importlib

    asked = next((a for a in (args or []) if not a.startswith("-")), None)
    if asked is None and "--version" in (args or []):
        return  # nothing to load to say the version
    module = COMMAND_MODULES.get(asked or "")
    for name in [module] if module else sorted(set(COMMAND_MODULES.values())):
        importlib.import_module(f"counter.cli.{name}")


def run(args: Sequence[str] | None = None) -> int:
    """Run `counter ARGS` (default: this process's arguments); the exit code."""
    with _quiet_logs():
        return _run(args)


def _run(args: Sequence[str] | None) -> int:
    given: list[str] = []
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
        options = given[: given.index("--")] if "--" in given else given
        _refuse(exc, as_json="--json" in options)
        return 1
    return 0


@contextmanager
def _quiet_logs() -> Iterator[None]:
    """The adapters' log lines are for a log, not for the person at the command line: each
    command says what happened in its own sentence. Without this, Python would print them
    on stderr (a library that calls `logging.basicConfig` makes them `WARNING:counter...`
    lines). Put back as it was afterwards, for a caller in the same process (the tests)."""
    import logging

    ours = logging.getLogger("counter")
    quiet = logging.NullHandler()
    propagate = ours.propagate
    ours.addHandler(quiet)
    ours.propagate = False
    try:
        yield
    finally:
        ours.removeHandler(quiet)
        ours.propagate = propagate


def _refuse(exc: CounterError, *, as_json: bool) -> None:
    """A refusal in words on stderr; with `--json`, one JSON object on stdout instead, so a
    tool reading the output gets JSON whatever happened."""
    from counter.cli.advice import advice, explain, refusal_fields

    if as_json:
        import json

        from counter.domain.errors import SaleRefused

        tip = advice(exc)
        if isinstance(exc, SaleRefused):  # each reason its own entry, then what to do
            errors = [*exc.errors, *([tip] if tip else [])]
        else:
            errors = [explain(exc)]
        body = {"ok": False, "errors": errors, **refusal_fields(exc)}
        typer.echo(json.dumps(body, ensure_ascii=False))
    else:
        typer.echo(explain(exc), err=True)


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
