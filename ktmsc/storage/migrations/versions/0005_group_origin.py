"""Where a group result comes from: a workshop's group result, stored as an assessment, keeps
of how many participants it is the median and, per domain, their middle half and agreement
(``assessments.group_origin``, JSON; NULL for every other assessment).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


# JSON as TEXT on SQLite (see 0003), PostgreSQL's json type elsewhere.
JSON_TYPE = sa.JSON(none_as_null=True).with_variant(sa.Text(), "sqlite")


def upgrade() -> None:
    op.add_column("assessments", sa.Column("group_origin", JSON_TYPE, nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        raise NotImplementedError("downgrading below 0005 is not supported on SQLite; restore a backup instead")
    op.drop_column("assessments", "group_origin")
