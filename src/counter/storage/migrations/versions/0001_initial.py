"""The ledger's first tables: shop, counters, users, sales, voids, audit log, chain heads.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Every table of the first ledger, in the order their keys need."""
    _ledger_tables()
    _users()
    _sales()
    _voids()


def _ledger_tables() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "chain_heads",
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("length", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_chain_heads")),
    )
    op.create_table(
        "counters",
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("next_receipt", sa.BigInteger(), nullable=False),
        sa.Column("last_sale_hash", sa.String(length=64), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_counters")),
    )
    op.create_table(
        "ledger_settings",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_ledger_settings")),
    )
    op.create_table(
        "shop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_shop_one_shop")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shop")),
    )


def _users() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("language", sa.String(length=10), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('clerk', 'supervisor', 'admin')", name=op.f("ck_users_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    # Names are unique whatever their case: "Dara" and "dara" are one clerk.
    op.create_index("uq_users_name_lower", "users", [sa.text("lower(name)")], unique=True)


def _sales() -> None:
    op.create_table(
        "sales",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("receipt_no", sa.String(length=24), nullable=False),
        sa.Column("counter_code", sa.String(length=8), nullable=False),
        sa.Column("receipt_seq", sa.BigInteger(), nullable=False),
        sa.Column("clerk_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("operator_id", sa.String(length=20), nullable=False),
        sa.Column("msisdn", sa.String(length=16), nullable=False),
        sa.Column("msisdn_rev", sa.String(length=16), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("validity_days", sa.Integer(), nullable=True),
        sa.Column("paid_currency", sa.String(length=3), nullable=False),
        sa.Column("paid_minor", sa.BigInteger(), nullable=False),
        sa.Column("riel_per_usd", sa.Integer(), nullable=False),
        sa.Column("change_usd_cents", sa.BigInteger(), nullable=False),
        sa.Column("change_khr", sa.BigInteger(), nullable=False),
        sa.Column("rounding_khr", sa.Integer(), nullable=False),
        sa.Column("operator_ref", sa.String(length=64), nullable=True),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("paid_currency IN ('USD', 'KHR')", name=op.f("ck_sales_paid_currency")),
        sa.CheckConstraint("amount_cents > 0", name=op.f("ck_sales_amount_positive")),
        sa.ForeignKeyConstraint(["clerk_id"], ["users.id"], name=op.f("fk_sales_clerk_id_users")),
        sa.ForeignKeyConstraint(
            ["counter_code"], ["counters.code"], name=op.f("fk_sales_counter_code_counters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales")),
        sa.UniqueConstraint("counter_code", "receipt_seq", name="uq_sales_counter_seq"),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_sales_idempotency_key")),
        sa.UniqueConstraint("receipt_no", name=op.f("uq_sales_receipt_no")),
    )
    with op.batch_alter_table("sales", schema=None) as batch_op:
        batch_op.create_index("ix_sales_business_date", ["business_date"], unique=False)
        batch_op.create_index(
            "ix_sales_counter_day", ["counter_code", "business_date"], unique=False
        )
        batch_op.create_index("ix_sales_msisdn_created", ["msisdn", "created_at"], unique=False)
        batch_op.create_index(
            "ix_sales_msisdn_rev",
            ["msisdn_rev"],
            unique=False,
            postgresql_ops={"msisdn_rev": "varchar_pattern_ops"},
        )


def _voids() -> None:
    op.create_table(
        "voids",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("sale_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "requested_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "approved_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("length(trim(reason)) > 0", name=op.f("ck_voids_reason_given")),
        sa.ForeignKeyConstraint(
            ["approved_by"], ["users.id"], name=op.f("fk_voids_approved_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["users.id"], name=op.f("fk_voids_requested_by_users")
        ),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.id"], name=op.f("fk_voids_sale_id_sales")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voids")),
        sa.UniqueConstraint("sale_id", name=op.f("uq_voids_sale_id")),
    )


def downgrade() -> None:
    op.drop_table("voids")
    with op.batch_alter_table("sales", schema=None) as batch_op:
        batch_op.drop_index("ix_sales_msisdn_rev")
        batch_op.drop_index("ix_sales_msisdn_created")
        batch_op.drop_index("ix_sales_counter_day")
        batch_op.drop_index("ix_sales_business_date")

    op.drop_table("sales")
    op.drop_index("uq_users_name_lower", table_name="users")
    op.drop_table("users")
    op.drop_table("shop")
    op.drop_table("ledger_settings")
    op.drop_table("counters")
    op.drop_table("chain_heads")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
