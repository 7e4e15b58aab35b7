"""Rows as the release at revision 0002/0003 stored them, written with that release's columns only
(never through today's services, which write columns those revisions do not have)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy import Engine

START = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)

respondents = sa.table(
    "respondents",
    sa.column("id", sa.Integer()),
    sa.column("token_hash", sa.String(64)),
    sa.column("organisation", sa.String(120)),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
rounds = sa.table(
    "rounds",
    sa.column("id", sa.Integer()),
    sa.column("respondent_id", sa.Integer()),
    sa.column("number", sa.Integer()),
    sa.column("mode", sa.String(8)),
    sa.column("started_at", sa.DateTime(timezone=True)),
    sa.column("completed_at", sa.DateTime(timezone=True)),
)
answers = sa.table(
    "answers",
    sa.column("round_id", sa.Integer()),
    sa.column("item_id", sa.String(80)),
    sa.column("value", sa.String(16)),
    sa.column("answered_at", sa.DateTime(timezone=True)),
)


@dataclass(frozen=True)
class Stored:
    rounds: dict[int, tuple[int, int, str, bool]]  # round id -> (respondent, number, mode, completed)
    answers: dict[tuple[int, str], str]  # (round id, item id) -> value
    # Rounds a respondent can no longer change: completed, or followed by another round.
    closed: set[int]


def fill(engine: Engine, item_ids: list[str]) -> Stored:
    """Three respondents: (1) a completed round 1 and an open round 2; (2) a quick round 1 never
    completed but followed by a completed round 2; (3) one open round. Every round answers every id
    in `item_ids` (values vary by round), plus "strategy.crawl.1"."""
    ids = list(dict.fromkeys(["strategy.crawl.1", *item_ids]))
    values = ["none", "partly", "largely", "fully", "dont_know"]
    with engine.begin() as connection:
        connection.execute(
            respondents.insert(),
            [
                {"id": n, "token_hash": f"{n}" * 64, "organisation": f"Org {n}", "created_at": START,
                 "updated_at": START}
                for n in (1, 2, 3)
            ],
        )  # fmt: skip
        done = START + timedelta(minutes=20)
        round_rows = [
            (1, 1, 1, "full", done),
            (2, 1, 2, "full", None),
            (3, 2, 1, "quick", None),
            (4, 2, 2, "full", done),
            (5, 3, 1, "full", None),
        ]
        connection.execute(
            rounds.insert(),
            [
                {"id": i, "respondent_id": r, "number": n, "mode": m, "started_at": START, "completed_at": c}
                for i, r, n, m, c in round_rows
            ],
        )
        answer_rows = {
            (round_id, item_id): values[(round_id + index) % len(values)]
            for round_id, *_rest in round_rows
            for index, item_id in enumerate(ids)
        }
        connection.execute(
            answers.insert(),
            [{"round_id": r, "item_id": i, "value": v, "answered_at": START} for (r, i), v in answer_rows.items()],
        )
    return Stored(
        rounds={i: (r, n, m, c is not None) for i, r, n, m, c in round_rows},
        answers=answer_rows,
        closed={1, 3, 4},
    )
