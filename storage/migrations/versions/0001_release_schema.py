"""The schema of the release before Alembic (its schema_version 2), frozen.

Revision ID: 0001
Revises:
Create Date: 2026-12-02

A database made by that release has these tables and `schema_version` = 2 but no
`alembic_version`; `storage.migrate.upgrade` stamps it with this revision and carries on.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("schema_version", sa.Column("version", sa.Integer(), nullable=False))
    op.create_table(
        "respondents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("organisation", sa.String(120)),
        sa.Column("role", sa.String(80)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_respondents"),
        sa.UniqueConstraint("token_hash", name="uq_respondents_token_hash"),
    )
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(8), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_rounds"),
        sa.UniqueConstraint("respondent_id", "number", name="uq_rounds_respondent_number"),
        sa.ForeignKeyConstraint(
            ["respondent_id"], ["respondents.id"], name="fk_rounds_respondent_id_respondents", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_rounds_respondent_id", "rounds", ["respondent_id"])
    op.create_table(
        "answers",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(80), nullable=False),
        sa.Column("value", sa.String(16), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("round_id", "item_id", name="pk_answers"),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_answers_round_id_rounds", ondelete="CASCADE"),
    )
    op.create_table(
        "lessons_done",
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.String(80), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("respondent_id", "lesson_id", name="pk_lessons_done"),
        sa.ForeignKeyConstraint(
            ["respondent_id"], ["respondents.id"], name="fk_lessons_done_respondent_id_respondents", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "quiz_attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.String(80), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("score_percent", sa.Integer()),
        sa.PrimaryKeyConstraint("id", name="pk_quiz_attempts"),
        sa.ForeignKeyConstraint(
            ["respondent_id"], ["respondents.id"], name="fk_quiz_attempts_respondent_id_respondents", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_quiz_attempts_respondent_id", "quiz_attempts", ["respondent_id"])
    op.create_table(
        "quiz_responses",
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(80), nullable=False),
        sa.Column("response", sa.String(4000), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("attempt_id", "question_id", name="pk_quiz_responses"),
        sa.ForeignKeyConstraint(
            ["attempt_id"], ["quiz_attempts.id"], name="fk_quiz_responses_attempt_id_quiz_attempts", ondelete="CASCADE"
        ),
    )
    op.execute(sa.text("INSERT INTO schema_version (version) VALUES (2)"))


def downgrade() -> None:
    for table in ("quiz_responses", "quiz_attempts", "lessons_done", "answers", "rounds", "respondents"):
        op.drop_table(table)
    op.drop_table("schema_version")
