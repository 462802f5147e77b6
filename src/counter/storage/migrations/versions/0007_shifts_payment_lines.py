"""Shifts, payment lines, and days that can be reopened.

- `sale_payments`: every sale's payment as lines (tender, currency, amount, reference).
  Each sale recorded so far gets one cash line from its `paid_currency` and `paid_minor`,
  which stay as they were (its hash covers them).
- `sales.shift_id` and `sales.hash_version`: sales from now on belong to a shift and
  their hash covers the shift and the lines (version 2); sales so far keep version 1 and
  no shift (they belong to shift 1 of their day).
- `shifts`, `shift_closes`, `day_reopens`, each hash-chained.
- `day_closes.close_no`: a day reopened and closed again has a second close.
- Carried over: each (counter, business day) with an opening cash, a close or a sale
  becomes shift 1 of that day (`origin = migrated`), opened with the day's opening cash
  (none: $0 and 0 riel) by who entered it; a closed day's shift is closed with the close's
  own figures. Every report of those days says what it said before.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)
HASH = sa.String(length=64)
GENESIS = "0" * 64

# The hashing rule and the fields as of this revision (counter.storage.chain has the same):
# frozen here, so a later change there cannot change what this migration wrote.
SHIFT_FIELDS = (
    "counter_code",
    "business_date",
    "number",
    "opened_at",
    "opened_by",
    "opening_usd_cents",
    "opening_khr",
    "opening_notes",
    "origin",
)
SHIFT_CLOSE_FIELDS = (
    "shift_id",
    "closed_at",
    "counted_by",
    "approved_by",
    "counted_usd_cents",
    "counted_khr",
    "counted_notes",
    "expected_usd_cents",
    "expected_khr",
    "sales_count",
    "sales_cents",
)


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _digest(kind: str, fields: tuple[str, ...], values: dict[str, Any], prev: str) -> str:
    body = {name: _canonical(values[name]) for name in fields}
    text = json.dumps([kind, prev, body], sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def upgrade() -> None:
    _payment_lines()
    _sale_columns()
    _shift_tables()
    _day_close_numbers()
    _carry_days_into_shifts()


def _payment_lines() -> None:
    op.create_table(
        "sale_payments",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("sale_id", BIG_ID, nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("tender", sa.String(length=8), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("minor", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.CheckConstraint("minor > 0", name=op.f("ck_sale_payments_minor_positive")),
        sa.CheckConstraint("tender IN ('cash', 'khqr')", name=op.f("ck_sale_payments_tender")),
        sa.CheckConstraint("currency IN ('USD', 'KHR')", name=op.f("ck_sale_payments_currency")),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sales.id"], name=op.f("fk_sale_payments_sale_id_sales")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sale_payments")),
        sa.UniqueConstraint("sale_id", "line_no", name="uq_sale_payments_sale_line"),
    )
    op.execute(
        "INSERT INTO sale_payments (sale_id, line_no, tender, currency, minor, reference) "
        "SELECT id, 1, 'cash', paid_currency, paid_minor, NULL FROM sales WHERE paid_minor > 0"
    )


def _sale_columns() -> None:
    # Plain ADD COLUMN (no batch): rebuilding `sales` would break the voids', print
    # queue's and payment lines' foreign keys on SQLite.
    op.add_column("sales", sa.Column("shift_id", BIG_ID, nullable=True))
    op.add_column(
        "sales", sa.Column("hash_version", sa.Integer(), nullable=False, server_default="1")
    )
    op.create_index("ix_sales_shift_id", "sales", ["shift_id"], unique=False)


def _shift_tables() -> None:
    op.create_table(
        "shifts",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("counter_code", sa.String(length=8), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("opened_at", TIME, nullable=False),
        sa.Column("opened_by", BIG_ID, nullable=False),
        sa.Column("opening_usd_cents", sa.BigInteger(), nullable=False),
        sa.Column("opening_khr", sa.BigInteger(), nullable=False),
        sa.Column("opening_notes", sa.Text(), nullable=True),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("prev_hash", HASH, nullable=False),
        sa.Column("row_hash", HASH, nullable=False),
        sa.CheckConstraint(
            "opening_usd_cents >= 0 AND opening_khr >= 0", name=op.f("ck_shifts_not_negative")
        ),
        sa.CheckConstraint(
            "origin IN ('opened', 'migrated', 'reopened')", name=op.f("ck_shifts_origin")
        ),
        sa.ForeignKeyConstraint(
            ["counter_code"], ["counters.code"], name=op.f("fk_shifts_counter_code_counters")
        ),
        sa.ForeignKeyConstraint(
            ["opened_by"], ["users.id"], name=op.f("fk_shifts_opened_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shifts")),
        sa.UniqueConstraint(
            "counter_code", "business_date", "number", name="uq_shifts_counter_day_no"
        ),
    )
    _shift_closes_table()
    _day_reopens_table()


def _shift_closes_table() -> None:
    op.create_table(
        "shift_closes",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("shift_id", BIG_ID, nullable=False),
        sa.Column("closed_at", TIME, nullable=False),
        sa.Column("counted_by", BIG_ID, nullable=False),
        sa.Column("approved_by", BIG_ID, nullable=True),
        sa.Column("counted_usd_cents", sa.BigInteger(), nullable=False),
        sa.Column("counted_khr", sa.BigInteger(), nullable=False),
        sa.Column("counted_notes", sa.Text(), nullable=True),
        sa.Column("expected_usd_cents", sa.BigInteger(), nullable=False),
        sa.Column("expected_khr", sa.BigInteger(), nullable=False),
        sa.Column("sales_count", sa.BigInteger(), nullable=False),
        sa.Column("sales_cents", sa.BigInteger(), nullable=False),
        sa.Column("prev_hash", HASH, nullable=False),
        sa.Column("row_hash", HASH, nullable=False),
        sa.CheckConstraint(
            "counted_usd_cents >= 0 AND counted_khr >= 0",
            name=op.f("ck_shift_closes_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["shifts.id"], name=op.f("fk_shift_closes_shift_id_shifts")
        ),
        sa.ForeignKeyConstraint(
            ["counted_by"], ["users.id"], name=op.f("fk_shift_closes_counted_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["approved_by"], ["users.id"], name=op.f("fk_shift_closes_approved_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_closes")),
        sa.UniqueConstraint("shift_id", name=op.f("uq_shift_closes_shift_id")),
    )


def _day_reopens_table() -> None:
    op.create_table(
        "day_reopens",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("counter_code", sa.String(length=8), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("reopen_no", sa.Integer(), nullable=False),
        sa.Column("reopened_at", TIME, nullable=False),
        sa.Column("reopened_by", BIG_ID, nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("shift_id", BIG_ID, nullable=False),
        sa.Column("prev_hash", HASH, nullable=False),
        sa.Column("row_hash", HASH, nullable=False),
        sa.CheckConstraint("length(trim(reason)) > 0", name=op.f("ck_day_reopens_reason_given")),
        sa.ForeignKeyConstraint(
            ["counter_code"], ["counters.code"], name=op.f("fk_day_reopens_counter_code_counters")
        ),
        sa.ForeignKeyConstraint(
            ["reopened_by"], ["users.id"], name=op.f("fk_day_reopens_reopened_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["shifts.id"], name=op.f("fk_day_reopens_shift_id_shifts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_day_reopens")),
        sa.UniqueConstraint(
            "counter_code", "business_date", "reopen_no", name="uq_day_reopens_counter_day_no"
        ),
    )


def _day_close_numbers() -> None:
    # `day_closes` is referenced by no other table: rebuilding it on SQLite is safe.
    with op.batch_alter_table("day_closes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("close_no", sa.Integer(), nullable=False, server_default="1"))
        batch_op.drop_constraint("uq_day_closes_counter_day", type_="unique")
        batch_op.create_unique_constraint(
            "uq_day_closes_counter_day_no", ["counter_code", "business_date", "close_no"]
        )


# --- carrying the days over -------------------------------------------------------------

_META = sa.MetaData()
_SALES = sa.Table(
    "sales",
    _META,
    sa.Column("id", BIG_ID),
    sa.Column("counter_code", sa.String(8)),
    sa.Column("business_date", sa.Date()),
    sa.Column("created_at", TIME),
    sa.Column("clerk_id", BIG_ID),
)
_OPENING = sa.Table(
    "opening_floats",
    _META,
    sa.Column("counter_code", sa.String(8)),
    sa.Column("business_date", sa.Date()),
    sa.Column("usd_cents", sa.BigInteger()),
    sa.Column("khr", sa.BigInteger()),
    sa.Column("recorded_by", BIG_ID),
    sa.Column("recorded_at", TIME),
)
_CLOSES = sa.Table(
    "day_closes",
    _META,
    sa.Column("counter_code", sa.String(8)),
    sa.Column("business_date", sa.Date()),
    sa.Column("closed_at", TIME),
    sa.Column("closed_by", BIG_ID),
    sa.Column("counted_by", sa.String(40)),
    sa.Column("expected_usd_cents", sa.BigInteger()),
    sa.Column("expected_khr", sa.BigInteger()),
    sa.Column("counted_usd_cents", sa.BigInteger()),
    sa.Column("counted_khr", sa.BigInteger()),
    sa.Column("sales_count", sa.BigInteger()),
    sa.Column("sales_cents", sa.BigInteger()),
)
_USERS = sa.Table("users", _META, sa.Column("id", BIG_ID), sa.Column("name", sa.String(40)))
_SHIFTS = sa.Table(
    "shifts",
    _META,
    sa.Column("id", BIG_ID, primary_key=True),
    *(sa.Column(name) for name in ("counter_code", "business_date", "number")),
    sa.Column("opened_at", TIME),
    *(sa.Column(name) for name in SHIFT_FIELDS[4:]),
    sa.Column("prev_hash"),
    sa.Column("row_hash"),
)
_SHIFT_CLOSES = sa.Table(
    "shift_closes",
    _META,
    sa.Column("shift_id"),
    sa.Column("closed_at", TIME),
    *(sa.Column(name) for name in SHIFT_CLOSE_FIELDS[2:]),
    sa.Column("prev_hash"),
    sa.Column("row_hash"),
)
_HEADS = sa.Table(
    "chain_heads", _META, sa.Column("name"), sa.Column("last_hash"), sa.Column("length")
)


def _days(conn: sa.Connection) -> list[tuple[str, date]]:
    found: set[tuple[str, date]] = set()
    for table in (_OPENING, _CLOSES, _SALES):
        stmt = sa.select(table.c.counter_code, table.c.business_date).distinct()
        found.update((str(code), day) for code, day in conn.execute(stmt))
    return sorted(found, key=lambda key: (key[1], key[0]))


def _by_day(conn: sa.Connection, table: sa.Table) -> dict[tuple[str, date], Any]:
    return {(r.counter_code, r.business_date): r for r in conn.execute(sa.select(table))}


def _first_sales(conn: sa.Connection) -> dict[tuple[str, date], Any]:
    first: dict[tuple[str, date], Any] = {}
    stmt = sa.select(_SALES).order_by(_SALES.c.id)
    for row in conn.execute(stmt):
        first.setdefault((row.counter_code, row.business_date), row)
    return first


def _carry_days_into_shifts() -> None:
    conn = op.get_bind()
    openings, closes, firsts = _by_day(conn, _OPENING), _by_day(conn, _CLOSES), _first_sales(conn)
    users = {str(name).lower(): int(uid) for uid, name in conn.execute(sa.select(_USERS))}
    shift_prev, close_prev = GENESIS, GENESIS
    shifts = closed = 0
    for key in _days(conn):
        opening, close, first = openings.get(key), closes.get(key), firsts.get(key)
        moments = [m for m in (first and first.created_at, close and close.closed_at) if m]
        values = {
            "counter_code": key[0],
            "business_date": key[1],
            "number": 1,
            "opened_at": opening.recorded_at if opening else min(moments),
            "opened_by": (opening and opening.recorded_by)
            or (close and close.closed_by)
            or (first and first.clerk_id),
            "opening_usd_cents": int(opening.usd_cents) if opening else 0,
            "opening_khr": int(opening.khr) if opening else 0,
            "opening_notes": None,
            "origin": "migrated",
        }
        row_hash = _digest("shift", SHIFT_FIELDS, values, shift_prev)
        result = conn.execute(
            sa.insert(_SHIFTS).values(**values, prev_hash=shift_prev, row_hash=row_hash)
        )
        shift_prev, shifts = row_hash, shifts + 1
        if close is None:
            continue
        counter_id = users.get(str(close.counted_by or "").lower(), int(close.closed_by))
        key_of_shift = result.inserted_primary_key
        assert key_of_shift is not None
        figures = {
            "shift_id": int(key_of_shift[0]),
            "closed_at": close.closed_at,
            "counted_by": counter_id,
            "approved_by": int(close.closed_by),
            "counted_usd_cents": int(close.counted_usd_cents),
            "counted_khr": int(close.counted_khr),
            "counted_notes": None,
            "expected_usd_cents": int(close.expected_usd_cents),
            "expected_khr": int(close.expected_khr),
            "sales_count": int(close.sales_count),
            "sales_cents": int(close.sales_cents),
        }
        close_hash = _digest("shift_close", SHIFT_CLOSE_FIELDS, figures, close_prev)
        conn.execute(
            sa.insert(_SHIFT_CLOSES).values(**figures, prev_hash=close_prev, row_hash=close_hash)
        )
        close_prev, closed = close_hash, closed + 1
    for name, last, length in (
        ("shifts", shift_prev, shifts),
        ("shift_closes", close_prev, closed),
        ("day_reopens", GENESIS, 0),
    ):
        conn.execute(sa.insert(_HEADS).values(name=name, last_hash=last, length=length))


def downgrade() -> None:
    with op.batch_alter_table("day_closes", schema=None) as batch_op:
        batch_op.drop_constraint("uq_day_closes_counter_day_no", type_="unique")
        batch_op.create_unique_constraint(
            "uq_day_closes_counter_day", ["counter_code", "business_date"]
        )
        batch_op.drop_column("close_no")
    op.execute("DELETE FROM chain_heads WHERE name IN ('shifts', 'shift_closes', 'day_reopens')")
    op.drop_table("day_reopens")
    op.drop_table("shift_closes")
    op.drop_table("shifts")
    op.drop_index("ix_sales_shift_id", table_name="sales")
    op.drop_column("sales", "hash_version")
    op.drop_column("sales", "shift_id")
    op.drop_table("sale_payments")
