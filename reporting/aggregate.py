"""The management dashboard's figures: what a group of respondents (an organisation, a department, a
filtered view) looks like together in one measurement wave. Plain values, no wording, no names.

Input: one `Member` per respondent whose completed round counts in the wave, carrying the
`ResponseSummary` stored at completion (scores are never recomputed here). Output: counts, medians
and quartiles; nothing in `GroupFigures` points back at a member (no index, no id, no answer string).
Whether a group may be shown at all is `reporting.anonymity`'s decision, taken before these are shown.

Rules:
- the group's stage: the individual rule of `assessment.scoring` on the pooled answers. Each stage's
  cell counts are summed over all dimensions and all members; a stage is reached when its points are
  at least 2 x its (applicable) statements, and the stage is the highest one reached with every
  earlier one. A dimension's pooled stage: the same over that dimension's cells only. A group of one
  has exactly its member's stages.
- medians and quartiles of scores: `reporting.room.quartiles` (median; inclusive quartiles, the rule of
  Excel's QUARTILE.INC); with a single score all three are that score. Agreement orders every
  dimension by its spread (Q3 - Q1), largest first, by `reporting.room.most_disputed` (spreads
  compared to 9 decimals, ties in model order).
- answer distributions: per maturity statement in model order, over the members whose round asked it
  (a quick round asks only the quick statements; a round whose layout lacks the statement, from an
  earlier model, did not ask it); a count per answer the statement takes, in the model's order, then
  `reporting.room.UNANSWERED` (no answer, or a stored value the statement does not take). Statements
  asked of nobody are left out.
- the T's: per T the median score over the members who have one (a T with nothing answered has none).
- the checklist: the median compliance over the members who have one; per failed item how many
  answered it "no" and how many "partly" (from the gap keys, which name every failed item).
- gap counts: per gap key the model still knows, how many members have it (a member's gaps are
  distinct by construction).

Speed: answers are counted per column of the answer codes, not per member: the codes of all members
sharing a layout and mode are joined into one string, and a column is a slice of it with a step
(`joined[position::width]`), counted with `str.count`; cell counts and scores are read for all
members and dimensions at once and sliced per dimension. 10,000 members take about 0.17 s on the
2-core development machine (`tests/reporting/test_aggregate.py` keeps a generous bound).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import chain
from operator import and_, attrgetter, le

from assessment.model import STAGE_IDS, Mode, Model
from assessment.response_summary import (
    CELL_FIELDS,
    CODES,
    REACHED_AVERAGE,
    UNANSWERED_CODE,
    GapKey,
    ResponseSummary,
    highest_reached,
)
from reporting.room import UNANSWERED, DimensionSpread, StageCount, StatementAnswers, most_disputed, quartiles

DEFAULT_IMPORTANCE = 3
IMPORTANCE_RANGE = range(1, 6)  # 1 to 5
MIN_BENCHMARK_ORGANISATIONS = 3  # fewer other organisations give no benchmark: it would be one organisation's figures
_TIE_DECIMALS = 9


@dataclass(frozen=True)
class Member:
    """One respondent's counted response in a wave: where they sit, and what their round gave."""

    department: str | None
    job_title: str | None
    summary: ResponseSummary


@dataclass(frozen=True)
class DimensionFigures:
    dimension: str
    respondents: int  # members whose summary has this dimension (all, unless one comes from a model without it)
    stage: str | None  # the pooled stage of this dimension (None: not yet at the first stage, or no respondents)
    cells: tuple[int, ...]  # the pooled cell counts: CELL_FIELDS sums per stage, stage order (as DimensionSummary)
    median: float | None  # None only when no respondent has this dimension
    q1: float | None
    q3: float | None
    stages: tuple[StageCount, ...]  # members at each individual stage of this dimension, "not yet" first

    @property
    def spread(self) -> float | None:
        return None if self.q1 is None or self.q3 is None else self.q3 - self.q1


@dataclass(frozen=True)
class TeeFigures:
    tee: str
    median: float | None  # 0 to 100; None when no member has a score for it
    respondents: int  # members with a score for this T


@dataclass(frozen=True)
class FailedItem:
    item: str
    no: int  # members who answered "no"
    partly: int  # members who answered "partly"

    @property
    def members(self) -> int:
        return self.no + self.partly


@dataclass(frozen=True)
class ChecklistFigures:
    median: float | None  # median compliance, 0 to 1; None when no member has a compliance
    respondents: int  # members with a compliance
    failed: tuple[FailedItem, ...]  # items anyone failed: most members first, ties in model order


