"""Personal workshop invitations: a participant the facilitator created in advance carries the
label only the facilitator sees ("Frau Weber, Bauamt"; ``assessments.invited_as``, NULL for
everyone who joined by code or link). When it was made is the assessment's ``created_at``.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("assessments", sa.Column("invited_as", sa.String(200), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        raise NotImplementedError("downgrading below 0011 is not supported on SQLite; restore a backup instead")
    op.drop_column("assessments", "invited_as")
