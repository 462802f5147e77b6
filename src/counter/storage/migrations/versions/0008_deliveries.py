"""Deliveries: each sale's delivery, its hash-chained changes, and refunds.

Sales recorded before this revision have no delivery row: they were `assumed` delivered
when sold, and their float already moved. `ledger_settings` keeps the last such sale's id
(`deliveries_since_sale`, so `counter doctor` asks a delivery only of later sales) and the
ledger's random reference prefix (`delivery_prefix`), drawn once. The new chains' heads
(`refunds`, and `deliveries:<code>` for each counter) start empty; the app seals them
right after the upgrade, as it does every unsealed head (storage.database).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import hashlib
import json
import secrets
import string
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_TIME = sa.DateTime(timezone=True)
STATES = "'pending', 'delivered', 'failed', 'reversed', 'needs_review'"
GENESIS = "0" * 64


def upgrade() -> None:
    _deliveries()
    _changes()
    _refunds()
    _settings()
    _heads()


def _deliveries() -> None:
    op.create_table(
        "deliveries",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("sale_id", BIG_ID, nullable=False),
        sa.Column("counter_code", sa.String(8), nullable=False),
        sa.Column("reference", sa.String(40), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("operator_id", sa.String(20), nullable=False),
        sa.Column("msisdn", sa.String(20), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("provider_ref", sa.String(64), nullable=True),
        sa.Column("changed_at", UTC_TIME, nullable=False),
        sa.Column("reason", sa.String(200), nullable=True),
        sa.Column("sends", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(80), nullable=True),
        sa.Column("claimed_at", UTC_TIME, nullable=True),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.id"], name="fk_deliveries_sale_id_sales"),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        sa.UniqueConstraint("sale_id", name="uq_deliveries_sale_id"),
        sa.UniqueConstraint("reference", name="uq_deliveries_reference"),
        sa.UniqueConstraint("provider_ref", name="uq_deliveries_provider_ref"),
        sa.CheckConstraint(f"state IN ({STATES})", name="ck_deliveries_state"),
        sa.CheckConstraint(
            "channel IN ('assumed', 'manual', 'modem', 'api')", name="ck_deliveries_channel"
        ),
    )
    op.create_index("ix_deliveries_counter_code", "deliveries", ["counter_code"])
    op.create_index("ix_deliveries_state", "deliveries", ["state"])


def _changes() -> None:
    op.create_table(
        "delivery_changes",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("delivery_id", BIG_ID, nullable=False),
        sa.Column("counter_code", sa.String(8), nullable=False),
        sa.Column("reference", sa.String(40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("previous", sa.String(12), nullable=True),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.Column("actor", sa.String(40), nullable=False),
        sa.Column("provider_ref", sa.String(64), nullable=True),
        sa.Column("reason", sa.String(200), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("row_hash", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"], ["deliveries.id"], name="fk_delivery_changes_delivery_id_deliveries"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_delivery_changes"),
        sa.UniqueConstraint("delivery_id", "seq", name="uq_delivery_changes_delivery_seq"),
        sa.CheckConstraint(f"state IN ({STATES})", name="ck_delivery_changes_state"),
    )
    op.create_index("ix_delivery_changes_delivery_id", "delivery_changes", ["delivery_id"])


def _refunds() -> None:
    op.create_table(
        "refunds",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("sale_id", BIG_ID, nullable=False),
        sa.Column("delivery_id", BIG_ID, nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("usd_cents", sa.BigInteger(), nullable=False),
        sa.Column("khr", sa.BigInteger(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("by_name", sa.String(40), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("row_hash", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.id"], name="fk_refunds_sale_id_sales"),
        sa.ForeignKeyConstraint(
            ["delivery_id"], ["deliveries.id"], name="fk_refunds_delivery_id_deliveries"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_refunds"),
        sa.UniqueConstraint("sale_id", name="uq_refunds_sale_id"),
        sa.UniqueConstraint("delivery_id", name="uq_refunds_delivery_id"),
        sa.CheckConstraint("state IN ('failed', 'reversed')", name="ck_refunds_state"),
    )
    op.create_index("ix_refunds_business_date", "refunds", ["business_date"])


def _digest(values: dict[str, Any], prev: str) -> str:
    """The settings chain's hash (storage.chain's rule, frozen here as it is at 0008)."""
    body = {name: values[name] for name in ("key", "value")}
    body["at"] = values["at"].strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    text = json.dumps(
        ["setting", prev, body], sort_keys=True, ensure_ascii=True, separators=(",", ":")
    )
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _settings() -> None:
    """The two settings, each with its change appended to the `settings` chain (doctor
    checks every ledger setting against it); the head's seal is cleared so that the app
    seals the advanced head right after the upgrade."""
    bind = op.get_bind()
    last = bind.execute(sa.text("SELECT COALESCE(MAX(id), 0) FROM sales")).scalar_one()
    prefix = "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(6))
    head = bind.execute(
        sa.text("SELECT last_hash, length FROM chain_heads WHERE name = 'settings'")
    ).one()
    prev, length = str(head.last_hash), int(head.length)
    now = datetime.now(UTC)
    for key, value in (("deliveries_since_sale", str(int(last))), ("delivery_prefix", prefix)):
        values = {"key": key, "value": value, "at": now}
        row_hash = _digest(values, prev)
        bind.execute(
            sa.text("INSERT INTO ledger_settings (key, value) VALUES (:key, :value)"), values
        )
        bind.execute(
            sa.text(
                "INSERT INTO setting_changes (key, value, at, prev_hash, row_hash) "
                "VALUES (:key, :value, :at, :prev_hash, :row_hash)"
            ),
            {**values, "prev_hash": prev, "row_hash": row_hash},
        )
        prev, length = row_hash, length + 1
    bind.execute(
        sa.text(
            "UPDATE chain_heads SET last_hash = :hash, length = :length, seal = NULL "
            "WHERE name = 'settings'"
        ),
        {"hash": prev, "length": length},
    )


def _heads() -> None:
    bind = op.get_bind()
    codes = [row[0] for row in bind.execute(sa.text("SELECT code FROM counters ORDER BY code"))]
    for name in ["refunds", *(f"deliveries:{code}" for code in codes)]:
        bind.execute(
            sa.text("INSERT INTO chain_heads (name, last_hash, length) VALUES (:name, :hash, 0)"),
            {"name": name, "hash": GENESIS},
        )


def downgrade() -> None:
    op.execute(
        "DELETE FROM ledger_settings WHERE key IN ('deliveries_since_sale', 'delivery_prefix')"
    )
    op.execute("DELETE FROM chain_heads WHERE name = 'refunds' OR name LIKE 'deliveries:%'")
    op.drop_table("refunds")
    op.drop_table("delivery_changes")
    op.drop_table("deliveries")
