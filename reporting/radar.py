"""The maturity radar: dimension scores (0 to 4) on spokes, with a ring per stage.

Vega-Lite has no polar line mark, so the radar is drawn in plain x/y: each
dimension gets a spoke at an equal angle, a score r sits at (r sin a, r cos a).
Scores and percentages on the chart are rounded by `reporting.numbers`, like the table under
it (`reporting.tables.dimension_table`), the CSV and the JSON, so they never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assessment.model import STAGE_IDS, Model
from assessment.scoring import Result
from i18n import _
from reporting.numbers import Kind, as_json, as_percent, fmt
from reporting.tables import stage_name

MAX_SCORE = 4.0
_LABEL_RADIUS = 4.45
# Labels stick out sideways more than up and down, so the view is wider than tall; both axes keep
# the same units per pixel so the rings stay round, at any width (see _domains).
_X_EXTENT = 7.0
_Y_EXTENT = 5.8
# Below this width (a phone) labels are smaller and get relatively more room beside the rings.
_NARROW = 500
_NARROW_X_EXTENT = 7.6
_NARROW_Y_EXTENT = 6.0
_WIDE_X_EXTENT = 6.3
_WIDE_Y_EXTENT = 5.5
# On the page the chart fills a box as wide as the column, of this width:height ratio (the page's
# CSS sets it), so it is as large as the column allows on a desktop and on a phone alike.
PAGE_ASPECT = (_WIDE_X_EXTENT, _WIDE_Y_EXTENT)
EXPORT_WIDTH = 700  # the PNG and SVG downloads
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
# The current round is solid, strong and drawn last (on top); an earlier round dashed and grey, under it.
_CURRENT_COLOUR = "#1d4ed8"
_PAST_COLOUR = "#6b7280"
_RING_COLOUR = "#c9ccd1"
_RING_LABEL_COLOUR = "#374151"  # about 10:1 on white
_LABEL_COLOUR = "#111827"
_STAGE_COLOUR = "#1e3a8a"
# A dimension's name, and under it (in a layer of its own) its stage in bold.
_LABEL_STYLES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("label", {"color": _LABEL_COLOUR}),
    ("stage", {"color": _STAGE_COLOUR, "fontWeight": "bold"}),
)
_FONT_SIZE = 13
_NARROW_FONT_SIZE = 12
_RING_FONT_SIZE = 12


@dataclass(frozen=True)
class RadarSeries:
    label: str  # e.g. "Round 2 (this round)"
    result: Result
    dashed: bool = False  # an earlier round: dashed, grey and drawn under the current one


def _angle(index: int, count: int) -> float:
    return 2 * math.pi * index / count


def _point(radius: float, index: int, count: int) -> tuple[float, float]:
    angle = _angle(index, count)
    return radius * math.sin(angle), radius * math.cos(angle)


def wrap_label(text: str, width: int = 12) -> str:
    """Break a long dimension name over lines so it fits beside the radar on a phone."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def radar_description(model: Model, result: Result, locale: str = "en") -> str:
    """A text alternative for the chart: what a sighted reader takes from it."""
    scores = sorted(((result.dimension(d.id).score, d.name) for d in model.dimensions), reverse=True)
    strongest = ", ".join(f"{name} ({fmt(value, Kind.SCORE, locale)})" for value, name in scores[:3])
    weakest = ", ".join(f"{name} ({fmt(value, Kind.SCORE, locale)})" for value, name in scores[-3:][::-1])
    mean = sum(value for value, _name in scores) / len(scores)
    return _(
        "Radar chart of {count} dimensions, each scored from 0 (centre) to 4 (outer ring), with each "
        "dimension's stage under its name. Average {mean}. Strongest: {strongest}. Weakest: {weakest}. "
        "The table below the chart lists every value."
    ).format(count=len(scores), mean=fmt(mean, Kind.SCORE, locale), strongest=strongest, weakest=weakest)


