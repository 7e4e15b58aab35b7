"""Scoring: answers in, stages, scores and gaps out. Pure functions, no I/O.

The rules are documented with a worked example in docs/scoring.md; keep the two
in step. Comparisons that decide a stage or a gap are done on integers or
exact fractions so that a boundary case never flips on float rounding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from assessment.model import (
    CHECKLIST_CREDIT,
    CHECKLIST_VALUES,
    MATURITY_POINTS,
    NOT_APPLICABLE,
    STAGE_IDS,
    ChecklistItem,
    MaturityStatement,
    Mode,
    Model,
    TeeStatement,
)

AnswerValue = str | int
Answers = Mapping[str, AnswerValue]

TEE_GAP_BELOW = 75.0
_MAX_POINTS = 3
_REACHED_AVERAGE = 2  # "largely in place" on average


class AnswerError(ValueError):
    """An answer that names an unknown item or holds a value the item does not take."""


# Answer validation --------------------------------------------------------


def normalise_answer(model: Model, item_id: str, raw: object) -> AnswerValue:
    """Return the canonical form of one answer or raise AnswerError saying why."""
    item = model.item(item_id)
    if item is None:
        raise AnswerError(f'unknown item id "{item_id}"')
    if isinstance(item, MaturityStatement):
        if raw in item.values():
            return str(raw)
        if raw == NOT_APPLICABLE:
            raise AnswerError(
                f'{item_id}: "{NOT_APPLICABLE}" (not applicable) is only accepted for statements marked '
                f"may_not_apply; expected one of {', '.join(item.values())}"
            )
        raise AnswerError(f"{item_id}: expected one of {', '.join(item.values())}, got {raw!r}")
    if isinstance(item, TeeStatement):
        if raw == "dont_know":
            return "dont_know"
        # Stored answers come back as text; only plain ASCII digits count ("²".isdigit() is true too).
        if isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
            raw = int(raw.strip())
        if isinstance(raw, int) and not isinstance(raw, bool) and 1 <= raw <= 5:
            return raw
        raise AnswerError(f'{item_id}: expected a whole number from 1 to 5 or "dont_know", got {raw!r}')
    if raw in CHECKLIST_VALUES:
        return str(raw)
    raise AnswerError(f"{item_id}: expected one of {', '.join(CHECKLIST_VALUES)}, got {raw!r}")


def normalise_answers(model: Model, raw_answers: Mapping[str, object]) -> tuple[dict[str, AnswerValue], list[str]]:
    """Normalise every answer; return the good ones and a message per bad one."""
    good: dict[str, AnswerValue] = {}
    errors: list[str] = []
    for item_id, raw in raw_answers.items():
        try:
            good[item_id] = normalise_answer(model, item_id, raw)
        except AnswerError as error:
            errors.append(str(error))
    return good, errors


# Results --------------------------------------------------------------------


@dataclass(frozen=True)
class CellScore:
    dimension: str
    stage: str
    statements: int  # the applicable statements asked in this mode: those answered "na" are not counted
    points: int
    unknown: int
    unanswered: int
    not_applicable: int = 0  # statements answered "na" (only statements marked may_not_apply take it)

    @property
    def applicable(self) -> bool:
        """False when every statement of the cell was answered "not applicable": the cell then has
        no coverage, is left out of the dimension score, counts as reached and is never a gap."""
        return self.statements > 0

    @property
    def coverage(self) -> Fraction:
        """Points / (3 x applicable statements); 0 for a cell that is not applicable (see `applicable`)."""
        return Fraction(self.points, _MAX_POINTS * self.statements) if self.statements else Fraction(0)

    @property
    def reached(self) -> bool:
        # A cell with no applicable statement needs 0 points: it counts as reached.
        return self.points >= _REACHED_AVERAGE * self.statements


@dataclass(frozen=True)
class StageScore:
    id: str
    statements: int  # applicable statements at this stage, over all dimensions
    points: int
    not_applicable: int = 0

    @property
    def applicable(self) -> bool:
        return self.statements > 0

    @property
    def coverage(self) -> Fraction:
        """Points / (3 x applicable statements); 0 for a stage with none applicable (see `applicable`)."""
        return Fraction(self.points, _MAX_POINTS * self.statements) if self.statements else Fraction(0)

    @property
    def reached(self) -> bool:
        # A stage with no applicable statement (every one answered "not applicable") counts as reached.
        return self.points >= _REACHED_AVERAGE * self.statements


@dataclass(frozen=True)
class DimensionScore:
    id: str
    cells: tuple[CellScore, ...]  # one per stage, in stage order
    stage: str | None

    @property
    def score(self) -> float:
        """0 to 4, the radar's scale: the sum of the cell coverages, over the applicable cells only and
        scaled to four cells (sum x 4 / applicable cells); with all four applicable, the plain sum."""
        applicable = [c.coverage for c in self.cells if c.applicable]
        if not applicable:
            return 0.0  # the loader keeps one statement per dimension that always applies
        return float(sum(applicable, Fraction(0)) * len(self.cells) / len(applicable))

    @property
    def coverage(self) -> dict[str, float | None]:
        """Coverage per stage; None for a cell with no applicable statement."""
        return {c.stage: float(c.coverage) if c.applicable else None for c in self.cells}

    @property
    def unknown(self) -> int:
        return sum(c.unknown for c in self.cells)

    @property
    def unanswered(self) -> int:
        return sum(c.unanswered for c in self.cells)

    @property
    def not_applicable(self) -> int:
        return sum(c.not_applicable for c in self.cells)


@dataclass(frozen=True)
class TeeScore:
    id: str
    score: float | None  # 0 to 100; None when nothing was answered
    answered: int
    unknown: int
    unanswered: int


@dataclass(frozen=True)
class ChecklistScore:
    compliance: float | None  # 0 to 1; None when no item was answered yes, partly or no
    answered: int
    not_applicable: int
    unanswered: int
    failed: tuple[str, ...]  # "no" items first, then "partly", each in model order


@dataclass(frozen=True)
class Gap:
    kind: str  # "maturity", "tee" or "checklist"
    dimension: str | None = None
    stage: str | None = None
    coverage: float | None = None
    tee: str | None = None
    score: float | None = None
    item: str | None = None
    answer: str | None = None

    def to_dict(self) -> dict[str, object]:
        if self.kind == "maturity":
            return {"kind": self.kind, "dimension": self.dimension, "stage": self.stage, "coverage": self.coverage}
        if self.kind == "tee":
            return {"kind": self.kind, "tee": self.tee, "score": self.score}
        return {"kind": self.kind, "item": self.item, "answer": self.answer}


@dataclass(frozen=True)
class Result:
    mode: Mode
    stage: str | None
    stages: tuple[StageScore, ...]
    dimensions: tuple[DimensionScore, ...]
    tees: tuple[TeeScore, ...]
    checklist: ChecklistScore
    gaps: tuple[Gap, ...]
    answered: int
    asked: int

    def dimension(self, dimension_id: str) -> DimensionScore:
        return next(d for d in self.dimensions if d.id == dimension_id)

    def tee(self, tee_id: str) -> TeeScore:
        return next(t for t in self.tees if t.id == tee_id)

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of `python -m assessment score` and the JSON download."""
        return {
            "mode": self.mode.value,
            "stage": self.stage,
            "stage_coverage": {s.id: _round(float(s.coverage)) if s.applicable else None for s in self.stages},
            "stages": [
                {
                    "id": s.id,
                    "points": s.points,
                    "max_points": _MAX_POINTS * s.statements,
                    "statements": s.statements,
                    "not_applicable": s.not_applicable,
                    "coverage": _round(float(s.coverage)) if s.applicable else None,
                    "reached": s.reached,
                }
                for s in self.stages
            ],
            "dimensions": {
                d.id: {
                    "score": _round(d.score),
                    "stage": d.stage,
                    "coverage": {
                        stage: None if value is None else _round(value) for stage, value in d.coverage.items()
                    },
                    "unknown": d.unknown,
                    "unanswered": d.unanswered,
                    "not_applicable": d.not_applicable,
                }
                for d in self.dimensions
            },
            "tees": {
                t.id: {
                    "score": None if t.score is None else _round(t.score),
                    "answered": t.answered,
                    "unknown": t.unknown,
                    "unanswered": t.unanswered,
                }
                for t in self.tees
            },
            "checklist": {
                "compliance": None if self.checklist.compliance is None else _round(self.checklist.compliance),
                "answered": self.checklist.answered,
                "not_applicable": self.checklist.not_applicable,
                "unanswered": self.checklist.unanswered,
                "failed": list(self.checklist.failed),
            },
            "gaps": [g.to_dict() for g in self.gaps],
            "answered": self.answered,
            "asked": self.asked,
        }


