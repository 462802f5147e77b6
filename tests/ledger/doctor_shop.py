"""A ledger with something in every table doctor reads, made once per test module.

Shop A (admin Sok, clerk Dara, supervisor Vanna) on 2026-11-24: sales A-000001..3 with an
API delivery each (the first delivered then reversed, so refunded; the others pending),
A-000004 delivered as assumed and then voided, A-000005 paid by KHQR, and the day closed
(checkpoint 1 and its Z code). Tests copy it into their
COUNTER_HOME (`tests.support.made_shop.copy_into`), edit the file with `sqlite3` as an
outsider would, and run `counter doctor`.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

from counter.domain.deliveries import DeliveryPlan
from counter.domain.delivery import Answer, Channel, Outcome
from counter.domain.money import Currency
from counter.services import close_day, sell, void_sale
from counter.services.deliveries import delivery_of, record_outcome
from counter.services.khqr import finish_khqr, start_khqr
from counter.storage.anchors import Sealer, checkpoint_label, receipt_label_code
from counter.storage.chain import Chain, row_digest
from counter.storage.models import GENESIS_HASH
from tests.ledger.conftest import SUPERVISOR_PIN, set_up_shop
from tests.support.cli import Ran, counter
from tests.support.khqr import FakeBank, fake_code, result_paid, with_khqr
from tests.support.made_shop import home_for_making

DAY = datetime(2026, 11, 24, 2, tzinfo=UTC)  # 09:00 in Phnom Penh


def at(minutes: int) -> datetime:
    return DAY.replace(minute=minutes)


def make_doctor_shop(made: Path) -> Path:
    """The shop above, in `made` (its COUNTER_HOME)."""
    with home_for_making(made):
        shop = set_up_shop()
        led = replace(shop.ledger, delivery=DeliveryPlan(channels={"cellcard": Channel.API}))
        for i in range(3):
            sell(led, shop.clerk, f"012 345 67{i}", "5", now=at(i))
        sell(shop.ledger, shop.clerk, "012 345 673", "5", now=at(3))  # delivered, assumed
        first = delivery_of(led, "A-000001")
        record_outcome(led, first.id, Outcome(Answer.DELIVERED, first.reference), now=at(5))
        record_outcome(led, first.id, Outcome(Answer.REVERSED, first.reference), now=at(6))
        paying = with_khqr(led)
        shown = start_khqr(
            paying,
            shop.clerk,
            "012 345 679",
            "2",
            currency=Currency.USD,
            make_code=fake_code,
            rows=24,
            cols=80,
            now=at(7),
        )
        bank = FakeBank()
        bank.pay(shown.request)
        finish_khqr(paying, shown.request.id, result_paid(bank, shown.request), now=at(8))
        void_sale(
            led,
            "A-000004",
            reason="wrong number",
            requested_by=shop.clerk,
            supervisor_name="Vanna",
            supervisor_pin=SUPERVISOR_PIN,
            now=at(9),
        )
        close_day(
            led,
            DAY.date(),
            "A",
            counted_usd_cents=1500,
            counted_khr=0,
            supervisor_name="Vanna",
            supervisor_pin=SUPERVISOR_PIN,
            by=shop.clerk,
            now=at(11),
            accept_open_deliveries=True,
        )
        shop.ledger.close()
        ran = counter("doctor")
        assert ran.returncode == 0, ran.stdout + ran.stderr
    return made


def doctor(*args: str) -> Ran:
    return counter("doctor", *args)


def problems(ran: Ran) -> list[str]:
    """The problems doctor said, without their "Problem: " (exit 1 checked)."""
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "Traceback" not in ran.stdout + ran.stderr
    return [line.removeprefix("Problem: ") for line in ran.stderr.splitlines()]


def sql(home: Path, *statements: str) -> None:
    """Plain SQL on the ledger file, committed, as a person with `sqlite3` would."""
    with sqlite3.connect(home / "ledger.sqlite3") as db:
        for statement in statements:
            db.execute(statement)


def one(home: Path, query: str) -> tuple:  # type: ignore[type-arg]
    with sqlite3.connect(home / "ledger.sqlite3") as db:
        return tuple(db.execute(query).fetchone())


def sealer(home: Path) -> Sealer:
    return Sealer((home / "witness.key").read_text().strip().encode())


def receipt_code(home: Path, seq: int) -> str:
    (row_hash,) = one(home, f"SELECT row_hash FROM sales WHERE receipt_seq = {seq}")
    code = sealer(home).receipt_code("A", seq, row_hash)
    assert code is not None
    return receipt_label_code(f"A-{seq:06d}", code)


def z_code(home: Path, checkpoint_id: int) -> str:
    (row_hash,) = one(home, f"SELECT row_hash FROM checkpoints WHERE id = {checkpoint_id}")
    code = sealer(home).checkpoint_code(checkpoint_id, row_hash)
    assert code is not None
    return checkpoint_label(checkpoint_id, code)


def rechain(home: Path, chain: Chain, *, with_key: bool) -> None:
    """Every row's hash of `chain` made again from public data (the code's own rule), and
    its head; with the witness key, the head's seal too: an outsider covering an edit."""
    from sqlalchemy import create_engine, select

    from counter.storage.models import Base

    table = Base.metadata.tables[chain.table]
    engine = create_engine(f"sqlite:///{home / 'ledger.sqlite3'}")
    with engine.connect() as conn:
        rows = conn.execute(select(table).order_by(table.c.id)).all()
    engine.dispose()
    prev, updates = GENESIS_HASH, []
    for row in rows:
        new = row_digest(chain, SimpleNamespace(**row._mapping), prev)
        updates.append((prev, new, row.id))
        prev = new
    seal = sealer(home).head(chain.name, len(rows), prev) if with_key else "forged"
    with sqlite3.connect(home / "ledger.sqlite3") as db:
        db.executemany(
            f"UPDATE {chain.table} SET prev_hash = ?, row_hash = ? WHERE id = ?", updates
        )
        db.execute(
            "UPDATE chain_heads SET length = ?, last_hash = ?, seal = ? WHERE name = ?",
            (len(rows), prev, seal, chain.name),
        )


def witness_lines(home: Path) -> list[dict]:  # type: ignore[type-arg]
    """The witness log's lines as JSON, in order."""
    log = home / "witness" / "witness-A.log"
    return [json.loads(line) for line in log.read_text().splitlines()]


def when(stamp: str) -> str:
    """A time as doctor says it (`2026-11-24 02:11 UTC`), from a witness line's or a row's."""
    return stamp.replace("T", " ")[:16] + " UTC"