@dataclass(frozen=True)
class GapCount:
    key: GapKey  # ("maturity", dimension, stage), ("tee", tee) or ("checklist", item, answer)
    members: int


@dataclass(frozen=True)
class GroupFigures:
    n: int
    stage: str | None  # the pooled stage (the individual rule on everyone's answers together)
    stages: tuple[StageCount, ...]  # members at each individual stage: "not yet" (None) first, every stage listed
    dimensions: tuple[DimensionFigures, ...]  # model order
    agreement: tuple[DimensionFigures, ...]  # dimensions with a spread, largest spread first (most disagreement)
    statements: tuple[StatementAnswers, ...]  # maturity statements asked of anyone, model order
    tees: tuple[TeeFigures, ...]  # model order
    checklist: ChecklistFigures
    gaps: tuple[GapCount, ...]  # every known gap anyone has: most members first, ties in the gap rule's order

    def dimension(self, dimension_id: str) -> DimensionFigures:
        return next(d for d in self.dimensions if d.dimension == dimension_id)

    def tee(self, tee_id: str) -> TeeFigures:
        return next(t for t in self.tees if t.tee == tee_id)


Layouts = Mapping[str, Sequence[str]]  # layout hash -> the item ids its answer codes follow


def group_figures(model: Model, members: Sequence[Member], layouts: Layouts) -> GroupFigures:
    """The figures of a group of at least one member. `layouts` must hold the layout of every
    member's summary (ValueError otherwise)."""
    profile = profile_figures(model, members)
    summaries = [m.summary for m in members]
    gaps = Counter(chain.from_iterable(map(attrgetter("gaps"), summaries)))
    return replace(
        profile,
        statements=statement_answers(model, summaries, layouts),
        tees=_tee_figures(model, summaries),
        checklist=_checklist_figures(model, summaries, gaps),
        gaps=_ordered_gaps(model, gaps),
    )


def profile_figures(model: Model, members: Sequence[Member]) -> GroupFigures:
    """A group's size, pooled and individual stages and dimension figures only, the rest empty (no
    answer distributions, T's, checklist or gaps): what a department's column of the heat map, the
    trend and the benchmark need, at about a third of `group_figures`' cost (the answer columns are
    most of it). Pass it where nothing else of the group is shown."""
    if not members:
        raise ValueError("a group's figures need at least one member")
    summaries = [m.summary for m in members]
    dimensions = _dimension_figures(model, summaries)
    totals = [sum(column) for column in zip(*(d.cells for d in dimensions), strict=True)]
    individual = Counter(s.stage for s in summaries)
    return GroupFigures(
        n=len(summaries),
        stage=highest_reached(totals),
        stages=tuple(StageCount(stage, individual[stage]) for stage in (None, *STAGE_IDS)),
        dimensions=dimensions,
        agreement=_agreement(dimensions),
        statements=(),
        tees=(),
        checklist=ChecklistFigures(None, 0, ()),
        gaps=(),
    )


def score_quartiles(scores: Sequence[float]) -> tuple[float, float, float]:
    """Q1, median, Q3 by `reporting.room.quartiles`; a single score is all three."""
    if len(scores) == 1:
        return scores[0], scores[0], scores[0]
    return quartiles(scores)


def _dimension_figures(model: Model, summaries: Sequence[ResponseSummary]) -> tuple[DimensionFigures, ...]:
    """Each dimension's figures, in model order, over the members whose summary has it."""
    ids = [d.id for d in model.dimensions]
    every = list(chain.from_iterable(map(attrgetter("dimensions"), summaries)))
    width = CELL_FIELDS * len(STAGE_IDS)
    cells = list(chain.from_iterable(map(attrgetter("cells"), every)))
    if len(cells) != width * len(every):
        raise ValueError(f"a summary's dimension without {width} cell counts")
    if list(map(attrgetter("id"), every)) == ids * len(summaries):
        # Every summary has the model's dimensions in the model's order (the rule, unless the model
        # changed): a dimension's counts are every len(ids)-th of everyone's.
        stride = width * len(ids)
        scores = list(map(attrgetter("score"), every))
        return tuple(
            _figures_of(
                dimension_id,
                [cells[index * width + field :: stride] for field in range(width)],
                scores[index :: len(ids)],
            )
            for index, dimension_id in enumerate(ids)
        )
    found = []
    for dimension_id in ids:
        column = [d for d in every if d.id == dimension_id]
        flat = list(chain.from_iterable(map(attrgetter("cells"), column)))
        counts = [flat[field::width] for field in range(width)]
        found.append(_figures_of(dimension_id, counts, list(map(attrgetter("score"), column))))
    return tuple(found)


