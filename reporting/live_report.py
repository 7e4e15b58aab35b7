"""What a live quiz run came to (issue 14, "after the run"): per question asked, who could answer it,
how many did, how many were right, the mean points, how often each option was chosen and the median
answer time; and the final ranking, equal scores sharing a place (`quizzes.live.ranking`).

Pure: made from a run's stored rows (anything shaped like `storage.live`'s StoredRun, StoredPlayer
and StoredAnswer; this package does not import storage) and its bank. A bank that is no longer in
the course still gives the numbers the stored rows hold (answers, credit, points, times), without
prompts or options. Right means full credit (`quizzes.live.is_right`), as on the presenter's screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import median
from typing import Protocol

from quizzes.attempt import decode
from quizzes.grading import Response
from quizzes.live import is_right, ranking
from quizzes.model import Bank, Question
from workshops.results import OptionCount

# Question types whose responses pick among offered options: their options are counted.
CHOICE_TYPES = ("single", "multiple", "truefalse")


class RunRow(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def bank_id(self) -> str: ...
    @property
    def question_ids(self) -> tuple[str, ...]: ...
    @property
    def question_index(self) -> int | None: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def ended_at(self) -> datetime | None: ...


class PlayerRow(Protocol):
    @property
    def respondent_id(self) -> int: ...
    @property
    def nickname(self) -> str: ...
    @property
    def first_question_index(self) -> int: ...
    @property
    def score(self) -> int: ...


class AnswerRow(Protocol):
    @property
    def question_id(self) -> str: ...
    @property
    def respondent_id(self) -> int: ...
    @property
    def response(self) -> str: ...
    @property
    def elapsed_ms(self) -> int: ...
    @property
    def credit(self) -> float: ...
    @property
    def points(self) -> int | None: ...


@dataclass(frozen=True)
class LiveQuestion:
    position: int  # 1-based, in the run's order
    question_id: str
    type: str  # "" when the bank is no longer in the course
    title: str  # the question's short title; "" when it has none
    prompt: str  # "" when the bank is no longer in the course
    could_answer: int  # players seated before the question opened
    answered: int
    right: int  # answers with full credit
    mean_points: float | None  # over the answers whose points were added (at the reveal); None: none
    median_seconds: float | None  # the median answer time; None: no answers
    options: tuple[OptionCount, ...]  # choice questions only; `chosen` counts answers

    @property
    def percent_right(self) -> float | None:
        """The percent of the answers that were right; None when nobody answered."""
        return 100 * self.right / self.answered if self.answered else None


@dataclass(frozen=True)
class LivePlace:
    place: int  # equal scores share a place: 1, 1, 3
    nickname: str
    score: int
    could_answer: int  # questions asked after the player took a seat
    answered: int
    right: int


@dataclass(frozen=True)
class LiveRunReport:
    run_id: int
    bank_id: str
    bank_title: str  # the bank's id when it is no longer in the course
    started_at: datetime
    ended_at: datetime | None  # None: the run is still going
    question_count: int  # the questions the run was started with
    questions: tuple[LiveQuestion, ...]  # the questions asked, in order
    ranking: tuple[LivePlace, ...]

    @property
    def asked(self) -> int:
        return len(self.questions)

    @property
    def players(self) -> int:
        return len(self.ranking)

    @property
    def ended(self) -> bool:
        return self.ended_at is not None


def asked_count(run: RunRow) -> int:
    """How many of the run's questions were opened: all up to the current (or last) one."""
    return 0 if run.question_index is None else min(run.question_index + 1, len(run.question_ids))


def _chosen_ids(question: Question, response: Response) -> set[str]:
    if question.type == "truefalse":
        return {"true" if response else "false"}
    if isinstance(response, list):
        return {str(item) for item in response}
    return {response} if isinstance(response, str) else set()


def _offered(question: Question) -> list[tuple[str, str, bool]]:
    """(id, text, correct) of what a choice question offers; "true"/"false" have no text (the reader
    words them in the page's language)."""
    if question.type == "truefalse":
        return [("true", "", question.answer is True), ("false", "", question.answer is False)]
    return [(option.id, option.text, option.correct) for option in question.options]


def _options(question: Question, answers: Sequence[AnswerRow]) -> tuple[OptionCount, ...]:
    if question.type not in CHOICE_TYPES:
        return ()
    chosen: dict[str, int] = {}
    for answer in answers:
        value = decode(question, answer.response)
        if value is None:
            continue  # the bank was edited since: the answer no longer fits
        for option_id in _chosen_ids(question, value):
            chosen[option_id] = chosen.get(option_id, 0) + 1
    return tuple(OptionCount(i, text, right, chosen.get(i, 0)) for i, text, right in _offered(question))


def _question(
    position: int, question_id: str, question: Question | None, could_answer: int, answers: Sequence[AnswerRow]
) -> LiveQuestion:
    points = [answer.points for answer in answers if answer.points is not None]
    return LiveQuestion(
        position,
        question_id,
        "" if question is None else question.type,
        "" if question is None else question.title,
        "" if question is None else question.prompt,
        could_answer,
        len(answers),
        sum(1 for answer in answers if is_right(answer.credit)),
        sum(points) / len(points) if points else None,
        median(answer.elapsed_ms for answer in answers) / 1000 if answers else None,
        () if question is None else _options(question, answers),
    )


def live_report(
    run: RunRow, bank: Bank | None, players: Iterable[PlayerRow], answers: Iterable[AnswerRow]
) -> LiveRunReport:
    """The statistics of each question asked and the final ranking of one run (of a run still going:
    as they stand). Answers of players or questions the run does not know are left out."""
    seated = list(players)
    by_player = {player.respondent_id: player for player in seated}
    asked = run.question_ids[: asked_count(run)]
    position_of = {question_id: index for index, question_id in enumerate(asked)}
    answers_to: dict[str, list[AnswerRow]] = {question_id: [] for question_id in asked}
    answered: dict[int, int] = {}
    right: dict[int, int] = {}
    for answer in answers:
        if answer.question_id not in position_of or answer.respondent_id not in by_player:
            continue
        answers_to[answer.question_id].append(answer)
        answered[answer.respondent_id] = answered.get(answer.respondent_id, 0) + 1
        if is_right(answer.credit):
            right[answer.respondent_id] = right.get(answer.respondent_id, 0) + 1
    known = {question.id: question for question in bank.questions} if bank is not None else {}
    questions = tuple(
        _question(
            index + 1,
            question_id,
            known.get(question_id),
            sum(1 for player in seated if player.first_question_index <= index),
            answers_to[question_id],
        )
        for index, question_id in enumerate(asked)
    )
    by_name = sorted(seated, key=lambda player: (player.nickname.casefold(), player.respondent_id))
    placed = ranking(
        [(player.respondent_id, player.score) for player in seated],
        tie_break=[player.respondent_id for player in by_name],
    )
    places = tuple(
        LivePlace(
            entry.place,
            by_player[key].nickname,
            entry.score,
            max(0, len(asked) - by_player[key].first_question_index),
            answered.get(key, 0),
            right.get(key, 0),
        )
        for entry in placed
        if isinstance(key := entry.key, int)
    )
    return LiveRunReport(
        run.id,
        run.bank_id,
        run.bank_id if bank is None else bank.title,
        run.created_at,
        run.ended_at,
        len(run.question_ids),
        questions,
        places,
    )
