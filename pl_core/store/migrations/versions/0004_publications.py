"""Releases of figures (publications), expected staff, the audit trail, the data version, batch status.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_batches") as batch:
        batch.add_column(sa.Column("status", sa.String(12), nullable=False, server_default="active"))
    op.create_table(
        "expected_staff",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("set_by", sa.String(320), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("school_id", "round_id", name="pk_expected_staff"),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_expected_staff_school_id_schools", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name="fk_expected_staff_round_id_rounds", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("school", sa.String(200), nullable=False),
        sa.Column("round", sa.String(200), nullable=False),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
    )
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_data_version"),
    )
    op.execute("INSERT INTO data_version (id, version) VALUES (1, 0)")
    op.create_table(
        "publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("shown", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_publications"),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_publications_school_id_schools", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name="fk_publications_round_id_rounds", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["framework_id"], ["frameworks.id"], name="fk_publications_framework_id_frameworks"),
    )
    op.create_index("ix_publications_school_round_framework", "publications", ["school_id", "round_id", "framework_id"])
    op.create_table(
        "publication_members",
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(100), nullable=True),
        sa.Column("grade_band", sa.String(100), nullable=True),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("publication_id", "respondent_id", name="pk_publication_members"),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publications.id"],
            name="fk_publication_members_publication_id_publications",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["respondents.id"],
            name="fk_publication_members_respondent_id_respondents",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "publication_cells",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("breakdown", sa.String(20), nullable=False),
        sa.Column("grp", sa.String(100), nullable=True),
        sa.Column("item", sa.String(100), nullable=False),
        sa.Column("suppressed", sa.Boolean(), nullable=False),
        sa.Column("respondents", sa.Integer(), nullable=True),
        sa.Column("missing", sa.Integer(), nullable=True),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_publication_cells"),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publications.id"],
            name="fk_publication_cells_publication_id_publications",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_publication_cells_publication_breakdown", "publication_cells", ["publication_id", "breakdown"])
    op.create_table(
        "publication_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(500), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_publication_comments"),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publications.id"],
            name="fk_publication_comments_publication_id_publications",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_publication_comments_publication_id", "publication_comments", ["publication_id"])
    op.create_table(
        "publication_state",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=True),
        sa.Column("held", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("school_id", "round_id", "framework_id", name="pk_publication_state"),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_publication_state_school_id_schools", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name="fk_publication_state_round_id_rounds", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["framework_id"], ["frameworks.id"], name="fk_publication_state_framework_id_frameworks"
        ),
        sa.ForeignKeyConstraint(
            ["publication_id"], ["publications.id"], name="fk_publication_state_publication_id_publications"
        ),
    )


def downgrade() -> None:
    for table in (
        "publication_state",
        "publication_comments",
        "publication_cells",
        "publication_members",
        "publications",
        "data_version",
        "audit_events",
        "expected_staff",
    ):
        op.drop_table(table)
    with op.batch_alter_table("import_batches") as batch:
        batch.drop_column("status")
