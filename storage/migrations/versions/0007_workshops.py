"""Organisations, their departments, workshops and the participants who joined them (issue 13,
part 2).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

Only new tables: nothing existing changes, so the previous release can run beside this one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("sector", sa.String(32), nullable=False),
        sa.Column("size_band", sa.String(16), nullable=False),
        sa.Column("default_language", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_organisations"),
    )
    op.create_table(
        "organisation_departments",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.PrimaryKeyConstraint("organisation_id", "position", name="pk_organisation_departments"),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name="fk_organisation_departments_organisation_id_organisations",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "workshops",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("trainer_user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("mode", sa.String(8), nullable=False),
        sa.Column("code", sa.String(6), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_workshops"),
        sa.UniqueConstraint("code", name="uq_workshops_code"),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name="fk_workshops_organisation_id_organisations"
        ),
        sa.ForeignKeyConstraint(["trainer_user_id"], ["users.id"], name="fk_workshops_trainer_user_id_users"),
    )
    op.create_index("ix_workshops_organisation_id", "workshops", ["organisation_id"])
    op.create_index("ix_workshops_trainer_user_id", "workshops", ["trainer_user_id"])
    op.create_table(
        "workshop_participants",
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("nickname", sa.String(24), nullable=False),
        sa.Column("nickname_key", sa.String(96), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("respondent_id", name="pk_workshop_participants"),
        sa.UniqueConstraint("workshop_id", "nickname_key", name="uq_workshop_participants_workshop_nickname"),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["respondents.id"],
            name="fk_workshop_participants_respondent_id_respondents",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name="fk_workshop_participants_workshop_id_workshops",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("workshop_participants")
    op.drop_index("ix_workshops_trainer_user_id", table_name="workshops")
    op.drop_index("ix_workshops_organisation_id", table_name="workshops")
    op.drop_table("workshops")
    op.drop_table("organisation_departments")
    op.drop_table("organisations")
