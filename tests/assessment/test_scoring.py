"""Scoring rules, table-driven on the synthetic model (see conftest.py for its layout).

Every expected number below is worked out by hand from the rules in docs/scoring.md:
points none=0 partly=1 largely=2 fully=3 (dont_know and unanswered 0); a cell's coverage
is points / (3 x statements); a stage is reached at >= 2 x statements points.

Full mode, statements per cell:        Quick mode: one statement per cell.
              crawl walk run fly
    people      1    2    1   1        Stage thresholds (2 x statements):
    content     2    1    2   1          full:  crawl 6, walk 6, run 6, fly 4
    stage       3    3    3   2          quick: 4 at every stage
"""

from __future__ import annotations

from fractions import Fraction as F
from typing import NamedTuple

import pytest

from assessment.loader import load_model
from assessment.model import Mode, Model
from assessment.scoring import AnswerError, Result, normalise_answer, normalise_answers, score
from tests.assessment.conftest import (
    CHECKLIST_IDS,
    MATURITY_IDS,
    QUICK_MATURITY_IDS,
    SYNTHETIC_TOML,
    TEE_IDS,
    replace_once,
)

FULL, QUICK = Mode.FULL, Mode.QUICK
STAGES = ("crawl", "walk", "run", "fly")
TEES = ("credibility", "trust", "tone", "patience")


class Dim(NamedTuple):
    stage: str | None
    coverage: tuple[F, F, F, F]  # crawl, walk, run, fly
    score: F
    unknown: int
    unanswered: int


def every(ids: tuple[str, ...], value: str) -> dict[str, str]:
    return dict.fromkeys(ids, value)


# Maturity: stages, coverage, dimension scores and maturity gaps ----------------------------

