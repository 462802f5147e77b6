"""The `counter` command: Typer commands that parse, call a use case and print.

No business rule lives here; the screen and these commands call the same use cases.
`counter` with no arguments opens the screen without loading Typer or the command
modules (and the libraries they pull in), so the login screen comes up sooner.
"""

from __future__ import annotations

import sys
from typing import Any


def main() -> None:
    """Console-script entry point."""
    if len(sys.argv) == 1:
        from counter.domain.errors import CounterError

        try:
            from counter.cli.language import choose_language
            from counter.ui.app import run

            choose_language()
            sys.exit(run())  # the settings are validated once the first frame is drawn
        except CounterError as exc:
            print(str(exc), file=sys.stderr)
            sys.exit(1)
    from counter.cli.app import main as commands

    commands()


def __getattr__(name: str) -> Any:
    if name == "app":  # the Typer app, loaded when asked for
        from counter.cli.app import app

        return app
    raise AttributeError(name)


__all__ = ["app", "main"]
