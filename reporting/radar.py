"""The maturity radar: dimension scores (0 to 4) on spokes, with a ring per stage.

Altair has no polar line mark, so the radar is drawn in plain x/y: each
dimension gets a spoke at an equal angle, a score r sits at (r sin a, r cos a).
The same data frame feeds the chart, its text alternative and the table beside
it, so the three can never disagree.
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

MAX_SCORE = 4.0
_LABEL_RADIUS = 4.45
# Labels stick out sideways more than up and down, so the view is wider than tall;
# both axes keep the same units per pixel so the rings stay round.
_X_EXTENT = 7.0
_Y_EXTENT = 5.3
# The current round is drawn solid and strong; an earlier round (RadarSeries.dashed) dashed and grey.
_CURRENT_COLOUR = "#1d4ed8"
_PAST_COLOUR = "#9ca3af"


@dataclass(frozen=True)
class RadarSeries:
    label: str  # e.g. "Round 2 (this round)"
    result: Result
    dashed: bool = False


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


def radar_table(model: Model, result: Result) -> pd.DataFrame:
    """One row per dimension: the numbers the chart shows, for the table beside it."""
    stage_names = {s.id: s.name for s in model.stages}
    rows = []
    for dimension in model.dimensions:
        scored = result.dimension(dimension.id)
        row = {
            _("Dimension"): dimension.name,
            _("Score (0-4)"): round(scored.score, 2),
            _("Stage"): stage_names.get(scored.stage, _("Not yet at Crawl")) if scored.stage else _("Not yet at Crawl"),
        }
        for stage_id in STAGE_IDS:
            row[f"{stage_names[stage_id]} %"] = round(scored.coverage[stage_id] * 100)
        rows.append(row)
    return pd.DataFrame(rows)


def radar_description(model: Model, result: Result) -> str:
    """A text alternative for the chart: what a sighted reader takes from it."""
    scores = sorted(((result.dimension(d.id).score, d.name) for d in model.dimensions), reverse=True)
    strongest = ", ".join(f"{name} ({value:.1f})" for value, name in scores[:3])
    weakest = ", ".join(f"{name} ({value:.1f})" for value, name in scores[-3:][::-1])
    mean = sum(value for value, _name in scores) / len(scores)
    return _(
        "Radar chart of {count} dimensions, each scored from 0 (centre) to 4 (outer ring); "
        "the rings mark one stage each (crawl, walk, run, fly). Average {mean:.1f}. "
        "Strongest: {strongest}. Weakest: {weakest}. The table below the chart lists every value."
    ).format(count=len(scores), mean=mean, strongest=strongest, weakest=weakest)


def radar_chart(model: Model, series: list[RadarSeries], size: int = 360) -> alt.LayerChart:
    count = len(model.dimensions)
    stage_names = {s.id: s.name for s in model.stages}

    rings = []
    for ring, stage_id in enumerate(STAGE_IDS, start=1):
        for index in range(count + 1):
            x, y = _point(ring, index % count, count)
            rings.append({"ring": stage_names[stage_id], "order": index, "x": x, "y": y})
    # Ring names sit half-way between the first two spokes, clear of the data lines.
    half_step = math.pi / count
    ring_labels = [
        {"x": ring * math.sin(half_step) + 0.08, "y": ring * math.cos(half_step), "label": stage_names[stage_id]}
        for ring, stage_id in enumerate(STAGE_IDS, start=1)
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
        labels.append({"x": lx, "y": ly, "label": wrap_label(dimension.name), "align": align, "baseline": baseline})

    points = []
    for series_index, entry in enumerate(series):
        for index, dimension in enumerate(model.dimensions + (model.dimensions[0],)):
            scored = entry.result.dimension(dimension.id)
            x, y = _point(scored.score, index % count, count)
            points.append(
                {
                    "series": entry.label,
                    "series_order": series_index,
                    "order": index,
                    "x": x,
                    "y": y,
                    "dimension": dimension.name,
                    "score": round(scored.score, 2),
                    "stage": stage_names.get(scored.stage or "", _("Not yet at Crawl")),
                    "closing": index == count,
                    **{f"{stage_names[s]} %": round(scored.coverage[s] * 100) for s in STAGE_IDS},
                }
            )

    x_channel = alt.X("x:Q", scale=alt.Scale(domain=[-_X_EXTENT, _X_EXTENT], nice=False), axis=None)
    y_channel = alt.Y("y:Q", scale=alt.Scale(domain=[-_Y_EXTENT, _Y_EXTENT], nice=False), axis=None)
    ring_layer = (
        alt.Chart(pd.DataFrame(rings))
        .mark_line(color="#c9ccd1", strokeWidth=1)
        .encode(x=x_channel, y=y_channel, detail=alt.Detail("ring:N"), order=alt.Order("order:Q"))
    )
    ring_text = (
        alt.Chart(pd.DataFrame(ring_labels))
        .mark_text(align="left", baseline="middle", fontSize=10, color="#6b7280")
        .encode(x=x_channel, y=y_channel, text=alt.Text("label:N"))
    )
    spoke_layer = (
        alt.Chart(pd.DataFrame(spokes))
        .mark_line(color="#e2e4e8", strokeWidth=1)
        .encode(x=x_channel, y=y_channel, detail=alt.Detail("spoke:N"), order=alt.Order("order:Q"))
    )
    placements = sorted({(row["align"], row["baseline"]) for row in labels})
    label_layers = [
        alt.Chart(pd.DataFrame([row for row in labels if (row["align"], row["baseline"]) == placement]))
        .mark_text(align=placement[0], baseline=placement[1], lineBreak="\n", fontSize=11, color="#1f2937")
        .encode(x=x_channel, y=y_channel, text=alt.Text("label:N"))
        for placement in placements
    ]
    frame = pd.DataFrame(points)
    series_labels = [entry.label for entry in series]
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=series_labels, range=[_PAST_COLOUR if e.dashed else _CURRENT_COLOUR for e in series]),
        legend=alt.Legend(title=None, orient="bottom") if len(series) > 1 else None,
    )
    dash = alt.StrokeDash(
        "series:N",
        scale=alt.Scale(domain=series_labels, range=[[5, 4] if e.dashed else [1, 0] for e in series]),
        legend=None,
    )
    area = (
        alt.Chart(frame)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=x_channel,
            y=y_channel,
            color=colour,
            strokeDash=dash,
            detail=alt.Detail("series:N"),
            order=alt.Order("order:Q"),
        )
    )
    tooltip = [
        alt.Tooltip(field)
        for field in ("series:N", "dimension:N", "score:Q", "stage:N", *[f"{stage_names[s]} %:Q" for s in STAGE_IDS])
    ]
    dots = (
        alt.Chart(frame[~frame["closing"]])
        .mark_circle(size=70, opacity=1)
        .encode(x=x_channel, y=y_channel, color=colour, tooltip=tooltip)
    )
    chart: alt.LayerChart = (
        alt.layer(ring_layer, spoke_layer, ring_text, *label_layers, area, dots)
        .properties(width=size, height=round(size * _Y_EXTENT / _X_EXTENT), title=_("Maturity by dimension (0-4)"))
        .configure_view(strokeWidth=0)
    )
    return chart


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


def radar_spec(model: Model, series: list[RadarSeries], size: int = 360) -> dict[str, Any]:
    """The radar as a validated Vega-Lite spec (data inlined), for the page and the PNG/SVG exports.

    Building and validating the Altair chart is the dearest part of the results page, so pages
    keep this dict, keyed by `series_key`, instead of rebuilding the chart on every rerun."""
    return radar_chart(model, series, size).to_dict()
