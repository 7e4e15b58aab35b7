"""Use cases of learning progress: lessons marked done, quiz attempts and their responses.
Each is one transaction under the retry policy, and safe to run twice."""

from __future__ import annotations

import secrets

from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from services.rules import check_response
from storage import learning as store
from storage.engine import reading, transaction, transaction_under
from storage.learning import Attempt
from storage.respondents import now
from storage.schema import quiz_attempts, respondents

__all__ = [
    "Attempt",
    "attempts",
    "finish_attempt",
    "lessons_completed",
    "mark_lesson_done",
    "responses",
    "save_response",
    "start_attempt",
]


def mark_lesson_done(engine: Engine, respondent_id: int, lesson_id: str, done: bool) -> None:
    """Mark or unmark a lesson. Marking is an insert that ignores a row already there, so two
    simultaneous calls (two tabs, a double click) never collide."""

    def work(connection: Connection) -> None:
        if done:
            store.mark_done(connection, respondent_id, lesson_id, now())
        else:
            store.unmark_done(connection, respondent_id, lesson_id)

    transaction_under(engine, respondents, respondent_id, work)


def lessons_completed(engine: Engine, respondent_id: int) -> set[str]:
    return reading(engine, lambda c: store.lesson_ids_done(c, respondent_id))


def start_attempt(engine: Engine, respondent_id: int, bank_id: str) -> Attempt:
    """A new attempt at a quiz, or the unfinished one already there: a page offers "start" only
    when there is none, so an open attempt means a double click, another tab or a retried commit."""
    seed = secrets.randbelow(2**31)

    def work(connection: Connection) -> Attempt:
        existing = store.open_attempt(connection, respondent_id, bank_id)
        if existing is not None:
            return existing
        return store.insert_attempt(connection, respondent_id, bank_id, seed, now())

    return transaction_under(engine, respondents, respondent_id, work)


def attempts(engine: Engine, respondent_id: int, bank_id: str | None = None) -> list[Attempt]:
    """Attempts oldest first, for one bank or all."""
    return reading(engine, lambda c: store.attempts_of(c, respondent_id, bank_id))


def responses(engine: Engine, attempt_id: int) -> dict[str, str]:
    return reading(engine, lambda c: store.responses_of(c, attempt_id))


def save_response(engine: Engine, attempt_id: int, question_id: str, response_json: str) -> None:
    """Store one response (JSON), replacing an earlier one to the same question."""
    check_response(response_json)
    transaction_under(
        engine,
        quiz_attempts,
        attempt_id,
        lambda c: store.save_response(c, attempt_id, question_id, response_json, now()),
    )


def finish_attempt(engine: Engine, attempt_id: int, score_percent: int) -> None:
    """Record the score (the first time only)."""
    transaction(engine, lambda c: store.finish_attempt(c, attempt_id, score_percent, now()))
