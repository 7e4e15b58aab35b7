"""Queries of live quiz runs, their players and their answers (issue 14).

Every function takes a Connection, so a use case composes several in one transaction
(`services/live.py`). Nothing here commits, retries, validates or checks who may do what.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.engine import Connection

from storage.schema import live_answers, live_players, live_runs, workshop_participants, workshops
from storage.sql import insert_or_ignore


@dataclass(frozen=True)
class StoredRun:
    id: int
    workshop_id: int
    bank_id: str
    started_by_user_id: int
    question_ids: tuple[str, ...]
    seconds_per_question: int
    streak_bonus: bool
    phase: str
    question_index: int | None
    opened_at: datetime | None
    deadline_at: datetime | None
    closed_at: datetime | None
    version: int
    created_at: datetime
    ended_at: datetime | None
    leaderboard: bool  # the workshop's setting (workshops.live_leaderboard)


@dataclass(frozen=True)
class StoredPlayer:
    run_id: int
    respondent_id: int
    nickname: str
    joined_at: datetime
    first_question_index: int
    score: int
    streak: int


@dataclass(frozen=True)
class StoredAnswer:
    run_id: int
    question_id: str
    respondent_id: int
    response: str
    answered_at: datetime
    elapsed_ms: int
    credit: float
    points: int | None


_RUN_COLUMNS = [*live_runs.c, workshops.c.live_leaderboard]


def _run(row: Any) -> StoredRun:
    return StoredRun(
        row.id,
        row.workshop_id,
        row.bank_id,
        row.started_by_user_id,
        tuple(json.loads(row.question_ids)),
        row.seconds_per_question,
        row.streak_bonus,
        row.phase,
        row.question_index,
        row.opened_at,
        row.deadline_at,
        row.closed_at,
        row.version,
        row.created_at,
        row.ended_at,
        row.live_leaderboard,
    )


def _runs() -> Any:
    return select(*_RUN_COLUMNS).select_from(live_runs.join(workshops, workshops.c.id == live_runs.c.workshop_id))


def insert_run(
    connection: Connection,
    workshop_id: int,
    bank_id: str,
    user_id: int,
    question_ids: list[str],
    seconds: int,
    streak_bonus: bool,
    phase: str,
    at: datetime,
) -> int:
    result = connection.execute(
        insert(live_runs).values(
            workshop_id=workshop_id,
            bank_id=bank_id,
            started_by_user_id=user_id,
            question_ids=json.dumps(question_ids),
            seconds_per_question=seconds,
            streak_bonus=streak_bonus,
            phase=phase,
            version=1,
            created_at=at,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def run_by_id(
    connection: Connection, run_id: int, for_update: bool = False, for_share: bool = False
) -> StoredRun | None:
    """The run. PostgreSQL: `for_update` locks its row until the transaction ends, so two controls
    on two processes wait for each other; `for_share` lets any number of answers through together
    but makes a control wait for those in flight (and them for it). SQLite leaves the clause out:
    its reads before the first write are outside the transaction, so the callers make their first
    write decide instead (`move_run`'s expected version, `services.live.submit_answer`'s re-read)."""
    query = _runs().where(live_runs.c.id == run_id)
    if for_update:
        query = query.with_for_update(of=live_runs)
    elif for_share:
        query = query.with_for_update(read=True, of=live_runs)
    row = connection.execute(query).first()
    return None if row is None else _run(row)


def runs_of_workshop(connection: Connection, workshop_id: int) -> list[StoredRun]:
    rows = connection.execute(_runs().where(live_runs.c.workshop_id == workshop_id).order_by(live_runs.c.id)).all()
    return [_run(row) for row in rows]


def active_run_of_workshop(connection: Connection, workshop_id: int, ended: str) -> StoredRun | None:
    """The newest run of the workshop that has not ended."""
    row = connection.execute(
        _runs()
        .where(live_runs.c.workshop_id == workshop_id, live_runs.c.phase != ended)
        .order_by(live_runs.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else _run(row)


def move_run(
    connection: Connection,
    run_id: int,
    *,
    phase: str,
    question_index: int | None,
    opened_at: datetime | None,
    deadline_at: datetime | None,
    closed_at: datetime | None,
    ended_at: datetime | None,
    expected_version: int | None = None,
) -> bool:
    """Move the run to its new state and version; with `expected_version`, only when the run is still
    at that version (False, and nothing changed, when another control moved it first)."""
    condition = live_runs.c.id == run_id
    if expected_version is not None:
        condition = and_(condition, live_runs.c.version == expected_version)
    result = connection.execute(
        update(live_runs)
        .where(condition)
        .values(
            phase=phase,
            question_index=question_index,
            opened_at=opened_at,
            deadline_at=deadline_at,
            closed_at=closed_at,
            ended_at=ended_at,
            version=live_runs.c.version + 1,
        )
    )
    return result.rowcount == 1


def leaderboard_of(connection: Connection, workshop_id: int) -> bool | None:
    """Whether the workshop's live quizzes show the top five between questions; None: no such workshop."""
    shown = connection.execute(
        select(workshops.c.live_leaderboard).where(workshops.c.id == workshop_id)
    ).scalar_one_or_none()
    return None if shown is None else bool(shown)


