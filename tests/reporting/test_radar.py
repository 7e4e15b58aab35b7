"""The radar: its Vega-Lite spec, cache key, table, text alternative and label wrapping."""

from __future__ import annotations

import math
import re
from itertools import pairwise
from typing import Any

import pytest

from assessment.model import STAGE_IDS, Mode, Model
from assessment.scoring import Result, score
from reporting.radar import RadarSeries, radar_description, radar_spec, radar_table, series_key, wrap_label
from tests.reporting.conftest import (
    POINTS,
    Answers,
    expected_cell_coverage,
    expected_dimension_score,
    expected_dimension_stage,
    full_result,
)

Row = dict[str, Any]
TITLE = "Maturity by dimension (0-4)"


# Reading the spec -------------------------------------------------------------------------------------------------


def layer_rows(spec: dict, layer: dict) -> list[Row]:
    """The inline data rows a layer draws (Altair puts them in top-level "datasets", keyed by name)."""
    return spec["datasets"][layer["data"]["name"]]


def series_layers(spec: dict) -> list[dict]:
    """The layers coloured by series: the outline (a line) and the dots (circles)."""
    return [layer for layer in spec["layer"] if layer["encoding"].get("color", {}).get("field") == "series"]


def series_layer(spec: dict, mark: str) -> dict:
    (found,) = [layer for layer in series_layers(spec) if layer["mark"]["type"] == mark]
    return found


def detail_layer(spec: dict, field: str) -> dict:
    (found,) = [layer for layer in spec["layer"] if layer["encoding"].get("detail", {}).get("field") == field]
    return found


def distance(row: Row) -> float:
    return math.hypot(row["x"], row["y"])


def stage_names(model: Model) -> dict[str, str]:
    return {s.id: s.name for s in model.stages}


# Spec: the series outline ------------------------------------------------------------------------------------------


def test_each_point_sits_on_its_spoke_at_the_dimension_score(model: Model, answers: Answers) -> None:
    result = full_result(model, answers)
    spec = radar_spec(model, [RadarSeries("This round", result)])
    rows = sorted(layer_rows(spec, series_layer(spec, "line")), key=lambda row: row["order"])
    count = len(model.dimensions)
    names = stage_names(model)

    assert len(rows) == count + 1
    for index, dimension in enumerate(model.dimensions):
        row = rows[index]
        expected = expected_dimension_score(dimension, answers)
        assert row["order"] == index
        assert row["dimension"] == dimension.name
        assert row["series"] == "This round"
        assert row["closing"] is False
        assert distance(row) == pytest.approx(expected, abs=1e-9)
        assert distance(row) == pytest.approx(result.dimension(dimension.id).score, abs=1e-9)
        assert row["score"] == round(expected, 2)
        if expected > 0:  # the spoke of dimension i points at angle 2*pi*i/count, clockwise from the top
            angle = math.atan2(row["x"], row["y"]) % (2 * math.pi)
            assert angle == pytest.approx(2 * math.pi * index / count, abs=1e-9)
        stage = expected_dimension_stage(dimension, answers)
        assert row["stage"] == (names[stage] if stage else "Not yet at Crawl")
        for stage_id in STAGE_IDS:
            coverage = expected_cell_coverage(dimension, stage_id, answers)
            assert row[f"{names[stage_id]} %"] == round(coverage * 100)


def test_the_outline_closes_back_on_the_first_dimension(model: Model, spread: Answers) -> None:
    spec = radar_spec(model, [RadarSeries("This round", full_result(model, spread))])
    rows = layer_rows(spec, series_layer(spec, "line"))
    closing = [row for row in rows if row["closing"]]
    first = next(row for row in rows if row["order"] == 0)

    assert len(closing) == 1
    (last,) = closing
    assert last["order"] == len(model.dimensions) == max(row["order"] for row in rows)
    assert last["dimension"] == model.dimensions[0].name
    assert (last["x"], last["y"], last["score"]) == pytest.approx((first["x"], first["y"], first["score"]), abs=1e-9)


def test_the_dots_are_the_outline_without_its_closing_point(model: Model, spread: Answers) -> None:
    spec = radar_spec(model, [RadarSeries("This round", full_result(model, spread))])
    line = layer_rows(spec, series_layer(spec, "line"))
    dots = layer_rows(spec, series_layer(spec, "circle"))

    assert [row["dimension"] for row in dots] == [d.name for d in model.dimensions]
    assert dots == [row for row in line if not row["closing"]]


