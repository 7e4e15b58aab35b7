"""Results-page tables: stages, the 4 T's, the change since last round, and the stage sentence."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest

from assessment.model import STAGE_IDS, Mode, Model
from assessment.scoring import score
from reporting.tables import comparison_table, stage_change_sentence, stage_table, tee_table
from tests.reporting.conftest import (
    ANSWER_SETS,
    Answers,
    expected_compliance,
    expected_dimension_score,
    expected_tee_score,
    full_result,
    points_of,
    stage_answers,
    stage_statements,
    uniform_answers,
)

MODES = [Mode.FULL, Mode.QUICK]


def is_missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))


# stage_table --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES, ids=lambda mode: mode.value)
def test_stage_table_counts_points_from_the_answers(model: Model, answers: Answers, mode: Mode) -> None:
    table = stage_table(model, score(model, answers, mode))

    assert list(table.columns) == ["Stage", "Points", "Of", "Needed", "Coverage %", "Reached"]
    assert list(table["Stage"]) == [model.stage(s).name for s in STAGE_IDS]
    for row, stage_id in zip(table.to_dict("records"), STAGE_IDS, strict=True):
        statements = stage_statements(model, stage_id, mode)
        points = points_of(answers, statements)
        assert statements, "every stage has statements in both modes"
        assert row["Points"] == points
        assert row["Of"] == 3 * len(statements)
        assert row["Needed"] == 2 * len(statements)
        assert row["Coverage %"] == round(Fraction(100 * points, 3 * len(statements)))
        assert row["Reached"] == ("✓" if points >= 2 * len(statements) else "✗")


def test_stage_table_quick_mode_needs_fewer_points(model: Model) -> None:
    full = stage_table(model, score(model, {}, Mode.FULL))
    quick = stage_table(model, score(model, {}, Mode.QUICK))

    assert (quick["Needed"] < full["Needed"]).all()
    assert list(full["Points"]) == list(quick["Points"]) == [0, 0, 0, 0]
    assert list(full["Reached"]) == ["✗"] * 4


@pytest.mark.parametrize(
    ("reached", "marks"),
    [
        (None, ["✗", "✗", "✗", "✗"]),
        ("crawl", ["✓", "✗", "✗", "✗"]),
        ("walk", ["✓", "✓", "✗", "✗"]),
        ("run", ["✓", "✓", "✓", "✗"]),
        ("fly", ["✓", "✓", "✓", "✓"]),
    ],
)
def test_stage_table_marks_the_stages_reached(model: Model, reached: str | None, marks: list[str]) -> None:
    table = stage_table(model, full_result(model, stage_answers(model, reached)))

    assert list(table["Reached"]) == marks
    assert list(table["Coverage %"]) == [100 if mark == "✓" else 0 for mark in marks]


# tee_table ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES, ids=lambda mode: mode.value)
def test_tee_table_scores_and_counts(model: Model, answers: Answers, mode: Mode) -> None:
    table = tee_table(model, score(model, answers, mode))

    assert list(table.columns) == ["T", "Score (0-100)", "Answered", "Don't know"]
    assert list(table["T"]) == [tee.name for tee in model.tees]
    for row, tee in zip(table.to_dict("records"), model.tees, strict=True):
        values = [answers.get(statement.id) for statement in tee.in_mode(mode)]
        expected = expected_tee_score(model, tee.id, answers, mode)
        if expected is None:
            assert is_missing(row["Score (0-100)"])
        else:
            assert row["Score (0-100)"] == round(expected)
        assert row["Answered"] == sum(isinstance(value, int) for value in values)
        assert row["Don't know"] == values.count("dont_know")


def test_tee_table_reverse_keyed_statements_count_the_other_way(model: Model) -> None:
    """All 5s: 100 on plain statements, 0 on reverse-keyed ones; the score is their mix."""
    table = tee_table(model, full_result(model, uniform_answers(model, "none", 5, "na")))

    for row, tee in zip(table.to_dict("records"), model.tees, strict=True):
        reverse = sum(statement.reverse for statement in tee.statements)
        assert row["Score (0-100)"] == round(100 * (len(tee.statements) - reverse) / len(tee.statements))


# comparison_table ---------------------------------------------------------------------------------------------------


def test_comparison_table_rows_and_changes(model: Model) -> None:
    old_answers, new_answers = ANSWER_SETS["demo"](model), ANSWER_SETS["spread"](model)
    table = comparison_table(model, full_result(model, old_answers), full_result(model, new_answers))
    rows = table.to_dict("records")

    assert list(table.columns) == ["Measure", "Before", "Now", "Change"]
    assert [row["Measure"] for row in rows] == [
        *(d.name for d in model.dimensions),
        *(f"{tee.name} (0-100)" for tee in model.tees),
        "Checklist compliance %",
    ]
    for row, dimension in zip(rows[: len(model.dimensions)], model.dimensions, strict=True):
        old = expected_dimension_score(dimension, old_answers)
        new = expected_dimension_score(dimension, new_answers)
        assert (row["Before"], row["Now"], row["Change"]) == (round(old, 2), round(new, 2), round(new - old, 2))
    tee_rows = rows[len(model.dimensions) : -1]
    for row, tee in zip(tee_rows, model.tees, strict=True):
        old_t = expected_tee_score(model, tee.id, old_answers)
        new_t = expected_tee_score(model, tee.id, new_answers)
        assert old_t is not None and new_t is not None
        assert (row["Before"], row["Now"], row["Change"]) == (round(old_t), round(new_t), round(new_t - old_t))
    old_c, new_c = expected_compliance(model, old_answers), expected_compliance(model, new_answers)
    assert old_c is not None and new_c is not None
    assert (rows[-1]["Before"], rows[-1]["Now"], rows[-1]["Change"]) == (
        round(old_c * 100),
        round(new_c * 100),
        round((new_c - old_c) * 100),
    )


def test_comparison_table_against_the_same_result_shows_no_change(model: Model, demo: Answers) -> None:
    result = full_result(model, demo)
    table = comparison_table(model, result, result)

    assert (table["Change"] == 0).all()
    assert list(table["Before"]) == list(table["Now"])


def test_comparison_table_leaves_change_empty_when_a_round_has_no_score(model: Model, demo: Answers) -> None:
    """The first round answered nothing: no T score and no compliance to compare with."""
    table = comparison_table(model, full_result(model, {}), full_result(model, demo))
    rows = table.to_dict("records")
    count = len(model.dimensions)

    for row, dimension in zip(rows[:count], model.dimensions, strict=True):
        new = expected_dimension_score(dimension, demo)
        assert (row["Before"], row["Now"], row["Change"]) == (0, round(new, 2), round(new, 2))
    for row in rows[count:]:
        assert is_missing(row["Before"])
        assert not is_missing(row["Now"])
        assert is_missing(row["Change"])


# stage_change_sentence ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (None, None, "Stage unchanged: Not yet at Crawl."),
        ("walk", "walk", "Stage unchanged: Walk."),
        ("fly", "fly", "Stage unchanged: Fly."),
        (None, "crawl", "Stage: Not yet at Crawl → Crawl."),
        ("crawl", "run", "Stage: Crawl → Run."),
        ("run", "walk", "Stage: Run → Walk."),
        ("fly", None, "Stage: Fly → Not yet at Crawl."),
    ],
)
def test_stage_change_sentence(model: Model, before: str | None, after: str | None, expected: str) -> None:
    old, new = full_result(model, stage_answers(model, before)), full_result(model, stage_answers(model, after))
    assert (old.stage, new.stage) == (before, after)

    assert stage_change_sentence(model, old, new) == expected