def _figures_of(dimension_id: str, counts: Sequence[Sequence[int]], scores: Sequence[float]) -> DimensionFigures:
    """One dimension's figures from its cell counts (per cell field, one per member) and scores."""
    if not scores:
        empty = tuple(StageCount(stage, 0) for stage in (None, *STAGE_IDS))
        return DimensionFigures(dimension_id, 0, None, (0,) * len(counts), None, None, None, empty)
    cells = tuple(map(sum, counts))
    q1, median, q3 = score_quartiles(scores)
    return DimensionFigures(
        dimension=dimension_id,
        respondents=len(scores),
        stage=highest_reached(cells),
        cells=cells,
        median=median,
        q1=q1,
        q3=q3,
        stages=_individual_stages(counts, len(scores)),
    )


def _individual_stages(counts: Sequence[Sequence[int]], members: int) -> tuple[StageCount, ...]:
    """How many members are at each stage of one dimension by the individual rule
    (`response_summary.highest_reached`), worked out a stage at a time over all members: a member
    is at least at a stage when it reached every earlier one and its points there are at least
    REACHED_AVERAGE x its statements."""
    at_least = [members]  # members at least at "not yet", crawl, walk...
    reached_so_far: list[bool] | None = None
    for stage_index in range(len(STAGE_IDS)):
        statements = counts[stage_index * CELL_FIELDS]
        points = counts[stage_index * CELL_FIELDS + 1]
        reached = map(le, map(REACHED_AVERAGE.__mul__, statements), points)
        reached_so_far = list(reached) if reached_so_far is None else list(map(and_, reached_so_far, reached))
        at_least.append(sum(reached_so_far))
    at_least.append(0)
    return tuple(
        StageCount(stage, at_least[level] - at_least[level + 1]) for level, stage in enumerate((None, *STAGE_IDS))
    )


def _agreement(dimensions: Sequence[DimensionFigures]) -> tuple[DimensionFigures, ...]:
    spreads = [
        DimensionSpread(d.dimension, d.median, d.q1, d.q3)
        for d in dimensions
        if d.median is not None and d.q1 is not None and d.q3 is not None
    ]
    by_id = {d.dimension: d for d in dimensions}
    return tuple(by_id[s.dimension] for s in most_disputed(spreads, n=len(spreads)))


def statement_answers(
    model: Model, summaries: Sequence[ResponseSummary], layouts: Layouts
) -> tuple[StatementAnswers, ...]:
    """Per maturity statement asked of anyone, the count of each answer it takes and of unanswered
    (the rule in the module docstring)."""
    columns = _AnswerColumns(summaries, layouts)
    found = []
    for statement in model.maturity_statements(Mode.FULL):
        asked = 0
        counts = dict.fromkeys(statement.values(), 0)
        for column in columns.of(statement.id, quick_statement=statement.quick):
            asked += len(column)
            for value in counts:
                counts[value] += column.count(CODES[value])
        if not asked:
            continue
        answered = sum(counts.values())
        found.append(
            StatementAnswers(
                statement.id, statement.dimension, asked, (*counts.items(), (UNANSWERED, asked - answered))
            )
        )
    return tuple(found)


class _AnswerColumns:
    """The answer codes of many members, one string per item: grouped by layout and mode, each group's
    codes joined, so that an item's column is a slice with a step."""

    def __init__(self, summaries: Sequence[ResponseSummary], layouts: Layouts) -> None:
        grouped: dict[tuple[str, bool], list[str]] = {}
        for summary in summaries:
            grouped.setdefault((summary.layout, summary.mode is Mode.QUICK), []).append(summary.answer_codes)
        self._groups: list[tuple[bool, dict[str, int], int, str]] = []
        for (layout, quick), codes in grouped.items():
            items = layouts.get(layout)
            if items is None:
                raise ValueError(f"no item ids for answer layout {layout!r}")
            width = len(items)
            if any(len(c) != width for c in codes):  # not written by `summarise`: cut or pad to the layout
                codes = [c[:width].ljust(width, UNANSWERED_CODE) for c in codes]
            positions = {item: position for position, item in enumerate(items)}
            self._groups.append((quick, positions, width, "".join(codes)))

    def of(self, item_id: str, quick_statement: bool) -> list[str]:
        """The item's column in each group whose rounds asked it: full rounds ask every statement of
        their layout, quick rounds only the quick ones."""
        found = []
        for quick, positions, width, joined in self._groups:
            position = positions.get(item_id)
            if position is None or (quick and not quick_statement):
                continue
            found.append(joined[position::width])
        return found