def test_the_dots_have_a_tooltip_with_every_value(model: Model, demo: Answers) -> None:
    spec = radar_spec(model, [RadarSeries("This round", full_result(model, demo))])
    tooltip = series_layer(spec, "circle")["encoding"]["tooltip"]
    fields = [entry["field"] for entry in tooltip]
    per_stage = [f"{name} %" for name in stage_names(model).values()]

    assert fields == ["series", "dimension", "score", "stage", *per_stage]
    assert len(per_stage) == len(STAGE_IDS) == 4
    assert all(re.fullmatch(r"\w+ %", field) for field in per_stage)


# Spec: rings, spokes, labels, title ---------------------------------------------------------------------------------


def test_four_round_rings_one_per_stage(model: Model, demo: Answers) -> None:
    spec = radar_spec(model, [RadarSeries("This round", full_result(model, demo))])
    rows = layer_rows(spec, detail_layer(spec, "ring"))
    names = [stage_names(model)[stage_id] for stage_id in STAGE_IDS]

    assert sorted({row["ring"] for row in rows}) == sorted(names)
    for radius, name in enumerate(names, start=1):
        ring = sorted((row for row in rows if row["ring"] == name), key=lambda row: row["order"])
        assert len(ring) == len(model.dimensions) + 1
        assert all(distance(row) == pytest.approx(radius, abs=1e-9) for row in ring)
        assert (ring[0]["x"], ring[0]["y"]) == pytest.approx((ring[-1]["x"], ring[-1]["y"]), abs=1e-9)


def test_one_spoke_per_dimension_from_the_centre_to_the_outer_ring(model: Model, demo: Answers) -> None:
    spec = radar_spec(model, [RadarSeries("This round", full_result(model, demo))])
    rows = layer_rows(spec, detail_layer(spec, "spoke"))

    assert sorted({row["spoke"] for row in rows}) == sorted(d.id for d in model.dimensions)
    for dimension in model.dimensions:
        ends = sorted((row for row in rows if row["spoke"] == dimension.id), key=lambda row: row["order"])
        assert [distance(row) for row in ends] == pytest.approx([0.0, 4.0], abs=1e-9)


def test_every_dimension_name_is_a_label(model: Model, demo: Answers) -> None:
    spec = radar_spec(model, [RadarSeries("This round", full_result(model, demo))])
    text_layers = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    labels = [row["label"].replace("\n", " ") for layer in text_layers for row in layer_rows(spec, layer)]

    for dimension in model.dimensions:
        assert labels.count(dimension.name) == 1
    for stage in model.stages:  # the ring names
        assert stage.name in labels


@pytest.mark.parametrize("size", [360, 500])
def test_title_and_size(model: Model, demo: Answers, size: int) -> None:
    spec = radar_spec(model, [RadarSeries("This round", full_result(model, demo))], size=size)

    assert spec["title"] == TITLE
    assert spec["width"] == size
    assert spec["height"] == round(size * 5.3 / 7.0)  # same units per pixel on both axes
    assert spec["height"] < spec["width"]


# Spec: one series or two --------------------------------------------------------------------------------------------


def test_one_series_has_no_legend(model: Model, demo: Answers) -> None:
    spec = radar_spec(model, [RadarSeries("Round 1 (this round)", full_result(model, demo))])

    for layer in series_layers(spec):
        colour = layer["encoding"]["color"]
        assert colour["scale"]["domain"] == ["Round 1 (this round)"]
        assert colour.get("legend", "missing") is None
    assert series_layer(spec, "line")["encoding"]["strokeDash"]["scale"]["range"] == [[1, 0]]


def test_the_dashed_flag_not_the_position_decides_which_series_is_dashed(model: Model, demo: Answers) -> None:
    series = [
        RadarSeries("Round 1", full_result(model, {}), dashed=True),
        RadarSeries("Round 2", full_result(model, demo)),
    ]
    spec = radar_spec(model, series)

    dash = series_layer(spec, "line")["encoding"]["strokeDash"]["scale"]
    assert dash["domain"] == ["Round 1", "Round 2"]
    past, current = dash["range"]
    assert past[1] > 0 and current == [1, 0]
    past_colour, current_colour = series_layer(spec, "line")["encoding"]["color"]["scale"]["range"]
    assert past_colour != current_colour