MATURITY_CASES = [
    pytest.param(
        FULL,
        {},
        dict(
            points=(0, 0, 0, 0),
            coverage=(F(0), F(0), F(0), F(0)),
            reached=(False, False, False, False),
            stage=None,
            people=Dim(None, (F(0), F(0), F(0), F(0)), F(0), 0, 5),
            content=Dim(None, (F(0), F(0), F(0), F(0)), F(0), 0, 6),
            # crawl is the first stage not reached: only crawl cells, people before content
            gaps=[("people", "crawl", F(0)), ("content", "crawl", F(0))],
        ),
        id="nothing-answered",
    ),
    pytest.param(
        FULL,
        every(MATURITY_IDS, "dont_know"),
        dict(
            points=(0, 0, 0, 0),
            coverage=(F(0), F(0), F(0), F(0)),
            reached=(False, False, False, False),
            stage=None,
            people=Dim(None, (F(0), F(0), F(0), F(0)), F(0), 5, 0),
            content=Dim(None, (F(0), F(0), F(0), F(0)), F(0), 6, 0),
            gaps=[("people", "crawl", F(0)), ("content", "crawl", F(0))],
        ),
        id="everything-dont-know",
    ),
    pytest.param(
        FULL,
        every(MATURITY_IDS, "fully"),
        dict(
            points=(9, 9, 9, 6),
            coverage=(F(1), F(1), F(1), F(1)),
            reached=(True, True, True, True),
            stage="fly",
            people=Dim("fly", (F(1), F(1), F(1), F(1)), F(4), 0, 0),
            content=Dim("fly", (F(1), F(1), F(1), F(1)), F(4), 0, 0),
            gaps=[],
        ),
        id="all-fully-no-gaps",
    ),
    pytest.param(
        FULL,
        every(MATURITY_IDS, "largely"),
        dict(
            # 2 points per statement is exactly 2 x statements everywhere: all reached, coverage 2/3 is no gap
            points=(6, 6, 6, 4),
            coverage=(F(2, 3), F(2, 3), F(2, 3), F(2, 3)),
            reached=(True, True, True, True),
            stage="fly",
            people=Dim("fly", (F(2, 3), F(2, 3), F(2, 3), F(2, 3)), F(8, 3), 0, 0),
            content=Dim("fly", (F(2, 3), F(2, 3), F(2, 3), F(2, 3)), F(8, 3), 0, 0),
            gaps=[],
        ),
        id="all-largely-exactly-at-threshold",
    ),
    pytest.param(
        FULL,
        {"p.crawl.1": "fully", "c.crawl.1": "partly", "c.crawl.2": "largely"},
        dict(
            # crawl 3+1+2 = 6 = 2 x 3 statements: reached
            points=(6, 0, 0, 0),
            coverage=(F(6, 9), F(0), F(0), F(0)),
            reached=(True, False, False, False),
            stage="crawl",
            people=Dim("crawl", (F(1), F(0), F(0), F(0)), F(1), 0, 4),
            content=Dim(None, (F(3, 6), F(0), F(0), F(0)), F(1, 2), 0, 4),
            # up to walk (first not reached); crawl before walk; at walk both 0 -> model order
            gaps=[("content", "crawl", F(1, 2)), ("people", "walk", F(0)), ("content", "walk", F(0))],
        ),
        id="crawl-exactly-2x-statements",
    ),
    pytest.param(
        FULL,
        {
            "p.crawl.1": "fully",
            "c.crawl.1": "partly",
            "c.crawl.2": "partly",
            **every(
                ("p.walk.1", "p.walk.2", "c.walk.1", "p.run.1", "c.run.1", "c.run.2", "p.fly.1", "c.fly.1"), "fully"
            ),
        },  # fmt: skip
        dict(
            # crawl 3+1+1 = 5, one point short; walk, run and fly are reached but the organisation stays at None
            points=(5, 9, 9, 6),
            coverage=(F(5, 9), F(1), F(1), F(1)),
            reached=(False, True, True, True),
            stage=None,
            people=Dim("fly", (F(1), F(1), F(1), F(1)), F(4), 0, 0),
            content=Dim(None, (F(2, 6), F(1), F(1), F(1)), F(10, 3), 0, 0),
            gaps=[("content", "crawl", F(1, 3))],
        ),
        id="crawl-one-point-short-higher-stages-reached",
    ),
    pytest.param(
        FULL,
        {
            **every(("p.crawl.1", "c.crawl.1", "c.crawl.2", "p.run.1", "c.run.1", "c.run.2"), "fully"),
            "p.walk.1": "partly",
            "p.walk.2": "none",
            "c.walk.1": "none",
        },  # fmt: skip
        dict(
            # run is reached, walk is not: the organisation stops at crawl
            points=(9, 1, 9, 0),
            coverage=(F(1), F(1, 9), F(1), F(0)),
            reached=(True, False, True, False),
            stage="crawl",
            people=Dim("crawl", (F(1), F(1, 6), F(1), F(0)), F(13, 6), 0, 1),
            content=Dim("crawl", (F(1), F(0), F(1), F(0)), F(2), 0, 1),
            # walk gaps sorted by coverage: content (0) before people (1/6) despite model order
            gaps=[("content", "walk", F(0)), ("people", "walk", F(1, 6))],
        ),
        id="run-reached-walk-not",
    ),
    pytest.param(
        FULL,
        {
            "p.crawl.1": "fully",
            "c.crawl.1": "fully",
            "c.crawl.2": "none",
            **every(("p.walk.1", "p.walk.2", "c.walk.1", "p.run.1", "p.fly.1"), "fully"),
            "c.run.1": "largely",
            "c.run.2": "partly",
            "c.fly.1": "partly",
        },  # fmt: skip
        dict(
            # crawl 6/6, walk 9/6, run 3+2+1 = 6/6, fly 3+1 = 4/4: all reached, so every stage is searched for gaps
            points=(6, 9, 6, 4),
            coverage=(F(6, 9), F(1), F(6, 9), F(4, 6)),
            reached=(True, True, True, True),
            stage="fly",
            people=Dim("fly", (F(1), F(1), F(1), F(1)), F(4), 0, 0),
            content=Dim(None, (F(1, 2), F(1), F(1, 2), F(1, 3)), F(7, 3), 0, 0),
            gaps=[("content", "crawl", F(1, 2)), ("content", "run", F(1, 2)), ("content", "fly", F(1, 3))],
        ),
        id="all-reached-weak-cells-are-gaps",
    ),
    pytest.param(
        FULL,
        {"p.crawl.1": "fully", "c.crawl.1": "largely", "c.crawl.2": "dont_know"},
        dict(
            # dont_know counts 0: crawl 5 < 6
            points=(5, 0, 0, 0),
            coverage=(F(5, 9), F(0), F(0), F(0)),
            reached=(False, False, False, False),
            stage=None,
            people=Dim("crawl", (F(1), F(0), F(0), F(0)), F(1), 0, 4),
            content=Dim(None, (F(1, 3), F(0), F(0), F(0)), F(1, 3), 1, 4),
            gaps=[("content", "crawl", F(1, 3))],
        ),
        id="dont-know-counts-zero",
    ),
    pytest.param(
        FULL,
        {**every(QUICK_MATURITY_IDS, "fully"), **every(("p.walk.2", "c.crawl.2", "c.run.2"), "none")},
        dict(
            # crawl 3+3+0, walk 3+0+3, run 3+3+0, fly 3+3: all exactly reached; the three half cells are gaps
            points=(6, 6, 6, 6),
            coverage=(F(6, 9), F(6, 9), F(6, 9), F(1)),
            reached=(True, True, True, True),
            stage="fly",
            people=Dim("crawl", (F(1), F(1, 2), F(1), F(1)), F(7, 2), 0, 0),
            content=Dim(None, (F(1, 2), F(1), F(1, 2), F(1)), F(3), 0, 0),
            gaps=[("content", "crawl", F(1, 2)), ("people", "walk", F(1, 2)), ("content", "run", F(1, 2))],
        ),
        id="full-mode-counts-non-quick-statements",
    ),
    pytest.param(
        QUICK,
        {**every(QUICK_MATURITY_IDS, "fully"), **every(("p.walk.2", "c.crawl.2", "c.run.2"), "none")},
        dict(
            # the same answers in quick mode: only the quick statements count, all fully
            points=(6, 6, 6, 6),
            coverage=(F(1), F(1), F(1), F(1)),
            reached=(True, True, True, True),
            stage="fly",
            people=Dim("fly", (F(1), F(1), F(1), F(1)), F(4), 0, 0),
            content=Dim("fly", (F(1), F(1), F(1), F(1)), F(4), 0, 0),
            gaps=[],
        ),
        id="quick-ignores-non-quick-answers",
    ),
    pytest.param(
        QUICK,
        {**every(QUICK_MATURITY_IDS, "none"), **every(("p.walk.2", "c.crawl.2", "c.run.2"), "fully")},
        dict(
            points=(0, 0, 0, 0),
            coverage=(F(0), F(0), F(0), F(0)),
            reached=(False, False, False, False),
            stage=None,
            people=Dim(None, (F(0), F(0), F(0), F(0)), F(0), 0, 0),
            content=Dim(None, (F(0), F(0), F(0), F(0)), F(0), 0, 0),
            gaps=[("people", "crawl", F(0)), ("content", "crawl", F(0))],
        ),
        id="quick-non-quick-fully-does-not-help",
    ),
    pytest.param(
        QUICK,
        {
            "p.crawl.1": "fully",
            "c.crawl.1": "partly",
            "p.walk.1": "largely",
            "c.walk.1": "partly",
            "c.crawl.2": "none",
            "p.walk.2": "fully",
            "c.run.2": "fully",
        },  # fmt: skip
        dict(
            # quick: crawl 3+1 = 4 = 2 x 2 reached; walk 2+1 = 3 < 4
            points=(4, 3, 0, 0),
            coverage=(F(4, 6), F(3, 6), F(0), F(0)),
            reached=(True, False, False, False),
            stage="crawl",
            people=Dim("walk", (F(1), F(2, 3), F(0), F(0)), F(5, 3), 0, 2),
            content=Dim(None, (F(1, 3), F(1, 3), F(0), F(0)), F(2, 3), 0, 2),
            # people walk at exactly 2/3 is not a gap
            gaps=[("content", "crawl", F(1, 3)), ("content", "walk", F(1, 3))],
        ),
        id="quick-crawl-exactly-2x-statements",
    ),
    pytest.param(
        QUICK,
        {"p.crawl.1": "fully", "c.crawl.1": "dont_know", "p.walk.1": "fully", "c.walk.1": "fully"},
        dict(
            # quick crawl 3 < 4 (one point short), walk 6 reached: organisation None
            points=(3, 6, 0, 0),
            coverage=(F(3, 6), F(1), F(0), F(0)),
            reached=(False, True, False, False),
            stage=None,
            people=Dim("walk", (F(1), F(1), F(0), F(0)), F(2), 0, 2),
            content=Dim(None, (F(0), F(1), F(0), F(0)), F(1), 1, 2),
            gaps=[("content", "crawl", F(0))],
        ),
        id="quick-higher-stage-reached-lower-not",
    ),
]


