"""Rounds keep their scores and the model version that computed them; answers whose item id a
migration changes are kept in retired_answers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

A result used to be computed again from the answers on every view, with whatever model the site
had: a rewritten model changed every past result and trend without a word. From now on a round
stores its scores when it completes (`rounds.scores`, JSON), with the version of the model that
computed them (`rounds.model_version`, the SHA-256 of the model file) and the moment
(`rounds.scored_at`).

Rounds that can no longer change were taken with the model of the release before this one: the
completed rounds, and every round after which a respondent started another. They get that model's
version here (PREVIOUS_MODEL_VERSION, frozen) and no scores; the site scores each once, with that
model as archived in assessment/versions/, the first time it is shown. The newest round of a
respondent that was never completed stays open and is scored with the current model as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# sha256 of assessment/model.toml at commit 4d69783, the model of the release before this one,
# archived byte for byte as assessment/versions/2f85817b749c.toml.
PREVIOUS_MODEL_VERSION = "2f85817b749cea43f1bc2fb968116ef142aee29c259fce98eccf012f24ccbc27"


def upgrade() -> None:
    # Added one by one, not by copying the table: nullable columns need no batch on SQLite.
    op.add_column("rounds", sa.Column("model_version", sa.String(64), nullable=True))
    op.add_column("rounds", sa.Column("scored_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("rounds", sa.Column("scores", sa.Text(), nullable=True))
    op.create_table(
        "retired_answers",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(80), nullable=False),
        sa.Column("value", sa.String(16), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_by", sa.String(32), nullable=False),
        sa.Column("moved_to", sa.String(80), nullable=True),
        sa.PrimaryKeyConstraint("round_id", "item_id", "retired_by", name="pk_retired_answers"),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name="fk_retired_answers_round_id_rounds", ondelete="CASCADE"
        ),
    )
    rounds = sa.table(
        "rounds",
        sa.column("respondent_id", sa.Integer()),
        sa.column("number", sa.Integer()),
        sa.column("completed_at", sa.DateTime(timezone=True)),
        sa.column("model_version", sa.String(64)),
    )
    later = sa.table("rounds", sa.column("respondent_id", sa.Integer()), sa.column("number", sa.Integer())).alias(
        "later"
    )
    another_started = (
        sa.select(sa.literal(1))
        .where(later.c.respondent_id == rounds.c.respondent_id, later.c.number > rounds.c.number)
        .exists()
    )
    op.execute(
        rounds.update()
        .where(sa.or_(rounds.c.completed_at.is_not(None), another_started))
        .values(model_version=PREVIOUS_MODEL_VERSION)
    )


def downgrade() -> None:
    op.drop_table("retired_answers")
    with op.batch_alter_table("rounds") as batch:
        batch.drop_column("scores")
        batch.drop_column("scored_at")
        batch.drop_column("model_version")