def test_two_series_are_both_drawn_with_a_legend_and_the_second_dashed(model: Model, demo: Answers) -> None:
    now, before = full_result(model, demo), full_result(model, {})
    series = [RadarSeries("Round 2 (this round)", now), RadarSeries("Round 1", before, dashed=True)]
    spec = radar_spec(model, series)
    labels = ["Round 2 (this round)", "Round 1"]

    for layer in series_layers(spec):
        colour = layer["encoding"]["color"]
        assert colour["scale"]["domain"] == labels
        assert len(colour["scale"]["range"]) == 2
        assert isinstance(colour["legend"], dict)
    dash = series_layer(spec, "line")["encoding"]["strokeDash"]
    assert dash["scale"]["domain"] == labels
    solid, dashed = dash["scale"]["range"]
    assert solid == [1, 0]
    assert dashed[1] > 0  # a gap: a dashed line

    rows = layer_rows(spec, series_layer(spec, "line"))
    count = len(model.dimensions)
    for label, result in zip(labels, (now, before), strict=True):
        own = [row for row in rows if row["series"] == label]
        assert len(own) == count + 1
        for row in own:
            dimension = model.dimensions[row["order"] % count]
            assert distance(row) == pytest.approx(result.dimension(dimension.id).score, abs=1e-9)


# series_key ---------------------------------------------------------------------------------------------------------


def key_for(result: Result, label: str = "This round", dashed: bool = False) -> object:
    return series_key([RadarSeries(label, result, dashed)])


def test_equal_results_give_equal_hashable_keys(model: Model, demo: Answers) -> None:
    first, second = full_result(model, dict(demo)), full_result(model, dict(demo))
    key = key_for(first)

    assert first is not second
    assert key == key_for(second)
    assert hash(key) == hash(key_for(second))
    assert {key: "spec"}[key_for(second)] == "spec"


def test_any_maturity_answer_that_moves_a_score_changes_the_key(model: Model, demo: Answers) -> None:
    base = full_result(model, demo)
    base_key = key_for(base)
    unchanged = []
    for dimension in model.dimensions:
        for statement in dimension.statements:
            changed = dict(demo)
            changed[statement.id] = "none" if POINTS[demo[statement.id]] == 3 else "fully"
            result = full_result(model, changed)
            assert result.dimension(dimension.id).score != base.dimension(dimension.id).score
            if key_for(result) == base_key:
                unchanged.append(statement.id)
    assert unchanged == []


def test_label_and_dash_are_part_of_the_key(model: Model, demo: Answers) -> None:
    result = full_result(model, demo)

    assert key_for(result, label="Round 1") != key_for(result, label="Round 2")
    assert key_for(result, dashed=False) != key_for(result, dashed=True)
    assert series_key([RadarSeries("A", result), RadarSeries("B", result)]) != series_key(
        [RadarSeries("B", result), RadarSeries("A", result)]
    )


def test_answers_the_radar_does_not_draw_leave_the_key_alone(model: Model, demo: Answers) -> None:
    """T's and checklist answers are not on the radar, so they must not force a new chart."""
    changed = dict(demo)
    changed |= {t.id: 1 for t in model.tee_statements(Mode.FULL)}
    changed |= {item.id: "no" for item in model.checklist}
    before, after = full_result(model, demo), full_result(model, changed)

    assert before.tees != after.tees and before.checklist != after.checklist
    assert key_for(before) == key_for(after)


def test_equal_keys_give_equal_specs(model: Model) -> None:
    """Swapping two different answers inside one cell keeps every score, so key and chart stay the same."""
    dimension = next(d for d in model.dimensions if len(d.cell("crawl")) >= 2)
    first, second = (s.id for s in dimension.cell("crawl")[:2])
    one = full_result(model, {first: "fully", second: "none"})
    other = full_result(model, {first: "none", second: "fully"})

    assert key_for(one) == key_for(other)
    assert radar_spec(model, [RadarSeries("R", one)]) == radar_spec(model, [RadarSeries("R", other)])


