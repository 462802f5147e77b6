"""Anchors: every table that decides money, rights or numbering chained, heads sealed.

- `chain_heads.seal`, `counters.seal` and `counters.last_closed_day`: the keyed seals
  (`storage.anchors`) are written by the app right after this migration (the migration
  has no key); the last closed day makes a deleted close row unable to reopen a day.
- `users.name_key`: names compared NFKC- and case-folded (`Ｏｗｎｅｒ` is `Owner`).
- `opening_floats` gains its chain (`opening_cash`), filled for the rows already there.
- New chained tables: `user_records` (each user's rights; one record per existing user,
  action `upgrade`), `setting_changes` (each ledger setting; the current ones recorded),
  `checkpoints`, `receipt_gaps`, `print_marks` (mark before send; existing printed
  originals get a `printed` mark).
- `print_queue.claimed_by`: which process holds a claim.
- Every chain's head row exists from now on: no append ever creates one.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_TIME = sa.DateTime(timezone=True)
GENESIS = "0" * 64
HEADS = (
    "voids",
    "audit",
    "day_closes",
    "float_moves",
    "opening_cash",
    "users",
    "settings",
    "checkpoints",
    "receipt_gaps",
    "print_marks",
)
# The hashing rule of storage.chain, frozen here as it was at this revision.
OPENING_FIELDS = ("counter_code", "business_date", "usd_cents", "khr", "recorded_by", "recorded_at")
USER_FIELDS = ("user_id", "name", "role", "active", "pin_digest", "action", "at")
SETTING_FIELDS = ("key", "value", "at")
MARK_FIELDS = ("sale_id", "mark", "at")


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


def _chained() -> list[sa.Column[Any]]:
    return [
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
    ]


def upgrade() -> None:
    _columns()
    _tables()
    _name_keys()
    _heads()
    _chain_existing()


def _columns() -> None:
    with op.batch_alter_table("chain_heads") as batch:
        batch.add_column(sa.Column("seal", sa.String(length=64), nullable=True))
    with op.batch_alter_table("counters") as batch:
        batch.add_column(sa.Column("last_closed_day", sa.Date(), nullable=True))
        batch.add_column(sa.Column("seal", sa.String(length=64), nullable=True))
    with op.batch_alter_table("print_queue") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(length=80), nullable=True))
    with op.batch_alter_table("opening_floats") as batch:
        batch.add_column(
            sa.Column("prev_hash", sa.String(length=64), nullable=False, server_default=GENESIS)
        )
        batch.add_column(
            sa.Column("row_hash", sa.String(length=64), nullable=False, server_default=GENESIS)
        )
    op.add_column("users", sa.Column("name_key", sa.String(length=40), nullable=True))


def _tables() -> None:
    op.create_table(
        "user_records",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column(
            "user_id",
            BIG_ID,
            sa.ForeignKey("users.id", name="fk_user_records_user_id_users"),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("pin_digest", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        *_chained(),
        sa.PrimaryKeyConstraint("id", name="pk_user_records"),
    )
    op.create_index("ix_user_records_user_id", "user_records", ["user_id"])
    op.create_table(
        "setting_changes",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        *_chained(),
        sa.PrimaryKeyConstraint("id", name="pk_setting_changes"),
    )
    op.create_index("ix_setting_changes_key", "setting_changes", ["key"])
    _anchor_tables()


def _anchor_tables() -> None:
    op.create_table(
        "checkpoints",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.Column("counter_code", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("ref", sa.String(length=40), nullable=False),
        sa.Column("heads", sa.Text(), nullable=False),
        *_chained(),
        sa.PrimaryKeyConstraint("id", name="pk_checkpoints"),
    )
    op.create_index("ix_checkpoints_reason_ref", "checkpoints", ["reason", "ref"])
    op.create_table(
        "receipt_gaps",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column(
            "counter_code",
            sa.String(length=8),
            sa.ForeignKey("counters.code", name="fk_receipt_gaps_counter_code_counters"),
            nullable=False,
        ),
        sa.Column("first_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        *_chained(),
        sa.PrimaryKeyConstraint("id", name="pk_receipt_gaps"),
        sa.CheckConstraint("first_seq <= last_seq", name="ck_receipt_gaps_range"),
    )
    op.create_table(
        "print_marks",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column(
            "sale_id",
            BIG_ID,
            sa.ForeignKey("sales.id", name="fk_print_marks_sale_id_sales"),
            nullable=False,
        ),
        sa.Column("mark", sa.String(length=10), nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        *_chained(),
        sa.PrimaryKeyConstraint("id", name="pk_print_marks"),
        sa.CheckConstraint("mark IN ('sending', 'printed', 'failed')", name="ck_print_marks_mark"),
    )
    op.create_index("ix_print_marks_sale_id", "print_marks", ["sale_id"])


def _name_keys() -> None:
    """Each user's folded name; a second name that folds to the same key keeps its id."""
    bind = op.get_bind()
    taken: set[str] = set()
    for user_id, name in bind.execute(sa.text("SELECT id, name FROM users ORDER BY id")).all():
        key = unicodedata.normalize("NFKC", name).strip().casefold()[:40]
        if key in taken:
            key = f"{key[:30]}#{user_id}"
        taken.add(key)
        bind.execute(
            sa.text("UPDATE users SET name_key = :key WHERE id = :id"), {"key": key, "id": user_id}
        )
    # An index, not a constraint: SQLite would rebuild `users` for a constraint, and that
    # breaks the foreign keys of the sales and audit rows that name their clerk.
    op.create_index("uq_users_name_key", "users", ["name_key"], unique=True)


