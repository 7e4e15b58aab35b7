"""Queries for a workshop's results: its participants with their latest completed round, lessons
done, finished quiz attempts and those attempts' responses. Read together by
`services.workshop_results` in one transaction, so the tables agree with each other.

Nothing here checks who may read it: the service does, before calling.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from storage.schema import lessons_done, quiz_attempts, quiz_responses, rounds, workshop_participants


@dataclass(frozen=True)
class ParticipantRow:
    respondent_id: int
    nickname: str
    joined_at: datetime


@dataclass(frozen=True)
class CompletedRound:
    """A participant's latest completed round and its stored scores (None: none stored)."""

    round_id: int
    respondent_id: int
    number: int
    mode: str
    started_at: datetime
    completed_at: datetime
    model_version: str | None
    scored_at: datetime | None
    scores: str | None


@dataclass(frozen=True)
class FinishedAttempt:
    id: int
    respondent_id: int
    bank_id: str
    finished_at: datetime
    score_percent: int | None


@dataclass(frozen=True)
class WorkshopRows:
    participants: list[ParticipantRow]
    latest_completed: dict[int, CompletedRound]  # by respondent id
    lessons_done: dict[int, int]  # respondent id -> count
    attempts: list[FinishedAttempt]  # finished attempts, oldest first
    responses: dict[int, dict[str, str]]  # attempt id -> question id -> response JSON


def workshop_rows(connection: Connection, workshop_id: int) -> WorkshopRows:
    """Everything the results of one workshop are made from (nothing of another workshop)."""
    seated = select(workshop_participants.c.respondent_id).where(workshop_participants.c.workshop_id == workshop_id)
    participants = [
        ParticipantRow(row.respondent_id, row.nickname, row.joined_at)
        for row in connection.execute(
            select(
                workshop_participants.c.respondent_id,
                workshop_participants.c.nickname,
                workshop_participants.c.joined_at,
            )
            .where(workshop_participants.c.workshop_id == workshop_id)
            .order_by(workshop_participants.c.joined_at, workshop_participants.c.respondent_id)
        ).all()
    ]

    latest: dict[int, CompletedRound] = {}
    for row in connection.execute(
        select(rounds)
        .where(rounds.c.respondent_id.in_(seated), rounds.c.completed_at.is_not(None))
        .order_by(rounds.c.respondent_id, rounds.c.completed_at, rounds.c.number)
    ).all():
        latest[row.respondent_id] = CompletedRound(  # the last one of each respondent wins
            row.id, row.respondent_id, row.number, row.mode, row.started_at, row.completed_at,
            row.model_version, row.scored_at, row.scores,
        )  # fmt: skip

    lessons = {
        row.respondent_id: row.done
        for row in connection.execute(
            select(lessons_done.c.respondent_id, func.count().label("done"))
            .where(lessons_done.c.respondent_id.in_(seated))
            .group_by(lessons_done.c.respondent_id)
        ).all()
    }

    attempts = [
        FinishedAttempt(row.id, row.respondent_id, row.bank_id, row.finished_at, row.score_percent)
        for row in connection.execute(
            select(quiz_attempts)
            .where(quiz_attempts.c.respondent_id.in_(seated), quiz_attempts.c.finished_at.is_not(None))
            .order_by(quiz_attempts.c.id)
        ).all()
    ]

    responses: dict[int, dict[str, str]] = {attempt.id: {} for attempt in attempts}
    finished = select(quiz_attempts.c.id).where(
        quiz_attempts.c.respondent_id.in_(seated), quiz_attempts.c.finished_at.is_not(None)
    )
    for row in connection.execute(
        select(quiz_responses.c.attempt_id, quiz_responses.c.question_id, quiz_responses.c.response).where(
            quiz_responses.c.attempt_id.in_(finished)
        )
    ).all():
        if row.attempt_id in responses:
            responses[row.attempt_id][row.question_id] = row.response
    return WorkshopRows(participants, latest, lessons, attempts, responses)
