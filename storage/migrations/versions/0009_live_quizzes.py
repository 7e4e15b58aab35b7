"""Live quizzes (issue 14): runs, their players and their answers, and a workshop's choice of
showing the leaderboard.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

New tables and a column with a server default: nothing existing changes meaning, so the previous
release can run beside this one (it never reads the new column, and its inserts get the default).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshops") as batch:
        batch.add_column(sa.Column("live_leaderboard", sa.Boolean(), server_default=sa.true(), nullable=False))
    op.create_table(
        "live_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.String(80), nullable=False),
        sa.Column("started_by_user_id", sa.Integer(), nullable=False),
        sa.Column("question_ids", sa.Text(), nullable=False),
        sa.Column("seconds_per_question", sa.Integer(), nullable=False),
        sa.Column("streak_bonus", sa.Boolean(), nullable=False),
        sa.Column("phase", sa.String(16), nullable=False),
        sa.Column("question_index", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_live_runs"),
        sa.ForeignKeyConstraint(
            ["workshop_id"], ["workshops.id"], name="fk_live_runs_workshop_id_workshops", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["started_by_user_id"], ["users.id"], name="fk_live_runs_started_by_user_id_users"),
    )
    op.create_index("ix_live_runs_workshop_id", "live_runs", ["workshop_id"])
    op.create_table(
        "live_players",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_question_index", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("streak", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", "respondent_id", name="pk_live_players"),
        sa.ForeignKeyConstraint(
            ["run_id"], ["live_runs.id"], name="fk_live_players_run_id_live_runs", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["respondent_id"], ["respondents.id"], name="fk_live_players_respondent_id_respondents", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_live_players_respondent_id", "live_players", ["respondent_id"])
    op.create_table(
        "live_answers",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(80), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("response", sa.String(4000), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("elapsed_ms", sa.Integer(), nullable=False),
        sa.Column("credit", sa.Float(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("run_id", "question_id", "respondent_id", name="pk_live_answers"),
        sa.ForeignKeyConstraint(
            ["run_id"], ["live_runs.id"], name="fk_live_answers_run_id_live_runs", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["respondent_id"], ["respondents.id"], name="fk_live_answers_respondent_id_respondents", ondelete="CASCADE"
        ),
    )


def downgrade() -> None:
    op.drop_table("live_answers")
    op.drop_index("ix_live_players_respondent_id", table_name="live_players")
    op.drop_table("live_players")
    op.drop_index("ix_live_runs_workshop_id", table_name="live_runs")
    op.drop_table("live_runs")
    with op.batch_alter_table("workshops") as batch:
        batch.drop_column("live_leaderboard")
