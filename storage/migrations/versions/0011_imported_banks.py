"""Quiz banks imported in the site (issue 17): a trainer's GIFT or Moodle XML file, kept as bank TOML.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-20

One new table: the previous release can run beside this one (it never reads it).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imported_banks",
        sa.Column("id", sa.String(80), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("source_format", sa.String(8), nullable=False),
        sa.Column("source_name", sa.String(255), nullable=False),
        sa.Column("bank_toml", sa.Text(), nullable=False),
        sa.Column("imported_by_user_id", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_imported_banks"),
        sa.ForeignKeyConstraint(
            ["imported_by_user_id"], ["users.id"], name="fk_imported_banks_imported_by_user_id_users"
        ),
    )
    op.create_index("ix_imported_banks_imported_by_user_id", "imported_banks", ["imported_by_user_id"])


def downgrade() -> None:
    op.drop_index("ix_imported_banks_imported_by_user_id", table_name="imported_banks")
    op.drop_table("imported_banks")
