"""The `counter` command: Typer commands that parse, call a service and print.

No business rule lives here; the screen and these commands call the same services.
"""

from __future__ import annotations

from counter.cli.app import app, main

__all__ = ["app", "main"]