def _heads() -> None:
    bind = op.get_bind()
    have = {row[0] for row in bind.execute(sa.text("SELECT name FROM chain_heads"))}
    for name in HEADS:
        if name not in have:
            bind.execute(
                sa.text(
                    "INSERT INTO chain_heads (name, last_hash, length) VALUES (:name, :hash, 0)"
                ),
                {"name": name, "hash": GENESIS},
            )


class _Chain:
    """Appends rows to one chain during the migration, advancing its head at the end."""

    def __init__(self, name: str, kind: str, table: str, fields: tuple[str, ...]) -> None:
        self.name, self.kind, self.table, self.fields = name, kind, table, fields
        self.prev, self.length = GENESIS, 0

    def hash(self, values: dict[str, Any]) -> tuple[str, str]:
        prev = self.prev
        self.prev = _digest(self.kind, self.fields, values, prev)
        self.length += 1
        return prev, self.prev

    def insert(self, bind: sa.Connection, values: dict[str, Any]) -> None:
        prev, row_hash = self.hash(values)
        columns = ", ".join([*values, "prev_hash", "row_hash"])
        names = ", ".join(f":{c}" for c in [*values, "prev_hash", "row_hash"])
        bind.execute(
            sa.text(f"INSERT INTO {self.table} ({columns}) VALUES ({names})"),
            {**values, "prev_hash": prev, "row_hash": row_hash},
        )

    def close(self, bind: sa.Connection) -> None:
        bind.execute(
            sa.text(
                "UPDATE chain_heads SET last_hash = :hash, length = :length WHERE name = :name"
            ),
            {"hash": self.prev, "length": self.length, "name": self.name},
        )


def _chain_existing() -> None:
    bind = op.get_bind()
    now = datetime.now(UTC)
    opening = _Chain("opening_cash", "opening_cash", "opening_floats", OPENING_FIELDS)
    rows = bind.execute(
        sa.text(
            "SELECT id, counter_code, business_date, usd_cents, khr, recorded_by, recorded_at "
            "FROM opening_floats ORDER BY id"
        )
    ).mappings()
    for row in rows.all():
        values = {k: row[k] for k in OPENING_FIELDS}
        if isinstance(values["business_date"], str):
            values["business_date"] = date.fromisoformat(values["business_date"])
        if isinstance(values["recorded_at"], str):
            values["recorded_at"] = datetime.fromisoformat(values["recorded_at"])
        prev, row_hash = opening.hash(values)
        bind.execute(
            sa.text("UPDATE opening_floats SET prev_hash = :p, row_hash = :h WHERE id = :id"),
            {"p": prev, "h": row_hash, "id": row["id"]},
        )
    opening.close(bind)
    users = _Chain("users", "user", "user_records", USER_FIELDS)
    for user_id, name, role, active, pin_hash in bind.execute(
        sa.text("SELECT id, name, role, active, pin_hash FROM users ORDER BY id")
    ).all():
        users.insert(
            bind,
            {
                "user_id": user_id,
                "name": name,
                "role": role,
                "active": bool(active),
                "pin_digest": hashlib.sha256(pin_hash.encode("utf-8")).hexdigest(),
                "action": "upgrade",
                "at": now,
            },
        )
    users.close(bind)
    settings = _Chain("settings", "setting", "setting_changes", SETTING_FIELDS)
    for key, value in bind.execute(
        sa.text("SELECT key, value FROM ledger_settings ORDER BY key")
    ).all():
        settings.insert(bind, {"key": key, "value": value, "at": now})
    settings.close(bind)
    marks = _Chain("print_marks", "print_mark", "print_marks", MARK_FIELDS)
    for (sale_id,) in bind.execute(
        sa.text(
            "SELECT DISTINCT sale_id FROM print_queue WHERE status = 'printed' AND copy = :no "
            "ORDER BY sale_id"
        ),
        {"no": False},
    ).all():
        marks.insert(bind, {"sale_id": sale_id, "mark": "printed", "at": now})
    marks.close(bind)
    bind.execute(
        sa.text(
            "UPDATE counters SET last_closed_day = (SELECT max(business_date) FROM day_closes WHERE day_closes.counter_code = counters.code)"
        )
    )


def downgrade() -> None:
    for name in ("print_marks", "receipt_gaps", "checkpoints", "setting_changes", "user_records"):
        op.drop_table(name)
    op.drop_index("uq_users_name_key", table_name="users")
    op.drop_column("users", "name_key")
    op.drop_column("print_queue", "claimed_by")
    op.drop_column("opening_floats", "row_hash")
    op.drop_column("opening_floats", "prev_hash")
    op.drop_column("counters", "seal")
    op.drop_column("counters", "last_closed_day")
    op.drop_column("chain_heads", "seal")
