"""Running `counter ARGS` in the test's own process, as the installed script would.

`counter.cli.app.run` is what the console script runs (it only adds `sys.exit`); here it
runs inside Click's test isolation, with the PIN variables set as asked, and answers like
`subprocess.run` (`returncode`, `stdout`, `stderr`). Tests where the process itself is the
point (a kill, concurrency, the installed script, the language chosen before the command
modules load) still start one.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from typer.testing import CliRunner


@dataclass(frozen=True)
class Ran:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


def counter(
    *args: str,
    pin: str | None = None,
    new_pin: str | None = None,
    env: dict[str, str] | None = None,
    input: str | None = None,
) -> Ran:
    """`counter ARGS` in process; COUNTER_PIN / COUNTER_NEW_PIN only when given."""
    from counter.cli.app import run
    from counter.i18n import set_language

    overrides: dict[str, str | None] = {"COUNTER_PIN": pin, "COUNTER_NEW_PIN": new_pin}
    overrides.update(env or {})
    runner = CliRunner()
    try:
        with runner.isolation(input=input, env=overrides) as (out, err, _mixed):
            code = run(list(args))
            sys.stdout.flush()  # what the command wrote to sys.stdout itself (csv, json)
            sys.stderr.flush()
            stdout = out.getvalue().decode("utf-8", "replace")
            stderr = err.getvalue().decode("utf-8", "replace")
    finally:
        set_language("en")  # the process speaks English again, as before the run
    return Ran(args, code, stdout, stderr)