def _domains(width: int | None, height: int | None) -> tuple[Any, Any, list[dict[str, Any]]]:
    """x and y scale domains that keep one unit the same number of pixels on both axes.

    A fixed size gets fixed domains; a chart that fills its container gets domains that Vega
    recomputes from the width and height signals, so the rings stay round at any size, with
    more room for the labels on a narrow screen."""
    if width is not None and height is not None:
        x_extent = max(_X_EXTENT, _Y_EXTENT * width / height)
        y_extent = max(_Y_EXTENT, _X_EXTENT * height / width)
        return [-x_extent, x_extent], [-y_extent, y_extent], []
    base_x = f"(width < {_NARROW} ? {_NARROW_X_EXTENT} : {_WIDE_X_EXTENT})"
    base_y = f"(width < {_NARROW} ? {_NARROW_Y_EXTENT} : {_WIDE_Y_EXTENT})"
    params = [
        {"name": "x_extent", "expr": f"max({base_x}, {base_y} * width / height)"},
        {"name": "y_extent", "expr": f"max({base_y}, {base_x} * height / width)"},
    ]
    return {"expr": "[-x_extent, x_extent]"}, {"expr": "[-y_extent, y_extent]"}, params


def _channel(field: str, domain: Any) -> dict[str, Any]:
    return {
        "axis": None,
        "field": field,
        "scale": {"domain": domain, "nice": False, "zero": False},
        "type": "quantitative",
    }


def _field(name: str, kind: str = "nominal") -> dict[str, Any]:
    return {"field": name, "type": kind}


def _layer(values: list[dict[str, Any]], mark: dict[str, Any], encoding: dict[str, Any]) -> dict[str, Any]:
    """One layer with its rows inline: Streamlit sends inline values as they are, where named datasets
    would each go through pandas and Arrow on every rerun."""
    return {"data": {"values": values}, "mark": mark, "encoding": encoding}


