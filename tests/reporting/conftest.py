"""Fixtures and independent expectations for the reporting tests.

The tests run on the real bundled model. Expected numbers are worked out here from the
answers alone, by the rules in docs/scoring.md, without calling `assessment.scoring`:
points none=0 partly=1 largely=2 fully=3 (dont_know and unanswered 0); a cell's coverage is
points / (3 x statements); a dimension's score is the sum of its four cell coverages (0 to 4);
a stage is reached at >= 2 x statements points, and the stage is the highest one reached with
every earlier stage reached too.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from fractions import Fraction

import pytest

from assessment.demo import demo_answers
from assessment.loader import load_model
from assessment.model import STAGE_IDS, Dimension, Mode, Model
from assessment.scoring import AnswerValue, Result, normalise_answers, score

Answers = dict[str, AnswerValue]

POINTS: dict[AnswerValue, int] = {"none": 0, "partly": 1, "largely": 2, "fully": 3, "dont_know": 0}
CHECKLIST_CREDIT: dict[AnswerValue, Fraction] = {"yes": Fraction(1), "partly": Fraction(1, 2), "no": Fraction(0)}


@pytest.fixture(scope="session")
def model() -> Model:
    return load_model()


# Answer sets ------------------------------------------------------------------------------------------------------


def uniform_answers(model: Model, maturity: str, tee: AnswerValue, checklist: str) -> Answers:
    """The same answer to every item of a section."""
    answers: Answers = {s.id: maturity for s in model.maturity_statements(Mode.FULL)}
    answers |= {t.id: tee for t in model.tee_statements(Mode.FULL)}
    answers |= {item.id: checklist for item in model.checklist}
    return answers


def stage_answers(model: Model, reached: str | None) -> Answers:
    """Every statement up to and including `reached` "fully", every later one "none"."""
    last = -1 if reached is None else STAGE_IDS.index(reached)
    return {s.id: "fully" if STAGE_IDS.index(s.stage) <= last else "none" for s in model.maturity_statements(Mode.FULL)}


def spread_answers(model: Model) -> Answers:
    """A fixed, varied set of answers that gives every dimension a different score."""
    rng = random.Random(15)
    answers: Answers = {
        s.id: rng.choice(("none", "partly", "largely", "fully", "dont_know"))
        for s in model.maturity_statements(Mode.FULL)
    }
    answers |= {t.id: rng.choice((1, 2, 3, 4, 5, "dont_know")) for t in model.tee_statements(Mode.FULL)}
    answers |= {item.id: rng.choice(("yes", "partly", "no", "na")) for item in model.checklist}
    return answers


def normalised_demo_answers(model: Model) -> Answers:
    """The demo answers as the app stores and reads them back: T values as whole numbers."""
    answers, errors = normalise_answers(model, demo_answers(model))
    assert not errors
    return answers


ANSWER_SETS: dict[str, Callable[[Model], Answers]] = {
    "nothing-answered": lambda model: {},
    "all-fully": lambda model: uniform_answers(model, "fully", 5, "yes"),
    "all-none": lambda model: uniform_answers(model, "none", 1, "no"),
    "all-dont-know": lambda model: uniform_answers(model, "dont_know", "dont_know", "na"),
    "demo": normalised_demo_answers,
    "spread": spread_answers,
    "crawl-only": lambda model: stage_answers(model, "crawl"),
}


@pytest.fixture(params=sorted(ANSWER_SETS))
def answers(request: pytest.FixtureRequest, model: Model) -> Answers:
    return ANSWER_SETS[request.param](model)


@pytest.fixture
def spread(model: Model) -> Answers:
    return spread_answers(model)


@pytest.fixture
def demo(model: Model) -> Answers:
    return normalised_demo_answers(model)


def full_result(model: Model, answers: Answers) -> Result:
    return score(model, answers, Mode.FULL)


# Independent expectations -----------------------------------------------------------------------------------------


def cell_statements(dimension: Dimension, stage: str, mode: Mode = Mode.FULL) -> list[str]:
    return [s.id for s in dimension.statements if s.stage == stage and (mode is Mode.FULL or s.quick)]


def points_of(answers: Answers, item_ids: list[str]) -> int:
    return sum(POINTS.get(answers.get(item_id, "none"), 0) for item_id in item_ids)


def expected_cell_coverage(dimension: Dimension, stage: str, answers: Answers, mode: Mode = Mode.FULL) -> Fraction:
    ids = cell_statements(dimension, stage, mode)
    return Fraction(points_of(answers, ids), 3 * len(ids))


def expected_dimension_score(dimension: Dimension, answers: Answers, mode: Mode = Mode.FULL) -> float:
    return float(sum((expected_cell_coverage(dimension, stage, answers, mode) for stage in STAGE_IDS), Fraction(0)))


def highest_consecutive(reached: list[bool]) -> str | None:
    stage = None
    for stage_id, is_reached in zip(STAGE_IDS, reached, strict=True):
        if not is_reached:
            break
        stage = stage_id
    return stage


def expected_dimension_stage(dimension: Dimension, answers: Answers, mode: Mode = Mode.FULL) -> str | None:
    reached = []
    for stage in STAGE_IDS:
        ids = cell_statements(dimension, stage, mode)
        reached.append(points_of(answers, ids) >= 2 * len(ids))
    return highest_consecutive(reached)


def stage_statements(model: Model, stage: str, mode: Mode = Mode.FULL) -> list[str]:
    return [item_id for d in model.dimensions for item_id in cell_statements(d, stage, mode)]


def expected_overall_stage(model: Model, answers: Answers, mode: Mode = Mode.FULL) -> str | None:
    reached = []
    for stage in STAGE_IDS:
        ids = stage_statements(model, stage, mode)
        reached.append(points_of(answers, ids) >= 2 * len(ids))
    return highest_consecutive(reached)


def expected_tee_score(model: Model, tee_id: str, answers: Answers, mode: Mode = Mode.FULL) -> float | None:
    keyed = []
    for statement in model.tee(tee_id).in_mode(mode):
        value = answers.get(statement.id)
        if isinstance(value, int):
            keyed.append(6 - value if statement.reverse else value)
    if not keyed:
        return None
    return float((Fraction(sum(keyed), len(keyed)) - 1) / 4 * 100)


def expected_compliance(model: Model, answers: Answers) -> float | None:
    credits = [CHECKLIST_CREDIT[answers[i.id]] for i in model.checklist if answers.get(i.id) in CHECKLIST_CREDIT]
    return float(sum(credits, Fraction(0)) / len(credits)) if credits else None
