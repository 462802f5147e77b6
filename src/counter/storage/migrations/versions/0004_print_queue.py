"""Print queue: when a receipt was printed, and who is printing it now.

`claimed_at` is set by the worker that is printing a pending original (a short claim
transaction, so two workers never print the same receipt) and cleared when it finishes;
a claim older than the lease (a worker that died mid-print) may be taken over.
`printed_at` is when the printer accepted the receipt.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("print_queue", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("printed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("print_queue", schema=None) as batch_op:
        batch_op.drop_column("printed_at")
        batch_op.drop_column("claimed_at")
