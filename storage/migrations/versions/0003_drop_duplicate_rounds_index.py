"""rounds loses ix_rounds_respondent_id: the unique (respondent_id, number) index already starts
with respondent_id, so every lookup by respondent uses it (SQLite's query plan in the test; a
PostgreSQL btree on (respondent_id, number) serves respondent_id = ? the same way), and
the second index only cost a write on every new round.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_rounds_respondent_id", table_name="rounds")


def downgrade() -> None:
    op.create_index("ix_rounds_respondent_id", "rounds", ["respondent_id"])
