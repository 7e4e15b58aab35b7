"""Queries for a respondent's learning progress: lessons done, quiz attempts and their responses.

Every function takes a Connection, so a use case composes several in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection

from storage.schema import lessons_done, quiz_attempts, quiz_responses
from storage.sql import insert_or_ignore, upsert


@dataclass(frozen=True)
class Attempt:
    id: int
    bank_id: str
    seed: int
    started_at: datetime
    finished_at: datetime | None
    score_percent: int | None


# The reads the lesson and quiz pages make on every run are built once, with bound parameters.
_LESSONS_DONE = select(lessons_done.c.lesson_id).where(lessons_done.c.respondent_id == bindparam("respondent_id"))
_OF_RESPONDENT = quiz_attempts.c.respondent_id == bindparam("respondent_id")
_ATTEMPTS_OF = select(quiz_attempts).where(_OF_RESPONDENT).order_by(quiz_attempts.c.id)
_ATTEMPTS_AT = _ATTEMPTS_OF.where(quiz_attempts.c.bank_id == bindparam("bank_id"))
_RESPONSES_OF = select(quiz_responses.c.question_id, quiz_responses.c.response).where(
    quiz_responses.c.attempt_id == bindparam("attempt_id")
)


def lesson_ids_done(connection: Connection, respondent_id: int) -> set[str]:
    rows = connection.execute(_LESSONS_DONE, {"respondent_id": respondent_id})
    return {row.lesson_id for row in rows}


def mark_done(connection: Connection, respondent_id: int, lesson_id: str, at: datetime) -> None:
    """Idempotent: a lesson already marked keeps its first time, and two writers never collide."""
    values = {"respondent_id": respondent_id, "lesson_id": lesson_id, "done_at": at}
    insert_or_ignore(connection, lessons_done, values, ["respondent_id", "lesson_id"])


def unmark_done(connection: Connection, respondent_id: int, lesson_id: str) -> None:
    connection.execute(
        delete(lessons_done).where(lessons_done.c.respondent_id == respondent_id, lessons_done.c.lesson_id == lesson_id)
    )


def _attempt(row: object) -> Attempt:
    return Attempt(row.id, row.bank_id, row.seed, row.started_at, row.finished_at, row.score_percent)  # type: ignore[attr-defined]


def attempts_of(connection: Connection, respondent_id: int, bank_id: str | None = None) -> list[Attempt]:
    """Attempts oldest first, for one bank or all."""
    if bank_id is None:
        rows = connection.execute(_ATTEMPTS_OF, {"respondent_id": respondent_id}).all()
    else:
        rows = connection.execute(_ATTEMPTS_AT, {"respondent_id": respondent_id, "bank_id": bank_id}).all()
    return [_attempt(r) for r in rows]


def open_attempt(connection: Connection, respondent_id: int, bank_id: str) -> Attempt | None:
    """The newest unfinished attempt at a bank, if any."""
    row = connection.execute(
        select(quiz_attempts)
        .where(
            quiz_attempts.c.respondent_id == respondent_id,
            quiz_attempts.c.bank_id == bank_id,
            quiz_attempts.c.finished_at.is_(None),
        )
        .order_by(quiz_attempts.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else _attempt(row)


def insert_attempt(connection: Connection, respondent_id: int, bank_id: str, seed: int, at: datetime) -> Attempt:
    attempt_id = connection.execute(
        insert(quiz_attempts).values(respondent_id=respondent_id, bank_id=bank_id, seed=seed, started_at=at)
    ).inserted_primary_key[0]  # type: ignore[index]
    return Attempt(attempt_id, bank_id, seed, at, None, None)


def finish_attempt(connection: Connection, attempt_id: int, score_percent: int, at: datetime) -> None:
    """First finish only: a second (a double click) does not rewrite the score."""
    connection.execute(
        update(quiz_attempts)
        .where(quiz_attempts.c.id == attempt_id, quiz_attempts.c.finished_at.is_(None))
        .values(finished_at=at, score_percent=score_percent)
    )


def responses_of(connection: Connection, attempt_id: int) -> dict[str, str]:
    rows = connection.execute(_RESPONSES_OF, {"attempt_id": attempt_id}).all()
    return {row.question_id: row.response for row in rows}


def save_response(connection: Connection, attempt_id: int, question_id: str, response: str, at: datetime) -> None:
    values = {"attempt_id": attempt_id, "question_id": question_id, "response": response, "answered_at": at}
    upsert(connection, quiz_responses, values, ["attempt_id", "question_id"])
