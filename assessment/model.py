"""The maturity model as typed, immutable objects.

No I/O here: `assessment.loader` builds these from TOML, `assessment.scoring`
reads them. Everything is a frozen dataclass holding tuples, so a loaded model
can be shared between sessions and threads without copying.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

STAGE_IDS: tuple[str, ...] = ("crawl", "walk", "run", "fly")
TEE_IDS: tuple[str, ...] = ("credibility", "trust", "tone", "patience")


class Section(str, Enum):
    MATURITY = "maturity"
    TEE = "tee"
    CHECKLIST = "checklist"


class Mode(str, Enum):
    FULL = "full"
    QUICK = "quick"


# Answer vocabularies, per section. The order is the order shown to people.
MATURITY_POINTS: dict[str, int] = {"none": 0, "partly": 1, "largely": 2, "fully": 3}
MATURITY_VALUES: tuple[str, ...] = (*MATURITY_POINTS, "dont_know")
# "Not applicable": a valid maturity answer only for a statement with `may_not_apply = true`.
NOT_APPLICABLE = "na"
TEE_VALUES: tuple[object, ...] = (1, 2, 3, 4, 5, "dont_know")
CHECKLIST_CREDIT: dict[str, float] = {"yes": 1.0, "partly": 0.5, "no": 0.0}
CHECKLIST_VALUES: tuple[str, ...] = (*CHECKLIST_CREDIT, NOT_APPLICABLE)


@dataclass(frozen=True)
class Stage:
    id: str
    name: str
    tagline: str
    description: str
    next_step: str


@dataclass(frozen=True)
class MaturityStatement:
    id: str
    dimension: str
    stage: str
    text: str
    help: str
    quick: bool = False
    # True for a practice that does not fit many organisations (influencers, apps and the like):
    # then, and only then, "na" is a valid answer, and the statement leaves its cell and stage.
    may_not_apply: bool = False

    def values(self) -> tuple[str, ...]:
        """The answers this statement takes, in the order offered."""
        return (*MATURITY_VALUES, NOT_APPLICABLE) if self.may_not_apply else MATURITY_VALUES


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    description: str
    statements: tuple[MaturityStatement, ...]

    def cell(self, stage: str, mode: Mode = Mode.FULL) -> tuple[MaturityStatement, ...]:
        """The statements of this dimension at one stage, in model order."""
        return tuple(s for s in self.statements if s.stage == stage and (mode is Mode.FULL or s.quick))


@dataclass(frozen=True)
class TeeStatement:
    id: str
    tee: str
    text: str
    help: str
    reverse: bool = False
    quick: bool = False


@dataclass(frozen=True)
class Tee:
    id: str
    name: str
    description: str
    statements: tuple[TeeStatement, ...]

    def in_mode(self, mode: Mode) -> tuple[TeeStatement, ...]:
        return tuple(s for s in self.statements if mode is Mode.FULL or s.quick)


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    kind: str  # "do" or "dont": the source list the practice comes from
    group: str
    source: str
    text: str  # always phrased as the good practice
    help: str


@dataclass(frozen=True)
class ChecklistGroup:
    id: str
    title: str  # the heading of the group's step in the assessment


@dataclass(frozen=True)
class Timing:
    seconds_per_maturity: int
    seconds_per_tee: int
    seconds_per_checklist: int


@dataclass(frozen=True)
class Model:
    title: str
    intro: str
    timing: Timing
    stages: tuple[Stage, ...]
    dimensions: tuple[Dimension, ...]
    tees: tuple[Tee, ...]
    checklist: tuple[ChecklistItem, ...]
    # The checklist's groups in the order they are asked (the loader requires every item's group here).
    checklist_groups: tuple[ChecklistGroup, ...] = ()
    _index: dict[str, object] = field(default_factory=dict, compare=False, repr=False)
    # Where the model was read from, and the line of each key there, for messages about it.
    file: str = field(default="assessment/model.toml", compare=False)
    # The SHA-256 (hex) of the file's bytes, set by the loader: the version a stored result names.
    version: str = field(default="", compare=False)
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        index: dict[str, object] = {}
        for dimension in self.dimensions:
            for statement in dimension.statements:
                index[statement.id] = statement
        for tee in self.tees:
            for tee_statement in tee.statements:
                index[tee_statement.id] = tee_statement
        for item in self.checklist:
            index[item.id] = item
        object.__setattr__(self, "_index", index)

    # Look-ups -------------------------------------------------------------

    def item(self, item_id: str) -> MaturityStatement | TeeStatement | ChecklistItem | None:
        return self._index.get(item_id)  # type: ignore[return-value]

    def section_of(self, item_id: str) -> Section | None:
        found = self._index.get(item_id)
        if isinstance(found, MaturityStatement):
            return Section.MATURITY
        if isinstance(found, TeeStatement):
            return Section.TEE
        if isinstance(found, ChecklistItem):
            return Section.CHECKLIST
        return None

    def stage(self, stage_id: str) -> Stage:
        return next(s for s in self.stages if s.id == stage_id)

    def dimension(self, dimension_id: str) -> Dimension:
        return next(d for d in self.dimensions if d.id == dimension_id)

    def tee(self, tee_id: str) -> Tee:
        return next(t for t in self.tees if t.id == tee_id)

    def checklist_group(self, group_id: str) -> ChecklistGroup:
        return next(g for g in self.checklist_groups if g.id == group_id)

    def checklist_item(self, item_id: str) -> ChecklistItem:
        found = self._index.get(item_id)
        if not isinstance(found, ChecklistItem):
            raise KeyError(item_id)
        return found

    # Which items a mode asks -------------------------------------------------

    def maturity_statements(self, mode: Mode = Mode.FULL) -> tuple[MaturityStatement, ...]:
        return tuple(s for d in self.dimensions for s in d.statements if mode is Mode.FULL or s.quick)

    def tee_statements(self, mode: Mode = Mode.FULL) -> tuple[TeeStatement, ...]:
        return tuple(s for t in self.tees for s in t.in_mode(mode))

    def item_ids(self, mode: Mode = Mode.FULL) -> tuple[str, ...]:
        """Every item a respondent is asked in this mode, in the order asked."""
        return (
            *(s.id for s in self.maturity_statements(mode)),
            *(s.id for s in self.tee_statements(mode)),
            *(i.id for i in self.checklist),
        )

    def estimated_minutes(self, mode: Mode = Mode.FULL) -> int:
        seconds = (
            len(self.maturity_statements(mode)) * self.timing.seconds_per_maturity
            + len(self.tee_statements(mode)) * self.timing.seconds_per_tee
            + len(self.checklist) * self.timing.seconds_per_checklist
        )
        return max(1, round(seconds / 60))
