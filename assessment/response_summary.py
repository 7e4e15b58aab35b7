"""What a completed round contributes to its organisation's measurement wave, small enough to read
ten thousand at once.

A round's stored Result (`assessment.stored_result`) rebuilds every field and takes about 0.8 ms to
read back, and a GROUP BY over the `answers` of 10,000 rounds takes about 0.8 s on SQLite: a
dashboard over 10,000 respondents can afford neither per view. When a round completes in a wave,
this summary is stored beside it (storage `wave_responses.summary`) and the dashboard reads only
summaries: the scores and answers as they were at completion, never re-scored per view.

It keeps, per dimension, the score and the five counts of each stage's cell (so pooled stages follow
the individual rule of `assessment.scoring`: a cell is reached at 2 points per applicable statement
on average); per T its score and counts; the checklist's compliance and failed items; the identity
of each gap; and the answers, one character per item in the order of a *layout* (the tuple of item
ids, stored once under its hash in `summary_layouts`). JSON, keys short:

    {"f": 1, "mode": "full", "stage": "walk",
     "d": [["strategy", 2.41, 3, 8, 0, 0, 0, ...five counts per stage, stage order], ...],
     "t": [["credibility", 62.5, 4, 0, 0], ...],              id, score, answered, unknown, unanswered
     "c": [0.75, 28, 1, 1, ["item", ...]],                    compliance, answered, n/a, unanswered, failed
     "g": [["maturity", "strategy", "walk"], ["tee", "trust"], ["checklist", "item", "no"]],
     "L": "<layout hash>", "a": "ffl2p?n.y4..."}
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from assessment.model import STAGE_IDS, Mode
from assessment.scoring import AnswerValue, Result

FORMAT = 1
CELL_FIELDS = 5  # statements, points, unknown, unanswered, not_applicable
REACHED_AVERAGE = 2  # points per applicable statement: "largely in place" on average (assessment.scoring)

# One character per stored answer value; "." is no answer (or a value no vocabulary has).
UNANSWERED_CODE = "."
CODES: dict[str, str] = {
    "none": "0",
    "partly": "p",
    "largely": "l",
    "fully": "f",
    "dont_know": "?",
    "na": "n",
    "yes": "y",
    "no": "x",
    "1": "1",
    "2": "2",
    "3": "3",
    "4": "4",
    "5": "5",
}
VALUES: dict[str, str] = {code: value for value, code in CODES.items()}


class SummaryError(ValueError):
    """Text that is not a response summary of a known format."""


# Named tuples, not frozen dataclasses: a cold dashboard view makes some 200,000 of them (10,000
# summaries), and a named tuple is made far faster (a frozen dataclass sets each field through
# object.__setattr__). Measured on 10,000 summaries: 364 ms -> 281 ms with the collector paused.
class DimensionSummary(NamedTuple):
    id: str
    score: float  # 0 to 4
    cells: tuple[int, ...]  # CELL_FIELDS counts per stage, stage order (flat: cheap to read and to add up)

    def cell(self, stage_index: int) -> tuple[int, ...]:
        return self.cells[stage_index * CELL_FIELDS : (stage_index + 1) * CELL_FIELDS]

    @property
    def stage(self) -> str | None:
        """The highest stage whose cell, and every earlier one, is reached (the individual rule)."""
        return highest_reached(self.cells)


class TeeSummary(NamedTuple):
    id: str
    score: float | None  # 0 to 100; None when nothing was answered
    answered: int
    unknown: int
    unanswered: int


class ChecklistSummary(NamedTuple):
    compliance: float | None  # 0 to 1
    answered: int
    not_applicable: int
    unanswered: int
    failed: tuple[str, ...]


# A gap's identity: ("maturity", dimension, stage), ("tee", tee) or ("checklist", item, answer).
GapKey = tuple[str, ...]


class ResponseSummary(NamedTuple):
    mode: Mode
    stage: str | None
    dimensions: tuple[DimensionSummary, ...]
    tees: tuple[TeeSummary, ...]
    checklist: ChecklistSummary
    gaps: tuple[GapKey, ...]
    layout: str  # the hash of the item ids `answer_codes` follows (`layout_hash`)
    answer_codes: str  # one character per item of the layout (CODES)

    def dimension(self, dimension_id: str) -> DimensionSummary | None:
        return next((d for d in self.dimensions if d.id == dimension_id), None)

    def tee(self, tee_id: str) -> TeeSummary | None:
        return next((t for t in self.tees if t.id == tee_id), None)

    def answers(self, layout: Sequence[str]) -> dict[str, str]:
        """The answers as item id -> stored value, given the layout's item ids."""
        return {item: VALUES[code] for item, code in zip(layout, self.answer_codes, strict=False) if code in VALUES}


