"""Where a comparison round splits its types: per dimension ``fixed`` (the model's threshold) or
``median`` (the round's median), as its host chose when creating it (``rounds.thresholds``,
JSON; NULL: the model's ``rounds.thresholds`` apply, as for every round created before).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# JSON as TEXT on SQLite (see 0003), PostgreSQL's json type elsewhere.
JSON_TYPE = sa.JSON(none_as_null=True).with_variant(sa.Text(), "sqlite")


def upgrade() -> None:
    op.add_column("rounds", sa.Column("thresholds", JSON_TYPE, nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        raise NotImplementedError("downgrading below 0008 is not supported on SQLite; restore a backup instead")
    op.drop_column("rounds", "thresholds")
