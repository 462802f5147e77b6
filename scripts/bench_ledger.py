"""Per-sale time of `services.sell` against a raw insert+commit with the same durability.

    .venv/bin/python scripts/bench_ledger.py [--sales 500] [--pg-url postgresql+psycopg://...]

SQLite: both sides use WAL + synchronous=FULL on a file in a temporary folder, in the
same run, so the ratio says what validation, numbering, hashing, audit and print-queue
rows cost on top of the fsync a till must pay anyway. Goal: median ratio <= 3.

`--profile` also prints where a sale's time goes (the median of each section of
`sell()`), and the same sales' SQL statements replayed on a raw sqlite3 connection
with the same pragmas: what the ledger's own work costs without Python around it.
"""

from __future__ import annotations

import argparse
import collections
import importlib
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RAW_ROW = (
    "INSERT INTO sales (receipt_no, counter_code, clerk_id, created_at, msisdn, amount_cents, "
    "paid_currency, paid_minor, idempotency_key, row_hash) VALUES (?, 'A', 1, ?, ?, 500, 'USD', 500, ?, ?)"
)
RAW_TABLE = (
    "CREATE TABLE sales (id INTEGER PRIMARY KEY, receipt_no TEXT UNIQUE, counter_code TEXT, "
    "clerk_id INTEGER, created_at TEXT, msisdn TEXT, amount_cents INTEGER, paid_currency TEXT, "
    "paid_minor INTEGER, idempotency_key TEXT UNIQUE, row_hash TEXT)"
)


