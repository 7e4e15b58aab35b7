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
    """A number that earns credit: value with a tolerance, a min..max range, or (any_number) every
    number, Moodle's catch-all "*" that carries the feedback for any other number."""

    value: float | None = None
    tolerance: float = 0.0
    min: float | None = None
    max: float | None = None
    weight: float = 100.0  # percent credit
    feedback: str = ""
    any_number: bool = False

    def accepts(self, number: float) -> bool:
        if self.any_number:
            return True
        if self.min is not None and self.max is not None:
            return self.min <= number <= self.max
        return self.value is not None and abs(number - self.value) <= self.tolerance + 1e-12


@dataclass(frozen=True)
class ShortAnswer:
    """An answer a short-answer question accepts, at `weight` percent credit (0..100), with the
    feedback shown to whoever typed it. As in Moodle, "*" in the text matches any run of characters
    ("*" alone: any answer, the catch-all) and "\\*" is a literal star."""

    text: str
    weight: float = 100.0
    feedback: str = ""


@dataclass(frozen=True)
class Image:
    """A picture shown with a question's prompt, stored with the bank as base64 data. Only raster
    types the browser shows as pictures are kept (quizzes.images checks the bytes)."""

    name: str
    media_type: str  # image/png, image/jpeg, image/gif or image/webp
    data: str  # base64
    alt: str = ""


# Texts (prompt, options, feedback, explanation) are Markdown shown as written: every line break is
# kept on the page (quizzes.text.display_markdown), and a block fenced by ``` lines is preformatted,
# its spaces and lines kept exactly; that is where an imported <pre> block goes.


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
    # short: the answers that earn credit, tried in order; the first that matches counts (Moodle's
    # rule). Compared without case unless case_sensitive, and with runs of spaces as one.
    accept: tuple[ShortAnswer, ...] = ()
    case_sensitive: bool = False
    numbers: tuple[NumericAnswer, ...] = ()  # numerical, tried in order; the first that matches counts
    distractors: tuple[str, ...] = ()  # matching: right-hand answers that belong to no left-hand item
    tags: tuple[str, ...] = ()  # free tags (Moodle's), shown to trainers and used to filter a bank
    images: tuple[Image, ...] = ()  # shown under the prompt, in this order
    # Moodle's combined feedback: shown after the answer-specific feedback when the response is
    # fully right, partly right, or wrong.
    feedback_right: str = ""
    feedback_partly: str = ""
    feedback_wrong: str = ""
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
