"""Workshops (participants, votes, per-item consensus) and goals with milestones.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(12), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.Column("facilitator", sa.String(200), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_workshops"),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name="fk_workshops_school_id_schools"),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_workshops_round_id_rounds"),
        sa.ForeignKeyConstraint(["framework_id"], ["frameworks.id"], name="fk_workshops_framework_id_frameworks"),
        sa.UniqueConstraint("code", name="uq_workshops_code"),
    )
    op.create_index("ix_workshops_framework_school_round", "workshops", ["framework_id", "school_id", "round_id"])
    op.create_table(
        "workshop_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workshop_participants"),
        sa.ForeignKeyConstraint(
            ["workshop_id"], ["workshops.id"], name="fk_workshop_participants_workshop_id_workshops", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("workshop_id", "name_key", name="uq_workshop_participants_workshop_id_name_key"),
    )
    op.create_table(
        "workshop_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(100), nullable=False),
        sa.Column("level", sa.Float(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workshop_votes"),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["workshop_participants.id"],
            name="fk_workshop_votes_participant_id_workshop_participants",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("participant_id", "item", name="uq_workshop_votes_participant_id_item"),
    )
    op.create_table(
        "workshop_items",
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("scale_low", sa.Integer(), nullable=False),
        sa.Column("scale_high", sa.Integer(), nullable=False),
        sa.Column("revealed", sa.Boolean(), nullable=False),
        sa.Column("consensus", sa.Float(), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("workshop_id", "item", name="pk_workshop_items"),
        sa.ForeignKeyConstraint(
            ["workshop_id"], ["workshops.id"], name="fk_workshop_items_workshop_id_workshops", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("item", sa.String(100), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("baseline_level", sa.Float(), nullable=False),
        sa.Column("baseline_round", sa.String(200), nullable=True),
        sa.Column("target_level", sa.Float(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("steps", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_goals"),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], name="fk_goals_school_id_schools"),
        sa.ForeignKeyConstraint(["framework_id"], ["frameworks.id"], name="fk_goals_framework_id_frameworks"),
    )
    op.create_index("ix_goals_school_framework", "goals", ["school_id", "framework_id"])
    op.create_table(
        "milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_milestones"),
        sa.ForeignKeyConstraint(["goal_id"], ["goals.id"], name="fk_milestones_goal_id_goals", ondelete="CASCADE"),
    )
    op.create_index("ix_milestones_goal_id", "milestones", ["goal_id"])


def downgrade() -> None:
    op.drop_index("ix_milestones_goal_id", table_name="milestones")
    op.drop_table("milestones")
    op.drop_index("ix_goals_school_framework", table_name="goals")
    op.drop_table("goals")
    for table in ("workshop_items", "workshop_votes", "workshop_participants"):
        op.drop_table(table)
    op.drop_index("ix_workshops_framework_school_round", table_name="workshops")
    op.drop_table("workshops")
