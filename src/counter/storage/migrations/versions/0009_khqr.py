"""KHQR payments: each code shown (`khqr_requests`) and each change of its state
(`khqr_changes`), both hash-chained. The two chains' heads start empty; the app seals them
right after the upgrade, as it does every unsealed head (storage.database).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_TIME = sa.DateTime(timezone=True)
STATES = (
    "'waiting', 'paid', 'expired', 'cancelled', 'needs_review', 'review_sold', 'review_refunded'"
)
GENESIS = "0" * 64


def upgrade() -> None:
    op.create_table(
        "khqr_requests",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("counter_code", sa.String(8), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("bill_number", sa.String(25), nullable=False),
        sa.Column("md5", sa.String(32), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("minor", sa.BigInteger(), nullable=False),
        sa.Column("msisdn", sa.String(20), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("riel_per_usd", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("expires_at", UTC_TIME, nullable=False),
        sa.Column("clerk_id", sa.Integer(), nullable=False),
        sa.Column("clerk_name", sa.String(40), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("row_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_khqr_requests"),
        sa.UniqueConstraint("bill_number", name="uq_khqr_requests_bill_number"),
        sa.UniqueConstraint("md5", name="uq_khqr_requests_md5"),
        sa.UniqueConstraint("counter_code", "seq", name="uq_khqr_requests_counter_seq"),
        sa.CheckConstraint("minor > 0", name="ck_khqr_requests_minor_positive"),
        sa.CheckConstraint("currency IN ('USD', 'KHR')", name="ck_khqr_requests_currency"),
    )
    op.create_table(
        "khqr_changes",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("request_id", BIG_ID, nullable=False),
        sa.Column("md5", sa.String(32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("previous", sa.String(16), nullable=True),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.Column("actor", sa.String(40), nullable=False),
        sa.Column("bank_ref", sa.String(64), nullable=True),
        sa.Column("sale_id", BIG_ID, nullable=True),
        sa.Column("reason", sa.String(200), nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("row_hash", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"], ["khqr_requests.id"], name="fk_khqr_changes_request_id_khqr_requests"
        ),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.id"], name="fk_khqr_changes_sale_id_sales"),
        sa.PrimaryKeyConstraint("id", name="pk_khqr_changes"),
        sa.UniqueConstraint("request_id", "seq", name="uq_khqr_changes_request_seq"),
        sa.CheckConstraint(f"state IN ({STATES})", name="ck_khqr_changes_state"),
    )
    op.create_index("ix_khqr_changes_request_id", "khqr_changes", ["request_id"])
    bind = op.get_bind()
    for name in ("khqr_requests", "khqr_changes"):
        bind.execute(
            sa.text("INSERT INTO chain_heads (name, last_hash, length) VALUES (:name, :hash, 0)"),
            {"name": name, "hash": GENESIS},
        )


def downgrade() -> None:
    op.execute("DELETE FROM chain_heads WHERE name IN ('khqr_requests', 'khqr_changes')")
    op.drop_table("khqr_changes")
    op.drop_table("khqr_requests")
