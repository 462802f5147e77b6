"""A log-in before every sale at several processes on one SQLite ledger: p50 and p99.

    .venv/bin/python scripts/bench_login_sale.py [--processes 8] [--sales 200]

A shared screen asks for the clerk's PIN before each sale: Argon2id at the shop's cost
(19 MiB, t=2), then the sale. Each process does `--sales` of them as fast as it can, all
started at one moment (a barrier). The floor is the same log-in and sale in one process
alone, measured in the same run; the ratio says what the others' write locks cost.
Busy timeouts (the ledger busy past its 5 s timeout) are counted, not retried.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

PIN = "5678"


def _ledger() -> Any:
    from counter.bootstrap import open_ledger
    from counter.config import load_settings

    opened = open_ledger(load_settings())
    return replace(opened, policy=replace(opened.policy, shift_required=False))


def _sell_logged_in(ledger: Any, n: int, i: int) -> float:
    from counter.services import authenticate, sell

    start = time.perf_counter()
    clerk = authenticate(ledger, "Dara", PIN)
    sell(ledger, clerk, f"012{n}{i:05d}", "1", allow_duplicate=True)
    return time.perf_counter() - start


def _worker(n: int, sales: int, barrier: Any, out: Any) -> None:
    from counter.domain.errors import Fault, StorageError

    ledger = _ledger()
    times: list[float] = []
    busy = 0
    barrier.wait()
    began = time.time()
    for i in range(sales):
        try:
            times.append(_sell_logged_in(ledger, n, i))
        except StorageError as exc:
            if exc.fault is not Fault.BUSY:
                raise
            busy += 1
    out.put((times, busy, began, time.time()))
    ledger.close()


def _set_up(home: Path) -> None:
    os.environ.update(
        {
            "COUNTER_HOME": str(home),
            "COUNTER_PIN_HASH_PROFILE": "default",
            "COUNTER_PRINTER": "none",
        }
    )
    from counter.bootstrap import init_shop
    from counter.config import load_settings
    from counter.services import add_user, authenticate

    ledger = init_shop(
        load_settings(), shop_name="Bench", counter_code="A", admin_name="Sok", admin_pin="1234"
    )
    admin = authenticate(ledger, "Sok", "1234")
    add_user(ledger, "Dara", "clerk", PIN, by=admin)
    ledger.close()


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--sales", type=int, default=200, help="per process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        _set_up(Path(folder))
        ledger = _ledger()
        alone = [_sell_logged_in(ledger, 9, i) for i in range(max(5, args.sales // 10))]
        ledger.close()
        ctx = multiprocessing.get_context("spawn")
        barrier, out = ctx.Barrier(args.processes), ctx.Queue()
        workers = [
            ctx.Process(target=_worker, args=(n, args.sales, barrier, out))
            for n in range(args.processes)
        ]
        for worker in workers:
            worker.start()
        results = [out.get(timeout=1800) for _ in workers]
        for worker in workers:
            worker.join()
    times = [t for per, *_ in results for t in per]
    busy = sum(r[1] for r in results)
    wall = max(r[3] for r in results) - min(r[2] for r in results)
    floor = statistics.median(alone)
    print(f"alone: log-in + sale median {floor * 1000:.1f} ms ({len(alone)} sales)")
    print(
        f"{args.processes} processes x {args.sales}: {len(times)} sales, {busy} busy timeouts; "
        f"p50 {_p(times, 0.5) * 1000:.1f} ms, p99 {_p(times, 0.99) * 1000:.1f} ms, "
        f"max {max(times) * 1000:.1f} ms; {len(times) / wall:.1f} sales/s in {wall:.0f} s"
    )
    print(f"ratio p99 / alone median: {_p(times, 0.99) / floor:.1f}")
    sys.exit(0)


if __name__ == "__main__":
    main()