def _round(value: float) -> float:
    return round(value, 4)


# Scoring ----------------------------------------------------------------------


def score(model: Model, answers: Answers, mode: Mode = Mode.FULL) -> Result:
    """Score one set of answers by the rules in docs/scoring.md.

    Answers must already be normalised (see `normalise_answers`). Answers to
    items the mode does not ask are ignored, so a quick scan can later grow
    into a full assessment without losing anything.
    """
    dimensions = tuple(_score_dimension(model, d.id, answers, mode) for d in model.dimensions)
    stages = tuple(
        StageScore(
            id=stage,
            statements=sum(d.cells[i].statements for d in dimensions),
            points=sum(d.cells[i].points for d in dimensions),
            not_applicable=sum(d.cells[i].not_applicable for d in dimensions),
        )
        for i, stage in enumerate(STAGE_IDS)
    )
    tees = tuple(_score_tee(t.in_mode(mode), t.id, answers) for t in model.tees)
    checklist = _score_checklist(model.checklist, answers)
    asked = model.item_ids(mode)
    return Result(
        mode=mode,
        stage=_highest_consecutive([s.reached for s in stages]),
        stages=stages,
        dimensions=dimensions,
        tees=tees,
        checklist=checklist,
        gaps=_gaps(model, stages, dimensions, tees, checklist, answers),
        answered=sum(1 for item_id in asked if item_id in answers),
        asked=len(asked),
    )