def radar_spec(
    model: Model,
    series: list[RadarSeries],
    width: int | None = EXPORT_WIDTH,
    height: int | None = None,
    title: str | None = None,
    subtitle: str | None = None,
) -> dict[str, Any]:
    """The radar as a Vega-Lite spec, data inline. `width=None` fills the container, width and height
    (the page); a number fixes it (the downloads), and `height` then defaults to what keeps the rings
    round at that width.

    Written as a plain dict rather than built with Altair: the chart's structure never changes, only
    its rows, and building and validating an Altair chart took 80 ms per respondent, the dearest
    part of the results page. tests/reporting/test_radar.py validates this spec against the
    Vega-Lite schema instead.

    The current series' stage per dimension is written under the dimension's name: the rings are
    the score's scale (0 to 4), not stages, since a dimension's stage is not its score rounded
    (docs/scoring.md)."""
    count = len(model.dimensions)
    stage_names = {s.id: s.name for s in model.stages}
    if height is None and width is not None:
        height = round(width * _Y_EXTENT / _X_EXTENT)
    x_domain, y_domain, params = _domains(width, height)
    font_size: Any = _FONT_SIZE if width else {"expr": f"width < {_NARROW} ? {_NARROW_FONT_SIZE} : {_FONT_SIZE}"}
    current = next((entry for entry in series if not entry.dashed), series[0]) if series else None

    rings = []
    for ring in range(1, int(MAX_SCORE) + 1):
        for index in range(count + 1):
            x, y = _point(ring, index % count, count)
            rings.append({"ring": str(ring), "order": index, "x": x, "y": y})
    # Ring numbers sit on their rings, half-way between the first two spokes, clear of the spokes.
    half_step = math.pi / count
    ring_labels = [
        {"x": ring * math.sin(half_step), "y": ring * math.cos(half_step), "label": str(ring)}
        for ring in range(1, int(MAX_SCORE) + 1)
    ]
    spokes: list[dict[str, Any]] = []
    labels: list[dict[str, Any]] = []
    for index, dimension in enumerate(model.dimensions):
        x, y = _point(MAX_SCORE, index, count)
        spokes += [
            {"spoke": dimension.id, "order": 0, "x": 0.0, "y": 0.0},
            {"spoke": dimension.id, "order": 1, "x": x, "y": y},
        ]
        lx, ly = _point(_LABEL_RADIUS, index, count)
        align = "center" if abs(lx) < 0.3 else ("left" if lx > 0 else "right")
        baseline = "middle" if align != "center" else ("bottom" if ly > 0 else "top")
        name = wrap_label(dimension.name)
        marker = ""
        if current is not None:
            stage = current.result.dimension(dimension.id).stage
            marker = stage_name(model, stage)
        # Two layers with the same number of lines, blank where the other one writes: the name,
        # and under it the stage in bold. A blank line holds a zero-width space, since Vega trims
        # white space (no-break spaces too) off the ends of a text.
        lines = name.count("\n") + 1
        labels.append(
            {
                "x": lx,
                "y": ly,
                "label": f"{name}\n\u200b" if marker else name,
                "stage": "\n".join(["\u200b"] * lines + [marker]) if marker else "",
                "align": align,
                "baseline": baseline,
            }
        )

    layers = [
        _layer(
            rings,
            {"type": "line", "color": _RING_COLOUR, "strokeWidth": 1},
            {"detail": _field("ring"), "order": _field("order", "quantitative")},
        ),
        _layer(
            spokes,
            {"type": "line", "color": "#e2e4e8", "strokeWidth": 1},
            {"detail": _field("spoke"), "order": _field("order", "quantitative")},
        ),
    ]
    # One text layer per alignment (a text mark has one align and baseline) and per style.
    for align, baseline in sorted({(row["align"], row["baseline"]) for row in labels}):
        placed = [row for row in labels if (row["align"], row["baseline"]) == (align, baseline)]
        for field, style in _LABEL_STYLES:
            if field == "label" or current is not None:
                mark = {"type": "text", "align": align, "baseline": baseline, "fontSize": font_size, "lineBreak": "\n"}
                layers.append(_layer(placed, {**mark, **style}, {"text": _field(field)}))

    series_labels = [entry.label for entry in series]
    colour_scale = {"domain": series_labels, "range": [_PAST_COLOUR if e.dashed else _CURRENT_COLOUR for e in series]}
    legend = (
        {"labelFontSize": _FONT_SIZE, "orient": "bottom", "symbolStrokeWidth": 3, "symbolType": "stroke", "title": None}
        if len(series) > 1
        else None
    )
    dash = {
        **_field("series"),
        "legend": None,
        "scale": {"domain": series_labels, "range": [[6, 4] if e.dashed else [1, 0] for e in series]},
    }
    tooltip = [
        _field("series"),
        _field("dimension"),
        _field("score", "quantitative"),
        _field("stage"),
        *[_field(f"{stage_names[s]} %", "quantitative") for s in STAGE_IDS],
    ]
    # Earlier rounds first, so the current round is drawn over them.
    for series_index, entry in sorted(enumerate(series), key=lambda pair: (not pair[1].dashed, pair[0])):
        rows = _series_rows(model, entry, series_index, stage_names)
        line = {"type": "line", "strokeWidth": 2 if entry.dashed else 3}
        layers.append(
            _layer(
                rows,
                line,
                {
                    "color": {**_field("series"), "legend": legend, "scale": colour_scale},
                    "detail": _field("series"),
                    "order": _field("order", "quantitative"),
                    "strokeDash": dash,
                },
            )
        )
        dots = {"type": "circle", "opacity": 1, "size": 45 if entry.dashed else 80}
        layers.append(
            _layer(
                [row for row in rows if not row["closing"]],
                dots,
                {"color": {**_field("series"), "legend": None, "scale": colour_scale}, "tooltip": tooltip},
            )
        )
    # Ring numbers last: on top of the lines, each on a white halo so a line under it does not hide it.
    halo = {"type": "text", "color": "white", "fontSize": _RING_FONT_SIZE, "stroke": "white", "strokeOpacity": 0.9}
    ring_text = {"type": "text", "color": _RING_LABEL_COLOUR, "fontSize": _RING_FONT_SIZE, "fontWeight": "bold"}
    for mark in ({**halo, "strokeWidth": 4}, ring_text):
        layers.append(_layer(ring_labels, mark, {"text": _field("label")}))

    spec: dict[str, Any] = {
        "$schema": VEGA_LITE_SCHEMA,
        "config": {"view": {"strokeWidth": 0}},
        # Every layer places its rows on the same x and y scales: one encoding the layers inherit.
        "encoding": {"x": _channel("x", x_domain), "y": _channel("y", y_domain)},
        "layer": layers,
        "width": "container" if width is None else width,
        "height": "container" if height is None else height,
    }
    if params:
        spec["params"] = params
    if title:
        spec["title"] = {"text": title, "anchor": "start", "fontSize": 16}
        if subtitle:
            spec["title"]["subtitle"] = subtitle
    return spec


