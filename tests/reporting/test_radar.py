"""The radar: its Vega-Lite spec, cache key, table, text alternative and label wrapping."""

from __future__ import annotations

import json
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import pairwise
from pathlib import Path
from typing import Any

import altair
import pytest
from jsonschema import Draft7Validator

from assessment.model import STAGE_IDS, Mode, Model
from assessment.scoring import score
from reporting.radar import PAGE_ASPECT, RadarSeries, radar_description, radar_spec, wrap_label
from reporting.tables import dimension_table
from tests.reporting.conftest import (
    Answers,
    expected_cell_coverage,
    expected_dimension_score,
    expected_dimension_stage,
    full_result,
)

Row = dict[str, Any]
TITLE = "Maturity by dimension (0-4)"


def half_up(value: float | Fraction, decimals: int) -> Decimal:
    """The rounding rule, worked out here on its own: half up on the decimal value."""
    exact = (
        Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else Decimal(repr(value))
    )
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def shown_score(value: float) -> float:
    return float(half_up(value, 1))


def shown_percent(value: Fraction) -> int:
    return int(half_up(value * 100, 0))


# Reading the spec -------------------------------------------------------------------------------------------------


def layer_rows(spec: dict, layer: dict) -> list[Row]:
    """The data rows a layer draws, inline in the layer."""
    assert "datasets" not in spec  # named datasets would go through pandas and Arrow on every rerun
    return layer["data"]["values"]


def series_layers(spec: dict) -> list[dict]:
    """The layers coloured by series: the outline (a line) and the dots (circles)."""
    return [layer for layer in spec["layer"] if layer["encoding"].get("color", {}).get("field") == "series"]


def series_layer(spec: dict, mark: str) -> dict:
    """The first layer of a mark coloured by series (all of them share their encodings' scales)."""
    return next(layer for layer in series_layers(spec) if layer["mark"]["type"] == mark)


def series_rows(spec: dict, mark: str) -> list[Row]:
    """The rows of every series layer of a mark (one layer per series), in drawing order."""
    return [row for layer in series_layers(spec) if layer["mark"]["type"] == mark for row in layer_rows(spec, layer)]


def detail_layer(spec: dict, field: str) -> dict:
    (found,) = [layer for layer in spec["layer"] if layer["encoding"].get("detail", {}).get("field") == field]
    return found


def distance(row: Row) -> float:
    return math.hypot(row["x"], row["y"])


def stage_names(model: Model) -> dict[str, str]:
    return {s.id: s.name for s in model.stages}