@pytest.mark.parametrize(("mode", "answers", "expected"), MATURITY_CASES)
def test_maturity(synthetic_model: Model, mode: Mode, answers: dict[str, str], expected: dict) -> None:
    result = score(synthetic_model, answers, mode)
    assert result.mode is mode
    assert [s.id for s in result.stages] == list(STAGES)
    assert tuple(s.points for s in result.stages) == expected["points"]
    assert tuple(s.coverage for s in result.stages) == expected["coverage"]
    assert tuple(s.reached for s in result.stages) == expected["reached"]
    assert result.stage == expected["stage"]
    for dimension_id in ("people", "content"):
        want: Dim = expected[dimension_id]
        got = result.dimension(dimension_id)
        assert got.stage == want.stage, dimension_id
        assert tuple(c.coverage for c in got.cells) == want.coverage, dimension_id
        assert got.coverage == {stage: float(c) for stage, c in zip(STAGES, want.coverage, strict=True)}
        assert got.score == pytest.approx(float(want.score), abs=1e-12), dimension_id
        assert (got.unknown, got.unanswered) == (want.unknown, want.unanswered), dimension_id
    maturity_gaps = [g for g in result.gaps if g.kind == "maturity"]
    assert [(g.dimension, g.stage) for g in maturity_gaps] == [(d, s) for d, s, _ in expected["gaps"]]
    assert [g.coverage for g in maturity_gaps] == [round(float(c), 4) for *_, c in expected["gaps"]]
    assert [g.kind for g in result.gaps] == ["maturity"] * len(expected["gaps"])  # no T/checklist answers here


# The 4 T's ----------------------------------------------------------------------------
#
# credibility: t.cred.1, t.cred.2 (reverse)   trust: t.trust.1
# tone: t.tone.1 (reverse), t.tone.2          patience: t.pat.1
# quick mode asks t.cred.1, t.trust.1, t.tone.1, t.pat.1
# keyed value = answer, or 6 - answer when reverse-keyed; score = (mean - 1) / 4 x 100
# Expected per T, in the order credibility, trust, tone, patience: (score, answered, unknown, unanswered)

