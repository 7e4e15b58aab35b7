"""Stored answers follow the model's changed item ids (issue 12): an answer to a renamed item moves
to its new id, an answer to a retired item moves out of `answers` into `retired_answers`.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

The model of this release retires twenty-one items (RETIRED below; RENAMED is empty: no item kept its
meaning under a new id). Both are plain data, frozen with this revision. Without this step the
answers under the old ids would stay in `answers`, skipped by every page as unknown: lost without a
word. Instead:

- an answer to a renamed item moves to its new id in the same round, keeping its value and time;
  if the round already holds an answer under the new id (two items merged into one), that answer
  stays and the moved one goes to `retired_answers`, so nothing is dropped;
- an answer to a retired item leaves `answers` for `retired_answers`;
- every answer this revision touched is kept in `retired_answers` as it was (old id, value, time,
  retired_by = "0005", moved_to = the new id or NULL), so a round taken with the earlier model can
  still be scored with it (see `services.results`), and `downgrade` puts it back.

Deploying: this revision is not one the previous release can run beside (docs/deploy.md): its
processes would keep asking the retired items and write new answers under their ids, which nothing
moves afterwards. Stop every process, upgrade, then start them.

A retired id may live on in the new model for a different statement (a statement replaced under its
old id): its old answers are retired all the same, since they answer another question.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.engine import Connection

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# ---------------------------------------------------------------------------------------------
# THE MAPPING (frozen data), from the model's rewrite for issue 12 (model-ids.md, "Changed ids",
# settled 14:30 UTC on 2026-12-02, tone.2 added 14:36; review fixes 15:00 changed only ids new in this
# release, which have no stored answers and need no entry; the last four, at 15:10, are statements whose
# rewrite changed the practice they ask about). STATUS: FINAL unless the model changes again;
# tests/storage/test_round_scores_migration.py fails when an id of the previous model is missing here.
# No id was renamed with the same meaning. Every retired id below was removed, or replaced by a new
# id because its meaning changed: an answer to it is NOT carried over to its replacement, which
# asks another question (the replacement is named in the comment, for the record).
# ---------------------------------------------------------------------------------------------
RENAMED: dict[str, str] = {}
RETIRED: tuple[str, ...] = (
    "strategy.fly.1",  # replaced by strategy.fly.2
    "policy.crawl.1",  # replaced by policy.crawl.2
    "policy.walk.1",  # replaced by policy.walk.3
    "policy.walk.2",  # no replacement
    "policy.run.1",  # replaced by policy.run.3
    "policy.run.2",  # replaced by policy.run.4
    "policy.fly.1",  # replaced by policy.fly.2
    "presence.walk.1",  # replaced by presence.walk.3
    "presence.run.1",  # replaced by presence.run.2
    "content.walk.2",  # no replacement
    "credibility.1",  # replaced by credibility.5
    "credibility.3",  # replaced by credibility.6
    "trust.1",  # replaced by trust.6
    "trust.3",  # replaced by trust.7 (trust.5, its first replacement, never shipped)
    "tone.2",  # replaced by tone.6
    "tone.3",  # replaced by tone.5
    "patience.3",  # replaced by patience.6 (patience.5, its first replacement, never shipped)
    # Reworded into another practice: an old "fully" would not answer the new statement.
    "conversation.crawl.1",  # "we answer every question" -> conversation.crawl.2, agreed who answers and how
    "content.crawl.1",  # "most of what we post is useful" -> content.crawl.2, written down what is useful
    "content.run.2",  # "posts made to stop scrolling" -> content.run.3, viewing time decides what we make
    "innovation.crawl.1",  # "we see social media as a way to learn" -> innovation.crawl.2, a lesson written down
)

_answers = sa.table(
    "answers",
    sa.column("round_id", sa.Integer()),
    sa.column("item_id", sa.String(80)),
    sa.column("value", sa.String(16)),
    sa.column("answered_at", sa.DateTime(timezone=True)),
)
_retired = sa.table(
    "retired_answers",
    sa.column("round_id", sa.Integer()),
    sa.column("item_id", sa.String(80)),
    sa.column("value", sa.String(16)),
    sa.column("answered_at", sa.DateTime(timezone=True)),
    sa.column("retired_by", sa.String(32)),
    sa.column("moved_to", sa.String(80)),
)


def move_answers(connection: Connection, renamed: Mapping[str, str], retired: Sequence[str], by: str) -> None:
    """Apply one mapping to every round's answers, as the module docstring says."""
    overlap = set(renamed) & set(retired)
    if overlap:
        raise ValueError(f"ids both renamed and retired: {sorted(overlap)}")
    changed = [*renamed, *retired]
    if not changed:
        return
    order = {item_id: index for index, item_id in enumerate(changed)}
    rows = connection.execute(sa.select(_answers).where(_answers.c.item_id.in_(changed))).all()
    if not rows:
        return
    # Ids each affected round keeps: a rename must not overwrite an answer under its new id.
    round_ids = sorted({row.round_id for row in rows})
    taken: dict[int, set[str]] = defaultdict(set)
    targets = sorted(set(renamed.values()) - set(changed))
    for start in range(0, len(round_ids), 500):
        chunk = round_ids[start : start + 500]
        kept = connection.execute(
            sa.select(_answers.c.round_id, _answers.c.item_id).where(
                _answers.c.round_id.in_(chunk), _answers.c.item_id.in_(targets)
            )
        ).all()
        for round_id, item_id in kept:
            taken[round_id].add(item_id)

    moved: list[dict[str, object]] = []
    history: list[dict[str, object]] = []
    for row in sorted(rows, key=lambda r: (r.round_id, order[r.item_id])):
        target = renamed.get(row.item_id)
        if target is not None and target not in taken[row.round_id]:
            taken[row.round_id].add(target)
            moved.append(
                {"round_id": row.round_id, "item_id": target, "value": row.value, "answered_at": row.answered_at}
            )
        else:
            target = None
        history.append(
            {
                "round_id": row.round_id,
                "item_id": row.item_id,
                "value": row.value,
                "answered_at": row.answered_at,
                "retired_by": by,
                "moved_to": target,
            }
        )
    connection.execute(sa.delete(_answers).where(_answers.c.item_id.in_(changed)))
    connection.execute(sa.insert(_retired), history)
    if moved:
        connection.execute(sa.insert(_answers), moved)


def restore_answers(connection: Connection, by: str) -> None:
    """Undo `move_answers`: the moved answers leave their new ids, the kept ones come back."""
    rows = connection.execute(sa.select(_retired).where(_retired.c.retired_by == by)).all()
    for row in rows:
        if row.moved_to is not None:
            connection.execute(
                sa.delete(_answers).where(_answers.c.round_id == row.round_id, _answers.c.item_id == row.moved_to)
            )
    if rows:
        connection.execute(
            sa.insert(_answers),
            [
                {"round_id": r.round_id, "item_id": r.item_id, "value": r.value, "answered_at": r.answered_at}
                for r in rows
            ],
        )
    connection.execute(sa.delete(_retired).where(_retired.c.retired_by == by))


def upgrade() -> None:
    move_answers(op.get_bind(), RENAMED, RETIRED, revision)


def downgrade() -> None:
    restore_answers(op.get_bind(), revision)