def set_leaderboard(connection: Connection, workshop_id: int, shown: bool) -> None:
    connection.execute(update(workshops).where(workshops.c.id == workshop_id).values(live_leaderboard=shown))
    # The phones and presenters of the workshop's runs follow the version: the change shows at once.
    connection.execute(
        update(live_runs).where(live_runs.c.workshop_id == workshop_id).values(version=live_runs.c.version + 1)
    )


# Players ---------------------------------------------------------------------------------------


def _players() -> Any:
    return select(*live_players.c, workshop_participants.c.nickname).select_from(
        live_players.join(workshop_participants, workshop_participants.c.respondent_id == live_players.c.respondent_id)
    )


def _player(row: Any) -> StoredPlayer:
    return StoredPlayer(
        row.run_id, row.respondent_id, row.nickname, row.joined_at, row.first_question_index, row.score, row.streak
    )


def player(connection: Connection, run_id: int, respondent_id: int) -> StoredPlayer | None:
    row = connection.execute(
        _players().where(live_players.c.run_id == run_id, live_players.c.respondent_id == respondent_id)
    ).first()
    return None if row is None else _player(row)


def players_of(connection: Connection, run_id: int) -> list[StoredPlayer]:
    rows = connection.execute(
        _players()
        .where(live_players.c.run_id == run_id)
        .order_by(live_players.c.joined_at, live_players.c.respondent_id)
    ).all()
    return [_player(row) for row in rows]


def player_count(connection: Connection, run_id: int) -> int:
    return int(connection.execute(select(func.count()).where(live_players.c.run_id == run_id)).scalar_one())


def insert_player(
    connection: Connection, run_id: int, respondent_id: int, first_question_index: int, at: datetime
) -> bool:
    """Seat a participant; False (and nothing changed) when they already have a seat in the run."""
    values = {
        "run_id": run_id,
        "respondent_id": respondent_id,
        "joined_at": at,
        "first_question_index": first_question_index,
        "score": 0,
        "streak": 0,
    }
    return insert_or_ignore(connection, live_players, values, ["run_id", "respondent_id"])


def set_first_question(connection: Connection, run_id: int, respondent_id: int, first_question_index: int) -> None:
    connection.execute(
        update(live_players)
        .where(live_players.c.run_id == run_id, live_players.c.respondent_id == respondent_id)
        .values(first_question_index=first_question_index)
    )


def set_score(connection: Connection, run_id: int, respondent_id: int, score: int, streak: int) -> None:
    connection.execute(
        update(live_players)
        .where(live_players.c.run_id == run_id, live_players.c.respondent_id == respondent_id)
        .values(score=score, streak=streak)
    )


# Answers ---------------------------------------------------------------------------------------


def _answer(row: Any) -> StoredAnswer:
    return StoredAnswer(
        row.run_id,
        row.question_id,
        row.respondent_id,
        row.response,
        row.answered_at,
        row.elapsed_ms,
        row.credit,
        row.points,
    )


def insert_answer(
    connection: Connection,
    run_id: int,
    question_id: str,
    respondent_id: int,
    response: str,
    at: datetime,
    elapsed_ms: int,
    credit: float,
) -> bool:
    """Store an answer; False (and nothing changed) when this participant already answered this
    question of this run: the primary key decides, whatever the buttons did."""
    values = {
        "run_id": run_id,
        "question_id": question_id,
        "respondent_id": respondent_id,
        "response": response,
        "answered_at": at,
        "elapsed_ms": elapsed_ms,
        "credit": credit,
        "points": None,
    }
    return insert_or_ignore(connection, live_answers, values, ["run_id", "question_id", "respondent_id"])


def answer_of(connection: Connection, run_id: int, question_id: str, respondent_id: int) -> StoredAnswer | None:
    row = connection.execute(
        select(live_answers).where(
            live_answers.c.run_id == run_id,
            live_answers.c.question_id == question_id,
            live_answers.c.respondent_id == respondent_id,
        )
    ).first()
    return None if row is None else _answer(row)


def answers_to(connection: Connection, run_id: int, question_id: str) -> list[StoredAnswer]:
    rows = connection.execute(
        select(live_answers)
        .where(live_answers.c.run_id == run_id, live_answers.c.question_id == question_id)
        .order_by(live_answers.c.answered_at)
    ).all()
    return [_answer(row) for row in rows]


def answers_of_run(connection: Connection, run_id: int) -> list[StoredAnswer]:
    rows = connection.execute(
        select(live_answers).where(live_answers.c.run_id == run_id).order_by(live_answers.c.answered_at)
    ).all()
    return [_answer(row) for row in rows]


def answers_of_player(connection: Connection, run_id: int, respondent_id: int) -> list[StoredAnswer]:
    rows = connection.execute(
        select(live_answers).where(live_answers.c.run_id == run_id, live_answers.c.respondent_id == respondent_id)
    ).all()
    return [_answer(row) for row in rows]


def answer_count(connection: Connection, run_id: int, question_id: str) -> int:
    return int(
        connection.execute(
            select(func.count()).where(live_answers.c.run_id == run_id, live_answers.c.question_id == question_id)
        ).scalar_one()
    )


def set_points(connection: Connection, run_id: int, question_id: str, respondent_id: int, points: int) -> None:
    connection.execute(
        update(live_answers)
        .where(
            and_(
                live_answers.c.run_id == run_id,
                live_answers.c.question_id == question_id,
                live_answers.c.respondent_id == respondent_id,
            )
        )
        .values(points=points)
    )
