"""Workshops, and assessments that belong to one as a participant's answers.

Adds the workshops table and, on assessments, ``kind`` (existing rows become
``"self"``), the workshop they belong to, and the participant's pseudonym and role.

SQLite cannot add a foreign key with ALTER TABLE … ADD CONSTRAINT, and Alembic's batch
mode would rebuild the assessments table — which, with ``foreign_keys=ON``, cascades the
drop of the old table into the answers. So on SQLite the column is added with an inline
``REFERENCES`` clause (which SQLite allows for nullable columns) and nothing is rebuilt.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# SQLite gives a column declared JSON numeric affinity (the JSON text 2.0 would come back
# as the integer 2), so JSON is stored as TEXT there; PostgreSQL keeps its json type.
JSON_TYPE = sa.JSON(none_as_null=True).with_variant(sa.Text(), "sqlite")

FK_NAME = "fk_assessments_workshop_id_workshops"


def upgrade() -> None:
    op.create_table(
        "workshops",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("join_code", sa.String(8), nullable=False),
        sa.Column("join_token", sa.String(64), nullable=False),
        sa.Column("facilitator_key_hash", sa.String(64), nullable=False),
        sa.Column("profile", JSON_TYPE, nullable=False),
        sa.Column("domains", JSON_TYPE, nullable=False),
        sa.Column("perspective", sa.String(20), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed", sa.Boolean(create_constraint=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workshops"),
        sa.UniqueConstraint("join_code", name="uq_workshops_join_code"),
        sa.UniqueConstraint("join_token", name="uq_workshops_join_token"),
        sa.UniqueConstraint("facilitator_key_hash", name="uq_workshops_facilitator_key_hash"),
    )
    op.add_column("assessments", sa.Column("kind", sa.String(16), nullable=False, server_default="self"))
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE assessments ADD COLUMN workshop_id VARCHAR(32) CONSTRAINT {FK_NAME} REFERENCES workshops (id) ON DELETE SET NULL"
        )
    else:
        op.add_column("assessments", sa.Column("workshop_id", sa.String(32), nullable=True))
        op.create_foreign_key(FK_NAME, "assessments", "workshops", ["workshop_id"], ["id"], ondelete="SET NULL")
    op.add_column("assessments", sa.Column("participant_name", sa.String(200), nullable=True))
    op.add_column("assessments", sa.Column("participant_role", sa.String(80), nullable=True))
    op.create_index("ix_assessments_workshop_id", "assessments", ["workshop_id"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Dropping a column that carries a foreign key needs a table rebuild on SQLite,
        # which would cascade into the answers (see the module docstring).
        raise NotImplementedError("downgrading below 0002 is not supported on SQLite; restore a backup instead")
    op.drop_index("ix_assessments_workshop_id", table_name="assessments")
    op.drop_column("assessments", "participant_role")
    op.drop_column("assessments", "participant_name")
    op.drop_constraint(FK_NAME, "assessments", type_="foreignkey")
    op.drop_column("assessments", "workshop_id")
    op.drop_column("assessments", "kind")
    op.drop_table("workshops")
