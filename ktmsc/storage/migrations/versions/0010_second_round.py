"""A workshop's second round and countdown: the questions it asks again and when it opened
(``workshops.second_round_items``, ``second_round_at``), the first round as it stood then
(``first_round_answers``, copied once), the participants' one-line reasons
(``second_round_reasons``) and a countdown for the round that runs (``countdown_ends_at``).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON(none_as_null=True).with_variant(sa.Text(), "sqlite")


def upgrade() -> None:
    op.add_column("workshops", sa.Column("second_round_items", JSON_TYPE, nullable=True))
    op.add_column("workshops", sa.Column("second_round_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("workshops", sa.Column("countdown_ends_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "first_round_answers",
        sa.Column("assessment_id", sa.String(32), nullable=False),
        sa.Column("item_id", sa.String(100), nullable=False),
        sa.Column("value", JSON_TYPE, nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name="fk_first_round_answers_assessment_id_assessments",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", "item_id", name="pk_first_round_answers"),
    )
    op.create_table(
        "second_round_reasons",
        sa.Column("assessment_id", sa.String(32), nullable=False),
        sa.Column("item_id", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name="fk_second_round_reasons_assessment_id_assessments",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", "item_id", name="pk_second_round_reasons"),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        raise NotImplementedError("downgrading below 0010 is not supported on SQLite; restore a backup instead")
    op.drop_table("second_round_reasons")
    op.drop_table("first_round_answers")
    op.drop_column("workshops", "countdown_ends_at")
    op.drop_column("workshops", "second_round_at")
    op.drop_column("workshops", "second_round_items")