# radar_table --------------------------------------------------------------------------------------------------------


def test_radar_table_has_a_row_per_dimension_with_the_charted_numbers(model: Model, answers: Answers) -> None:
    table = radar_table(model, full_result(model, answers))
    names = {s.id: s.name for s in model.stages}

    assert list(table.columns) == ["Dimension", "Score (0-4)", "Stage", *(f"{names[s]} %" for s in STAGE_IDS)]
    assert list(table["Dimension"]) == [d.name for d in model.dimensions]
    for row, dimension in zip(table.to_dict("records"), model.dimensions, strict=True):
        assert row["Score (0-4)"] == round(expected_dimension_score(dimension, answers), 2)
        stage = expected_dimension_stage(dimension, answers)
        assert row["Stage"] == (names[stage] if stage else "Not yet at Crawl")
        for stage_id in STAGE_IDS:
            assert row[f"{names[stage_id]} %"] == round(expected_cell_coverage(dimension, stage_id, answers) * 100)


def test_radar_table_agrees_with_the_chart(model: Model, spread: Answers) -> None:
    result = full_result(model, spread)
    table = radar_table(model, result).to_dict("records")
    spec = radar_spec(model, [RadarSeries("R", result)])
    dots = layer_rows(spec, series_layer(spec, "circle"))

    for row, dot in zip(table, dots, strict=True):
        assert row["Dimension"] == dot["dimension"]
        assert row["Score (0-4)"] == dot["score"]
        assert all(row[column] == dot[column] for column in row if column.endswith(" %"))


def test_radar_table_in_quick_mode_uses_only_quick_statements(model: Model, spread: Answers) -> None:
    table = radar_table(model, score(model, spread, Mode.QUICK))

    for row, dimension in zip(table.to_dict("records"), model.dimensions, strict=True):
        assert row["Score (0-4)"] == round(expected_dimension_score(dimension, spread, Mode.QUICK), 2)


# radar_description --------------------------------------------------------------------------------------------------


def test_description_names_count_mean_strongest_and_weakest(model: Model, spread: Answers) -> None:
    scores = {d.name: expected_dimension_score(d, spread) for d in model.dimensions}
    assert len(set(scores.values())) == len(scores), "the spread answers should give distinct scores"
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    strongest = ", ".join(f"{name} ({scores[name]:.1f})" for name in ranked[:3])
    weakest = ", ".join(f"{name} ({scores[name]:.1f})" for name in reversed(ranked[-3:]))
    mean = sum(scores.values()) / len(scores)

    text = radar_description(model, full_result(model, spread))

    assert text.startswith(f"Radar chart of {len(model.dimensions)} dimensions")
    assert f"Average {mean:.1f}." in text
    assert f"Strongest: {strongest}." in text
    assert f"Weakest: {weakest}." in text
    assert text.index(ranked[0]) < text.index(ranked[-1])


def test_description_when_nothing_is_answered(model: Model) -> None:
    text = radar_description(model, full_result(model, {}))

    assert "Average 0.0." in text
    assert text.count("(0.0)") == 6  # three strongest, three weakest


# wrap_label ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("Content", 12, "Content"),
        ("Strategy and purpose", 12, "Strategy and\npurpose"),
        ("Listening and audience", 12, "Listening\nand audience"),
        ("Organisation and resources", 12, "Organisation\nand\nresources"),
        ("a b c d", 3, "a b\nc d"),
        ("Internationalisation works", 12, "Internationalisation\nworks"),
        ("  spaced   out  words ", 12, "spaced out\nwords"),
        ("", 12, ""),
    ],
)
def test_wrap_label_examples(text: str, width: int, expected: str) -> None:
    assert wrap_label(text, width) == expected


@pytest.mark.parametrize("width", [1, 5, 8, 12, 20, 40])
def test_wrap_label_keeps_words_in_order_within_the_width(model: Model, width: int) -> None:
    texts = [d.name for d in model.dimensions] + [item.text for item in model.checklist]
    for text in texts:
        lines = wrap_label(text, width).split("\n")
        assert " ".join(lines).split() == text.split()
        for line in lines:
            assert len(line) <= width or " " not in line, (text, line)
        for line, following in pairwise(lines):  # greedy: the next word did not fit
            assert len(line) + 1 + len(following.split()[0]) > width
