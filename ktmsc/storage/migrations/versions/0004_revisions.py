"""A revision counter per assessment, and on each answer the revision that last wrote it.

Every write to an assessment raises ``assessments.revision`` by one while it holds the
assessment's row (PostgreSQL) or the write lock (SQLite), and the answers it writes carry
that revision. A reader that saw revision r has seen every answer up to r, so the next read
needs only the answers above it – the facilitator's dashboard reads a participant's one
changed answer instead of all of them. Deleting answers (an import, a cleared answer
without note) sets ``answers_reset``: a reader that knows less than that reads everything.
Existing rows start at 0.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("assessments", sa.Column("revision", sa.BigInteger(), nullable=False, server_default="0"))
    op.add_column("assessments", sa.Column("answers_reset", sa.BigInteger(), nullable=False, server_default="0"))
    op.add_column("answers", sa.Column("revision", sa.BigInteger(), nullable=False, server_default="0"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        raise NotImplementedError("downgrading below 0004 is not supported on SQLite; restore a backup instead")
    op.drop_column("answers", "revision")
    op.drop_column("assessments", "answers_reset")
    op.drop_column("assessments", "revision")
