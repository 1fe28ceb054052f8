"""Hidden until revealed: a workshop's group result is shown – on the dashboard, the projector
and, if the facilitator chooses, the participants' devices – only once the facilitator reveals
it (``workshops.revealed_at``, NULL while hidden; ``workshops.reveal_to_participants``).
Workshops created before showed their group all along, so they start revealed.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("workshops", sa.Column("revealed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "workshops",
        sa.Column(
            "reveal_to_participants",
            sa.Boolean(create_constraint=False),
            nullable=False,
            server_default=sa.false(),
        ),
    )
    op.execute("UPDATE workshops SET revealed_at = created_at")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        raise NotImplementedError("downgrading below 0009 is not supported on SQLite; restore a backup instead")
    op.drop_column("workshops", "reveal_to_participants")
    op.drop_column("workshops", "revealed_at")
