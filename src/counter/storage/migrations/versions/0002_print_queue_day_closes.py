"""Tables for the next issues: the print queue and day closes.

Kept as its own revision so the first upgrade path (0001 -> 0002) is exercised by the
tests that check a ledger is backed up before it is upgraded.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "print_queue",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("sale_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("copy", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'printed', 'failed')", name=op.f("ck_print_queue_status")
        ),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sales.id"], name=op.f("fk_print_queue_sale_id_sales")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_print_queue")),
    )
    with op.batch_alter_table("print_queue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_print_queue_sale_id"), ["sale_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_print_queue_status"), ["status"], unique=False)

    op.create_table(
        "day_closes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("counter_code", sa.String(length=8), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "closed_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["users.id"], name=op.f("fk_day_closes_closed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["counter_code"], ["counters.code"], name=op.f("fk_day_closes_counter_code_counters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_day_closes")),
        sa.UniqueConstraint("counter_code", "business_date", name="uq_day_closes_counter_day"),
    )


def downgrade() -> None:
    op.drop_table("day_closes")
    with op.batch_alter_table("print_queue", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_print_queue_status"))
        batch_op.drop_index(batch_op.f("ix_print_queue_sale_id"))
    op.drop_table("print_queue")
