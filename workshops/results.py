"""A workshop's results as plain values: its participants' rows and per-quiz statistics.

Made by `services.workshop_results` (which reads and grades), read by the pages and by
`reporting.workshop_export`; they live here, below both, so the exports need neither the use cases
nor the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class ParticipantResult:
    nickname: str
    joined_at: datetime
    finished_at: datetime | None  # the latest completed round's completion; None: none completed
    stage_id: str | None  # from that round's scores; None: none completed, or no stage reached
    stage_name: str | None
    lessons_done: int
    best_scores: dict[str, int]  # bank id -> best finished score percent, for the banks attempted


@dataclass(frozen=True)
class OptionCount:
    option_id: str
    text: str  # the option's text; "" for the "true" and "false" of a true/false question
    correct: bool
    chosen: int  # finished attempts whose response chose it


@dataclass(frozen=True)
class QuestionStats:
    question_id: str
    position: int  # 1-based, in the bank
    type: str
    prompt: str
    answered: int  # finished attempts with a usable response to it
    correct: int  # of those, how many got full credit
    options: tuple[OptionCount, ...]  # choice questions only

    @property
    def percent_correct(self) -> float | None:
        return 100 * self.correct / self.answered if self.answered else None


@dataclass(frozen=True)
class QuizStats:
    bank_id: str
    title: str
    attempts: int  # finished attempts
    participants: int  # participants with at least one finished attempt
    mean_score: float | None  # mean score percent of the finished attempts
    questions: tuple[QuestionStats, ...]  # empty when the bank is no longer in the course


@dataclass(frozen=True)
class WorkshopResults:
    workshop_id: int
    code: str  # the join code (canonical)
    name: str
    held_on: date
    participants: tuple[ParticipantResult, ...]
    quizzes: tuple[QuizStats, ...]  # the banks attempted, in course order, then unknown ones by id
    # The model's first stage: a participant who finished without reaching it is "not yet at" it.
    first_stage_name: str = ""

    @property
    def bank_ids(self) -> tuple[str, ...]:
        return tuple(quiz.bank_id for quiz in self.quizzes)