def _highest_consecutive(reached: list[bool]) -> str | None:
    """The highest stage reached with every earlier stage reached too."""
    stage = None
    for stage_id, is_reached in zip(STAGE_IDS, reached, strict=True):
        if not is_reached:
            break
        stage = stage_id
    return stage


def _score_dimension(model: Model, dimension_id: str, answers: Answers, mode: Mode) -> DimensionScore:
    dimension = model.dimension(dimension_id)
    cells = []
    for stage in STAGE_IDS:
        asked = dimension.cell(stage, mode)
        # "Not applicable" takes a statement out of its cell (and so out of its stage); only a statement
        # marked may_not_apply can leave, so a stray "na" on any other statement scores 0 like "none".
        left_out = [s for s in asked if s.may_not_apply and answers.get(s.id) == NOT_APPLICABLE]
        values = [answers.get(s.id) for s in asked if s not in left_out]
        cells.append(
            CellScore(
                dimension=dimension_id,
                stage=stage,
                statements=len(values),
                points=sum(MATURITY_POINTS.get(v, 0) for v in values if isinstance(v, str)),
                unknown=sum(1 for v in values if v == "dont_know"),
                unanswered=sum(1 for v in values if v is None),
                not_applicable=len(left_out),
            )
        )
    return DimensionScore(
        id=dimension_id,
        cells=tuple(cells),
        stage=_highest_consecutive([c.reached for c in cells]),
    )


def _score_tee(statements: tuple[TeeStatement, ...], tee_id: str, answers: Answers) -> TeeScore:
    keyed: list[int] = []
    unknown = unanswered = 0
    for statement in statements:
        value = answers.get(statement.id)
        if value is None:
            unanswered += 1
        elif value == "dont_know":
            unknown += 1
        elif isinstance(value, int):
            keyed.append(6 - value if statement.reverse else value)
    if not keyed:
        return TeeScore(tee_id, None, 0, unknown, unanswered)
    mean = Fraction(sum(keyed), len(keyed))
    return TeeScore(tee_id, float((mean - 1) / 4 * 100), len(keyed), unknown, unanswered)


def _score_checklist(items: tuple[ChecklistItem, ...], answers: Answers) -> ChecklistScore:
    credits: list[float] = []
    not_applicable = unanswered = 0
    failed_no: list[str] = []
    failed_partly: list[str] = []
    for item in items:
        value = answers.get(item.id)
        if value is None:
            unanswered += 1
        elif value == "na":
            not_applicable += 1
        elif isinstance(value, str) and value in CHECKLIST_CREDIT:
            credits.append(CHECKLIST_CREDIT[value])
            if value == "no":
                failed_no.append(item.id)
            elif value == "partly":
                failed_partly.append(item.id)
    compliance = sum(credits) / len(credits) if credits else None
    return ChecklistScore(compliance, len(credits), not_applicable, unanswered, (*failed_no, *failed_partly))


def _gaps(
    model: Model,
    stages: tuple[StageScore, ...],
    dimensions: tuple[DimensionScore, ...],
    tees: tuple[TeeScore, ...],
    checklist: ChecklistScore,
    answers: Answers,
) -> tuple[Gap, ...]:
    first_not_reached = next((i for i, s in enumerate(stages) if not s.reached), len(stages) - 1)
    cells = [
        (stage_index, cell.coverage, dimension_index, cell)
        for dimension_index, dimension in enumerate(dimensions)
        for stage_index, cell in enumerate(dimension.cells)
        if stage_index <= first_not_reached and cell.statements and not cell.reached
    ]
    cells.sort(key=lambda entry: entry[:3])
    maturity = [
        Gap("maturity", dimension=c.dimension, stage=c.stage, coverage=_round(float(c.coverage))) for *_, c in cells
    ]
    tee_order = {t.id: i for i, t in enumerate(model.tees)}
    low_tees = sorted(
        (t for t in tees if t.score is not None and t.score < TEE_GAP_BELOW),
        key=lambda t: (t.score, tee_order[t.id]),
    )
    tee_gaps = [Gap("tee", tee=t.id, score=_round(t.score)) for t in low_tees if t.score is not None]
    checklist_gaps = [Gap("checklist", item=i, answer=str(answers.get(i))) for i in checklist.failed]
    return (*maturity, *tee_gaps, *checklist_gaps)
