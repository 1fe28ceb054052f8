"""Targets: per assessment and domain, the type it wants to be in two years.

One row per (assessment, domain), deleted with its assessment. A new table only: nothing
existing is rebuilt, on SQLite or PostgreSQL.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "targets",
        sa.Column("assessment_id", sa.String(32), nullable=False),
        sa.Column("domain", sa.String(100), nullable=False),
        sa.Column("type_id", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name="fk_targets_assessment_id_assessments",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", "domain", name="pk_targets"),
    )


def downgrade() -> None:
    op.drop_table("targets")
