"""The management dashboard's charts: specs that render, tables with the charted numbers, descriptions
that say what the chart shows, and hidden departments without a figure anywhere."""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import altair
import pytest
from jsonschema import Draft7Validator

from assessment.model import MATURITY_VALUES, NOT_APPLICABLE, Model
from reporting.dashboard_charts import (
    Chart,
    Overlay,
    agreement_chart,
    department_heatmap,
    hidden_label,
    maturity_radar,
    stage_distribution,
    statement_distribution_chart,
    trend_chart,
)
from reporting.export import chart_png, chart_svg
from reporting.room import UNANSWERED

Row = dict[str, Any]
ANSWERS = (*MATURITY_VALUES, NOT_APPLICABLE, UNANSWERED)
WAVES = ("Spring 2026", "Autumn 2026", "Spring 2027")


def half_up(value: float, decimals: int = 1) -> Decimal:
    """The rounding rule, on its own: half up on the decimal value."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def shown(value: float, decimals: int = 1) -> str:
    return str(half_up(value, decimals))


def contrast(colour: str, background: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def all_rows(spec: dict[str, Any]) -> list[Row]:
    """Every data row of a spec, top level and in every layer (and a facet's inner spec)."""
    rows: list[Row] = list(spec.get("data", {}).get("values", []))
    for layer in spec.get("layer", []) + spec.get("spec", {}).get("layer", []):
        rows += layer.get("data", {}).get("values", [])
    return rows


def layer_rows(layer: dict[str, Any]) -> list[Row]:
    rows: list[Row] = layer["data"]["values"]
    return rows


# Inputs -----------------------------------------------------------------------------------------------------------


@pytest.fixture
def ids(model: Model) -> list[str]:
    return [d.id for d in model.dimensions]


@pytest.fixture
def medians(ids: list[str]) -> dict[str, float]:
    # 1.25 and 2.35 sit on a rounding edge: half up gives 1.3 and 2.4 (binary floats would give 1.2 or 2.3).
    values = [1.25, 2.35, 3.0, 0.5, 2.05, 1.75, 3.45, 2.0, 0.95, 1.5]
    return dict(zip(ids, values, strict=True))


@pytest.fixture
def q1(medians: dict[str, float]) -> dict[str, float]:
    return {key: max(0.0, value - 0.45) for key, value in medians.items()}


@pytest.fixture
def q3(medians: dict[str, float]) -> dict[str, float]:
    return {key: min(4.0, value + 0.65) for key, value in medians.items()}


@pytest.fixture
def overlays(ids: list[str], medians: dict[str, float]) -> list[Overlay]:
    previous = {key: max(0.0, value - 0.3) for key, value in medians.items()}
    benchmark = {key: 2.0 for key in ids}
    target = {key: 3.0 for key in ids[:-1]}  # no target for the last dimension
    return [
        Overlay("previous", "Spring 2026", previous),
        Overlay("benchmark", "Benchmark: 14 organisations, 820 respondents", benchmark),
        Overlay("target", "Target", target),
    ]


def departments(ids: list[str]) -> list[tuple[str, dict[str, float] | None, int | None]]:
    return [
        ("Marketing", {key: 0.25 + 0.35 * index for index, key in enumerate(ids)}, 14),
        ("Legal", None, 3),  # under the threshold: its count is given but must not show
        ("Customer service", {key: 3.85 - 0.3 * index for index, key in enumerate(ids)}, 1234),
    ]


def trend(ids: list[str]) -> dict[str, list[float | None]]:
    series: dict[str, list[float | None]] = {
        key: [1.0 + 0.1 * i, 1.25 + 0.1 * i, 1.75 + 0.1 * i] for i, key in enumerate(ids)
    }
    series[ids[1]] = [2.5, None, 2.0]  # a wave without a median: a gap
    series[ids[2]] = [3.0, 3.05, 2.95]  # shows 3.0, 3.1 (half up), 3.0
    return series


def spreads(ids: list[str]) -> list[tuple[str, float, float, float]]:
    widths = [0.5, 1.0, 2.0, 0.25, 1.5, 0.75, 1.25, 0.1, 1.75, 0.6]
    return [(key, 1.0, 1.0 + width / 2, 1.0 + width) for key, width in zip(ids, widths, strict=True)]


def statement_counts() -> tuple[list[str], list[dict[str, int]]]:
    texts = [
        "We have written down why we use social media and which business goal it serves.",
        "Our social media plan is part of our marketing and communication plan.",
        "Nobody has answered this one yet.",
    ]
    counts = [
        {"none": 2, "partly": 3, "largely": 4, "fully": 1, "dont_know": 1, "unanswered": 1},
        {"none": 1, "fully": 6, NOT_APPLICABLE: 2, "unanswered": 3},
        {},
    ]
    return texts, counts


def every_chart(model: Model, width: int | None) -> dict[str, Chart]:
    ids = [d.id for d in model.dimensions]
    medians = {key: 1.0 + 0.2 * index for index, key in enumerate(ids)}
    q1 = {key: value - 0.5 for key, value in medians.items()}
    q3 = {key: value + 0.5 for key, value in medians.items()}
    overlay = [Overlay("previous", "Spring 2026", {key: 1.5 for key in ids}), Overlay("target", "Target", q3)]
    texts, counts = statement_counts()
    return {
        "radar": maturity_radar(model, medians, q1, q3, overlay, width=width),
        "stages": stage_distribution(
            model, [(None, 2), ("crawl", 5), ("walk", 9), ("run", 3), ("fly", 0)], width=width
        ),
        "departments": department_heatmap(model, departments(ids), threshold=5, width=width),
        "trend": trend_chart(model, WAVES, trend(ids), width=width or 700),
        "agreement": agreement_chart(model, spreads(ids), width=width),
        "statements": statement_distribution_chart(texts, counts, ANSWERS, width=width),
    }


# Every chart: valid, renders, reads well ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vega_lite_schema() -> dict[str, Any]:
    schema = Path(altair.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json"
    loaded: dict[str, Any] = json.loads(schema.read_text(encoding="utf-8"))
    return loaded


@pytest.mark.parametrize("width", [700, 360, None], ids=["export", "phone", "container"])
def test_every_spec_is_valid_vega_lite_of_plain_json(
    model: Model, vega_lite_schema: dict[str, Any], width: int | None
) -> None:
    validator = Draft7Validator(vega_lite_schema)
    for name, chart in every_chart(model, width).items():
        errors = [error.message for error in validator.iter_errors(chart.spec)]
        assert errors == [], name
        assert json.loads(json.dumps(chart.spec)) == chart.spec, name


def expected_labels(model: Model) -> dict[str, list[str]]:
    texts, _counts = statement_counts()
    return {
        "radar": ["Strategy and", "Median", "Spring 2026", "Target", "Middle half (Q1 to Q3)"],
        "stages": ["Not yet at Crawl", "Walk", "9 (47 %)", "Respondents"],
        "departments": ["Marketing", "Legal", "hidden", "n = 14", "Median (0-4)"],
        "trend": [model.dimensions[0].name, *WAVES],
        "agreement": ["Measurement", "spread 1.8", "Score (0-4)"],
        "statements": ["We have written down why we use social", "not in place", "fully in place", "Share of"],
    }


@pytest.mark.parametrize("width", [700, 360], ids=["export", "phone"])
def test_every_chart_renders_as_svg_and_png_with_its_labels(model: Model, width: int) -> None:
    labels = expected_labels(model)
    for name, chart in every_chart(model, width).items():
        svg = chart_svg(chart.spec)
        texts = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
        for label in labels[name]:
            assert label.replace("'", "&#39;") in texts or label in svg, (name, label)
        png = chart_png(chart.spec, scale=1)
        assert png.startswith(b"\x89PNG")
        width_px = int.from_bytes(png[16:20], "big")
        # The whole chart, axes and legend included, is about the width asked for (the radar draws
        # its legend under it, a little wider on a phone).
        assert width_px <= width * 1.12, (name, width_px)


def test_every_chart_has_a_description_and_a_table(model: Model) -> None:
    for name, chart in every_chart(model, None).items():
        assert len(chart.description) > 60, name
        assert chart.table.rows, name
        assert all(len(row) == len(chart.table.columns) for row in chart.table.rows), name


def colours_in(spec: Any) -> list[str]:
    found: list[str] = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in {"color", "stroke", "range"} and isinstance(value, str | list):
                found += [v for v in ([value] if isinstance(value, str) else value) if isinstance(v, str)]
            else:
                found += colours_in(value)
    elif isinstance(spec, list):
        for value in spec:
            found += colours_in(value)
    return [colour for colour in found if re.fullmatch(r"#[0-9a-f]{6}", colour)]


def test_lines_and_text_stand_out_on_white(model: Model) -> None:
    charts = every_chart(model, 700)
    radar = charts["radar"].spec
    overlay_scale = overlay_lines(radar)["encoding"]["color"]["scale"]
    for label, colour in zip(overlay_scale["domain"], overlay_scale["range"], strict=True):
        if label != "Middle half (Q1 to Q3)":  # a shaded area, not a line
            assert contrast(colour) >= 3, label
    for name in ("stages", "agreement", "departments", "trend"):
        text_colours = [
            layer["mark"]["color"]
            for layer in charts[name].spec.get("layer", []) + charts[name].spec.get("spec", {}).get("layer", [])
            if layer["mark"]["type"] == "text" and "color" in layer["mark"]
        ]
        assert all(contrast(colour) >= 4.5 for colour in text_colours), name


# 1. Radar ---------------------------------------------------------------------------------------------------------


def overlay_lines(spec: dict[str, Any]) -> dict[str, Any]:
    found: list[dict[str, Any]] = [layer for layer in spec["layer"] if "strokeDash" in layer.get("encoding", {})]
    assert len(found) == 1
    return found[0]


def median_line_index(spec: dict[str, Any]) -> int:
    return next(
        index
        for index, layer in enumerate(spec["layer"])
        if layer["mark"]["type"] == "line" and layer_rows(layer) and "median" in layer_rows(layer)[0]
    )


def test_radar_table_has_the_charted_medians_quartiles_and_overlays(
    model: Model,
    medians: dict[str, float],
    q1: dict[str, float],
    q3: dict[str, float],
    overlays: list[Overlay],
) -> None:
    chart = maturity_radar(model, medians, q1, q3, overlays)
    spec_rows = layer_rows(chart.spec["layer"][median_line_index(chart.spec)])[:-1]  # without the closing point
    overlay_rows = layer_rows(overlay_lines(chart.spec))

    assert chart.table.columns == ("Dimension", "Median", "Q1", "Q3", *(o.label for o in overlays))
    assert [row[0] for row in chart.table.rows] == [d.name for d in model.dimensions]
    for dimension, table_row, spec_row in zip(model.dimensions, chart.table.rows, spec_rows, strict=True):
        assert spec_row["dimension"] == dimension.name
        expected = [shown(medians[dimension.id]), shown(q1[dimension.id]), shown(q3[dimension.id])]
        assert list(table_row[1:4]) == expected
        assert [str(spec_row[k]) for k in ("median", "Q1", "Q3")] == expected
        for column, overlay in enumerate(overlays, start=4):
            charted = [r for r in overlay_rows if r["series"] == overlay.label and r["dimension"] == dimension.name]
            value = overlay.scores.get(dimension.id)
            assert table_row[column] == (shown(value) if value is not None else "–")
            assert charted[0]["shown"] == table_row[column]
            if value is not None:
                assert str(charted[0]["score"]) == shown(value)
    assert chart.table.rows[1][1] == "2.4"  # 2.35 half up
    assert chart.table.rows[0][1] == "1.3"  # 1.25 half up


def test_radar_overlays_each_have_their_colour_dash_and_legend_entry(
    model: Model, medians: dict[str, float], q1: dict[str, float], q3: dict[str, float], overlays: list[Overlay]
) -> None:
    spec = maturity_radar(model, medians, q1, q3, overlays).spec
    layer = overlay_lines(spec)
    colour, dash = layer["encoding"]["color"], layer["encoding"]["strokeDash"]
    labels = ["Median", "Middle half (Q1 to Q3)", *(o.label for o in overlays)]

    assert colour["scale"]["domain"] == labels == dash["scale"]["domain"]
    assert colour["legend"] is not None and dash["legend"] == colour["legend"]  # one legend, colour and dash
    styles = dict(zip(labels, zip(colour["scale"]["range"], dash["scale"]["range"], strict=True), strict=True))
    previous, benchmark, target = (styles[o.label] for o in overlays)
    assert previous[0] == "#6b7280" and previous[1][0] > 1  # grey, dashed
    assert benchmark[1][0] == 1  # dotted: dots of 1 px with round caps
    assert len(target[1]) == 4  # dash-dot
    assert len({styles[label][0] for label in labels}) == len(labels)  # every profile its own colour
    assert len({tuple(styles[o.label][1]) for o in overlays}) == len(overlays)  # and its own dash
    # Every overlay has its outline in the data, closed back on the first dimension.
    for overlay in overlays:
        rows = [row for row in layer_rows(layer) if row["series"] == overlay.label]
        assert len(rows) == len(model.dimensions) + 1
        assert rows[0]["dimension"] == rows[-1]["dimension"]
    # A dimension without a target score breaks the target's line there: no point, no position.
    last = model.dimensions[-1].name
    (gap,) = [r for r in layer_rows(layer) if r["series"] == "Target" and r["dimension"] == last]
    assert gap["x"] is None and gap["y"] is None and gap["score"] is None
    assert layer["mark"]["invalid"].startswith("break-paths")
    # Under the median, over the band.
    index = spec["layer"].index(layer)
    assert 2 <= index < median_line_index(spec)


def test_radar_without_overlays_still_names_median_and_band(
    model: Model, medians: dict[str, float], q1: dict[str, float], q3: dict[str, float]
) -> None:
    chart = maturity_radar(model, medians, q1, q3, [])
    assert overlay_lines(chart.spec)["encoding"]["color"]["scale"]["domain"] == ["Median", "Middle half (Q1 to Q3)"]
    assert chart.table.columns == ("Dimension", "Median", "Q1", "Q3")
    svg = chart_svg(chart.spec)
    assert "Middle half (Q1 to Q3)" in svg


def test_radar_description_names_every_median_and_how_each_overlay_compares(
    model: Model, medians: dict[str, float], q1: dict[str, float], q3: dict[str, float], overlays: list[Overlay]
) -> None:
    description = maturity_radar(model, medians, q1, q3, overlays).description
    for dimension in model.dimensions:
        assert f"{dimension.name} {shown(medians[dimension.id])}" in description
    # Previous wave: every median 0.3 higher, except where it was clamped at 0 (0.5 -> 0.2 is still +0.3).
    assert "Spring 2026 (grey dashed line): the median is above it on 10, below it on 0 and level on 0" in description
    above_benchmark = sum(1 for v in medians.values() if half_up(v) > 2)
    below_benchmark = sum(1 for v in medians.values() if half_up(v) < 2)
    level_benchmark = sum(1 for v in medians.values() if half_up(v) == 2)
    assert (
        f"(orange dotted line): the median is above it on {above_benchmark}, below it on {below_benchmark} "
        f"and level on {level_benchmark}"
    ) in description
    # The target has no score for the last dimension: it is not counted.
    compared = [v for key, v in medians.items() if key != model.dimensions[-1].id]
    assert (
        f"Target (green dash-dot line): the median is above it on {sum(half_up(v) > 3 for v in compared)}"
        in description
    )
    assert f"below it on {sum(half_up(v) < 3 for v in compared)}" in description


def test_radar_refuses_overlays_with_the_same_label(
    model: Model, medians: dict[str, float], q1: dict[str, float], q3: dict[str, float]
) -> None:
    with pytest.raises(ValueError, match="differ"):
        maturity_radar(model, medians, q1, q3, [Overlay("previous", "Median", medians)])


def test_figures_follow_the_locale(
    model: Model, medians: dict[str, float], q1: dict[str, float], q3: dict[str, float], overlays: list[Overlay]
) -> None:
    chart = maturity_radar(model, medians, q1, q3, overlays, locale="da")
    assert chart.table.rows[1][1] == "2,4"
    assert "Listening and audience 2,4" in chart.description
    assert "2,4" in {row["shown"] for row in layer_rows(overlay_lines(chart.spec))} | {"2,4"}
    stages = stage_distribution(model, [("walk", 12345)], locale="da")
    assert stages.table.rows[0][1] == "12.345"


# 2. Stage distribution -------------------------------------------------------------------------------------------


def test_stage_bars_carry_the_counts_and_shares_of_the_table(model: Model) -> None:
    counts = [(None, 2), ("crawl", 5), ("walk", 9), ("run", 3), ("fly", 0)]
    chart = stage_distribution(model, counts)
    rows = chart.spec["data"]["values"]

    assert [row["stage"] for row in rows] == ["Not yet at Crawl", "Crawl", "Walk", "Run", "Fly"]
    assert chart.spec["encoding"]["y"]["sort"] == [row["stage"] for row in rows]  # in the order given
    assert [row["count"] for row in rows] == [2, 5, 9, 3, 0]
    # 2/19 = 10.5 %, 5/19 = 26.3 %, 9/19 = 47.4 %, 3/19 = 15.8 %
    assert chart.table.rows == (
        ("Not yet at Crawl", "2", "11 %"),
        ("Crawl", "5", "26 %"),
        ("Walk", "9", "47 %"),
        ("Run", "3", "16 %"),
        ("Fly", "0", "0 %"),
    )
    assert [row["label"] for row in rows] == [f"{r[1]} ({r[2]})" for r in chart.table.rows]
    assert "of the 19 respondents" in chart.description
    assert "The largest group: Walk (9)" in chart.description


def test_stage_bars_name_every_stage_of_a_tie_and_say_when_nobody_answered(model: Model) -> None:
    tie = stage_distribution(model, [("crawl", 4), ("walk", 4), ("run", 1)])
    assert "The largest group: Crawl, Walk (4)" in tie.description
    empty = stage_distribution(model, [("crawl", 0), ("walk", 0)])
    assert "no respondents" in empty.description
    assert empty.table.rows[0][2] == "–"
    chart_svg(empty.spec)


# 3. Departments --------------------------------------------------------------------------------------------------


def test_a_hidden_department_has_no_figure_in_the_spec_the_table_or_the_description(
    model: Model, ids: list[str]
) -> None:
    chart = department_heatmap(model, departments(ids), threshold=5)
    legal = [row for row in all_rows(chart.spec) if row["department"].startswith("Legal")]

    assert len(legal) == 2 * len(model.dimensions)  # a grey cell and its word per dimension
    for row in legal:
        assert "median" not in row
        # No number at all, but the threshold in "fewer than 5".
        words = re.sub(r"\s+", " ", " ".join(str(value) for value in row.values()))
        assert not re.search(r"\d", words.replace("fewer than 5", "")), row
    column = chart.table.columns.index("Legal: hidden (fewer than 5)")
    assert [row[column] for row in chart.table.rows] == ["hidden (fewer than 5)"] * len(model.dimensions)
    # Its count (3) is given and shown nowhere.
    assert not re.search(r"\b3\b", chart.table.columns[column])
    assert "Legal" in chart.description and "Legal (3" not in chart.description
    hidden_layers = [
        layer for layer in chart.spec["layer"] if layer_rows(layer) and "median" not in layer_rows(layer)[0]
    ]
    assert hidden_layers and all(layer["mark"].get("color") for layer in hidden_layers)  # grey, fixed
    svg = chart_svg(chart.spec)
    assert "hidden" in svg


def test_heatmap_cells_carry_the_table_numbers(model: Model, ids: list[str]) -> None:
    given = departments(ids)
    chart = department_heatmap(model, given, threshold=5)
    cells = {
        (row["department"].split("\n")[0], row["dimension"]): row for row in all_rows(chart.spec) if "median" in row
    }

    assert chart.table.columns == (
        "Dimension",
        "Marketing (n = 14)",
        "Legal: hidden (fewer than 5)",
        "Customer service (n = 1,234)",
    )
    for row, dimension in zip(chart.table.rows, model.dimensions, strict=True):
        assert row[0] == dimension.name
        for column, (name, medians, _count) in zip(row[1:], given, strict=True):
            if medians is None:
                continue
            cell = cells[(name.split()[0], dimension.name)]
            assert column == shown(medians[dimension.id]) == cell["shown"] == str(cell["median"])
            # Dark cells take white figures.
            assert (cell["ink"] == "white") == (half_up(medians[dimension.id]) >= Decimal("2.75"))
    assert "Highest: Customer service, Strategy and purpose (3.9)" in chart.description
    assert "Lowest: Marketing, Strategy and purpose (0.3)" in chart.description


def test_hidden_wording_with_and_without_a_threshold(model: Model, ids: list[str]) -> None:
    assert hidden_label(None) == "hidden"
    chart = department_heatmap(model, [("Board", None, None)])
    assert chart.table.columns == ("Dimension", "Board: hidden")
    assert "Highest" not in chart.description
    chart_svg(chart.spec)


def test_departments_with_the_same_name_are_refused(model: Model, ids: list[str]) -> None:
    with pytest.raises(ValueError, match="differ"):
        department_heatmap(model, [("HR", None, None), ("HR", None, None)])


# 4. Trend --------------------------------------------------------------------------------------------------------


def test_trend_points_and_table_agree_and_a_missing_wave_is_a_gap(model: Model, ids: list[str]) -> None:
    given = trend(ids)
    chart = trend_chart(model, WAVES, given)
    rows = chart.spec["data"]["values"]

    assert chart.table.columns == ("Dimension", *WAVES)
    for table_row, dimension in zip(chart.table.rows, model.dimensions, strict=True):
        charted = [row for row in rows if row["dimension"] == dimension.name]
        assert [row["wave"] for row in charted] == list(WAVES)
        expected = [shown(v) if v is not None else "–" for v in given[dimension.id]]
        assert list(table_row[1:]) == expected == [row["shown"] for row in charted]
        assert [str(row["median"]) if row["median"] is not None else "–" for row in charted] == expected
    assert chart.table.rows[2][1:] == ("3.0", "3.1", "3.0")
    line = next(layer for layer in chart.spec["spec"]["layer"] if layer["mark"]["type"] == "line")
    assert line["mark"]["invalid"].startswith("break-paths")  # a gap, not a line across the missing wave
    y = chart.spec["spec"]["encoding"]["y"]
    assert y["scale"]["domain"] == [0, 4] and y["axis"]["values"] == [0, 1, 2, 3, 4]


def test_trend_lays_out_two_panels_a_row_or_one_on_a_phone(model: Model, ids: list[str]) -> None:
    assert trend_chart(model, WAVES, trend(ids), width=700).spec["columns"] == 2
    assert trend_chart(model, WAVES, trend(ids), width=360).spec["columns"] == 1


def test_trend_description_names_the_largest_rise_and_fall(model: Model, ids: list[str]) -> None:
    description = trend_chart(model, WAVES, trend(ids)).description
    # Rises of 0.75 (shown 1.0 -> 1.8 is +0.8) for most, 2.5 -> 2.0 (gap in between) the fall.
    first = model.dimensions[0].name
    assert f"Rose most: {first} (1.0 → 1.8, +0.8)" in description
    assert f"Fell most: {model.dimensions[1].name} (2.5 → 2.0, −0.5)" in description
    assert f"Without a median in some waves: {model.dimensions[1].name}." in description


def test_trend_refuses_a_series_of_the_wrong_length(model: Model, ids: list[str]) -> None:
    with pytest.raises(ValueError, match="waves"):
        trend_chart(model, WAVES, {ids[0]: [1.0, 2.0]})


# 5. Agreement ----------------------------------------------------------------------------------------------------


def test_agreement_orders_by_spread_and_its_table_matches_the_bars(model: Model, ids: list[str]) -> None:
    given = spreads(ids)
    chart = agreement_chart(model, given)
    rows = chart.spec["data"]["values"]
    names = {d.id: d.name for d in model.dimensions}
    by_spread = sorted(given, key=lambda s: -(half_up(s[3]) - half_up(s[1])))

    assert [row["dimension"] for row in rows] == [names[s[0]] for s in by_spread]
    assert chart.spec["encoding"]["y"]["sort"] == [row["row"] for row in rows]
    for table_row, row, (dimension, first, middle, third) in zip(chart.table.rows, rows, by_spread, strict=True):
        expected = (names[dimension], shown(first), shown(middle), shown(third), str(half_up(third) - half_up(first)))
        assert table_row == expected
        assert (row["q1_shown"], row["median_shown"], row["q3_shown"], row["spread_shown"]) == expected[1:]
        assert (str(row["q1"]), str(row["median"]), str(row["q3"]), str(row["spread"])) == expected[1:]
    top = [names[s[0]] for s in by_spread[:3]]
    assert "People disagree most on: " + top[0] in chart.description
    for name in top:
        assert name in chart.description
    fourth = names[by_spread[3][0]]
    assert fourth not in chart.description


def test_agreement_ties_follow_the_shown_spread_then_the_model(model: Model, ids: list[str]) -> None:
    # Exact spreads 1.04 and 1.05 show as 1.1 (2.1 - 1.0) and 1.0 (2.1 - 1.1): the shown figure decides.
    given = [(ids[0], 1.06, 1.5, 2.11), (ids[1], 1.04, 1.5, 2.08), (ids[2], 1.0, 1.5, 2.0), (ids[3], 1.0, 1.5, 2.0)]
    rows = agreement_chart(model, given).table.rows
    assert [row[4] for row in rows] == ["1.1", "1.0", "1.0", "1.0"]
    assert [row[0] for row in rows] == [model.dimensions[i].name for i in (1, 0, 2, 3)]


# 6. Answers per statement ----------------------------------------------------------------------------------------


def test_statement_bars_fill_the_width_in_proportion_and_match_the_table() -> None:
    texts, counts = statement_counts()
    chart = statement_distribution_chart(texts, counts, ANSWERS)
    (bars,) = [
        layer for layer in chart.spec["layer"] if "color" in layer["encoding"] and layer["mark"]["type"] == "rect"
    ]
    segments = layer_rows(bars)
    first = [row for row in segments if row["statement"] == 1]

    assert [row["answer"] for row in first] == [
        "not in place",
        "partly in place",
        "largely in place",
        "fully in place",
        "don't know",
        "not answered",
    ]
    assert first[0]["x"] == 0 and first[-1]["x2"] == pytest.approx(100)
    for before, after in zip(first, first[1:], strict=False):
        assert after["x"] == pytest.approx(before["x2"])
    for row in first:
        assert row["x2"] - row["x"] == pytest.approx(100 * row["count"] / 12)
    assert chart.table.columns == (
        "Statement",
        "not in place",
        "partly in place",
        "largely in place",
        "fully in place",
        "don't know",
        "not applicable",
        "not answered",
        "Asked",
    )
    # 2/12 = 16.7 %, 3/12 = 25 %, 4/12 = 33.3 %, 1/12 = 8.3 %
    assert chart.table.rows[0] == (
        texts[0],
        "2 (17 %)",
        "3 (25 %)",
        "4 (33 %)",
        "1 (8 %)",
        "1 (8 %)",
        "0 (0 %)",
        "1 (8 %)",
        "12",
    )
    by_answer = {row["answer"]: row for row in first}
    for column, label in enumerate(chart.table.columns[1:-1], start=1):
        if label in by_answer:
            count, share = chart.table.rows[0][column].split(" (", 1)
            assert count == str(by_answer[label]["count"]) and share.rstrip(")") == by_answer[label]["shown"]
    assert chart.table.rows[2][1:] == ("–",) * 7 + ("0",)  # nobody asked: no bar, no shares
    assert not [row for row in segments if row["statement"] == 3]


def test_statement_colours_are_distinct_and_the_legend_lists_what_was_answered() -> None:
    texts, counts = statement_counts()
    spec = statement_distribution_chart(texts, counts, ANSWERS).spec
    colour = next(
        layer
        for layer in spec["layer"]
        if "color" in layer["encoding"]
        and "scale" in layer["encoding"]["color"]
        and layer["encoding"]["color"]["scale"]
    )["encoding"]["color"]
    assert len(set(colour["scale"]["range"])) == len(ANSWERS)
    assert colour["legend"]["values"] == [
        "not in place",
        "partly in place",
        "largely in place",
        "fully in place",
        "don't know",
        "not applicable",
        "not answered",
    ]


def test_statement_description_gives_each_statements_shares() -> None:
    texts, counts = statement_counts()
    description = statement_distribution_chart(texts, counts, ANSWERS).description
    assert (
        "1. We have written down why we use social media and which business goal it serves: not in place 17 %"
        in description
    )
    assert (
        "2. Our social media plan is part of our marketing and communication plan: "
        "not in place 8 %, fully in place 50 %" in description
    )


def test_statement_answers_outside_the_order_are_refused() -> None:
    with pytest.raises(ValueError, match="values_order"):
        statement_distribution_chart(["A statement."], [{"maybe": 1}], ANSWERS)