def _tee_figures(model: Model, summaries: Sequence[ResponseSummary]) -> tuple[TeeFigures, ...]:
    """Each T's median score, in model order, over the members who have a score for it."""
    ids = [t.id for t in model.tees]
    every = list(chain.from_iterable(map(attrgetter("tees"), summaries)))
    if list(map(attrgetter("id"), every)) == ids * len(summaries):  # the model's T's in its order, as a rule
        columns = [every[index :: len(ids)] for index in range(len(ids))]
    else:
        columns = [[t for t in every if t.id == tee_id] for tee_id in ids]
    found = []
    for tee_id, column in zip(ids, columns, strict=True):
        scores = [score for score in map(attrgetter("score"), column) if score is not None]
        found.append(TeeFigures(tee_id, statistics.median(scores) if scores else None, len(scores)))
    return tuple(found)


def _checklist_figures(model: Model, summaries: Sequence[ResponseSummary], gaps: Counter[GapKey]) -> ChecklistFigures:
    compliance = [c for c in map(attrgetter("checklist.compliance"), summaries) if c is not None]
    items = [
        FailedItem(i.id, gaps[("checklist", i.id, "no")], gaps[("checklist", i.id, "partly")]) for i in model.checklist
    ]
    failed = sorted((item for item in items if item.members), key=lambda item: -item.members)  # ties: model order
    return ChecklistFigures(statistics.median(compliance) if compliance else None, len(compliance), tuple(failed))


def gap_counts(model: Model, summaries: Sequence[ResponseSummary]) -> tuple[GapCount, ...]:
    """How many members have each gap the model still knows; most first, ties in the gap rule's
    order (maturity by stage then dimension, then the T's, then the checklist, "no" before "partly")."""
    return _ordered_gaps(model, Counter(chain.from_iterable(map(attrgetter("gaps"), summaries))))


def _ordered_gaps(model: Model, counts: Counter[GapKey]) -> tuple[GapCount, ...]:
    order = _gap_order(model)
    known = [key for key in counts if key in order]
    known.sort(key=lambda key: (-counts[key], order[key]))
    return tuple(GapCount(key, counts[key]) for key in known)


def _gap_order(model: Model) -> dict[GapKey, int]:
    keys: list[GapKey] = [("maturity", d.id, stage) for stage in STAGE_IDS for d in model.dimensions]
    keys += [("tee", t.id) for t in model.tees]
    keys += [("checklist", item.id, answer) for item in model.checklist for answer in ("no", "partly")]
    return {key: index for index, key in enumerate(keys)}


# Targets and prioritised gaps -----------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Management's target for one dimension: a stage (None: no target) and how much it matters."""

    stage: str | None
    importance: int = DEFAULT_IMPORTANCE

    def __post_init__(self) -> None:
        if self.stage is not None and self.stage not in STAGE_IDS:
            raise ValueError(f"unknown stage {self.stage!r}")
        if self.importance not in IMPORTANCE_RANGE:
            raise ValueError(f"importance {self.importance} is not 1 to 5")


def target_score(stage: str) -> int:
    """A target stage on the 0-4 score scale: crawl 1, walk 2, run 3, fly 4."""
    return STAGE_IDS.index(stage) + 1


@dataclass(frozen=True)
class PriorityGap:
    dimension: str
    target: str  # the target stage
    importance: int
    median: float
    gap: float  # target score - median, > 0
    weighted: float  # gap x importance
    people: int  # members whose own stage of this dimension is below the target stage


def prioritised_gaps(model: Model, figures: GroupFigures, targets: Mapping[str, Target]) -> tuple[PriorityGap, ...]:
    """Per dimension with a target stage whose median is below it: the gap to the target's score,
    weighted by importance. Largest weighted gap first, then most people, then model order (the
    weighted gaps compared to 9 decimals). `people` comes from the individual dimension stages."""
    found: list[tuple[int, PriorityGap]] = []
    for order, dimension in enumerate(model.dimensions):
        target = targets.get(dimension.id)
        figure = figures.dimension(dimension.id)
        if target is None or target.stage is None or figure.median is None:
            continue
        gap = target_score(target.stage) - figure.median
        if round(gap, _TIE_DECIMALS) <= 0:
            continue
        below = {None, *STAGE_IDS[: STAGE_IDS.index(target.stage)]}
        people = sum(c.count for c in figure.stages if c.stage in below)
        found.append(
            (
                order,
                PriorityGap(
                    dimension.id, target.stage, target.importance, figure.median, gap, gap * target.importance, people
                ),
            )
        )
    found.sort(key=lambda pair: (-round(pair[1].weighted, _TIE_DECIMALS), -pair[1].people, pair[0]))
    return tuple(gap for _order, gap in found)