TEE_CASES = [
    pytest.param(
        FULL,
        {},
        ((None, 0, 0, 2), (None, 0, 0, 1), (None, 0, 0, 2), (None, 0, 0, 1)),
        [],
        id="nothing-answered-no-score-no-gap",
    ),
    pytest.param(
        FULL,
        every(TEE_IDS, "dont_know"),
        ((None, 0, 2, 0), (None, 0, 1, 0), (None, 0, 2, 0), (None, 0, 1, 0)),
        [],
        id="everything-dont-know",
    ),
    pytest.param(
        FULL,
        {"t.cred.1": 4, "t.cred.2": 2, "t.trust.1": 4, "t.tone.1": 2, "t.tone.2": 4, "t.pat.1": 4},
        # every keyed value 4: mean 4 -> 75, exactly at the line: not a gap
        ((75.0, 2, 0, 0), (75.0, 1, 0, 0), (75.0, 2, 0, 0), (75.0, 1, 0, 0)),
        [],
        id="exactly-75-is-not-a-gap",
    ),
    pytest.param(
        FULL,
        {"t.cred.1": 5, "t.cred.2": 5, "t.trust.1": 1, "t.tone.1": 1, "t.tone.2": "dont_know", "t.pat.1": 5},
        # credibility: 5 and 6-5=1 -> mean 3 -> 50; tone: 6-1=5 alone -> 100
        ((50.0, 2, 0, 0), (0.0, 1, 0, 0), (100.0, 1, 1, 0), (100.0, 1, 0, 0)),
        [("trust", 0.0), ("credibility", 50.0)],
        id="reverse-keyed-arithmetic",
    ),
    pytest.param(
        FULL,
        {"t.cred.1": 4, "t.cred.2": 3, "t.trust.1": 3, "t.tone.1": 5, "t.tone.2": 1, "t.pat.1": 2},
        # credibility (4 + 3) / 2 = 3.5 -> 62.5; tone 6-5=1 and 1 -> 0; patience 2 -> 25
        ((62.5, 2, 0, 0), (50.0, 1, 0, 0), (0.0, 2, 0, 0), (25.0, 1, 0, 0)),
        [("tone", 0.0), ("patience", 25.0), ("trust", 50.0), ("credibility", 62.5)],
        id="gaps-lowest-first",
    ),
    pytest.param(
        FULL,
        every(TEE_IDS, 3),
        ((50.0, 2, 0, 0), (50.0, 1, 0, 0), (50.0, 2, 0, 0), (50.0, 1, 0, 0)),
        [("credibility", 50.0), ("trust", 50.0), ("tone", 50.0), ("patience", 50.0)],
        id="ties-in-model-order",
    ),
    pytest.param(
        FULL,
        {"t.cred.1": 2, "t.cred.2": 1, "t.tone.1": 4, "t.tone.2": 5, "t.pat.1": "dont_know"},
        # credibility 2 and 6-1=5 -> 3.5 -> 62.5; tone 6-4=2 and 5 -> 3.5 -> 62.5
        ((62.5, 2, 0, 0), (None, 0, 0, 1), (62.5, 2, 0, 0), (None, 0, 1, 0)),
        [("credibility", 62.5), ("tone", 62.5)],
        id="mean-of-keyed-values",
    ),
    pytest.param(
        FULL,
        {"t.cred.1": 1, "t.cred.2": 5, "t.trust.1": 5, "t.tone.1": 5, "t.tone.2": 1},
        # reverse-keyed 5 is the worst answer: credibility 1 and 1 -> 0
        ((0.0, 2, 0, 0), (100.0, 1, 0, 0), (0.0, 2, 0, 0), (None, 0, 0, 1)),
        [("credibility", 0.0), ("tone", 0.0)],
        id="worst-answers",
    ),
    pytest.param(
        QUICK,
        {"t.cred.1": 4, "t.cred.2": 1, "t.tone.1": 2, "t.tone.2": 1, "t.pat.1": "dont_know"},
        # quick ignores t.cred.2 and t.tone.2: credibility 4 -> 75, tone 6-2=4 -> 75
        ((75.0, 1, 0, 0), (None, 0, 0, 1), (75.0, 1, 0, 0), (None, 0, 1, 0)),
        [],
        id="quick-ignores-non-quick",
    ),
    pytest.param(
        FULL,
        {"t.cred.1": 4, "t.cred.2": 1, "t.tone.1": 2, "t.tone.2": 1, "t.pat.1": "dont_know"},
        # the same answers in full mode: credibility (4 + 5) / 2 = 4.5 -> 87.5; tone (4 + 1) / 2 = 2.5 -> 37.5
        ((87.5, 2, 0, 0), (None, 0, 0, 1), (37.5, 2, 0, 0), (None, 0, 1, 0)),
        [("tone", 37.5)],
        id="same-answers-full-mode",
    ),
]


