"""Comparison rounds: a host's round (``rounds``, its host key only as a hash) and the
municipalities it invites (``round_members``: official key, name, kind of body, Land,
population, the invitation's hash and, once it was used, the assessment it started).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# JSON as TEXT on SQLite (see 0003), PostgreSQL's json type elsewhere.
JSON_TYPE = sa.JSON(none_as_null=True).with_variant(sa.Text(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "rounds",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("host_key_hash", sa.String(64), nullable=False),
        sa.Column("domains", JSON_TYPE, nullable=False),
        sa.Column("perspective", sa.String(20), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=True),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("previous_id", sa.String(32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rounds"),
        sa.UniqueConstraint("host_key_hash", name="uq_rounds_host_key_hash"),
        sa.ForeignKeyConstraint(
            ["previous_id"], ["rounds.id"], name="fk_rounds_previous_id_rounds", ondelete="SET NULL"
        ),
    )
    op.create_table(
        "round_members",
        sa.Column("round_id", sa.String(32), nullable=False),
        sa.Column("key", sa.String(12), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("body_kind", sa.String(40), nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("invitation_hash", sa.String(64), nullable=False),
        sa.Column("assessment_id", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("round_id", "key", name="pk_round_members"),
        sa.UniqueConstraint("invitation_hash", name="uq_round_members_invitation_hash"),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name="fk_round_members_round_id_rounds", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name="fk_round_members_assessment_id_assessments",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_round_members_assessment_id", "round_members", ["assessment_id"])


def downgrade() -> None:
    op.drop_index("ix_round_members_assessment_id", table_name="round_members")
    op.drop_table("round_members")
    op.drop_table("rounds")
