"""Targets and the action plan.

``targets``: per assessment and domain, the type it wants to be in two years, one row per
(assessment, domain). ``plan_entries``: the action plan, one row per entry (what, who, by
when, status, note). Both are deleted with their assessment. New tables only: nothing
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

# SQLite gives a column declared JSON numeric affinity (the JSON text 2.0 would come back
# as the integer 2), so JSON is stored as TEXT there; PostgreSQL keeps its json type.
JSON_TYPE = sa.JSON(none_as_null=True).with_variant(sa.Text(), "sqlite")


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

    op.create_table(
        "plan_entries",
        sa.Column("assessment_id", sa.String(32), nullable=False),
        sa.Column("id", sa.String(16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(100), nullable=False),
        sa.Column("item_id", sa.String(100), nullable=False),
        sa.Column("to_value", JSON_TYPE, nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name="fk_plan_entries_assessment_id_assessments",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", "id", name="pk_plan_entries"),
    )


def downgrade() -> None:
    op.drop_table("plan_entries")
    op.drop_table("targets")