@pytest.mark.parametrize(("mode", "answers", "expected", "gaps"), TEE_CASES)
def test_tees(synthetic_model: Model, mode: Mode, answers: dict, expected: tuple, gaps: list) -> None:
    result = score(synthetic_model, answers, mode)
    for tee_id, (value, answered, unknown, unanswered) in zip(TEES, expected, strict=True):
        got = result.tee(tee_id)
        assert got.score == value, tee_id
        assert (got.answered, got.unknown, got.unanswered) == (answered, unknown, unanswered), tee_id
    tee_gaps = [g for g in result.gaps if g.kind == "tee"]
    assert [(g.tee, g.score) for g in tee_gaps] == gaps


# Checklist --------------------------------------------------------------------------------

CHECKLIST_CASES = [
    pytest.param(
        {"check.a": "yes", "check.b": "partly", "check.c": "no"}, F(1, 2), (3, 0, 0), ["check.c", "check.b"], id="mixed"
    ),
    pytest.param(
        {"check.a": "no", "check.b": "na", "check.c": "partly"},
        F(1, 4),
        (2, 1, 0),
        ["check.a", "check.c"],
        id="na-excluded",
    ),
    pytest.param(
        {"check.a": "partly", "check.b": "no", "check.c": "no"},
        F(1, 6),
        (3, 0, 0),
        ["check.b", "check.c", "check.a"],
        id="no-before-partly-then-model-order",
    ),
    pytest.param(
        {"check.a": "partly", "check.c": "partly"},
        F(1, 2),
        (2, 0, 1),
        ["check.a", "check.c"],
        id="partly-in-model-order",
    ),
    pytest.param({"check.a": "yes"}, F(1), (1, 0, 2), [], id="unanswered-excluded"),
    pytest.param(every(CHECKLIST_IDS, "na"), None, (0, 3, 0), [], id="all-na-no-compliance"),
    pytest.param({}, None, (0, 0, 3), [], id="nothing-answered"),
    pytest.param(every(CHECKLIST_IDS, "yes"), F(1), (3, 0, 0), [], id="all-yes"),
    pytest.param(every(CHECKLIST_IDS, "no"), F(0), (3, 0, 0), list(CHECKLIST_IDS), id="all-no"),
]


@pytest.mark.parametrize("mode", [FULL, QUICK], ids=["full", "quick"])
@pytest.mark.parametrize(("answers", "compliance", "counts", "failed"), CHECKLIST_CASES)
def test_checklist(
    synthetic_model: Model, mode: Mode, answers: dict, compliance: F | None, counts: tuple, failed: list
) -> None:
    result = score(synthetic_model, answers, mode)  # the whole checklist is asked in both modes
    checklist = result.checklist
    assert checklist.compliance == (None if compliance is None else float(compliance))
    assert (checklist.answered, checklist.not_applicable, checklist.unanswered) == counts
    assert list(checklist.failed) == failed
    assert [(g.item, g.answer) for g in result.gaps if g.kind == "checklist"] == [(i, answers[i]) for i in failed]


# All gaps together -------------------------------------------------------------------------


def test_gap_order_is_maturity_then_tees_then_checklist(synthetic_model: Model) -> None:
    answers = {
        "p.crawl.1": "partly",  # crawl 1 of 6: crawl not reached
        "t.trust.1": 2,  # 25
        "t.pat.1": 1,  # 0
        "t.cred.1": 5,  # 100, no gap
        "check.a": "partly",
        "check.b": "yes",
        "check.c": "no",
    }
    result = score(synthetic_model, answers)
    assert [g.to_dict() for g in result.gaps] == [
        {"kind": "maturity", "dimension": "content", "stage": "crawl", "coverage": 0.0},
        {"kind": "maturity", "dimension": "people", "stage": "crawl", "coverage": 0.3333},
        {"kind": "tee", "tee": "patience", "score": 0.0},
        {"kind": "tee", "tee": "trust", "score": 25.0},
        {"kind": "checklist", "item": "check.c", "answer": "no"},
        {"kind": "checklist", "item": "check.a", "answer": "partly"},
    ]


def test_no_gaps_at_all(synthetic_model: Model) -> None:
    answers = {**every(MATURITY_IDS, "fully"), **every(TEE_IDS, 3), "t.cred.2": 1, "t.tone.1": 1}
    answers.update({"t.cred.1": 5, "t.trust.1": 4, "t.tone.2": 4, "t.pat.1": 5, **every(CHECKLIST_IDS, "yes")})
    assert score(synthetic_model, answers).gaps == ()


# Asked and answered counts, and the JSON shape ----------------------------------------------


