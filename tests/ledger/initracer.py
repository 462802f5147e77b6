"""`counter init` at several machines at one shared moment, on one empty ledger.

`race_init(url, homes)` starts one spawned process per machine (its own COUNTER_HOME, the
shop's pepper and witness key shared through the environment, as a shop copies them to a
new counter), holds them at a barrier, then runs `counter init ... --counter CODE` in each
at once. Each outcome is `(exit code, stdout, stderr)`: what the person at that machine read.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from pathlib import Path
from queue import Empty
from typing import Any

TIMEOUT_S = 120
PEPPER = "race-pepper-0123456789abcdef0123456789abcdef"
WITNESS_KEY = "race-witness-0123456789abcdef0123456789abcdef"


def race_init(
    url: str, homes: list[tuple[Path, str]], pins: tuple[str, ...] = ()
) -> list[tuple[int, str, str]]:
    """Each (home, counter code)'s `counter init` outcome, in the order given; admin Sok's
    PIN at each machine is `pins[n]` (default 1234)."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(homes))
    results = ctx.Queue()
    base = {k: v for k, v in os.environ.items() if k.startswith("COUNTER_")}
    children = []
    for n, (home, code) in enumerate(homes):
        env = {
            **base,
            "COUNTER_HOME": str(home),
            "COUNTER_DATABASE_URL": url,
            "COUNTER_PEPPER": PEPPER,
            "COUNTER_WITNESS_KEY": WITNESS_KEY,
            "COUNTER_PIN_HASH_PROFILE": "test",
        }
        pin = pins[n] if n < len(pins) else "1234"
        children.append(ctx.Process(target=_child, args=(n, env, code, pin, barrier, results)))
    for child in children:
        child.start()
    outcomes: dict[int, Any] = {}
    try:
        while len(outcomes) < len(homes):
            try:
                n, outcome = results.get(timeout=TIMEOUT_S)
            except Empty:
                raise AssertionError(f"the machines did not all finish: {outcomes}") from None
            if isinstance(outcome, str):
                raise AssertionError(f"machine {n} failed:\n{outcome}")
            outcomes[n] = outcome
    finally:
        for child in children:
            child.join(timeout=30)
            if child.is_alive():
                child.kill()
    return [outcomes[n] for n in range(len(homes))]


def _child(n: int, env: dict[str, str], code: str, pin: str, barrier: Any, results: Any) -> None:
    import contextlib
    import io

    try:
        os.environ.update(env)
        import counter.cli.ledger  # noqa: F401 (imported before the barrier)
        from counter.cli.app import run

        out, err = io.StringIO(), io.StringIO()
        args = [
            "init", "--shop-name", "Dara Phone", "--counter", code,
            "--admin", "Sok", "--admin-pin", pin,
        ]  # fmt: skip
        barrier.wait(timeout=TIMEOUT_S)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = run(args)
        results.put((n, (status, out.getvalue(), err.getvalue())))
    except BaseException:
        barrier.abort()
        results.put((n, traceback.format_exc()))
