"""A trainer's view of one workshop's results: its participants (nickname, joined, finished, stage,
lessons done, best quiz score per bank) and per-quiz statistics (finished attempts, participants,
mean score, and per question how many answered it, the percent correct and how often each option
was chosen).

Who may see it is the rule of `services.workshops`: the workshop's trainer or an admin; anyone else
gets NotAllowed, the same whether the workshop exists or not, and nothing of it. The rows are read
in one transaction (`storage.workshop_results`). A participant's stage is their latest completed
round's stored scores (`assessment.stored_result`), never re-scored; a round completed before
scores were stored is scored once by `services.results` (which stores it, as the results page would).
Right and wrong are decided by `quizzes.grading` on the responses as `quizzes.attempt` decodes them.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from assessment import stored_result
from assessment.model import Model
from learning.content import Course
from quizzes.attempt import decode
from quizzes.grading import Response, grade
from quizzes.model import Bank, Question
from services import results
from services.workshops import NotAllowed, StoredWorkshop, UnknownWorkshop, owned_workshop
from storage import workshop_results as store
from storage.engine import reading
from storage.respondents import Round
from storage.workshop_results import CompletedRound, WorkshopRows
from workshops.results import OptionCount, ParticipantResult, QuestionStats, QuizStats, WorkshopResults

__all__ = [
    "NotAllowed",
    "OptionCount",
    "ParticipantResult",
    "QuestionStats",
    "QuizStats",
    "UnknownWorkshop",
    "WorkshopResults",
    "workshop_results",
]

log = logging.getLogger(__name__)

# Question types whose responses pick among offered options: their options are counted.
CHOICE_TYPES = ("single", "multiple", "truefalse")


def workshop_results(engine: Engine, user_id: int, workshop_id: int, model: Model, course: Course) -> WorkshopResults:
    """The results of a workshop for its trainer or an admin; NotAllowed otherwise (UnknownWorkshop
    for an admin asking for one that does not exist)."""

    def work(connection: Connection) -> tuple[StoredWorkshop, WorkshopRows]:
        workshop = owned_workshop(connection, user_id, workshop_id, "see this workshop's results")
        return workshop, store.workshop_rows(connection, workshop.id)

    workshop, rows = reading(engine, work)
    return WorkshopResults(
        workshop.id,
        workshop.code,
        workshop.name,
        workshop.held_on,
        _participants(engine, model, rows),
        _quizzes(rows, course),
        model.stages[0].name,
    )


# Participants ------------------------------------------------------------------------------------


def _stage_of(engine: Engine, model: Model, completed: CompletedRound) -> str | None:
    if completed.scores is not None and completed.model_version is not None:
        try:
            return stored_result.load(completed.scores).stage
        except stored_result.StoredResultError as error:
            log.warning("round %s: stored scores unreadable (%s)", completed.round_id, error)
    # No (readable) stored scores: the rule of services.results decides (and stores them once).
    round_ = Round(
        completed.round_id, completed.respondent_id, completed.number, completed.mode, completed.started_at,
        completed.completed_at, completed.model_version, completed.scored_at,
    )  # fmt: skip
    return results.round_result(engine, model, round_, newest=False).result.stage


def _stage_name(model: Model, stage_id: str | None) -> str | None:
    if stage_id is None:
        return None
    found = next((stage for stage in model.stages if stage.id == stage_id), None)
    return stage_id if found is None else found.name


def _participants(engine: Engine, model: Model, rows: WorkshopRows) -> tuple[ParticipantResult, ...]:
    best: dict[int, dict[str, int]] = {}
    for attempt in rows.attempts:
        if attempt.score_percent is not None:
            mine = best.setdefault(attempt.respondent_id, {})
            mine[attempt.bank_id] = max(mine.get(attempt.bank_id, 0), attempt.score_percent)
    found = []
    for participant in rows.participants:
        completed = rows.latest_completed.get(participant.respondent_id)
        stage = None if completed is None else _stage_of(engine, model, completed)
        found.append(
            ParticipantResult(
                participant.nickname,
                participant.joined_at,
                None if completed is None else completed.completed_at,
                stage,
                _stage_name(model, stage),
                rows.lessons_done.get(participant.respondent_id, 0),
                best.get(participant.respondent_id, {}),
            )
        )
    return tuple(found)


# Quizzes -----------------------------------------------------------------------------------------


def _chosen_ids(question: Question, response: Response) -> set[str]:
    if question.type == "truefalse":
        return {"true" if response else "false"}
    if isinstance(response, list):
        return {str(item) for item in response}
    return {response} if isinstance(response, str) else set()


def _offered(question: Question) -> list[tuple[str, str, bool]]:
    """(id, text, correct) of what a choice question offers."""
    if question.type == "truefalse":
        # No text: the reader words "true" and "false" in the page's language (services never translate).
        return [("true", "", question.answer is True), ("false", "", question.answer is False)]
    return [(option.id, option.text, option.correct) for option in question.options]


def _question_stats(position: int, question: Question, responses: list[dict[str, str]]) -> QuestionStats:
    answered = correct = 0
    chosen: dict[str, int] = {}
    for stored in responses:
        raw = stored.get(question.id)
        value = None if raw is None else decode(question, raw)
        if value is None:
            continue
        answered += 1
        if grade(question, value).correct:
            correct += 1
        if question.type in CHOICE_TYPES:
            for option_id in _chosen_ids(question, value):
                chosen[option_id] = chosen.get(option_id, 0) + 1
    options: tuple[OptionCount, ...] = ()
    if question.type in CHOICE_TYPES:
        options = tuple(OptionCount(i, text, right, chosen.get(i, 0)) for i, text, right in _offered(question))
    return QuestionStats(question.id, position, question.type, question.prompt, answered, correct, options)


def _quiz(bank_id: str, bank: Bank | None, rows: WorkshopRows) -> QuizStats:
    attempts = [attempt for attempt in rows.attempts if attempt.bank_id == bank_id]
    scores = [attempt.score_percent for attempt in attempts if attempt.score_percent is not None]
    responses = [rows.responses.get(attempt.id, {}) for attempt in attempts]
    questions = (
        () if bank is None else tuple(_question_stats(i, q, responses) for i, q in enumerate(bank.questions, start=1))
    )
    return QuizStats(
        bank_id,
        bank_id if bank is None else bank.title,
        len(attempts),
        len({attempt.respondent_id for attempt in attempts}),
        sum(scores) / len(scores) if scores else None,
        questions,
    )


def _quizzes(rows: WorkshopRows, course: Course) -> tuple[QuizStats, ...]:
    attempted = {attempt.bank_id for attempt in rows.attempts}
    ordered = [bank for bank in course.banks_in_course_order() if bank.id in attempted]
    known = {bank.id for bank in ordered}
    stats = [_quiz(bank.id, bank, rows) for bank in ordered]
    stats += [_quiz(bank_id, None, rows) for bank_id in sorted(attempted - known)]
    return tuple(stats)