@pytest.mark.parametrize(
    ("mode", "asked", "answered"),
    [pytest.param(FULL, 20, 13, id="full"), pytest.param(QUICK, 15, 8, id="quick")],
)
def test_asked_and_answered(synthetic_model: Model, mode: Mode, asked: int, answered: int) -> None:
    answers = {
        "p.crawl.1": "fully", "c.crawl.1": "partly", "p.walk.1": "largely", "c.walk.1": "partly",  # quick
        "c.crawl.2": "none", "p.walk.2": "fully", "c.run.2": "fully",  # not quick
        "t.cred.1": 4, "t.tone.1": 2, "t.pat.1": "dont_know",  # quick
        "t.cred.2": 1, "t.tone.2": 1,  # not quick
        "check.a": "yes",
    }  # fmt: skip
    result = score(synthetic_model, answers, mode)
    assert (result.asked, result.answered) == (asked, answered)


def test_to_dict_rounds_to_four_places(synthetic_model: Model) -> None:
    answers = {"p.crawl.1": "fully", "c.crawl.1": "partly", "c.crawl.2": "partly", "t.cred.1": 3, "t.cred.2": 4,
               "check.a": "partly", "check.b": "yes", "check.c": "yes"}  # fmt: skip
    data = score(synthetic_model, answers).to_dict()
    assert data["mode"] == "full"
    assert data["stage"] is None
    assert data["stage_coverage"] == {"crawl": 0.5556, "walk": 0.0, "run": 0.0, "fly": 0.0}  # 5/9
    assert data["stages"][0] == {
        "id": "crawl", "points": 5, "max_points": 9, "statements": 3, "not_applicable": 0, "coverage": 0.5556,
        "reached": False,
    }  # fmt: skip
    assert data["dimensions"]["content"] == {
        "score": 0.3333, "stage": None, "coverage": {"crawl": 0.3333, "walk": 0.0, "run": 0.0, "fly": 0.0},
        "unknown": 0, "unanswered": 4, "not_applicable": 0,
    }  # fmt: skip
    assert data["tees"]["credibility"] == {"score": 37.5, "answered": 2, "unknown": 0, "unanswered": 0}
    assert data["tees"]["trust"] == {"score": None, "answered": 0, "unknown": 0, "unanswered": 1}
    assert data["checklist"] == {
        "compliance": round(2.5 / 3, 4), "answered": 3, "not_applicable": 0, "unanswered": 0, "failed": ["check.a"],
    }  # fmt: skip
    assert (data["answered"], data["asked"]) == (8, 20)


def test_result_lookups(synthetic_model: Model) -> None:
    result: Result = score(synthetic_model, {})
    assert [d.id for d in result.dimensions] == ["people", "content"]
    assert [t.id for t in result.tees] == ["credibility", "trust", "tone", "patience"]
    with pytest.raises(StopIteration):
        result.dimension("nope")


# Answer normalisation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item_id", "raw", "expected"),
    [
        pytest.param("p.crawl.1", "none", "none", id="maturity-none"),
        pytest.param("p.crawl.1", "fully", "fully", id="maturity-fully"),
        pytest.param("p.walk.2", "dont_know", "dont_know", id="maturity-dont-know"),
        pytest.param("t.cred.1", 1, 1, id="tee-1"),
        pytest.param("t.cred.2", 5, 5, id="tee-5-reverse"),
        pytest.param("t.cred.1", "3", 3, id="tee-string-3"),
        pytest.param("t.cred.1", " 4 ", 4, id="tee-string-with-spaces"),
        pytest.param("t.tone.2", "dont_know", "dont_know", id="tee-dont-know"),
        pytest.param("check.a", "yes", "yes", id="checklist-yes"),
        pytest.param("check.b", "partly", "partly", id="checklist-partly"),
        pytest.param("check.c", "na", "na", id="checklist-na"),
    ],
)
def test_normalise_answer_accepts(synthetic_model: Model, item_id: str, raw: object, expected: object) -> None:
    got = normalise_answer(synthetic_model, item_id, raw)
    assert got == expected
    assert type(got) is type(expected)


@pytest.mark.parametrize(
    ("item_id", "raw", "message"),
    [
        pytest.param("nope", "fully", 'unknown item id "nope"', id="unknown-id"),
        pytest.param(
            "p.crawl.1",
            "yes",
            "p.crawl.1: expected one of none, partly, largely, fully, dont_know, got 'yes'",
            id="maturity-checklist-word",
        ),
        pytest.param("p.crawl.1", "Fully", "got 'Fully'", id="maturity-case-matters"),
        pytest.param("p.crawl.1", 3, "got 3", id="maturity-number"),
        pytest.param("p.crawl.1", None, "got None", id="maturity-none-value"),
        pytest.param("p.crawl.1", True, "got True", id="maturity-bool"),
        pytest.param("t.cred.1", 0, 't.cred.1: expected a whole number from 1 to 5 or "dont_know", got 0', id="tee-0"),
        pytest.param("t.cred.1", 6, "got 6", id="tee-6"),
        pytest.param("t.cred.1", "6", "got 6", id="tee-string-6"),
        pytest.param("t.cred.1", True, "got True", id="tee-bool-true"),
        pytest.param("t.cred.1", False, "got False", id="tee-bool-false"),
        pytest.param("t.cred.1", 3.0, "got 3.0", id="tee-float"),
        pytest.param("t.cred.1", "3.5", "got '3.5'", id="tee-string-float"),
        pytest.param("t.cred.1", "-1", "got '-1'", id="tee-negative-string"),
        pytest.param("t.cred.1", "fully", "got 'fully'", id="tee-maturity-word"),
        pytest.param("t.cred.1", "", "got ''", id="tee-empty"),
        pytest.param(
            "check.a",
            "fully",
            "check.a: expected one of yes, partly, no, na, got 'fully'",
            id="checklist-maturity-word",
        ),
        pytest.param("check.a", "dont_know", "got 'dont_know'", id="checklist-dont-know"),
        pytest.param("check.a", 1, "got 1", id="checklist-number"),
        pytest.param("check.a", True, "got True", id="checklist-bool"),
    ],
)
def test_normalise_answer_rejects(synthetic_model: Model, item_id: str, raw: object, message: str) -> None:
    with pytest.raises(AnswerError) as raised:
        normalise_answer(synthetic_model, item_id, raw)
    assert message in str(raised.value)