def _series_rows(
    model: Model, entry: RadarSeries, series_index: int, stage_names: dict[str, str]
) -> list[dict[str, Any]]:
    count = len(model.dimensions)
    rows: list[dict[str, Any]] = []
    for index, dimension in enumerate(model.dimensions + (model.dimensions[0],)):
        scored = entry.result.dimension(dimension.id)
        x, y = _point(scored.score, index % count, count)
        rows.append(
            {
                "series": entry.label,
                "series_order": series_index,
                "order": index,
                "x": x,
                "y": y,
                "dimension": dimension.name,
                "score": as_json(scored.score, Kind.SCORE),
                "stage": stage_name(model, scored.stage),
                "closing": index == count,
                **{
                    f"{stage_names[c.stage]} %": as_json(as_percent(c.coverage), Kind.PERCENT) if c.applicable else None
                    for c in scored.cells
                },
            }
        )
    return rows


# A room's radar: the median of a group, with its interquartile band ---------------------------------

_BAND_COLOUR = "#bfdbfe"


def _polygon(model: Model, scores: Mapping[str, float], name: str) -> list[dict[str, Any]]:
    """The closed polygon through each dimension's score, in spoke order."""
    count = len(model.dimensions)
    rows = []
    for index, dimension in enumerate(model.dimensions + (model.dimensions[0],)):
        x, y = _point(scores[dimension.id], index % count, count)
        rows.append({"polygon": name, "order": index, "x": x, "y": y})
    return rows


def band_radar_spec(
    model: Model,
    median: Mapping[str, float],
    q1: Mapping[str, float],
    q3: Mapping[str, float],
    width: int | None = None,
    height: int | None = None,
) -> dict[str, Any]:
    """The radar of a group (a workshop's room): its median score per dimension as the line, and the
    band from the first to the third quartile shaded around it. The rings, spokes and labels are
    `radar_spec`'s, without a stage under the names (a group has no one stage per dimension).

    The band is the Q3 polygon filled, with the Q1 polygon filled white over it, both under the rings
    and spokes: what stays shaded is the ring between the two."""
    spec = radar_spec(model, [], width=width, height=height)
    layers: list[dict[str, Any]] = spec["layer"]
    fill = {"type": "line", "filled": True, "strokeWidth": 0}
    order = {"detail": _field("polygon"), "order": _field("order", "quantitative")}
    band = [
        _layer(_polygon(model, q3, "q3"), {**fill, "color": _BAND_COLOUR, "opacity": 1}, order),
        _layer(_polygon(model, q1, "q1"), {**fill, "color": "white", "opacity": 1}, order),
    ]
    count = len(model.dimensions)
    rows = []
    for index, dimension in enumerate(model.dimensions + (model.dimensions[0],)):
        x, y = _point(median[dimension.id], index % count, count)
        rows.append(
            {
                "order": index,
                "x": x,
                "y": y,
                "dimension": dimension.name,
                "median": as_json(median[dimension.id], Kind.SCORE),
                "Q1": as_json(q1[dimension.id], Kind.SCORE),
                "Q3": as_json(q3[dimension.id], Kind.SCORE),
                "closing": index == count,
            }
        )
    tooltip = [_field("dimension"), *(_field(name, "quantitative") for name in ("median", "Q1", "Q3"))]
    line = _layer(
        rows,
        {"type": "line", "color": _CURRENT_COLOUR, "strokeWidth": 3},
        {"order": _field("order", "quantitative")},
    )
    dots = _layer(
        [row for row in rows if not row["closing"]],
        {"type": "circle", "color": _CURRENT_COLOUR, "opacity": 1, "size": 80},
        {"tooltip": tooltip},
    )
    # Under the rings: the band; over the labels, under the ring numbers (the last two layers): the median.
    spec["layer"] = [*band, *layers[:-2], line, dots, *layers[-2:]]
    return spec
