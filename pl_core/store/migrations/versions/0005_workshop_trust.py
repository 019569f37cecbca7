"""Workshop trust: participant tokens (stored as hashes) and wrong join codes counted in the database.

`workshop_participants.token_hash` is the SHA-256 of the secret each participant's browser keeps (their
ballot link): a ballot is reached by its token only, never by typing a teammate's name. Participants
stored before this revision (and workshops imported from paper) have none, so nobody can open them.

`join_failures` holds each wrong join code for one window, hashed per client session and address, so
every app process (replica) counts the same guesses.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshop_participants") as batch:
        batch.add_column(sa.Column("token_hash", sa.String(64), nullable=True))
        batch.create_unique_constraint("uq_workshop_participants_token_hash", ["token_hash"])
    op.create_table(
        "join_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(10), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_join_failures"),
    )
    op.create_index("ix_join_failures_scope_client_failed_at", "join_failures", ["scope", "client", "failed_at"])
    op.create_index("ix_join_failures_failed_at", "join_failures", ["failed_at"])


def downgrade() -> None:
    op.drop_index("ix_join_failures_failed_at", table_name="join_failures")
    op.drop_index("ix_join_failures_scope_client_failed_at", table_name="join_failures")
    op.drop_table("join_failures")
    with op.batch_alter_table("workshop_participants") as batch:
        batch.drop_constraint("uq_workshop_participants_token_hash", type_="unique")
        batch.drop_column("token_hash")
