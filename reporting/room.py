"""The room: what a workshop's finished participants look like together, for the presenter's screen.

Plain values, no names, no wording (the use cases never translate: `reporting.room_text` words and
tabulates these values for the page): the summary is built from results and answers only, so no nickname can
reach it. Below MIN_FINISHED finished participants it holds the two counts and nothing else
(`RoomSummary.figures` is None, and a summary with figures and fewer finished is refused), so
the room never shows what a single participant answered.

Statistics, per dimension score (0 to 4) over the finished participants:
- median: `statistics.median` (the middle value; the mean of the two middle values for an even count);
- Q1 and Q3: `statistics.quantiles(scores, n=4, method="inclusive")`, linear interpolation between
  the sorted values at position p x (n - 1) (0-based), p = 0.25 and 0.75: the rule of Excel's
  QUARTILE.INC and NumPy's default. [1, 2, 3, 4] gives Q1 1.75, median 2.5, Q3 3.25;
- spread: the interquartile range Q3 - Q1. The three dimensions with the largest spread are the
  ones the room disagrees most on; spreads are compared rounded to 9 decimals (stored scores are
  floats, so two equal spreads may differ in their last bits), ties in model order.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assessment.model import STAGE_IDS, Mode, Model
from assessment.scoring import AnswerValue, Gap, Result
from lessons.loader import Lesson

MIN_FINISHED = 3
DISPUTED = 3
COMMON_GAPS = 5
UNANSWERED = "unanswered"  # the distribution's column for a statement asked and not answered
_TIE_DECIMALS = 9


@dataclass(frozen=True)
class Finished:
    """One finished participant, as the room sees them: the result of their latest completed round
    and that round's answers (normalised by the model). Deliberately nothing else."""

    result: Result
    answers: Mapping[str, AnswerValue]


@dataclass(frozen=True)
class StageCount:
    stage: str | None  # None: not yet at the first stage
    count: int


@dataclass(frozen=True)
class DimensionSpread:
    dimension: str
    median: float
    q1: float
    q3: float

    @property
    def spread(self) -> float:
        return self.q3 - self.q1


@dataclass(frozen=True)
class StatementAnswers:
    statement: str
    dimension: str
    asked: int  # finished participants whose round asked it (a quick scan asks fewer)
    counts: tuple[tuple[str, int], ...]  # each answer the statement takes, in the model's order, then UNANSWERED


@dataclass(frozen=True)
class CommonGap:
    gap: Gap  # the gap's identity only: kind and dimension and stage, T or checklist item
    participants: int
    lesson: Lesson | None  # the lesson to teach next for it, if a lesson teaches it


@dataclass(frozen=True)
class RoomFigures:
    stages: tuple[StageCount, ...]  # "not yet" first, then every stage of the model in order
    dimensions: tuple[DimensionSpread, ...]  # model order
    disputed: tuple[DimensionSpread, ...]  # the largest spreads, largest first
    statements: tuple[StatementAnswers, ...]  # maturity statements asked of anyone, model order
    gaps: tuple[CommonGap, ...]  # the most common gaps, most participants first


@dataclass(frozen=True)
class RoomSummary:
    joined: int
    finished: int
    figures: RoomFigures | None  # None below MIN_FINISHED finished participants

    def __post_init__(self) -> None:
        if self.figures is not None and self.finished < MIN_FINISHED:
            raise ValueError(f"a room with {self.finished} finished participants shows no figures")
        if self.finished > self.joined or self.finished < 0:
            raise ValueError(f"{self.finished} finished of {self.joined} joined")

    @property
    def shown(self) -> bool:
        return self.figures is not None


LessonFor = Callable[[Gap], Lesson | None]


def summarise(
    model: Model, joined: int, finished: Sequence[Finished], lesson_for: LessonFor | None = None
) -> RoomSummary:
    """The room's summary; the counts only below MIN_FINISHED finished participants."""
    if len(finished) < MIN_FINISHED:
        return RoomSummary(joined, len(finished), None)
    results = [entry.result for entry in finished]
    dimensions = tuple(spread(d.id, [r.dimension(d.id).score for r in results]) for d in model.dimensions)
    figures = RoomFigures(
        stages=stage_counts(results),
        dimensions=dimensions,
        disputed=most_disputed(dimensions),
        statements=statement_answers(model, finished),
        gaps=common_gaps(model, results, lesson_for),
    )
    return RoomSummary(joined, len(finished), figures)


