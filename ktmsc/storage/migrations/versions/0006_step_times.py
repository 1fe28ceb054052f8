"""How long steps of the questionnaire took, anonymously: step, view, mode, seconds and month,
with no assessment, token or time of day (``step_times``). The method page shows the medians.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "step_times",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("step", sa.String(64), nullable=False),
        sa.Column("perspective", sa.String(20), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_step_times"),
    )
    op.create_index("ix_step_times_step", "step_times", ["step"])


def downgrade() -> None:
    op.drop_index("ix_step_times_step", table_name="step_times")
    op.drop_table("step_times")
