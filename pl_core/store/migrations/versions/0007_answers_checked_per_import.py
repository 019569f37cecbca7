"""Stored answers are checked once per import, not once per row: `responses` drops its two foreign keys.

Each foreign key on `responses` made the database look up and lock the parent row for every answer: a
district-wide import of 500,000 form rows stores about 6.3 million answers, so 12.6 million such checks,
two thirds of the time PostgreSQL spent taking the answers in. What the keys guarded is now checked once
per import, as a set, in the import's own transaction (store.imports: every answer of the batch points at
a respondent of the batch's school, which is stricter than the key was), and by the one operation that
deletes respondents (store.schools.merge_schools). Import batches are never deleted (undo and delete mark
them), so the batch key's ON DELETE CASCADE had nothing left to do. `pl-diag db check` lists any answer
that points at no respondent or batch. The indexes stay: reads go by batch, merges by respondent.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.drop_constraint("fk_responses_batch_id_import_batches", type_="foreignkey")
        batch.drop_constraint("fk_responses_respondent_id_respondents", type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.create_foreign_key(
            "fk_responses_batch_id_import_batches", "import_batches", ["batch_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_foreign_key("fk_responses_respondent_id_respondents", "respondents", ["respondent_id"], ["id"])
