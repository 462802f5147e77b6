"""Per-sale time of `services.sell` against a raw insert+commit with the same durability.

    .venv/bin/python scripts/bench_ledger.py [--sales 500] [--pg-url postgresql+psycopg://...]

SQLite: both sides use WAL + synchronous=FULL on a file in a temporary folder, in the
same run, so the ratio says what validation, numbering, hashing, audit and print-queue
rows cost on top of the fsync a till must pay anyway. Goal: median ratio <= 3.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sales", type=int, default=500)
    parser.add_argument(
        "--pg-url",
        help="an EMPTY PostgreSQL database: the ledger and a bench_raw_sales table go in it",
    )
    args = parser.parse_args()
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