def interleaved(
    ours: Callable[[int], object], raw: Callable[[int], object], count: int
) -> tuple[list[float], list[float]]:
    """Alternate the two, sale by sale, so a busy moment on the machine hits both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for i in range(count):
        for action, bucket in ((ours, times[0]), (raw, times[1])):
            start = time.perf_counter()
            action(i)
            bucket.append(time.perf_counter() - start)
    return times


def raw_sqlite(folder: Path) -> Callable[[int], None]:
    db = sqlite3.connect(folder / "raw.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute(RAW_TABLE)

    def insert(i: int) -> None:
        db.execute("BEGIN IMMEDIATE")
        db.execute(
            RAW_ROW,
            (
                f"A-{i:06d}",
                datetime.now(UTC).isoformat(),
                f"+85512{i:06d}",
                uuid.uuid4().hex,
                "0" * 64,
            ),
        )
        db.execute("COMMIT")

    return insert


def raw_pg(url: str) -> Callable[[int], None]:
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    conn = psycopg.connect(
        host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database
    )
    conn.execute("DROP TABLE IF EXISTS bench_raw_sales")
    conn.execute(
        RAW_TABLE.replace(
            "sales (id INTEGER PRIMARY KEY", "bench_raw_sales (id BIGSERIAL PRIMARY KEY"
        )
    )
    conn.commit()
    sql = RAW_ROW.replace("sales", "bench_raw_sales").replace("?", "%s")

    def insert(i: int) -> None:
        conn.execute(
            sql, (f"A-{i:06d}", datetime.now(UTC), f"+85512{i:06d}", uuid.uuid4().hex, "0" * 64)
        )
        conn.commit()

    return insert


def service(home: Path, database_url: str | None) -> Callable[[int], object]:
    os.environ["COUNTER_HOME"] = str(home)
    os.environ["COUNTER_PIN_HASH_PROFILE"] = "test"
    if database_url:
        os.environ["COUNTER_DATABASE_URL"] = database_url
    else:
        os.environ.pop("COUNTER_DATABASE_URL", None)
    from counter.bootstrap import init_shop
    from counter.config import load_settings
    from counter.services import (
        add_user,
        authenticate,
        business_date,
        record_opening_cash,
        sell,
    )

    ledger = init_shop(
        load_settings(), shop_name="Bench", counter_code="A", admin_name="Admin", admin_pin="1234"
    )
    admin = authenticate(ledger, "Admin", "1234")
    clerk = add_user(ledger, "Clerk", "clerk", "5678", by=admin)
    record_opening_cash(ledger, business_date(ledger, ledger.clock()), "A", 0, 0, by=clerk)
    # The till's own path: every rule on (duplicate guard, opening cash, closed day).
    return lambda i: sell(ledger, clerk, f"012{i:06d}", "5")


def report(label: str, ours: list[float], raw: list[float]) -> None:
    m_ours, m_raw = statistics.median(ours), statistics.median(raw)
    print(
        f"{label}: sell() median {m_ours * 1000:.3f} ms, raw insert+commit median "
        f"{m_raw * 1000:.3f} ms, ratio {m_ours / m_raw:.2f} ({len(ours)} sales each)"
    )


SECTIONS = (
    ("counter.services.sales", "check_topup", "check_topup (number, operator, amount)"),
    ("counter.services.sales", "check_payment", "check_payment (change, rounding)"),
    ("counter.storage.uow:SqlUnitOfWork", "__enter__", "unit of work opened"),
    ("counter.storage.uow:SqlUnitOfWork", "__exit__", "unit of work closed"),
    ("counter.storage.repositories.sales:SaleRepository", "context", "context: BEGIN + 1 SELECT"),
    ("counter.storage.repositories.sales:SaleRepository", "add", "add: sale, counter, print job"),
    ("counter.storage.repositories.sales", "sale_hash_of", "  of which the chain hash"),
    ("counter.storage.repositories.dayend:FloatRepository", "apply", "UPDATE float"),
    ("counter.services.sales", "start_delivery", "delivery: its row and first changes"),
    (
        "counter.storage.repositories.deliveries:DeliveryRepository",
        "prefix",
        "  of which the prefix",
    ),
    ("counter.storage.uow:SqlUnitOfWork", "commit", "COMMIT, with the witness line"),
    ("counter.storage.witness:WitnessLog", "append", "  of which the witness line"),
)


def timed_sections() -> dict[str, list[float]]:
    """Wrap each section of the sale path with a timer (in this process only)."""
    times: dict[str, list[float]] = collections.defaultdict(list)
    for where, name, label in SECTIONS:
        module, _, cls = where.partition(":")
        owner = importlib.import_module(module)
        owner = getattr(owner, cls) if cls else owner
        original = getattr(owner, name)

        def timer(
            *a: object, _f: Callable[..., object] = original, _l: str = label, **k: object
        ) -> object:
            start = time.perf_counter()
            try:
                return _f(*a, **k)
            finally:
                times[_l].append(time.perf_counter() - start)

        setattr(owner, name, timer)
    return times


def replay(folder: Path, sales: int) -> float:
    """Median time of one sale's statements on a raw sqlite3 connection, same pragmas."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    home = folder / "replay-home"
    sell = service(home, None)
    sell(0)
    with sqlite3.connect(home / "ledger.sqlite3") as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(home / "ledger.sqlite3", folder / "replay.sqlite3")
    captured: list[list[tuple[str, Any]]] = []

    def capture(_c: object, _cur: object, sql: str, params: Any, *_: object) -> None:
        if not sql.lstrip().upper().startswith("BEGIN"):
            captured[-1].append((sql, params))

    event.listen(Engine, "before_cursor_execute", capture)
    for i in range(1, sales + 1):
        captured.append([])
        sell(i)
    event.remove(Engine, "before_cursor_execute", capture)
    raw = sqlite3.connect(folder / "replay.sqlite3", isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
        raw.execute(f"PRAGMA {pragma}")
    times = []
    for statements in captured:
        start = time.perf_counter()
        raw.execute("BEGIN IMMEDIATE")
        for sql, params in statements:
            raw.execute(sql, params).fetchall()
        raw.execute("COMMIT")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def profile(sales: int) -> None:
    times = timed_sections()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ours, raw = interleaved(service(folder / "home", None), raw_sqlite(folder), sales)
        report("SQLite, sections timed", ours, raw)
        for _, _, label in SECTIONS:
            print(f"  {label:42s} {statistics.median(times[label][-sales:]) * 1000:.3f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        print(
            "  the same sales' statements on a raw sqlite3 connection, with COMMIT: "
            f"{replay(Path(tmp), sales) * 1000:.3f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sales", type=int, default=500)
    parser.add_argument(
        "--pg-url",
        help="an EMPTY PostgreSQL database: the ledger and a bench_raw_sales table go in it",
    )
    parser.add_argument("--profile", action="store_true", help="where a sale's time goes")
    args = parser.parse_args()
    if args.profile:
        profile(args.sales)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ours, raw = interleaved(service(folder / "home", None), raw_sqlite(folder), args.sales)
        report("SQLite (WAL, synchronous=FULL)", ours, raw)
        if args.pg_url:
            ours, raw = interleaved(
                service(folder / "pg-home", args.pg_url), raw_pg(args.pg_url), args.sales
            )
            report("PostgreSQL (this server: fsync=off)", ours, raw)


if __name__ == "__main__":
    main()