def test_normalise_answers_superscript_digit_is_a_bad_value(synthetic_model: Model) -> None:
    good, errors = normalise_answers(synthetic_model, {"t.cred.1": "²"})
    assert good == {}
    assert len(errors) == 1


def test_normalise_answers_keeps_the_good_and_reports_every_bad_one(synthetic_model: Model) -> None:
    good, errors = normalise_answers(
        synthetic_model,
        {"p.crawl.1": "fully", "t.cred.1": "3", "x.y": "yes", "t.cred.2": True, "check.a": "maybe", "check.b": "na"},
    )
    assert good == {"p.crawl.1": "fully", "t.cred.1": 3, "check.b": "na"}
    assert errors == [
        'unknown item id "x.y"',
        't.cred.2: expected a whole number from 1 to 5 or "dont_know", got True',
        "check.a: expected one of yes, partly, no, na, got 'maybe'",
    ]


def test_normalised_answers_score_like_canonical_ones(synthetic_model: Model) -> None:
    raw = {"t.cred.1": "4", "t.cred.2": "2", "t.trust.1": " 1 "}
    good, errors = normalise_answers(synthetic_model, raw)
    assert errors == []
    result = score(synthetic_model, good)
    assert result.tee("credibility").score == 75.0
    assert result.tee("trust").score == 0.0


# Not applicable (docs/scoring.md section 1, "Not applicable") ---------------------------------
#
# In the synthetic model only c.run.2 may not apply. `na_model` also lets p.fly.1 and c.fly.1 not
# apply, so that a whole cell (content, fly) and a whole stage (fly) can be left without any
# applicable statement.


@pytest.fixture
def na_model(write_model) -> Model:
    text = replace_once(
        SYNTHETIC_TOML, 'help = "Within the guidelines."\n', 'help = "Within the guidelines."\nmay_not_apply = true\n'
    )
    text = replace_once(text, 'help = "Communities."\n', 'help = "Communities."\nmay_not_apply = true\n')
    return load_model(write_model(text))


def test_na_leaves_the_cell_coverage_counts_applicable_statements(synthetic_model: Model) -> None:
    answers = {"c.run.1": "largely", "c.run.2": "na"}
    cell = score(synthetic_model, answers).dimension("content").cells[2]
    assert (cell.statements, cell.points, cell.not_applicable, cell.unanswered) == (1, 2, 1, 0)
    assert cell.coverage == F(2, 3)
    assert cell.reached  # 2 >= 2 x 1: reached on c.run.1 alone
    # The same cell with c.run.2 answered "none" instead: two statements, 2 of 6.
    with_none = score(synthetic_model, {"c.run.1": "largely", "c.run.2": "none"}).dimension("content").cells[2]
    assert (with_none.statements, with_none.coverage, with_none.reached) == (2, F(1, 3), False)


def test_na_leaves_the_stage(synthetic_model: Model) -> None:
    answers = {"p.run.1": "largely", "c.run.1": "largely", "c.run.2": "na"}
    run_stage = score(synthetic_model, answers).stages[2]
    assert (run_stage.statements, run_stage.points, run_stage.not_applicable) == (2, 4, 1)
    assert run_stage.reached  # 4 >= 2 x 2; with c.run.2 "none" it would need 6


def test_na_counts_in_its_own_column_not_as_unknown_or_unanswered(synthetic_model: Model) -> None:
    result = score(synthetic_model, {"c.run.2": "na"})
    content = result.dimension("content")
    assert (content.not_applicable, content.unknown, content.unanswered) == (1, 0, 5)
    data = result.to_dict()["dimensions"]["content"]
    assert (data["not_applicable"], data["unknown"], data["unanswered"]) == (1, 0, 5)
    assert result.answered == 1  # "not applicable" is an answer


