"""Day end: day-close figures and hash chain, opening floats, operator float moves and balances.

`day_closes` (from 0002, never written before this revision) gains the cash figures and
its chain hashes. `operator_floats` starts from the ledger's existing sales: a ledger that
never recorded a restock has a balance of minus what it sold (restocks + corrections -
sales + voided sales).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
GENESIS = "0" * 64
CLOSE_MONEY = (
    "opening_usd_cents",
    "opening_khr",
    "expected_usd_cents",
    "expected_khr",
    "counted_usd_cents",
    "counted_khr",
    "sales_count",
    "sales_cents",
)


def upgrade() -> None:
    """The close figures, the opening cash and float tables, the balances from the sales."""
    _close_figures()
    _opening_floats_and_moves()
    _operator_balances()


def _close_figures() -> None:
    with op.batch_alter_table("day_closes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("counted_by", sa.String(length=40), nullable=False, server_default="")
        )
        for name in CLOSE_MONEY:
            batch_op.add_column(
                sa.Column(name, sa.BigInteger(), nullable=False, server_default="0")
            )
        batch_op.add_column(
            sa.Column("prev_hash", sa.String(length=64), nullable=False, server_default=GENESIS)
        )
        batch_op.add_column(
            sa.Column("row_hash", sa.String(length=64), nullable=False, server_default=GENESIS)
        )


def _opening_floats_and_moves() -> None:
    op.create_table(
        "opening_floats",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("counter_code", sa.String(length=8), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("usd_cents", sa.BigInteger(), nullable=False),
        sa.Column("khr", sa.BigInteger(), nullable=False),
        sa.Column("recorded_by", BIG_ID, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "usd_cents >= 0 AND khr >= 0", name=op.f("ck_opening_floats_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["counter_code"],
            ["counters.code"],
            name=op.f("fk_opening_floats_counter_code_counters"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_opening_floats_recorded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opening_floats")),
        sa.UniqueConstraint("counter_code", "business_date", name="uq_opening_floats_counter_day"),
    )

    op.create_table(
        "float_moves",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("operator_id", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("by_user", BIG_ID, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("kind IN ('restock', 'correction')", name=op.f("ck_float_moves_kind")),
        sa.CheckConstraint(
            "kind <> 'restock' OR amount_cents > 0", name=op.f("ck_float_moves_restock_positive")
        ),
        sa.CheckConstraint(
            "kind <> 'correction' OR length(trim(coalesce(reason, ''))) > 0",
            name=op.f("ck_float_moves_reason_given"),
        ),
        sa.ForeignKeyConstraint(
            ["by_user"], ["users.id"], name=op.f("fk_float_moves_by_user_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_float_moves")),
    )
    with op.batch_alter_table("float_moves", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_float_moves_operator_id"), ["operator_id"], unique=False
        )


def _operator_balances() -> None:
    op.create_table(
        "operator_floats",
        sa.Column("operator_id", sa.String(length=20), nullable=False),
        sa.Column("balance_cents", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("operator_id", name=op.f("pk_operator_floats")),
    )
    # Existing sales count against the (so far unrecorded) stock; voided ones do not.
    op.execute(
        "INSERT INTO operator_floats (operator_id, balance_cents) "
        "SELECT s.operator_id, -SUM(s.amount_cents) FROM sales s "
        "LEFT JOIN voids v ON v.sale_id = s.id WHERE v.id IS NULL GROUP BY s.operator_id"
    )


def downgrade() -> None:
    op.drop_table("operator_floats")
    with op.batch_alter_table("float_moves", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_float_moves_operator_id"))
    op.drop_table("float_moves")
    op.drop_table("opening_floats")
    with op.batch_alter_table("day_closes", schema=None) as batch_op:
        for name in ("row_hash", "prev_hash", *reversed(CLOSE_MONEY), "counted_by"):
            batch_op.drop_column(name)