def cell_reached(counts: Sequence[int]) -> bool:
    """A cell (or a stage's sum of cells) with these CELL_FIELDS counts is reached."""
    return counts[1] >= REACHED_AVERAGE * counts[0]


def highest_reached(cells: Sequence[int]) -> str | None:
    """The highest stage reached with every earlier one, from CELL_FIELDS counts per stage."""
    stage = None
    for index, stage_id in enumerate(STAGE_IDS):
        if not cell_reached(cells[index * CELL_FIELDS : (index + 1) * CELL_FIELDS]):
            break
        stage = stage_id
    return stage


def layout_hash(items: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(items).encode()).hexdigest()[:16]


def gap_key_of(
    kind: str, dimension: str | None, stage: str | None, tee: str | None, item: str | None, answer: str | None
) -> GapKey:
    if kind == "maturity":
        return (kind, dimension or "", stage or "")
    if kind == "tee":
        return (kind, tee or "")
    return (kind, item or "", answer or "")


def summarise(result: Result, answers: Mapping[str, AnswerValue | str], layout: Sequence[str]) -> ResponseSummary:
    """The summary of a scored round and the answers it was scored from; answers to items outside
    the layout (the model's item ids) are not kept."""
    return ResponseSummary(
        mode=result.mode,
        stage=result.stage,
        dimensions=tuple(
            DimensionSummary(
                d.id,
                d.score,
                tuple(n for c in d.cells for n in (c.statements, c.points, c.unknown, c.unanswered, c.not_applicable)),
            )
            for d in result.dimensions
        ),
        tees=tuple(TeeSummary(t.id, t.score, t.answered, t.unknown, t.unanswered) for t in result.tees),
        checklist=ChecklistSummary(
            result.checklist.compliance,
            result.checklist.answered,
            result.checklist.not_applicable,
            result.checklist.unanswered,
            tuple(result.checklist.failed),
        ),
        gaps=tuple(gap_key_of(g.kind, g.dimension, g.stage, g.tee, g.item, g.answer) for g in result.gaps),
        layout=layout_hash(layout),
        answer_codes="".join(
            CODES.get(str(answers[item]), UNANSWERED_CODE) if item in answers else UNANSWERED_CODE for item in layout
        ),
    )


def dump(summary: ResponseSummary) -> str:
    document = {
        "f": FORMAT,
        "mode": summary.mode.value,
        "stage": summary.stage,
        "d": [[d.id, d.score, *d.cells] for d in summary.dimensions],
        "t": [[t.id, t.score, t.answered, t.unknown, t.unanswered] for t in summary.tees],
        "c": [
            summary.checklist.compliance,
            summary.checklist.answered,
            summary.checklist.not_applicable,
            summary.checklist.unanswered,
            list(summary.checklist.failed),
        ],
        "g": [list(key) for key in summary.gaps],
        "L": summary.layout,
        "a": summary.answer_codes,
    }
    return json.dumps(document, separators=(",", ":"), allow_nan=False)


# One tuple per distinct gap key, shared by every summary read: counting ten thousand members' gaps
# then hashes tuples already hashed (about 35 ms less per 10,000). Bounded by the model's gaps.
_GAP_KEYS: dict[GapKey, GapKey] = {}


def _shared(key: GapKey) -> GapKey:
    return _GAP_KEYS.setdefault(key, key) if len(_GAP_KEYS) < 10_000 else key


def load(text: str) -> ResponseSummary:
    """The summary `dump` wrote; SummaryError for anything else."""
    try:
        raw: Any = json.loads(text)
        if not isinstance(raw, dict) or raw.get("f") != FORMAT:
            raise SummaryError(f"not a response summary of format {FORMAT}")
        checklist = raw["c"]
        return ResponseSummary(
            mode=Mode(raw["mode"]),
            stage=raw["stage"],
            dimensions=tuple(DimensionSummary(d[0], float(d[1]), tuple(d[2:])) for d in raw["d"]),
            tees=tuple(TeeSummary(*t) for t in raw["t"]),
            checklist=ChecklistSummary(checklist[0], checklist[1], checklist[2], checklist[3], tuple(checklist[4])),
            gaps=tuple(_shared(tuple(key)) for key in raw["g"]),
            layout=str(raw["L"]),
            answer_codes=str(raw["a"]),
        )
    except SummaryError:
        raise
    except (ValueError, KeyError, TypeError, IndexError) as error:
        raise SummaryError(f"not a readable response summary: {error!r}") from error
