"""Quiz banks and questions as immutable objects. No I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

QUESTION_TYPES = ("single", "multiple", "truefalse", "ordering", "matching", "short", "numerical")
FEEDBACK_MODES = ("instant", "end")


# Stage placement (docs/content-format.md): a question, option, ordering item or matching pair may
# declare the maturity statement it is about (`statement`, an id of the model) and the stage it
# claims for it (`stage`). "" means not declared. `python -m learning check` holds the answer key
# to the model's placement; the grading never reads them.


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    correct: bool = False
    feedback: str = ""
    weight: float | None = None  # GIFT percentage weight for multiple answers, -100..100; None: derived
    statement: str = ""
    stage: str = ""


@dataclass(frozen=True)
class OrderItem:
    id: str
    text: str
    statement: str = ""
    stage: str = ""


@dataclass(frozen=True)
class Pair:
    id: str
    left: str
    right: str
    statement: str = ""
    stage: str = ""


@dataclass(frozen=True)
class NumericAnswer:
    """A right number: value with a tolerance, or a min..max range."""

    value: float | None = None
    tolerance: float = 0.0
    min: float | None = None
    max: float | None = None
    weight: float = 100.0  # percent credit
    feedback: str = ""

    def accepts(self, number: float) -> bool:
        if self.min is not None and self.max is not None:
            return self.min <= number <= self.max
        return self.value is not None and abs(number - self.value) <= self.tolerance + 1e-12


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    prompt: str
    checks: tuple[str, ...] = ()
    explanation: str = ""
    title: str = ""
    options: tuple[Option, ...] = ()  # single, multiple
    answer: bool | None = None  # truefalse
    feedback_true: str = ""  # truefalse: feedback when the person answered true
    feedback_false: str = ""
    items: tuple[OrderItem, ...] = ()  # ordering, in the right order
    pairs: tuple[Pair, ...] = ()  # matching
    accept: tuple[str, ...] = ()  # short: accepted answers, compared without case and outer spaces
    numbers: tuple[NumericAnswer, ...] = ()  # numerical
    statement: str = ""  # stage placement, see above
    stage: str = ""
    # "<bank id>/<question id>": this question deliberately repeats that one from another angle, so
    # the near-duplicate check lets the pair be.
    variant_of: str = ""

    @property
    def correct_option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options if o.correct)


@dataclass(frozen=True)
class Bank:
    id: str
    title: str
    lesson: str
    feedback: str
    pass_percent: int
    questions: tuple[Question, ...]
    file: str = ""
    category: str = ""
    # The line of each key in the bank's file ("lesson", "questions[2].checks[0]"), for messages.
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)