def test_a_cell_with_no_applicable_statement_is_left_out_and_the_score_scaled(na_model: Model) -> None:
    answers = {
        "c.crawl.1": "fully", "c.crawl.2": "fully",  # 6 of 6: coverage 1
        "c.walk.1": "partly",                        # 1 of 3
        "c.run.1": "largely", "c.run.2": "na",       # 2 of 3 (one applicable statement)
        "c.fly.1": "na",                             # no applicable statement: left out
    }  # fmt: skip
    result = score(na_model, answers)
    content = result.dimension("content")
    fly = content.cells[3]
    assert (fly.applicable, fly.statements, fly.not_applicable, fly.reached) == (False, 0, 1, True)
    # (1 + 1/3 + 2/3) x 4 / 3 applicable cells = 8/3
    assert content.score == pytest.approx(8 / 3)
    assert content.stage == "crawl"  # the walk cell (1 of 3) is not reached
    assert content.coverage == {"crawl": 1.0, "walk": pytest.approx(1 / 3), "run": pytest.approx(2 / 3), "fly": None}
    data = result.to_dict()["dimensions"]["content"]
    assert data["score"] == 2.6667
    assert data["coverage"] == {"crawl": 1.0, "walk": 0.3333, "run": 0.6667, "fly": None}
    # No gap for a cell with no applicable statement.
    assert all(not (g.dimension == "content" and g.stage == "fly") for g in result.gaps)


def test_every_cell_applicable_keeps_the_plain_sum(na_model: Model) -> None:
    """Without "na" answers the scaled score is the old sum of four coverages."""
    answers = dict.fromkeys(("c.crawl.1", "c.crawl.2", "c.walk.1", "c.run.1", "c.run.2", "c.fly.1"), "largely")
    assert score(na_model, answers).dimension("content").score == pytest.approx(4 * 2 / 3)


def test_a_dimension_whose_last_cell_does_not_apply_reaches_fly(na_model: Model) -> None:
    answers = {"c.crawl.1": "fully", "c.crawl.2": "fully", "c.walk.1": "fully", "c.run.1": "fully",
               "c.run.2": "na", "c.fly.1": "na"}  # fmt: skip
    content = score(na_model, answers).dimension("content")
    assert content.stage == "fly"  # a cell with no applicable statement counts as reached
    assert content.score == pytest.approx(4.0)


def test_a_stage_with_no_applicable_statement_counts_as_reached(na_model: Model) -> None:
    answers = {item_id: "fully" for item_id in MATURITY_IDS}
    answers |= {"p.fly.1": "na", "c.fly.1": "na"}
    result = score(na_model, answers)
    fly = result.stages[3]
    assert (fly.statements, fly.points, fly.not_applicable, fly.applicable, fly.reached) == (0, 0, 2, False, True)
    assert result.stage == "fly"
    data = result.to_dict()
    assert data["stage_coverage"]["fly"] is None
    assert data["stages"][3] == {
        "id": "fly", "points": 0, "max_points": 0, "statements": 0, "not_applicable": 2, "coverage": None,
        "reached": True,
    }  # fmt: skip
    assert [g for g in result.gaps if g.kind == "maturity"] == []
    # Reached, but a lower stage still has to be reached first.
    lower = score(na_model, answers | {"p.walk.1": "none", "p.walk.2": "none", "c.walk.1": "none"})
    assert lower.stages[3].reached and lower.stage == "crawl"


def test_na_on_a_quick_statement_in_quick_mode(na_model: Model) -> None:
    """Quick mode asks c.fly.1 (may not apply): "na" there leaves the cell as in full mode."""
    answers = {"c.crawl.1": "fully", "c.walk.1": "fully", "c.run.1": "fully", "c.fly.1": "na"}
    content = score(na_model, answers, QUICK).dimension("content")
    assert content.cells[3].applicable is False
    assert content.score == pytest.approx(4.0)
    assert content.stage == "fly"


def test_na_is_refused_for_a_statement_that_always_applies(synthetic_model: Model) -> None:
    assert normalise_answer(synthetic_model, "c.run.2", "na") == "na"
    with pytest.raises(AnswerError) as raised:
        normalise_answer(synthetic_model, "c.run.1", "na")
    assert str(raised.value) == (
        'c.run.1: "na" (not applicable) is only accepted for statements marked may_not_apply; '
        "expected one of none, partly, largely, fully, dont_know"
    )
    with pytest.raises(AnswerError, match="expected one of none, partly, largely, fully, dont_know, na, got 'n/a'"):
        normalise_answer(synthetic_model, "c.run.2", "n/a")


def test_a_stray_na_on_a_statement_that_always_applies_scores_zero(synthetic_model: Model) -> None:
    """Scoring takes normalised answers; should an "na" reach it for another statement (an answer kept
    from a model in which that statement could be not applicable), it counts 0 points and stays in."""
    cell = score(synthetic_model, {"c.run.1": "na", "c.run.2": "fully"}).dimension("content").cells[2]
    assert (cell.statements, cell.points, cell.not_applicable) == (2, 3, 0)
