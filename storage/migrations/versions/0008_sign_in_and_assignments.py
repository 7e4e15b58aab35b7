"""Single sign-on e-mail of a user, the one-time hand-off of a login to the session cookie, and a
workshop's assignments (issue 13, parts 1 and 5).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

Nullable columns and a new table: nothing existing changes meaning, so the previous release can run
beside this one. The unique keys on the new columns are unique indexes (SQLite cannot add a
constraint to an existing table without copying it; NULLs never collide in either database).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("email", sa.String(254), nullable=True))
    op.create_index("ix_users_email", "users", ["email"], unique=True)
    op.add_column("auth_sessions", sa.Column("handoff_hash", sa.String(64), nullable=True))
    op.add_column("auth_sessions", sa.Column("handoff_expires_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_auth_sessions_handoff_hash", "auth_sessions", ["handoff_hash"], unique=True)
    op.create_table(
        "workshop_assignments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("target", sa.String(80), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workshop_assignments"),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name="fk_workshop_assignments_workshop_id_workshops",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("workshop_id", "kind", "target", name="uq_workshop_assignments_workshop_kind_target"),
    )


def downgrade() -> None:
    op.drop_table("workshop_assignments")
    op.drop_index("ix_auth_sessions_handoff_hash", table_name="auth_sessions")
    with op.batch_alter_table("auth_sessions") as batch:
        batch.drop_column("handoff_expires_at")
        batch.drop_column("handoff_hash")
    op.drop_index("ix_users_email", table_name="users")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("email")
