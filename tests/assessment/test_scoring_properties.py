"""Property tests: better answers never give worse results, and every number stays in range.

Run on the synthetic model and on the real assessment/model.toml (skipped while it does not exist).
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.model import (
    CHECKLIST_VALUES,
    STAGE_IDS,
    ChecklistItem,
    MaturityStatement,
    Mode,
    Model,
    TeeStatement,
)
from assessment.scoring import Result, score

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# One step up each answer ladder (raising by several steps is a chain of these).
# None means unanswered; unanswered, dont_know and none are all worth 0 points, so steps between them
# must leave every result unchanged (at least not lower it).
MATURITY_STEPS: tuple[tuple[object, object], ...] = (
    (None, "partly"),
    ("dont_know", "partly"),
    ("none", "partly"),
    ("partly", "largely"),
    ("largely", "fully"),
    (None, "none"),
    ("none", "dont_know"),
    ("dont_know", "none"),
)
TEE_STEPS = ((1, 2), (2, 3), (3, 4), (4, 5))  # towards agreement: better for a normal statement
CHECKLIST_STEPS = (("no", "partly"), ("partly", "yes"))
TEE_VALUES = (1, 2, 3, 4, 5)


@pytest.fixture(scope="module", params=["synthetic", "real"])
def model(request: pytest.FixtureRequest) -> Model:
    return request.getfixturevalue(f"{request.param}_model")


def answers_strategy(model: Model) -> st.SearchStrategy[dict[str, object]]:
    optional: dict[str, st.SearchStrategy[object]] = {}
    for statement in model.maturity_statements():
        optional[statement.id] = st.sampled_from(statement.values())  # "na" where it may not apply
    for tee_statement in model.tee_statements():
        optional[tee_statement.id] = st.sampled_from((*TEE_VALUES, "dont_know"))
    for item in model.checklist:
        optional[item.id] = st.sampled_from(CHECKLIST_VALUES)
    return st.fixed_dictionaries({}, optional=optional)


def rank(stage: str | None) -> int:
    return -1 if stage is None else STAGE_IDS.index(stage)


def worse_and_better(model: Model, item_id: str, data: st.DataObject) -> tuple[object, object]:
    """Two answers for one item, the second one step better than (or as good as) the first."""
    item = model.item(item_id)
    if isinstance(item, MaturityStatement):
        return data.draw(st.sampled_from(MATURITY_STEPS), label="step")
    if isinstance(item, TeeStatement):
        low, high = data.draw(st.sampled_from(TEE_STEPS), label="step")
        return (high, low) if item.reverse else (low, high)  # reverse-keyed: a lower raw answer is better
    assert isinstance(item, ChecklistItem)
    return data.draw(st.sampled_from(CHECKLIST_STEPS), label="step")


def with_answer(answers: dict[str, object], item_id: str, value: object) -> dict[str, object]:
    changed = dict(answers)
    if value is None:
        changed.pop(item_id, None)
    else:
        changed[item_id] = value
    return changed


def assert_not_worse(worse: Result, better: Result) -> None:
    assert rank(better.stage) >= rank(worse.stage)
    for low, high in zip(worse.stages, better.stages, strict=True):
        assert high.coverage >= low.coverage, low.id
        assert high.reached or not low.reached, low.id
    for low_d, high_d in zip(worse.dimensions, better.dimensions, strict=True):
        assert high_d.score >= low_d.score, low_d.id
        assert rank(high_d.stage) >= rank(low_d.stage), low_d.id
        for low_c, high_c in zip(low_d.cells, high_d.cells, strict=True):
            assert high_c.coverage >= low_c.coverage, (low_d.id, low_c.stage)
    for low_t, high_t in zip(worse.tees, better.tees, strict=True):
        assert (low_t.score is None) == (high_t.score is None), low_t.id  # numeric to numeric only
        if low_t.score is not None and high_t.score is not None:
            assert high_t.score >= low_t.score, low_t.id
    if worse.checklist.compliance is not None:
        assert better.checklist.compliance is not None
        assert better.checklist.compliance >= worse.checklist.compliance


def assert_in_range(model: Model, result: Result) -> None:
    assert result.stage is None or result.stage in STAGE_IDS
    for stage in result.stages:
        assert 0 <= stage.coverage <= 1
    for dimension in result.dimensions:
        assert 0 <= dimension.score <= 4
        assert dimension.stage is None or dimension.stage in STAGE_IDS
        for cell in dimension.cells:
            assert 0 <= cell.coverage <= 1
    for tee in result.tees:
        assert tee.score is None or 0 <= tee.score <= 100
    compliance = result.checklist.compliance
    assert compliance is None or 0 <= compliance <= 1
    assert 0 <= result.answered <= result.asked == len(model.item_ids(result.mode))

    dimension_ids = {d.id for d in model.dimensions}
    tee_ids = {t.id for t in model.tees}
    checklist_ids = {i.id for i in model.checklist}
    tee_scores = {t.id: t.score for t in result.tees}
    for gap in result.gaps:
        if gap.kind == "maturity":
            assert gap.dimension in dimension_ids and gap.stage in STAGE_IDS
            assert gap.coverage is not None and gap.coverage < 2 / 3
        elif gap.kind == "tee":
            assert gap.tee in tee_ids
            assert gap.score is not None and tee_scores[gap.tee] is not None and gap.score < 75
        else:
            assert gap.kind == "checklist"
            assert gap.item in checklist_ids and gap.answer in ("no", "partly")
    assert [g.kind for g in result.gaps] == sorted(
        (g.kind for g in result.gaps), key=("maturity", "tee", "checklist").index
    )


@SETTINGS
@given(data=st.data(), mode=st.sampled_from(list(Mode)))
def test_a_better_answer_never_lowers_a_result(model: Model, data: st.DataObject, mode: Mode) -> None:
    answers = data.draw(answers_strategy(model), label="answers")
    item_id = data.draw(st.sampled_from(model.item_ids(Mode.FULL)), label="item")
    low, high = worse_and_better(model, item_id, data)
    worse = score(model, with_answer(answers, item_id, low), mode)
    better = score(model, with_answer(answers, item_id, high), mode)
    assert_not_worse(worse, better)


@SETTINGS
@given(data=st.data(), mode=st.sampled_from(list(Mode)))
def test_scores_stay_in_range_and_gaps_name_real_items(model: Model, data: st.DataObject, mode: Mode) -> None:
    answers = data.draw(answers_strategy(model), label="answers")
    assert_in_range(model, score(model, answers, mode))


@SETTINGS
@given(data=st.data())
def test_dont_know_unanswered_and_none_score_alike(model: Model, data: st.DataObject) -> None:
    answers = data.draw(answers_strategy(model), label="answers")
    statement = data.draw(st.sampled_from(model.maturity_statements()), label="statement")
    results = [score(model, with_answer(answers, statement.id, v), Mode.FULL) for v in (None, "dont_know", "none")]
    shapes = [(r.stage, [(s.points, s.statements) for s in r.stages], [d.score for d in r.dimensions],
               [g.to_dict() for g in r.gaps]) for r in results]  # fmt: skip
    assert shapes[0] == shapes[1] == shapes[2]


@SETTINGS
@given(data=st.data())
def test_quick_mode_ignores_answers_it_does_not_ask(model: Model, data: st.DataObject) -> None:
    answers = data.draw(answers_strategy(model), label="answers")
    quick_ids = set(model.item_ids(Mode.QUICK))
    only_quick = {k: v for k, v in answers.items() if k in quick_ids}
    assert score(model, answers, Mode.QUICK).to_dict() == score(model, only_quick, Mode.QUICK).to_dict()


@SETTINGS
@given(data=st.data(), mode=st.sampled_from(list(Mode)))
def test_stage_is_the_highest_consecutive_reached_stage(model: Model, data: st.DataObject, mode: Mode) -> None:
    result = score(model, data.draw(answers_strategy(model), label="answers"), mode)
    for stage in result.stages:
        # A stage with no applicable statement (all "not applicable") counts as reached.
        assert stage.reached == (stage.points >= 2 * stage.statements)
        if stage.statements:
            assert stage.coverage == Fraction(stage.points, 3 * stage.statements)
    reached = [s.reached for s in result.stages]
    expected = None
    for stage_id, is_reached in zip(STAGE_IDS, reached, strict=True):
        if not is_reached:
            break
        expected = stage_id
    assert result.stage == expected