# Spec: valid Vega-Lite ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vega_lite_schema() -> dict:
    """The Vega-Lite schema Altair ships (Altair comes with Streamlit): the pages no longer build the chart
    with Altair, so nothing validates the spec at run time."""
    schema = Path(altair.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json"
    return json.loads(schema.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "options",
    [{}, {"width": None}, {"width": 360}, {"title": TITLE, "subtitle": "Walkers & Co. BV · Round 2 · 2 December 2026"}],
    ids=["export", "page", "narrow", "titled"],
)
@pytest.mark.parametrize("rounds", [1, 2])
def test_the_spec_is_valid_vega_lite(
    model: Model, demo: Answers, vega_lite_schema: dict, options: dict[str, Any], rounds: int
) -> None:
    series = [RadarSeries("Round 2 (this round)", full_result(model, demo))]
    if rounds == 2:
        series.append(RadarSeries("Round 1", full_result(model, {}), dashed=True))
    spec = radar_spec(model, series, **options)

    errors = [error.message for error in Draft7Validator(vega_lite_schema).iter_errors(spec)]
    assert errors == []
    assert json.loads(json.dumps(spec)) == spec  # plain JSON values only, as Streamlit sends it


# Spec: the series outline ------------------------------------------------------------------------------------------


def test_each_point_sits_on_its_spoke_at_the_dimension_score(model: Model, answers: Answers) -> None:
    result = full_result(model, answers)
    spec = radar_spec(model, [RadarSeries("This round", result)])
    rows = sorted(series_rows(spec, "line"), key=lambda row: row["order"])
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
        assert row["score"] == shown_score(expected)
        if expected > 0:  # the spoke of dimension i points at angle 2*pi*i/count, clockwise from the top
            angle = math.atan2(row["x"], row["y"]) % (2 * math.pi)
            assert angle == pytest.approx(2 * math.pi * index / count, abs=1e-9)
        stage = expected_dimension_stage(dimension, answers)
        assert row["stage"] == (names[stage] if stage else "Not yet at Crawl")
        for stage_id in STAGE_IDS:
            coverage = expected_cell_coverage(dimension, stage_id, answers)
            assert row[f"{names[stage_id]} %"] == shown_percent(coverage)


def test_the_outline_closes_back_on_the_first_dimension(model: Model, spread: Answers) -> None:
    spec = radar_spec(model, [RadarSeries("This round", full_result(model, spread))])
    rows = series_rows(spec, "line")
    closing = [row for row in rows if row["closing"]]
    first = next(row for row in rows if row["order"] == 0)

    assert len(closing) == 1
    (last,) = closing
    assert last["order"] == len(model.dimensions) == max(row["order"] for row in rows)
    assert last["dimension"] == model.dimensions[0].name
    assert (last["x"], last["y"], last["score"]) == pytest.approx((first["x"], first["y"], first["score"]), abs=1e-9)


def test_the_dots_are_the_outline_without_its_closing_point(model: Model, spread: Answers) -> None:
    spec = radar_spec(model, [RadarSeries("This round", full_result(model, spread))])
    line = series_rows(spec, "line")
    dots = series_rows(spec, "circle")

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


def test_four_round_rings_one_per_score_unit(model: Model, demo: Answers) -> None:
    spec = radar_spec(model, [RadarSeries("This round", full_result(model, demo))])
    rows = layer_rows(spec, detail_layer(spec, "ring"))

    assert sorted({row["ring"] for row in rows}) == ["1", "2", "3", "4"]
    for radius in range(1, 5):
        ring = sorted((row for row in rows if row["ring"] == str(radius)), key=lambda row: row["order"])
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


def text_rows(spec: dict, field: str) -> list[Row]:
    """Rows of the text layers that write `field`, each with its layer's mark properties."""
    return [
        {**row, "_mark": layer["mark"]}
        for layer in spec["layer"]
        if layer["mark"]["type"] == "text" and layer["encoding"]["text"]["field"] == field
        for row in layer_rows(spec, layer)
    ]


def visible(text: str) -> str:
    return " ".join(text.replace("\u200b", "").split())


def test_every_dimension_name_is_a_label_with_its_stage_under_it(model: Model, demo: Answers) -> None:
    result = full_result(model, demo)
    spec = radar_spec(model, [RadarSeries("This round", result)])
    names = stage_names(model)
    labels = {visible(row["label"]): row for row in text_rows(spec, "label") if row["label"] not in "1234"}

    assert sorted(labels) == sorted(d.name for d in model.dimensions)
    for dimension in model.dimensions:
        row = labels[dimension.name]
        stage = expected_dimension_stage(dimension, demo)
        assert visible(row["stage"]) == (names[stage] if stage else "Not yet at Crawl")
        # Name and stage have the same number of lines, so the stage sits on the line under the name.
        assert row["label"].count("\n") == row["stage"].count("\n")
        assert row["stage"].split("\n")[-1] == visible(row["stage"])
        assert row["_mark"]["fontSize"] >= 12


def test_the_rings_are_labelled_with_the_score_on_the_ring_legibly(model: Model, demo: Answers) -> None:
    spec = radar_spec(model, [RadarSeries("This round", full_result(model, demo))])
    rings = [row for row in text_rows(spec, "label") if row["label"] in ("1", "2", "3", "4")]
    drawn = [row for row in rings if row["_mark"].get("color") != "white"]  # the halo is drawn under it

    assert sorted(row["label"] for row in drawn) == ["1", "2", "3", "4"]
    for row in drawn:
        assert distance(row) == pytest.approx(int(row["label"]), abs=1e-9)  # on its ring
        assert row["_mark"]["fontSize"] >= 12
        colour = int(row["_mark"]["color"].lstrip("#"), 16)
        assert max(colour >> 16, (colour >> 8) & 255, colour & 255) <= 0x60  # dark enough on white
    # Stage names are not ring labels: a dimension's stage is not its score rounded.
    assert not any(row["label"] in stage_names(model).values() for row in text_rows(spec, "label"))
    # Ring labels come after (over) the series lines.
    kinds = [layer["mark"]["type"] for layer in spec["layer"]]
    last_line = max(i for i, layer in enumerate(spec["layer"]) if layer in series_layers(spec))
    first_ring_text = min(
        i
        for i, layer in enumerate(spec["layer"])
        if kinds[i] == "text" and any(row["label"] == "1" for row in layer_rows(spec, layer) if "label" in row)
    )
    assert first_ring_text > last_line


@pytest.mark.parametrize("width", [360, 700])
def test_a_fixed_width_keeps_the_rings_round(model: Model, demo: Answers, width: int) -> None:
    spec = radar_spec(model, [RadarSeries("This round", full_result(model, demo))], width=width)

    assert "title" not in spec
    assert spec["width"] == width
    assert spec["height"] == round(width * 5.8 / 7.0)  # same units per pixel on both axes
    x_domain = spec["encoding"]["x"]["scale"]["domain"]
    y_domain = spec["encoding"]["y"]["scale"]["domain"]
    assert (x_domain[1] - x_domain[0]) / spec["width"] == pytest.approx(
        (y_domain[1] - y_domain[0]) / spec["height"], rel=1e-2
    )


def test_on_the_page_the_chart_fills_its_container_and_keeps_the_rings_round(model: Model, demo: Answers) -> None:
    spec = radar_spec(model, [RadarSeries("This round", full_result(model, demo))], width=None)

    assert (spec["width"], spec["height"]) == ("container", "container")
    params = {p["name"]: p["expr"] for p in spec["params"]}
    assert set(params) == {"x_extent", "y_extent"}
    assert "* width / height" in params["x_extent"] and "* height / width" in params["y_extent"]
    assert spec["encoding"]["x"]["scale"]["domain"] == {"expr": "[-x_extent, x_extent]"}
    assert spec["encoding"]["y"]["scale"]["domain"] == {"expr": "[-y_extent, y_extent]"}
    # Labels are smaller on a narrow (phone) chart, never under 12 px.
    (size,) = {row["_mark"]["fontSize"]["expr"] for row in text_rows(spec, "stage")}
    assert re.fullmatch(r"width < \d+ \? 12 : 13", size)
    assert PAGE_ASPECT[0] > PAGE_ASPECT[1]


def test_exports_carry_a_title_and_subtitle(model: Model, demo: Answers) -> None:
    spec = radar_spec(
        model, [RadarSeries("R", full_result(model, demo))], title=TITLE, subtitle="Walkers & Co. BV · 2 December 2026"
    )
    assert spec["title"]["text"] == TITLE
    assert spec["title"]["subtitle"] == "Walkers & Co. BV · 2 December 2026"


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
        if layer["mark"]["type"] == "line":  # one legend, with line symbols
            assert colour["legend"]["symbolType"] == "stroke"
        else:
            assert colour["legend"] is None
    dash = series_layer(spec, "line")["encoding"]["strokeDash"]
    assert dash["scale"]["domain"] == labels
    solid, dashed = dash["scale"]["range"]
    assert solid == [1, 0]
    assert dashed[1] > 0  # a gap: a dashed line

    # The earlier round is drawn first, the current one over it (lines and dots).
    drawn = [layer_rows(spec, layer)[0]["series"] for layer in series_layers(spec)]
    assert drawn == ["Round 1", "Round 1", "Round 2 (this round)", "Round 2 (this round)"]

    rows = series_rows(spec, "line")
    count = len(model.dimensions)
    for label, result in zip(labels, (now, before), strict=True):
        own = [row for row in rows if row["series"] == label]
        assert len(own) == count + 1
        for row in own:
            dimension = model.dimensions[row["order"] % count]
            assert distance(row) == pytest.approx(result.dimension(dimension.id).score, abs=1e-9)


# dimension_table: the numbers beside the chart ----------------------------------------------------------------------


def test_dimension_table_has_a_row_per_dimension_with_the_charted_numbers(model: Model, answers: Answers) -> None:
    table = dimension_table(model, full_result(model, answers))
    names = {s.id: s.name for s in model.stages}

    assert list(table.columns) == ["dimension", "stage", "score", *STAGE_IDS]  # stable ids, key columns first
    assert list(table["dimension"]) == [d.name for d in model.dimensions]
    for row, dimension in zip(table.rows, model.dimensions, strict=True):
        assert row["score"] == str(half_up(expected_dimension_score(dimension, answers), 1))
        stage = expected_dimension_stage(dimension, answers)
        assert row["stage"] == (names[stage] if stage else "Not yet at Crawl")
        for stage_id in STAGE_IDS:
            assert row[stage_id] == str(shown_percent(expected_cell_coverage(dimension, stage_id, answers)))


def test_dimension_table_agrees_with_the_chart(model: Model, spread: Answers) -> None:
    result = full_result(model, spread)
    table = dimension_table(model, result).rows
    spec = radar_spec(model, [RadarSeries("R", result)])
    dots = series_rows(spec, "circle")
    names = stage_names(model)

    for row, dot in zip(table, dots, strict=True):
        assert row["dimension"] == dot["dimension"]
        assert row["score"] == f"{dot['score']:.1f}"
        assert row["stage"] == dot["stage"]
        assert all(row[stage_id] == str(dot[f"{names[stage_id]} %"]) for stage_id in STAGE_IDS)


def test_dimension_table_in_quick_mode_uses_only_quick_statements(model: Model, spread: Answers) -> None:
    table = dimension_table(model, score(model, spread, Mode.QUICK))

    for row, dimension in zip(table.rows, model.dimensions, strict=True):
        assert row["score"] == str(half_up(expected_dimension_score(dimension, spread, Mode.QUICK), 1))


# radar_description --------------------------------------------------------------------------------------------------


def test_description_names_count_mean_strongest_and_weakest(model: Model, spread: Answers) -> None:
    scores = {d.name: expected_dimension_score(d, spread) for d in model.dimensions}
    assert len(set(scores.values())) == len(scores), "the spread answers should give distinct scores"
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    strongest = ", ".join(f"{name} ({half_up(scores[name], 1)})" for name in ranked[:3])
    weakest = ", ".join(f"{name} ({half_up(scores[name], 1)})" for name in reversed(ranked[-3:]))
    mean = half_up(sum(scores.values()) / len(scores), 1)

    text = radar_description(model, full_result(model, spread))

    assert text.startswith(f"Radar chart of {len(model.dimensions)} dimensions")
    assert f"Average {mean}." in text
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
