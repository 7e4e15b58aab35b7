"""A completed round's summary for its organisation's wave: it reads back as written, keeps the
scores, stages and gaps of the Result it was made from, and the answers by their layout."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment import response_summary as rs
from assessment.demo import demo_answers
from assessment.model import MATURITY_VALUES, Mode, Model
from assessment.scoring import normalise_answers, score


def _summary(model: Model, answers: dict[str, str], mode: Mode = Mode.FULL) -> tuple[rs.ResponseSummary, object]:
    normalised, _unknown = normalise_answers(model, answers)
    result = score(model, normalised, mode)
    return rs.summarise(result, answers, model.item_ids(Mode.FULL)), result


def test_a_summary_reads_back_as_written_and_keeps_the_results_figures(real_model: Model) -> None:
    answers = demo_answers(real_model)
    summary, result = _summary(real_model, answers)
    assert rs.load(rs.dump(summary)) == summary
    assert summary.stage == result.stage  # type: ignore[attr-defined]
    for dimension, scored in zip(summary.dimensions, result.dimensions, strict=True):  # type: ignore[attr-defined]
        assert (dimension.id, dimension.score, dimension.stage) == (scored.id, scored.score, scored.stage)
    assert [t.score for t in summary.tees] == [t.score for t in result.tees]  # type: ignore[attr-defined]
    assert summary.checklist.failed == result.checklist.failed  # type: ignore[attr-defined]
    assert len(summary.gaps) == len(result.gaps)  # type: ignore[attr-defined]
    assert summary.answers(real_model.item_ids(Mode.FULL)) == answers


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_stages_from_the_stored_cell_counts_follow_the_individual_rule(real_model: Model, data: st.DataObject) -> None:
    """The dashboard pools cell counts; for one respondent they must give back the Result's stages."""
    answers = {
        s.id: data.draw(st.sampled_from((*MATURITY_VALUES, "skip")), label=s.id)
        for s in real_model.maturity_statements(Mode.FULL)
    }
    answers = {k: v for k, v in answers.items() if v != "skip"}
    mode = data.draw(st.sampled_from((Mode.FULL, Mode.QUICK)))
    summary, result = _summary(real_model, answers, mode)
    assert [d.stage for d in summary.dimensions] == [d.stage for d in result.dimensions]  # type: ignore[attr-defined]
    totals = [sum(column) for column in zip(*(d.cells for d in summary.dimensions), strict=True)]
    assert rs.highest_reached(totals) == result.stage  # type: ignore[attr-defined]


def test_answers_outside_the_layout_or_vocabulary_are_not_kept(real_model: Model) -> None:
    layout = real_model.item_ids(Mode.FULL)
    answers = {layout[0]: "fully", layout[1]: "bogus", "retired.item": "fully"}
    summary, _result = _summary(real_model, answers)
    assert len(summary.answer_codes) == len(layout)
    assert summary.answers(layout) == {layout[0]: "fully"}
    assert summary.layout == rs.layout_hash(layout) != rs.layout_hash(layout[:-1])


@pytest.mark.parametrize(
    "text",
    ["", "not json", "[]", '{"f": 2}', '{"f": 1}', json.dumps({"f": 1, "mode": "sideways", "stage": None})],
)
def test_anything_else_is_refused_with_summary_error(text: str) -> None:
    with pytest.raises(rs.SummaryError):
        rs.load(text)
