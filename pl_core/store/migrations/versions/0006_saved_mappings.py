"""How a school's uploads were mapped (answer labels to levels, columns to items), kept for its next upload.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_mappings",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("labels", sa.Text(), nullable=False),
        sa.Column("columns", sa.Text(), nullable=False),
        sa.Column("saved_by", sa.String(320), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("school_id", "framework_id", name="pk_saved_mappings"),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_saved_mappings_school_id_schools", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["framework_id"], ["frameworks.id"], name="fk_saved_mappings_framework_id_frameworks"),
    )


def downgrade() -> None:
    op.drop_table("saved_mappings")
