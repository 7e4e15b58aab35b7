"""Management (issue 15): organisation members, measurement waves and their responses, targets and
the 90-day plan; an organisation's anonymity threshold and invitation code.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

New tables, and new columns with server defaults: the previous release can run beside this one.
Every respondent already seated in a workshop becomes a member of the workshop's organisation (no
department or job title: they were never asked), so the organisations' people are not lost when
their workshops are purged.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("anonymity_threshold", sa.Integer(), server_default=sa.text("5"), nullable=False))
        batch.add_column(sa.Column("invite_code", sa.String(6), nullable=True))
        batch.add_column(sa.Column("invite_open", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.create_index("ix_organisations_invite_code", ["invite_code"], unique=True)
    op.create_table(
        "organisation_job_titles",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.PrimaryKeyConstraint("organisation_id", "position", name="pk_organisation_job_titles"),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name="fk_organisation_job_titles_organisation_id_organisations",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "organisation_members",
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(60), nullable=True),
        sa.Column("job_title", sa.String(60), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("respondent_id", name="pk_organisation_members"),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["respondents.id"],
            name="fk_organisation_members_respondent_id_respondents",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name="fk_organisation_members_organisation_id_organisations",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_organisation_members_organisation_id", "organisation_members", ["organisation_id"])
    op.create_table(
        "organisation_managers",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "organisation_id", name="pk_organisation_managers"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_organisation_managers_user_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name="fk_organisation_managers_organisation_id_organisations",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_organisation_managers_organisation_id", "organisation_managers", ["organisation_id"])
    op.create_table(
        "waves",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opened_by_user_id", sa.Integer(), nullable=True),
        sa.Column("statistics", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_waves"),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name="fk_waves_organisation_id_organisations", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["opened_by_user_id"], ["users.id"], name="fk_waves_opened_by_user_id_users", ondelete="SET NULL"
        ),
        sa.UniqueConstraint("organisation_id", "name", name="uq_waves_organisation_name"),
    )
    op.create_index("ix_waves_organisation_id", "waves", ["organisation_id"])
    op.create_table(
        "wave_responses",
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(60), nullable=True),
        sa.Column("job_title", sa.String(60), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("wave_id", "respondent_id", name="pk_wave_responses"),
        sa.ForeignKeyConstraint(["wave_id"], ["waves.id"], name="fk_wave_responses_wave_id_waves", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["respondents.id"],
            name="fk_wave_responses_respondent_id_respondents",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name="fk_wave_responses_round_id_rounds", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_wave_responses_respondent_id", "wave_responses", ["respondent_id"])
    op.create_index("ix_wave_responses_round_id", "wave_responses", ["round_id"])
    op.create_table(
        "summary_layouts",
        sa.Column("hash", sa.String(16), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("hash", name="pk_summary_layouts"),
    )
    op.create_table(
        "organisation_targets",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("dimension_id", sa.String(80), nullable=False),
        sa.Column("target_stage", sa.String(8), nullable=True),
        sa.Column("importance", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("organisation_id", "dimension_id", name="pk_organisation_targets"),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name="fk_organisation_targets_organisation_id_organisations",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "plan_actions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=True),
        sa.Column("dimension_id", sa.String(80), nullable=True),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(80), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("lesson_id", sa.String(80), nullable=True),
        sa.Column("bank_id", sa.String(80), nullable=True),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_plan_actions"),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name="fk_plan_actions_organisation_id_organisations",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["wave_id"], ["waves.id"], name="fk_plan_actions_wave_id_waves", ondelete="SET NULL"),
    )
    op.create_index("ix_plan_actions_organisation_id", "plan_actions", ["organisation_id"])
    # Seated participants become members of their workshop's organisation.
    op.execute(
        "INSERT INTO organisation_members (respondent_id, organisation_id, department, job_title, joined_at) "
        "SELECT p.respondent_id, w.organisation_id, NULL, NULL, p.joined_at "
        "FROM workshop_participants p JOIN workshops w ON w.id = p.workshop_id"
    )


def downgrade() -> None:
    op.drop_index("ix_plan_actions_organisation_id", table_name="plan_actions")
    op.drop_table("plan_actions")
    op.drop_table("organisation_targets")
    op.drop_table("summary_layouts")
    op.drop_index("ix_wave_responses_round_id", table_name="wave_responses")
    op.drop_index("ix_wave_responses_respondent_id", table_name="wave_responses")
    op.drop_table("wave_responses")
    op.drop_index("ix_waves_organisation_id", table_name="waves")
    op.drop_table("waves")
    op.drop_index("ix_organisation_managers_organisation_id", table_name="organisation_managers")
    op.drop_table("organisation_managers")
    op.drop_index("ix_organisation_members_organisation_id", table_name="organisation_members")
    op.drop_table("organisation_members")
    op.drop_table("organisation_job_titles")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_index("ix_organisations_invite_code")
        batch.drop_column("invite_open")
        batch.drop_column("invite_code")
        batch.drop_column("anonymity_threshold")