def quartiles(scores: Sequence[float]) -> tuple[float, float, float]:
    """Q1, median, Q3 by the rule in the module docstring; at least two scores."""
    q1, _q2, q3 = statistics.quantiles(scores, n=4, method="inclusive")
    return q1, statistics.median(scores), q3


def spread(dimension: str, scores: Sequence[float]) -> DimensionSpread:
    q1, median, q3 = quartiles(scores)
    return DimensionSpread(dimension, median, q1, q3)


def most_disputed(dimensions: Sequence[DimensionSpread], n: int = DISPUTED) -> tuple[DimensionSpread, ...]:
    """The n largest spreads, largest first; equal spreads (to 9 decimals) in the order given (model order)."""
    ranked = sorted(enumerate(dimensions), key=lambda pair: (-round(pair[1].spread, _TIE_DECIMALS), pair[0]))
    return tuple(entry for _index, entry in ranked[:n])


def stage_counts(results: Sequence[Result]) -> tuple[StageCount, ...]:
    """How many participants are at each stage; every stage listed, "not yet" first."""
    return tuple(StageCount(stage, sum(1 for r in results if r.stage == stage)) for stage in (None, *STAGE_IDS))


def statement_answers(model: Model, finished: Sequence[Finished]) -> tuple[StatementAnswers, ...]:
    """Per maturity statement, how many gave each answer it takes, and how many left it open; over
    the participants whose round asked it (a quick scan asks the quick statements only). A stored
    answer the statement does not take counts as unanswered."""
    found = []
    for statement in model.maturity_statements(Mode.FULL):
        asking = [e for e in finished if e.result.mode is Mode.FULL or statement.quick]
        if not asking:
            continue
        given = [e.answers.get(statement.id) for e in asking]
        values = statement.values()
        counts = [(value, sum(1 for g in given if g == value)) for value in values]
        counts.append((UNANSWERED, sum(1 for g in given if g not in values)))
        found.append(StatementAnswers(statement.id, statement.dimension, len(asking), tuple(counts)))
    return tuple(found)


def gap_key(gap: Gap) -> tuple[str, str | None, str | None, str | None, str | None]:
    return gap.kind, gap.dimension, gap.stage, gap.tee, gap.item


def _gap_order(model: Model, gap: Gap) -> tuple[int, int, int]:
    """The gap rule's order without the participant's figures: maturity by stage then dimension,
    then the T's, then the checklist, each in model order."""
    if gap.kind == "maturity":
        dimension = next(i for i, d in enumerate(model.dimensions) if d.id == gap.dimension)
        return 0, STAGE_IDS.index(gap.stage or STAGE_IDS[0]), dimension
    if gap.kind == "tee":
        return 1, next((i for i, t in enumerate(model.tees) if t.id == gap.tee), 0), 0
    return 2, next((i for i, item in enumerate(model.checklist) if item.id == gap.item), 0), 0


def _known(model: Model, gap: Gap) -> bool:
    """A gap the model still has (a stored result may come from an earlier model)."""
    if gap.kind == "maturity":
        return any(d.id == gap.dimension for d in model.dimensions) and gap.stage in STAGE_IDS
    if gap.kind == "tee":
        return any(t.id == gap.tee for t in model.tees)
    return model.section_of(gap.item or "") is not None


def common_gaps(
    model: Model, results: Sequence[Result], lesson_for: LessonFor | None = None, n: int = COMMON_GAPS
) -> tuple[CommonGap, ...]:
    """The n gaps most participants have, each counted once per participant; most first, ties in
    the gap rule's order. Each with the lesson to teach next (`lesson_for`, the results page's rule)."""
    counts: dict[tuple[str, str | None, str | None, str | None, str | None], int] = {}
    for result in results:
        for key in {gap_key(g) for g in result.gaps}:
            counts[key] = counts.get(key, 0) + 1
    gaps = [Gap(kind, dimension=d, stage=s, tee=t, item=i) for (kind, d, s, t, i) in counts]
    gaps = [g for g in gaps if _known(model, g)]
    gaps.sort(key=lambda g: (-counts[gap_key(g)], _gap_order(model, g)))
    return tuple(CommonGap(g, counts[gap_key(g)], lesson_for(g) if lesson_for is not None else None) for g in gaps[:n])
