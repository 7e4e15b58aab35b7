"""Results-page tables: stages, the 4 T's, the change since last round, and the stage sentence."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from assessment.model import STAGE_IDS, Mode, Model
from assessment.scoring import score
from reporting.numbers import MINUS
from reporting.tables import Table, column_labels, comparison_table, stage_change_sentence, stage_table, tee_table
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


def half_up(value: float | Fraction | Decimal, decimals: int = 0) -> Decimal:
    """The rounding rule, worked out here on its own."""
    if isinstance(value, Decimal):
        exact = value
    elif isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(repr(value))
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def signed(value: Decimal) -> str:
    return f"+{value}" if value > 0 else f"{MINUS}{-value}" if value < 0 else str(value)


def test_every_column_has_a_label(model: Model) -> None:
    labels = column_labels(model)
    result = full_result(model, {})
    for table in (stage_table(model, result), tee_table(model, result), comparison_table(model, result, result)):
        assert set(table.columns) - {"direction"} <= set(labels)
    assert labels["crawl"] == "Crawl %"


# stage_table --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES, ids=lambda mode: mode.value)
def test_stage_table_counts_points_from_the_answers(model: Model, answers: Answers, mode: Mode) -> None:
    table = stage_table(model, score(model, answers, mode))

    assert list(table.columns) == ["stage", "reached", "coverage", "points", "needed", "of"]
    assert list(table["stage"]) == [model.stage(s).name for s in STAGE_IDS]
    for row, stage_id in zip(table.rows, STAGE_IDS, strict=True):
        statements = stage_statements(model, stage_id, mode)
        points = points_of(answers, statements)
        assert statements, "every stage has statements in both modes"
        assert row["points"] == points
        assert row["of"] == 3 * len(statements)
        assert row["needed"] == 2 * len(statements)
        assert row["coverage"] == str(half_up(Fraction(100 * points, 3 * len(statements))))
        assert row["reached"] == ("✓" if points >= 2 * len(statements) else "✗")


def test_stage_table_quick_mode_needs_fewer_points(model: Model) -> None:
    full = stage_table(model, score(model, {}, Mode.FULL))
    quick = stage_table(model, score(model, {}, Mode.QUICK))

    assert all(q < f for q, f in zip(quick["needed"], full["needed"], strict=True))
    assert list(full["points"]) == list(quick["points"]) == [0, 0, 0, 0]
    assert list(full["reached"]) == ["✗"] * 4


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

    assert list(table["reached"]) == marks
    assert list(table["coverage"]) == ["100" if mark == "✓" else "0" for mark in marks]


# tee_table ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES, ids=lambda mode: mode.value)
def test_tee_table_scores_and_counts(model: Model, answers: Answers, mode: Mode) -> None:
    table = tee_table(model, score(model, answers, mode))

    assert list(table.columns) == ["tee", "tee_score", "answered", "unknown"]
    assert list(table["tee"]) == [tee.name for tee in model.tees]
    for row, tee in zip(table.rows, model.tees, strict=True):
        values = [answers.get(statement.id) for statement in tee.in_mode(mode)]
        expected = expected_tee_score(model, tee.id, answers, mode)
        if expected is None:
            assert row["tee_score"] == "not enough answers"
        else:
            assert row["tee_score"] == str(half_up(expected))
        assert row["answered"] == sum(isinstance(value, int) for value in values)
        assert row["unknown"] == values.count("dont_know")


def test_tee_table_reverse_keyed_statements_count_the_other_way(model: Model) -> None:
    """All 5s: 100 on plain statements, 0 on reverse-keyed ones; the score is their mix."""
    table = tee_table(model, full_result(model, uniform_answers(model, "none", 5, "na")))

    for row, tee in zip(table.rows, model.tees, strict=True):
        reverse = sum(statement.reverse for statement in tee.statements)
        assert row["tee_score"] == str(half_up(Fraction(100 * (len(tee.statements) - reverse), len(tee.statements))))


# comparison_table ---------------------------------------------------------------------------------------------------


def test_comparison_table_rows_and_changes(model: Model) -> None:
    old_answers, new_answers = ANSWER_SETS["demo"](model), ANSWER_SETS["spread"](model)
    table = comparison_table(model, full_result(model, old_answers), full_result(model, new_answers))
    rows = table.rows

    assert list(table.columns) == ["measure", "before", "now", "change", "direction", "stage_change"]
    assert [row["measure"] for row in rows] == [
        *(d.name for d in model.dimensions),
        *(f"{tee.name} (0-100)" for tee in model.tees),
        "Checklist compliance %",
    ]
    for row, dimension in zip(rows[: len(model.dimensions)], model.dimensions, strict=True):
        old = half_up(expected_dimension_score(dimension, old_answers), 1)
        new = half_up(expected_dimension_score(dimension, new_answers), 1)
        # The change is that of the figures shown, so before + change = now on the page.
        assert (row["before"], row["now"], row["change"]) == (str(old), str(new), signed(new - old))
        assert row["direction"] == ("up" if new > old else "down" if new < old else "same")
    tee_rows = rows[len(model.dimensions) : -1]
    for row, tee in zip(tee_rows, model.tees, strict=True):
        old_t = expected_tee_score(model, tee.id, old_answers)
        new_t = expected_tee_score(model, tee.id, new_answers)
        assert old_t is not None and new_t is not None
        old_r, new_r = half_up(old_t), half_up(new_t)
        assert (row["before"], row["now"], row["change"]) == (str(old_r), str(new_r), signed(new_r - old_r))
        assert row["stage_change"] == ""
    old_c, new_c = expected_compliance(model, old_answers), expected_compliance(model, new_answers)
    assert old_c is not None and new_c is not None
    old_p, new_p = half_up(Decimal(repr(old_c)) * 100), half_up(Decimal(repr(new_c)) * 100)
    assert (rows[-1]["before"], rows[-1]["now"], rows[-1]["change"]) == (str(old_p), str(new_p), signed(new_p - old_p))


def test_comparison_table_signs_and_stage_changes(model: Model) -> None:
    before = full_result(model, stage_answers(model, "crawl"))
    after = full_result(model, stage_answers(model, "walk"))
    rows = comparison_table(model, before, after).rows
    for row in rows[: len(model.dimensions)]:
        assert row["change"].startswith("+")
        assert row["direction"] == "up"
        assert row["stage_change"] == "Crawl → Walk"
    back = comparison_table(model, after, before).rows
    assert all(row["change"].startswith(MINUS) and row["direction"] == "down" for row in back[: len(model.dimensions)])


def test_comparison_table_against_the_same_result_shows_no_change(model: Model, demo: Answers) -> None:
    result = full_result(model, demo)
    table = comparison_table(model, result, result)

    assert set(table["change"]) <= {"0", "0.0"}
    assert set(table["direction"]) == {"same"}
    assert list(table["before"]) == list(table["now"])
    dimension_rows = table.rows[: len(model.dimensions)]
    assert [row["stage_change"] for row in dimension_rows] == [
        model.stage(result.dimension(d.id).stage).name if result.dimension(d.id).stage else "Not yet at Crawl"
        for d in model.dimensions
    ]


def test_comparison_table_leaves_change_empty_when_a_round_has_no_score(model: Model, demo: Answers) -> None:
    """The first round answered nothing: no T score and no compliance to compare with."""
    table = comparison_table(model, full_result(model, {}), full_result(model, demo))
    rows = table.rows
    count = len(model.dimensions)

    for row, dimension in zip(rows[:count], model.dimensions, strict=True):
        new = half_up(expected_dimension_score(dimension, demo), 1)
        assert (row["before"], row["now"], row["change"]) == ("0.0", str(new), signed(new))
    for row in rows[count:]:
        assert row["before"] == "–"
        assert row["now"] != "–"
        assert row["change"] == "–"
        assert row["direction"] == "none"


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


def test_a_table_refuses_a_row_whose_columns_differ_from_its_own() -> None:
    table = Table(("stage", "points"), ({"stage": "Crawl", "points": 3},))
    assert table["points"] == [3] and len(table) == 1
    with pytest.raises(ValueError, match="not the table's"):
        Table(("stage", "points"), ({"points": 3, "stage": "Crawl"},))
