"""Fill a NEW ledger with realistic sales quickly, for benchmarks and demos.

    .venv/bin/python scripts/seed_ledger.py --sales 1000000 --days 1000 --home /tmp/big
    .venv/bin/python scripts/seed_ledger.py --sales 10000 --days 10 --url postgresql+psycopg://... \
        [--home /tmp/keys]   # the pepper and witness key (default: a new temporary folder)

The shop, users and counters are set up through the real services (`init_shop`,
`add_user`, `restock`); sales and voids are written with SQLAlchemy Core inserts of many
rows per statement into the real tables, with gapless receipt numbers per counter and
their hash chains computed by `counter.storage.chain`, so `counter doctor` passes on the
result. Each sale has its delivery as the app writes it for the `assumed` channel (the
delivery row and its two chained changes, `pending` then `delivered`, on the counter's
`deliveries:CODE` chain, with the ledger's own reference), so doctor, backup and restore
accept a seeded ledger. Seeded sales have no per-sale audit row or print job (one audit
row says the ledger was seeded). Operator balances are restocked to cover the sales, then kept as the
app keeps them (restocks - sales + voided sales). PINs: Owner 1234, Vanna 2468, clerks 5678.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

BATCH = 5000
CLERKS = ("Dara", "Sophea", "Kosal")


def bar(done: int, total: int, started: float) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    rate = done / max(time.perf_counter() - started, 1e-9)
    sys.stderr.write(
        f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} sales, {rate:,.0f}/s "
    )
    sys.stderr.flush()


class Deliveries:
    """Each seeded sale's delivery as `start_delivery` writes it for the `assumed` channel:
    the row (delivered), its `pending` and `delivered` changes appended to the counter's
    `deliveries:CODE` chain (hashed by `counter.storage.chain.digest`, as `ChainWriter`
    does), written in batches after the sales they belong to."""

    def __init__(self, counters: list[str], clerk_names: dict[int, str]) -> None:
        from counter.storage.models import GENESIS_HASH

        self.prefix = ""
        self.clerk_names = clerk_names
        self.heads = {code: (0, GENESIS_HASH) for code in counters}
        self.rows: list[dict[str, Any]] = []
        self.changes: list[dict[str, Any]] = []

    def add(self, sale: dict[str, Any]) -> None:
        from counter.domain.deliveries import delivery_reference
        from counter.storage.chain import digest
        from counter.storage.chain_delivery import delivery_chain

        code, at = sale["counter_code"], sale["created_at"]
        reference = delivery_reference(self.prefix, sale["receipt_no"])
        self.rows.append(
            {
                "id": sale["id"],
                "sale_id": sale["id"],
                "counter_code": code,
                "reference": reference,
                "channel": "assumed",
                "operator_id": sale["operator_id"],
                "msisdn": sale["msisdn"],
                "amount_cents": sale["amount_cents"],
                "created_at": at,
                "state": "delivered",
                "provider_ref": None,
                "changed_at": at,
                "reason": "assumed",
                "sends": 0,
            }
        )
        chain = delivery_chain(code)
        length, head = self.heads[code]
        steps = [
            ("pending", None, self.clerk_names[sale["clerk_id"]], None, ""),
            ("delivered", "pending", "worker:assumed", "assumed", "assumed: delivered when sold"),
        ]
        for seq, (state, previous, actor, reason, evidence) in enumerate(steps, start=1):
            values = {
                "delivery_id": sale["id"],
                "counter_code": code,
                "reference": reference,
                "seq": seq,
                "state": state,
                "previous": previous,
                "at": at,
                "actor": actor[:40],
                "provider_ref": None,
                "reason": reason,
                "evidence": evidence,
            }
            values["prev_hash"] = head
            values["row_hash"] = head = digest(
                chain.kind, chain.fields_for(values.get), values, head
            )
            length += 1
            self.changes.append(values)
        self.heads[code] = (length, head)

    def flush(self, connection: Any) -> None:
        from sqlalchemy import insert

        from counter.storage.models import Base

        if self.rows:
            connection.execute(insert(Base.metadata.tables["deliveries"]), self.rows)
        if self.changes:
            connection.execute(insert(Base.metadata.tables["delivery_changes"]), self.changes)
        self.rows.clear()
        self.changes.clear()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, required=True)
    parser.add_argument("--days", type=int, required=True)
    parser.add_argument(
        "--home", help="COUNTER_HOME of a new SQLite ledger (with --url: where the keys go)"
    )
    parser.add_argument("--url", help="SQLAlchemy URL of an empty PostgreSQL database")
    parser.add_argument("--counters", default="A", help="comma-separated counter codes")
    parser.add_argument(
        "--end", default=None, help="last business day, YYYY-MM-DD (default: yesterday)"
    )
    parser.add_argument("--void-rate", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.home is None and args.url is None:
        parser.error("give --home PATH (SQLite) or --url URL (PostgreSQL)")
    seed(args)
    return 0


def seed(args: Any) -> None:
    import tempfile
    from pathlib import Path

    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="counter-seed-"))
    if args.home and not args.url and (home / "ledger.sqlite3").exists():
        sys.exit(f"{home / 'ledger.sqlite3'} exists: seed_ledger fills a new ledger only.")
    os.environ["COUNTER_HOME"] = str(home)
    os.environ.setdefault("COUNTER_PIN_HASH_PROFILE", "test")
    if args.url:
        os.environ["COUNTER_DATABASE_URL"] = args.url
    from sqlalchemy import insert, text, update

    from counter.bootstrap import init_shop, utc_now
    from counter.config import load_settings
    from counter.domain.money import Money, compute_change
    from counter.domain.records import Role, receipt_label
    from counter.services import add_user, authenticate, restock, shop
    from counter.storage.chain import VOID_CHAIN, row_digest, sale_hash
    from counter.storage.chain_delivery import delivery_chain
    from counter.storage.database import LedgerDatabase
    from counter.storage.models import GENESIS_HASH, Base
    from counter.storage.repositories.common import COUNTERS, HEADS

    rng = random.Random(args.seed)
    counters = [c.strip().upper() for c in args.counters.split(",") if c.strip()]
    settings = load_settings()
    ledger = init_shop(
        settings,
        shop_name="Seeded Phone Shop",
        counter_code=counters[0],
        admin_name="Owner",
        admin_pin="1234",
    )
    admin = authenticate(ledger, "Owner", "1234")
    clerks = [add_user(ledger, name, Role.CLERK, "5678", by=admin) for name in CLERKS]
    supervisor = add_user(ledger, "Vanna", Role.SUPERVISOR, "2468", by=admin)
    with ledger.uow() as uow:
        for code in counters[1:]:
            uow.counters.add(code, utc_now())
        uow.commit()
    rate = shop(ledger).riel_per_usd
    step = settings.khr_rounding_step
    zone = settings.zone
    operators = [op for op in ledger.rules if op.enabled]
    weights = [5, 3, 2, 1][: len(operators)] + [1] * max(0, len(operators) - 4)
    amounts = {
        op.id: [a for a in op.quick_amounts() if op.min_cents <= a <= op.max_cents]
        for op in operators
    }
    prefixes = {
        op.id: [(p, n) for p, counts in op.prefixes.items() for n in counts] for op in operators
    }

    end = (
        date.fromisoformat(args.end)
        if args.end
        else (datetime.now(zone).date() - timedelta(days=1))
    )
    days = [end - timedelta(days=args.days - 1 - i) for i in range(args.days)]
    per_day = [
        args.sales // args.days + (1 if i < args.sales % args.days else 0) for i in range(args.days)
    ]
    next_seq = dict.fromkeys(counters, 1)
    last_hash = dict.fromkeys(counters, GENESIS_HASH)
    void_head = GENESIS_HASH
    void_len = 0
    sold_by_op: dict[str, int] = {}
    started = time.perf_counter()
    done = 0
    sale_id = 0
    sales_batch: list[dict[str, Any]] = []
    voids_batch: list[dict[str, Any]] = []
    deliveries = Deliveries(counters, {c.id: c.name for c in clerks})

    def flush(connection: Any) -> None:
        if sales_batch:
            connection.execute(insert(Base.metadata.tables["sales"]), sales_batch)
        deliveries.flush(connection)
        if voids_batch:
            connection.execute(insert(Base.metadata.tables["voids"]), voids_batch)
        sales_batch.clear()
        voids_batch.clear()

    database = getattr(ledger.uow, "__self__", None)  # Core inserts, below the use cases
    assert isinstance(database, LedgerDatabase)
    with database.uow() as uow:
        connection = uow.connection
        deliveries.prefix = uow.deliveries.prefix()
        for day, count in zip(days, per_day, strict=True):
            opening = datetime(day.year, day.month, day.day, 7, tzinfo=zone).astimezone(UTC)
            moments = sorted(rng.randrange(14 * 3600 * 1000) for _ in range(count))
            for offset in moments:
                created = opening + timedelta(milliseconds=offset)
                code = counters[rng.randrange(len(counters))]
                op = rng.choices(operators, weights)[0]
                prefix, digits = rng.choice(prefixes[op.id])
                national = prefix[1:] + "".join(
                    rng.choice("0123456789") for _ in range(digits - len(prefix) + 1)
                )
                msisdn = "+855" + national
                cents = rng.choice(amounts[op.id])
                roll = rng.random()
                if roll < 0.6:
                    paid = Money.usd(cents)
                elif roll < 0.8:
                    paid = Money.usd(-(-cents // 500) * 500)
                else:
                    paid = Money.khr(-(-(cents * rate) // 100 // 5000) * 5000)
                change = compute_change(cents, paid, rate, step)
                seq, prev = next_seq[code], last_hash[code]
                sale_id += 1
                row = {
                    "id": sale_id,
                    "receipt_no": receipt_label(code, seq),
                    "counter_code": code,
                    "receipt_seq": seq,
                    "clerk_id": clerks[rng.randrange(len(clerks))].id,
                    "created_at": created,
                    "business_date": day,
                    "operator_id": op.id,
                    "msisdn": msisdn,
                    "msisdn_rev": msisdn[::-1],
                    "amount_cents": cents,
                    "validity_days": op.validity_days(cents),
                    "paid_currency": paid.currency.value,
                    "paid_minor": paid.minor,
                    "riel_per_usd": rate,
                    "change_usd_cents": change.usd_cents,
                    "change_khr": change.khr,
                    "rounding_khr": change.rounding_khr,
                    "operator_ref": None,
                    "idempotency_key": f"seed-{code}-{seq}",
                }
                row["prev_hash"] = prev
                row["row_hash"] = sale_hash(SimpleNamespace(**row), prev)  # type: ignore[arg-type]
                next_seq[code], last_hash[code] = seq + 1, row["row_hash"]
                sales_batch.append(row)
                deliveries.add(row)
                if rng.random() < args.void_rate:
                    void = {
                        "sale_id": sale_id,
                        "requested_by": row["clerk_id"],
                        "approved_by": supervisor.id,
                        "created_at": created + timedelta(minutes=2),
                        "reason": rng.choice(
                            ("wrong number", "customer cancelled", "typed amount wrong")
                        ),
                    }
                    void["prev_hash"] = void_head
                    void["row_hash"] = row_digest(VOID_CHAIN, SimpleNamespace(**void), void_head)
                    void_head = void["row_hash"]
                    void_len += 1
                    voids_batch.append(void)
                else:
                    sold_by_op[op.id] = sold_by_op.get(op.id, 0) + cents
                done += 1
                if len(sales_batch) >= BATCH:
                    flush(connection)
                    bar(done, args.sales, started)
        flush(connection)
        for code in counters:
            connection.execute(
                update(COUNTERS)
                .where(COUNTERS.c.code == code)
                .values(
                    next_receipt=next_seq[code],
                    last_sale_hash=last_hash[code],
                    # The seeder writes below the app, so it seals what it wrote itself.
                    seal=database.sealer.counter(code, next_seq[code], last_hash[code], None),
                )
            )
        heads = {VOID_CHAIN.name: (void_len, void_head)} | {
            delivery_chain(code).name: head for code, head in deliveries.heads.items()
        }
        for name, (length, head) in heads.items():
            connection.execute(
                update(HEADS)
                .where(HEADS.c.name == name)
                .values(
                    last_hash=head, length=length, seal=database.sealer.head(name, length, head)
                )
            )
        if connection.dialect.name == "postgresql":
            for table in ("sales", "voids", "deliveries"):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                    )
                )
        uow.audit.append(
            utc_now(), "seed_ledger", "seeded", sales=done, voids=void_len, days=args.days
        )
        uow.commit()
    bar(done, args.sales, started)
    sys.stderr.write("\n")
    # Restock through the service so the balances end positive, then take the sales off.
    for op_id, cents in sorted(sold_by_op.items()):
        left = cents + 50_000
        while left > 0:
            chunk = min(left, 100_000_000)
            restock(ledger, op_id, chunk, ref="seed", by=supervisor)
            left -= chunk
    with ledger.uow() as uow:
        for op_id, cents in sold_by_op.items():
            uow.floats.apply(op_id, -cents)
        uow.commit()
    ledger.close()
    elapsed = time.perf_counter() - started
    print(
        f"Seeded {done:,} sales ({void_len:,} voided) over {args.days} days, counters "
        f"{','.join(counters)}, in {elapsed:.1f} s: {settings.url}"
    )


if __name__ == "__main__":
    sys.exit(main())
