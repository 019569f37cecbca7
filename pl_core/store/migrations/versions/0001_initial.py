"""Initial schema: districts, schools, frameworks, rounds, respondents, import batches, responses, comments.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "districts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_districts"),
        sa.UniqueConstraint("name", name="uq_districts_name"),
    )
    op.create_table(
        "frameworks",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("content_hash", sa.String(128), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_frameworks"),
    )
    op.create_table(
        "schools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("level", sa.String(50), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_schools"),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"], name="fk_schools_district_id_districts"),
        sa.UniqueConstraint("district_id", "name", name="uq_schools_district_id_name"),
    )
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_rounds"),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"], name="fk_rounds_district_id_districts"),
        sa.UniqueConstraint("district_id", "name", name="uq_rounds_district_id_name"),
    )
    op.create_table(
        "respondents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("role", sa.String(100), nullable=True),
        sa.Column("grade_band", sa.String(100), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_respondents"),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name="fk_respondents_school_id_schools"),
        sa.UniqueConstraint("school_id", "key", name="uq_respondents_school_id_key"),
    )
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("file_hash", sa.String(128), nullable=False),
        sa.Column("format", sa.String(50), nullable=False),
        sa.Column("imported_by", sa.String(200), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("respondents", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("missing_answers", sa.Integer(), nullable=False),
        sa.Column("superseded", sa.Integer(), nullable=False),
        sa.Column("replaced_batch_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_import_batches"),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name="fk_import_batches_school_id_schools"),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_import_batches_round_id_rounds"),
        sa.ForeignKeyConstraint(["framework_id"], ["frameworks.id"], name="fk_import_batches_framework_id_frameworks"),
        sqlite_autoincrement=True,  # never reuse a replaced batch's id
    )
    op.create_index(
        "ix_import_batches_framework_school_round", "import_batches", ["framework_id", "school_id", "round_id"]
    )
    op.create_table(
        "responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(100), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_responses"),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name="fk_responses_batch_id_import_batches", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["respondent_id"], ["respondents.id"], name="fk_responses_respondent_id_respondents"),
    )
    op.create_index("ix_responses_batch_id", "responses", ["batch_id"])
    op.create_index("ix_responses_respondent_id", "responses", ["respondent_id"])
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(500), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_comments"),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name="fk_comments_batch_id_import_batches", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["respondent_id"], ["respondents.id"], name="fk_comments_respondent_id_respondents"),
    )
    op.create_index("ix_comments_batch_id", "comments", ["batch_id"])
    op.create_index("ix_comments_respondent_id", "comments", ["respondent_id"])


def downgrade() -> None:
    for table in ("comments", "responses", "import_batches", "respondents", "rounds", "schools", "frameworks"):
        op.drop_table(table)
    op.drop_table("districts")
