"""Users with a role, and the schools each coach or principal is assigned to.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )
    op.create_table(
        "user_schools",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "school_id", name="pk_user_schools"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_user_schools_user_id_users", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_user_schools_school_id_schools", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_user_schools_school_id", "user_schools", ["school_id"])


def downgrade() -> None:
    op.drop_index("ix_user_schools_school_id", table_name="user_schools")
    op.drop_table("user_schools")
    op.drop_table("users")
