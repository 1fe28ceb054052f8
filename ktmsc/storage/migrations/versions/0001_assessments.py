"""Assessments and their answers.

The first schema: one row per assessment (profile, chosen domains, where the person
is in the wizard) and one row per answered item with value, note and evidence in
separate columns.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# SQLite gives a column declared JSON numeric affinity (the JSON text 2.0 would come back
# as the integer 2), so JSON is stored as TEXT there; PostgreSQL keeps its json type.
JSON_TYPE = sa.JSON(none_as_null=True).with_variant(sa.Text(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("edit_token_hash", sa.String(64), nullable=False),
        sa.Column("share_token", sa.String(64), nullable=False),
        sa.Column("previous_id", sa.String(32), nullable=True),
        sa.Column("profile", JSON_TYPE, nullable=False),
        sa.Column("domains", JSON_TYPE, nullable=False),
        sa.Column("questionnaire_version", sa.String(40), nullable=True),
        sa.Column("step", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_assessments"),
        sa.UniqueConstraint("edit_token_hash", name="uq_assessments_edit_token_hash"),
        sa.UniqueConstraint("share_token", name="uq_assessments_share_token"),
        sa.ForeignKeyConstraint(
            ["previous_id"], ["assessments.id"], name="fk_assessments_previous_id_assessments", ondelete="SET NULL"
        ),
    )
    op.create_index("ix_assessments_previous_id", "assessments", ["previous_id"])
    op.create_table(
        "answers",
        sa.Column("assessment_id", sa.String(32), nullable=False),
        sa.Column("item_id", sa.String(100), nullable=False),
        sa.Column("value", JSON_TYPE, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("assessment_id", "item_id", name="pk_answers"),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"], name="fk_answers_assessment_id_assessments", ondelete="CASCADE"
        ),
    )


def downgrade() -> None:
    op.drop_table("answers")
    op.drop_index("ix_assessments_previous_id", table_name="assessments")
    op.drop_table("assessments")
