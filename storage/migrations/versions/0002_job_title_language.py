"""respondents.role becomes job_title (roles will mean participant, trainer, manager, admin);
respondents gain the visitor's interface language; the legacy schema_version table goes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("respondents") as batch:
        batch.alter_column("role", new_column_name="job_title", existing_type=sa.String(80))
        batch.add_column(sa.Column("language", sa.String(16), nullable=True))
    op.drop_table("schema_version")


def downgrade() -> None:
    op.create_table("schema_version", sa.Column("version", sa.Integer(), nullable=False))
    op.execute(sa.text("INSERT INTO schema_version (version) VALUES (2)"))
    with op.batch_alter_table("respondents") as batch:
        batch.drop_column("language")
        batch.alter_column("job_title", new_column_name="role", existing_type=sa.String(80))