@dataclass(frozen=True)
class TeeGap:
    tee: str
    members: int  # members with this T's gap (their score below `assessment.scoring.TEE_GAP_BELOW`)
    median: float | None


@dataclass(frozen=True)
class OtherGaps:
    """The organisation-wide gaps listed after the maturity gaps."""

    tees: tuple[TeeGap, ...]  # T's anyone has a gap in: most members first, ties in model order
    checklist: tuple[FailedItem, ...]  # as `ChecklistFigures.failed`


def other_gaps(model: Model, figures: GroupFigures) -> OtherGaps:
    counts = {g.key: g.members for g in figures.gaps if g.key[0] == "tee"}
    tees = [TeeGap(t.id, counts.get(("tee", t.id), 0), figures.tee(t.id).median) for t in model.tees]
    tees = sorted((t for t in tees if t.members), key=lambda t: -t.members)
    return OtherGaps(tuple(tees), figures.checklist.failed)


# Trend and benchmark -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionTrend:
    dimension: str
    medians: tuple[float | None, ...]  # per wave; None where the wave is hidden or absent


@dataclass(frozen=True)
class Trend:
    waves: tuple[str, ...]  # as given (oldest first, by the caller's order)
    shown: tuple[bool, ...]  # per wave: False where its figures are hidden or absent
    respondents: tuple[int | None, ...]  # per wave; None where hidden or absent
    stages: tuple[str | None, ...]  # the pooled stage per wave; None also where hidden (see `shown`)
    dimensions: tuple[DimensionTrend, ...]  # model order


def trend(model: Model, waves: Sequence[tuple[str, GroupFigures | None]]) -> Trend:
    """Per dimension the median in each wave, and each wave's pooled stage; a wave passed with None
    (hidden under the threshold, or no respondents) has no figures."""
    return Trend(
        waves=tuple(name for name, _figures in waves),
        shown=tuple(figures is not None for _name, figures in waves),
        respondents=tuple(None if figures is None else figures.n for _name, figures in waves),
        stages=tuple(None if figures is None else figures.stage for _name, figures in waves),
        dimensions=tuple(
            DimensionTrend(
                d.id,
                tuple(None if figures is None else _median_of(figures, d.id) for _name, figures in waves),
            )
            for d in model.dimensions
        ),
    )


def _median_of(figures: GroupFigures, dimension_id: str) -> float | None:
    found = next((d for d in figures.dimensions if d.dimension == dimension_id), None)
    return None if found is None else found.median


@dataclass(frozen=True)
class BenchmarkDimension:
    dimension: str
    median: float | None  # the median of the organisations' medians
    q1: float | None  # quartiles of the organisations' medians (the band)
    q3: float | None
    stage: str | None  # pooled over every respondent of those organisations


@dataclass(frozen=True)
class Benchmark:
    organisations: int
    respondents: int
    stage: str | None  # pooled over every respondent of those organisations
    dimensions: tuple[BenchmarkDimension, ...]  # model order


def benchmark(
    model: Model,
    organisations: Sequence[tuple[int, GroupFigures]],
    excluding: int | None = None,
    minimum: int = MIN_BENCHMARK_ORGANISATIONS,
) -> Benchmark | None:
    """The other organisations' profile, from each organisation's figures of one wave (id, figures).

    Rule: per dimension the median of the organisations' medians, with the quartiles of those medians
    as its band, so each organisation counts once whatever its size (and the benchmark needs only
    figures already worked out per organisation, never every respondent's summary); stages are pooled
    over all their respondents (their pooled cell counts added up, the individual rule). The
    organisation `excluding` is left out; pass only organisations whose figures may be shown (at or
    above their threshold). None with fewer than `minimum` organisations: fewer would show one
    organisation's figures nearly as they are."""
    others = [figures for organisation, figures in organisations if organisation != excluding]
    if len(others) < max(minimum, 1):
        return None
    dimensions = []
    for d in model.dimensions:
        found = [
            f for f in (next((x for x in o.dimensions if x.dimension == d.id), None) for o in others) if f is not None
        ]
        medians = [f.median for f in found if f.median is not None]
        cells = [sum(column) for column in zip(*(f.cells for f in found), strict=True)]
        q1, median, q3 = score_quartiles(medians) if medians else (None, None, None)
        dimensions.append(BenchmarkDimension(d.id, median, q1, q3, highest_reached(cells) if cells else None))
    totals = [sum(column) for column in zip(*(d.cells for o in others for d in o.dimensions), strict=True)]
    return Benchmark(len(others), sum(o.n for o in others), highest_reached(totals), tuple(dimensions))
