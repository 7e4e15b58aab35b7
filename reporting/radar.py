"""The maturity radar: dimension scores (0 to 4) on spokes, with a ring per stage.

Altair has no polar line mark, so the radar is drawn in plain x/y: each
dimension gets a spoke at an equal angle, a score r sits at (r sin a, r cos a).
Scores and percentages on the chart are rounded by `reporting.numbers`, like the table under
it (`reporting.tables.dimension_table`), the CSV and the JSON, so they never disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd

from assessment.model import STAGE_IDS, Model
from assessment.scoring import Result
from i18n import _
from reporting.numbers import Kind, as_json, as_percent, fmt

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


def radar_chart(
    model: Model,
    series: list[RadarSeries],
    width: int | None = EXPORT_WIDTH,
    height: int | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    locale: str = "en",
) -> alt.LayerChart:
    """The radar. `width=None` fills the container, width and height (the page); a number fixes it
    (the downloads), and `height` then defaults to what keeps the rings round at that width.

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
    spokes = []
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
            marker = stage_names[stage] if stage else _("Not yet at Crawl")
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

    x_channel = alt.X("x:Q", scale=alt.Scale(domain=x_domain, nice=False, zero=False), axis=None)
    y_channel = alt.Y("y:Q", scale=alt.Scale(domain=y_domain, nice=False, zero=False), axis=None)
    ring_layer = (
        alt.Chart(pd.DataFrame(rings))
        .mark_line(color=_RING_COLOUR, strokeWidth=1)
        .encode(x=x_channel, y=y_channel, detail=alt.Detail("ring:N"), order=alt.Order("order:Q"))
    )
    spoke_layer = (
        alt.Chart(pd.DataFrame(spokes))
        .mark_line(color="#e2e4e8", strokeWidth=1)
        .encode(x=x_channel, y=y_channel, detail=alt.Detail("spoke:N"), order=alt.Order("order:Q"))
    )
    placements: list[tuple[Any, Any]] = sorted({(row["align"], row["baseline"]) for row in labels})
    label_layers = [
        alt.Chart(pd.DataFrame([row for row in labels if (row["align"], row["baseline"]) == placement]))
        .mark_text(align=placement[0], baseline=placement[1], lineBreak="\n", fontSize=font_size, **style)
        .encode(x=x_channel, y=y_channel, text=alt.Text(f"{field}:N"))
        for placement in placements
        for field, style in _LABEL_STYLES
        if field == "label" or current is not None
    ]
    series_labels = [entry.label for entry in series]
    colour_scale = alt.Scale(
        domain=series_labels, range=[_PAST_COLOUR if e.dashed else _CURRENT_COLOUR for e in series]
    )
    legend = (
        alt.Legend(title=None, orient="bottom", symbolType="stroke", symbolStrokeWidth=3, labelFontSize=_FONT_SIZE)
        if len(series) > 1
        else None
    )
    dash = alt.StrokeDash(
        "series:N",
        scale=alt.Scale(domain=series_labels, range=[[6, 4] if e.dashed else [1, 0] for e in series]),
        legend=None,
    )
    tooltip = [
        alt.Tooltip(field)
        for field in ("series:N", "dimension:N", "score:Q", "stage:N", *[f"{stage_names[s]} %:Q" for s in STAGE_IDS])
    ]
    series_layers = []
    # Earlier rounds first, so the current round is drawn over them.
    for series_index, entry in sorted(enumerate(series), key=lambda pair: (not pair[1].dashed, pair[0])):
        frame = pd.DataFrame(_series_rows(model, entry, series_index, stage_names))
        colour = alt.Color("series:N", scale=colour_scale, legend=legend)
        series_layers.append(
            alt.Chart(frame)
            .mark_line(strokeWidth=2 if entry.dashed else 3)
            .encode(
                x=x_channel,
                y=y_channel,
                color=colour,
                strokeDash=dash,
                detail=alt.Detail("series:N"),
                order=alt.Order("order:Q"),
            )
        )
        series_layers.append(
            alt.Chart(frame[~frame["closing"]])
            .mark_circle(size=45 if entry.dashed else 80, opacity=1)
            .encode(
                x=x_channel, y=y_channel, color=alt.Color("series:N", scale=colour_scale, legend=None), tooltip=tooltip
            )
        )
    # Ring numbers last: on top of the lines, each on a white halo so a line under it does not hide it.
    ring_frame = pd.DataFrame(ring_labels)
    ring_halo = (
        alt.Chart(ring_frame)
        .mark_text(fontSize=_RING_FONT_SIZE, stroke="white", strokeWidth=4, strokeOpacity=0.9, color="white")
        .encode(x=x_channel, y=y_channel, text=alt.Text("label:N"))
    )
    ring_text = (
        alt.Chart(ring_frame)
        .mark_text(fontSize=_RING_FONT_SIZE, color=_RING_LABEL_COLOUR, fontWeight="bold")
        .encode(x=x_channel, y=y_channel, text=alt.Text("label:N"))
    )
    chart = alt.layer(ring_layer, spoke_layer, *label_layers, *series_layers, ring_halo, ring_text).properties(
        width="container" if width is None else width, height="container" if height is None else height
    )
    if params:
        chart = chart.add_params(*(alt.param(name=p["name"], expr=p["expr"]) for p in params))
    if title:
        chart = chart.properties(
            title=alt.TitleParams(title, subtitle=subtitle or alt.Undefined, anchor="start", fontSize=16)
        )
    configured: alt.LayerChart = chart.configure_view(strokeWidth=0)
    return configured


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
                "stage": stage_names.get(scored.stage or "", _("Not yet at Crawl")),
                "closing": index == count,
                **{f"{stage_names[c.stage]} %": as_json(as_percent(c.coverage), Kind.PERCENT) for c in scored.cells},
            }
        )
    return rows


SeriesKey = tuple[tuple[str, bool, tuple[tuple[str, float, str | None, tuple[float, ...]], ...]], ...]


def series_key(series: list[RadarSeries]) -> SeriesKey:
    """Everything the chart draws from the results, as plain values: equal keys, equal charts."""
    return tuple(
        (
            entry.label,
            entry.dashed,
            tuple(
                (d.id, d.score, d.stage, tuple(d.coverage[stage] for stage in STAGE_IDS))
                for d in entry.result.dimensions
            ),
        )
        for entry in series
    )


def radar_spec(
    model: Model,
    series: list[RadarSeries],
    width: int | None = EXPORT_WIDTH,
    height: int | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    locale: str = "en",
) -> dict[str, Any]:
    """The radar as a validated Vega-Lite spec (data inlined), for the page and the PNG/SVG exports.

    Building and validating the Altair chart is the dearest part of the results page, so pages
    keep this dict, keyed by `series_key`, instead of rebuilding the chart on every rerun."""
    return radar_chart(model, series, width, height, title, subtitle, locale).to_dict()
