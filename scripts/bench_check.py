"""Start-up of `counter check 012345678 5` against a bare import of the domain and the rules.

    .venv/bin/python scripts/bench_check.py [--runs 15] [--ledger]

Both are fresh processes of the same Python, alternated run by run so a busy moment on
the machine hits both alike: the installed `counter` script checking one top-up (settings,
the rules file, Typer, the verdict printed), and `python -c "import counter.domain.topup,
counter.rules"` (the floor: what any check must load). Goal: median ratio <= 1.3.
With `--ledger` the check runs beside a SQLite ledger, whose rate it reads.
Also prints what `counter check` imported that it should not (SQLAlchemy, ReportLab, ...).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR = "import counter.domain.topup, counter.rules"
HEAVY = ("sqlalchemy", "alembic", "reportlab", "openpyxl", "textual", "argon2", "escpos", "babel")
PROBE = """
import sys
sys.argv = ["counter", "check", "012345678", "5"]
from counter.cli import main
try:
    main()
except SystemExit:
    pass
print("LOADED:" + ",".join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
"""


def _script() -> list[str]:
    found = Path(sys.executable).with_name("counter")
    return [str(found)] if found.exists() else [sys.executable, "-m", "counter"]


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=False, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--ledger", action="store_true", help="check beside a ledger (its rate is read)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COUNTER_")}
        env["COUNTER_HOME"] = home
        if args.ledger:
            init = ["init", "--shop-name", "Bench", "--counter", "A", "--admin", "Sok"]
            subprocess.run(
                [*_script(), *init, "--admin-pin", "1234", "--rate", "4100"],
                env={**env, "COUNTER_PIN_HASH_PROFILE": "test"},
                check=True,
                capture_output=True,
            )
        check = [*_script(), "check", "012345678", "5"]
        floor = [sys.executable, "-c", FLOOR]
        for command in (check, floor):  # warm the OS file cache and the .pyc files
            timed(command, env)
        ours, bare = [], []
        for _ in range(args.runs):
            ours.append(timed(check, env))
            bare.append(timed(floor, env))
        probe = subprocess.run(
            [sys.executable, "-c", PROBE.format(heavy=HEAVY)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    loaded = probe.stderr.strip().rpartition("LOADED:")[2] or "nothing heavy"
    m_ours, m_bare = statistics.median(ours), statistics.median(bare)
    print(
        f"counter check{' beside a ledger' if args.ledger else ''} median {m_ours * 1000:.0f} ms ({min(ours) * 1000:.0f}-"
        f"{max(ours) * 1000:.0f}), floor (import counter.domain.topup, counter.rules) median "
        f"{m_bare * 1000:.0f} ms ({min(bare) * 1000:.0f}-{max(bare) * 1000:.0f}), "
        f"ratio {m_ours / m_bare:.2f} ({args.runs} runs each); counter check loaded: {loaded}"
    )


if __name__ == "__main__":
    main()
