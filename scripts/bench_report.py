"""One day's report must not slow down as the ledger grows: time it on 10,000 and 1,000,000 sales.

    .venv/bin/python scripts/bench_report.py [--dir /tmp/counter-bench] [--per-day 1000] [--runs 5]

Both ledgers have the same number of sales per day (`--per-day`), the big one simply has
more days. Ledgers are built once with scripts/seed_ledger.py and reused from `--dir`.
Times (median of `--runs`, after a warm-up): the day's PDF + CSV report of a day in the
middle of each ledger, and at 1,000,000 sales `services.search_sales` by the last 4 digits
of a number. Goals: ratio big/small <= 1.5, big < 1 s, search < 100 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def build(folder: Path, sales: int, per_day: int) -> Path:
    home = folder / f"sales-{sales}"
    if (home / "ledger.sqlite3").exists():
        return home
    subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "seed_ledger.py"),
            "--sales",
            str(sales),
            "--days",
            str(sales // per_day),
            "--home",
            str(home),
            "--end",
            "2026-11-24",
        ],
        check=True,
    )
    return home


def median_time(action: object, runs: int) -> float:
    action()  # type: ignore[operator]  # warm-up: caches, imports, the OS page cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(home: Path, runs: int, out: Path) -> tuple[float, float | None, int]:
    os.environ["COUNTER_HOME"] = str(home)
    os.environ["COUNTER_PIN_HASH_PROFILE"] = "test"
    from counter.bootstrap import open_ledger
    from counter.config import load_settings
    from counter.domain.records import Approval
    from counter.services import day_report, search_sales, write_report

    owner = Approval("Owner", "1234")  # seed_ledger's admin: the CSV lists numbers

    ledger = open_ledger(load_settings(home=home, counter_code="A"))
    try:
        import sqlite3

        with sqlite3.connect(home / "ledger.sqlite3") as db:
            first, last = (
                date.fromisoformat(d)
                for d in db.execute(
                    "SELECT min(business_date), max(business_date) FROM sales"
                ).fetchone()
            )
        day = first + (last - first) / 2

        def report() -> None:
            write_report(ledger, day, "A", "pdf", out, printed_by="bench")
            write_report(ledger, day, "A", "csv", out, printed_by="bench", by=owner)

        seconds = median_time(report, runs)
        sales_that_day = day_report(ledger, day, "A", printed_by="bench").total.count
        search = median_time(lambda: search_sales(ledger, "5678"), runs * 4)
        return seconds, search, sales_that_day
    finally:
        ledger.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "counter-bench")
    parser.add_argument("--per-day", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    results = {}
    for sales in (args.small, args.big):
        started = time.perf_counter()
        home = build(args.dir, sales, args.per_day)
        print(
            f"ledger of {sales:,} sales ready in {time.perf_counter() - started:.1f} s: {home}",
            flush=True,
        )
        # Each ledger in its own process: no module-level cache shared between the two.
        done = subprocess.run(
            [sys.executable, __file__, "--measure", str(home), str(args.runs)],
            check=True,
            capture_output=True,
            text=True,
        )
        results[sales] = [float(x) for x in done.stdout.split()]
    small, big = results[args.small], results[args.big]
    print(
        f"day report (PDF + CSV), {int(small[2]):,} sales that day, ledger of {args.small:,}: {small[0]:.3f} s"
    )
    print(
        f"day report (PDF + CSV), {int(big[2]):,} sales that day, ledger of {args.big:,}: {big[0]:.3f} s"
    )
    print(
        f"ratio: {big[0] / small[0]:.2f} (goal <= 1.5); at {args.big:,}: {big[0]:.3f} s (goal < 1 s)"
    )
    print(f"search_sales('5678') at {args.big:,} sales: {big[1] * 1000:.1f} ms (goal < 100 ms)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        with tempfile.TemporaryDirectory() as out:
            seconds, search, count = measure(Path(sys.argv[2]), int(sys.argv[3]), Path(out))
        print(seconds, search, count)
        sys.exit(0)
    sys.exit(main())
