"""The management dashboard's charts: each a Vega-Lite spec, a text alternative and its numbers as a table.

A "text" module like `reporting.room_text`: the wording is translated when a function is called
(`_()`), never at import, and every figure a person reads (on the chart, in its tooltip, in the
table, in the description) is written by `reporting.numbers.fmt` in the caller's locale, so the
chart, the table and the sentence always show the same digits. The specs keep positions as
numbers and the figures as text: a tooltip then writes "2,5" in Danish, where Vega's own number
format would write "2.5".

Inputs are plain values (dimension ids of the model, scores from 0 to 4, stage ids of
`assessment.model.STAGE_IDS` with None for "not yet"): what a group may show (the anonymity
threshold) is decided before these functions are called; a department they are given without
figures is drawn as hidden and carries no number.

Sizes: `width=None` fills the container (the page, a phone's column), a number fixes it (the PNG
and SVG downloads: `reporting.radar.EXPORT_WIDTH`). The trend's small multiples cannot fill a
container (Vega-Lite sizes a facet's cells, not the whole), so that chart always takes a width.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from babel.numbers import format_decimal

from assessment.model import NOT_APPLICABLE, Model
from i18n import _
from reporting.numbers import Kind, Number, as_json, as_percent, change, fmt, rounded, signed
from reporting.radar import (
    _BAND_COLOUR,
    _CURRENT_COLOUR,
    EXPORT_WIDTH,
    MAX_SCORE,
    VEGA_LITE_SCHEMA,
    _field,
    _layer,
    _point,
    band_radar_spec,
    wrap_label,
)
from reporting.room import UNANSWERED
from reporting.room_text import answer_label
from reporting.tables import MISSING, stage_name

OverlayKind = Literal["previous", "benchmark", "target"]

_INK = "#111827"  # text: about 17:1 on white
_MUTED_INK = "#374151"  # about 10:1 on white
_MEDIAN_COLOUR = _CURRENT_COLOUR  # band_radar_spec's median line (about 6.7:1 on white)
_HIDDEN_FILL = "#e5e7eb"
_FONT_SIZE = 13
_SMALL_FONT_SIZE = 12
# Each overlay has its own colour (3:1 or more on white, as a line must) and its own dash, so it
# is told apart without colour too: previous wave grey dashed, benchmark orange dotted, target
# green dash-dot.
_OVERLAY_STYLES: dict[str, tuple[str, list[int]]] = {
    "previous": ("#6b7280", [7, 5]),
    "benchmark": ("#c2410c", [1, 5]),
    "target": ("#15803d", [10, 5, 1, 5]),
}
_SOLID: list[int] = [1, 0]
# Answer values, in the order a bar stacks them: the four maturity answers from a colour-blind
# safe diverging scale (ColorBrewer PuOr, orange "not in place" to purple "fully in place"), then
# greys for the answers that say nothing of maturity.
_ANSWER_COLOURS: dict[str, str] = {
    "none": "#e66101",
    "partly": "#fdb863",
    "largely": "#b2abd2",
    "fully": "#5e3c99",
    "dont_know": "#8c8c8c",
    NOT_APPLICABLE: "#c7c7c7",
    UNANSWERED: "#ededed",
}
_WHITE_TEXT_ON = {"#5e3c99"}  # the only answer colour too dark for black text
# A heat-map cell at or above this median is dark enough (Vega's "blues") to take white text.
_WHITE_TEXT_FROM = 2.75
_NARROW = 500  # below this width (a phone's column) labels wrap shorter and panels stack


@dataclass(frozen=True)
class ChartTable:
    """A chart's numbers as text, as the page shows them beside the chart: translated headings,
    figures rounded and written like the chart's."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"row {row} has {len(row)} cells for {len(self.columns)} columns")


@dataclass(frozen=True)
class Chart:
    spec: dict[str, Any]
    description: str  # the text alternative: what a sighted reader takes from the chart
    table: ChartTable


@dataclass(frozen=True)
class Overlay:
    """A second profile drawn over the median radar: the previous wave, the benchmark or the target."""

    kind: OverlayKind
    label: str  # e.g. "Spring 2026", "Benchmark: 14 organisations, 820 respondents", "Target"
    scores: Mapping[str, float] = field(default_factory=dict)  # dimension id -> 0..4; a missing one breaks the line


# Shared ---------------------------------------------------------------------------------------------------------


def _score(value: Number | None, locale: str) -> str:
    return fmt(value, Kind.SCORE, locale, missing=MISSING)


def _count(count: int, locale: str) -> str:
    """A number of people, grouped the locale's way ("10,000", "10.000")."""
    return format_decimal(count, locale=locale)


def _percent_text(count: int, total: int, locale: str) -> str:
    share = as_percent(count / total) if total else None
    return _("{percent} %").format(percent=fmt(share, Kind.PERCENT, locale)) if share is not None else MISSING


def _size(width: int | None) -> dict[str, Any]:
    """The chart's width: the container's, or `width` pixels for the whole chart, its axes and legend
    included (Vega-Lite's own width is the plot's alone)."""
    if width is None:
        return {"width": "container"}
    return {"width": width, "autosize": {"type": "fit-x", "contains": "padding"}}


def _config() -> dict[str, Any]:
    return {
        "view": {"strokeWidth": 0},
        "axis": {
            "labelFontSize": _FONT_SIZE,
            "titleFontSize": _FONT_SIZE,
            "labelColor": _INK,
            "titleColor": _INK,
            "titleFontWeight": "normal",
        },
        "legend": {"labelFontSize": _FONT_SIZE, "titleFontSize": _FONT_SIZE, "labelColor": _INK, "titleColor": _INK},
        "header": {"labelFontSize": _FONT_SIZE, "labelColor": _INK},
    }


def _spec(body: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": VEGA_LITE_SCHEMA, "config": _config(), **body}


def _names(model: Model) -> dict[str, str]:
    return {d.id: d.name for d in model.dimensions}


def _text(name: str) -> dict[str, Any]:
    return {"field": name, "type": "nominal"}


def _tooltip(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    """Tooltip lines of text fields (figures already written in the locale), each with its heading."""
    return [{"field": name, "type": "nominal", "title": title} for name, title in pairs]


def _name_axis() -> dict[str, Any]:
    """An axis of dimension names (rows labelled by `_row_name`): on a chart narrower than a phone's
    breakpoint each name over its lines, centred on its row; wider, on one line. Decided by the
    chart's width signal, so a chart that fills a phone's column wraps too."""
    narrow = f"width < {_NARROW}"
    lines = f"({narrow} ? split(datum.label, '\\n') : [replace(datum.label, /\\n/g, ' ')])"
    # Up by half a line per line after the first, so the lines sit centred on the row.
    offsets = [
        {"test": f"length({lines}) == {count}", "value": -(count - 1) * _LINE_HEIGHT / 2} for count in range(2, 5)
    ]
    return {
        "labelExpr": lines,
        "labelLimit": 240,
        "labelLineHeight": _LINE_HEIGHT,
        "labelOffset": {"condition": offsets, "value": 0},
    }


def _row_name(name: str) -> str:
    """A dimension's name as its row is labelled: broken over lines of about 15 letters, for a phone."""
    return wrap_label(name, 15)


# 1. The radar of the medians with its band and overlays ---------------------------------------------------------


def _overlay_style_words(kind: OverlayKind) -> str:
    words = {
        "previous": _("grey dashed line"),
        "benchmark": _("orange dotted line"),
        "target": _("green dash-dot line"),
    }
    return words[kind]


def _comparison_sentence(model: Model, medians: Mapping[str, float], overlay: Overlay, locale: str) -> str:
    """How the medians stand against an overlay, counted on the figures as shown (rounded)."""
    above = below = level = 0
    for dimension in model.dimensions:
        difference = change(overlay.scores.get(dimension.id), medians[dimension.id], Kind.SCORE)
        if difference is None:
            continue
        if difference > 0:
            above += 1
        elif difference < 0:
            below += 1
        else:
            level += 1
    return _(
        "{label} ({style}): the median is above it on {above}, below it on {below} and level on {level} dimensions."
    ).format(label=overlay.label, style=_overlay_style_words(overlay.kind), above=above, below=below, level=level)


def maturity_radar(
    model: Model,
    medians: Mapping[str, float],
    q1: Mapping[str, float],
    q3: Mapping[str, float],
    overlays: Sequence[Overlay] = (),
    locale: str = "en",
    width: int | None = None,
) -> Chart:
    """`reporting.radar.band_radar_spec` (the median with its interquartile band, on the rings of
    the individual radar) with each overlay drawn under the median line, in its own colour and dash,
    and a legend naming the median, the band and every overlay. The page switches an overlay by
    passing it or not."""
    median_label = _("Median")
    band_label = _("Middle half (Q1 to Q3)")
    labels = [median_label, band_label, *(overlay.label for overlay in overlays)]
    if len(set(labels)) != len(labels):
        raise ValueError(f"overlay labels must differ from each other and from the median's: {labels}")
    spec = band_radar_spec(model, medians, q1, q3, width=width)
    names = _names(model)
    count = len(model.dimensions)

    lines: list[dict[str, Any]] = []
    points: list[dict[str, Any]] = []
    for overlay in overlays:
        for index, dimension in enumerate((*model.dimensions, model.dimensions[0])):
            value = overlay.scores.get(dimension.id)
            # A dimension the overlay has no score for: no point, and the line breaks there.
            x, y = _point(value, index % count, count) if value is not None else (None, None)
            row = {
                "series": overlay.label,
                "order": index,
                "x": x,
                "y": y,
                "dimension": names[dimension.id],
                "score": as_json(value, Kind.SCORE),
                "shown": _score(value, locale),
            }
            lines.append(row)
            if value is not None and index < count:
                points.append(row)
    colours = [_MEDIAN_COLOUR, _BAND_COLOUR, *(_OVERLAY_STYLES[o.kind][0] for o in overlays)]
    dashes = [_SOLID, _SOLID, *(_OVERLAY_STYLES[o.kind][1] for o in overlays)]
    legend = {
        "orient": "bottom",
        # Two entries a row on a wide chart, one on a phone's; the labels as wide as the chart allows.
        "columns": {"expr": f"width < {_NARROW} ? 1 : 2"},
        "symbolType": "stroke",
        "symbolSize": 450,
        "symbolStrokeWidth": 3,
        "labelOffset": 8,
        "columnPadding": 24,
        "padding": 6,
        "labelLimit": {"expr": "max(160, min(360, width - 80))"},
        "title": None,
    }
    colour = {**_field("series"), "scale": {"domain": labels, "range": colours}, "legend": legend}
    dash = {**_field("series"), "scale": {"domain": labels, "range": dashes}, "legend": legend}
    # The band's legend entry is a broad stroke of the band's colour; the lines' are as drawn.
    thickness = [3, 12, *(2.5 for _o in overlays)]
    stroke = {**_field("series"), "scale": {"type": "ordinal", "domain": labels, "range": thickness}, "legend": legend}
    overlay_lines = _layer(
        lines,
        {"type": "line", "strokeCap": "round", "invalid": "break-paths-show-domains"},
        {
            "color": colour,
            "strokeDash": dash,
            "strokeWidth": stroke,
            "detail": _field("series"),
            "order": _field("order", "quantitative"),
        },
    )
    overlay_points = _layer(
        points,
        {"type": "circle", "size": 40, "opacity": 1},
        {
            "color": {**colour, "legend": None},
            "tooltip": _tooltip(("series", _("Profile")), ("dimension", _("Dimension")), ("shown", _("Score (0-4)"))),
        },
    )
    layers: list[dict[str, Any]] = spec["layer"]
    # band_radar_spec ends with the median's line and dots, then the ring numbers' halo and text:
    # the overlays go just under the median, so the median is never hidden by them.
    median_at = len(layers) - 4
    spec["layer"] = [*layers[:median_at], overlay_lines, overlay_points, *layers[median_at:]]
    spec["config"] = {**spec.get("config", {}), "legend": _config()["legend"]}

    columns = (_("Dimension"), _("Median"), _("Q1"), _("Q3"), *(overlay.label for overlay in overlays))
    rows = tuple(
        (
            d.name,
            _score(medians[d.id], locale),
            _score(q1[d.id], locale),
            _score(q3[d.id], locale),
            *(_score(overlay.scores.get(d.id), locale) for overlay in overlays),
        )
        for d in model.dimensions
    )
    listed = "; ".join(f"{d.name} {_score(medians[d.id], locale)}" for d in model.dimensions)
    sentences = [
        _(
            "Radar chart of the median score per dimension, from 0 (centre) to 4 (outer ring), as a blue line, "
            "with the middle half of the respondents (first to third quartile) shaded around it. Medians: {medians}."
        ).format(medians=listed)
    ]
    sentences += [_comparison_sentence(model, medians, overlay, locale) for overlay in overlays]
    sentences.append(_("The table lists every value."))
    return Chart(spec, " ".join(sentences), ChartTable(columns, rows))


# 2. How many respondents are at each stage ----------------------------------------------------------------------


def stage_distribution(
    model: Model, counts: Sequence[tuple[str | None, int]], locale: str = "en", width: int | None = None
) -> Chart:
    """Horizontal bars (stage names are read in full beside them), in the order given, each with its
    count and share written at its end."""
    total = sum(count for _stage, count in counts)
    rows: list[dict[str, Any]] = [
        {
            "stage": stage_name(model, stage),
            "count": count,
            "shown": _count(count, locale),
            "share": _percent_text(count, total, locale),
            "label": f"{_count(count, locale)} ({_percent_text(count, total, locale)})",
        }
        for stage, count in counts
    ]
    respondents = _("Respondents")
    most = max((count for _stage, count in counts), default=0)
    # Room right of the longest bar for its label.
    domain_end = max(1, most) * 1.45
    y = {"field": "stage", "type": "nominal", "sort": [row["stage"] for row in rows], "title": None}
    x = {
        "field": "count",
        "type": "quantitative",
        "title": respondents,
        "scale": {"domain": [0, domain_end], "nice": False},
        "axis": {"tickMinStep": 1, "format": "d", "labelFlush": True},
    }
    tooltip = _tooltip(("stage", _("Stage")), ("shown", respondents), ("share", _("Share")))
    spec = _spec(
        {
            "data": {"values": rows},
            **_size(width),
            "height": {"step": 40},
            "encoding": {"y": y, "x": x},
            "layer": [
                {"mark": {"type": "bar", "color": _MEDIAN_COLOUR}, "encoding": {"tooltip": tooltip}},
                {
                    "mark": {
                        "type": "text",
                        "align": "left",
                        "dx": 5,
                        "fontSize": _FONT_SIZE,
                        "color": _INK,
                    },
                    "encoding": {"text": _text("label")},
                },
            ],
        }
    )
    table = ChartTable(
        (_("Stage"), respondents, _("Share")),
        tuple((row["stage"], row["shown"], row["share"]) for row in rows),
    )
    if total == 0:
        description = _("Bar chart of the respondents per stage: no respondents yet.")
    else:
        tied = [row["stage"] for row in rows if row["count"] == most]
        description = _(
            "Bar chart of how many of the {total} respondents are at each stage: {stages}. The largest group: "
            "{largest} ({count})."
        ).format(
            total=_count(total, locale),
            stages="; ".join(f"{row['stage']} {row['label']}" for row in rows),
            largest=", ".join(tied),
            count=_count(most, locale),
        )
    return Chart(spec, description, table)


# 3. Departments side by side ------------------------------------------------------------------------------------

Department = tuple[str, Mapping[str, float] | None, int | None]


def hidden_label(threshold: int | None) -> str:
    """What stands in for a hidden group's figures."""
    if threshold is None:
        return _("hidden")
    return _("hidden (fewer than {threshold})").format(threshold=threshold)


def department_heatmap(
    model: Model,
    departments: Sequence[Department],
    locale: str = "en",
    threshold: int | None = None,
    width: int | None = None,
) -> Chart:
    """Dimension x department: each cell the department's median, its shade on one blue scale from 0
    to 4. A department given without medians (under the anonymity threshold) is a column of grey
    cells written "hidden", with no number: neither a median nor its count of respondents."""
    names = _names(model)
    department_names = [name for name, _medians, _respondents in departments]
    if len(set(department_names)) != len(department_names):
        raise ValueError(f"department names must differ: {department_names}")
    narrow = width is not None and width < _NARROW
    hidden_text = hidden_label(threshold)
    shown_rows: list[dict[str, Any]] = []
    hidden_rows: list[dict[str, Any]] = []
    columns: list[str] = []  # each department's axis label, in the order given
    headings: list[str] = []  # and its table heading
    for name, medians, respondents in departments:
        if medians is None:
            column = f"{wrap_label(name, 10)}\n{wrap_label(hidden_text, 10)}"
            headings.append(f"{name}: {hidden_text}")
            for dimension in model.dimensions:
                hidden_rows.append(
                    {
                        "department": column,
                        "row": _row_name(names[dimension.id]),
                        "dimension": names[dimension.id],
                        "shown": _("hidden"),
                    }
                )
        else:
            size = None if respondents is None else _("n = {count}").format(count=_count(respondents, locale))
            column = wrap_label(name, 10) if size is None else f"{wrap_label(name, 10)}\n{size}"
            headings.append(name if size is None else f"{name} ({size})")
            for dimension in model.dimensions:
                value = medians.get(dimension.id)
                figure = as_json(value, Kind.SCORE)
                shown_rows.append(
                    {
                        "department": column,
                        "row": _row_name(names[dimension.id]),
                        "dimension": names[dimension.id],
                        "median": figure,
                        "shown": _score(value, locale),
                        "ink": "white" if figure is not None and figure >= _WHITE_TEXT_FROM else _INK,
                    }
                )
        columns.append(column)
    median_title = _("Median (0-4)")
    x = {
        "field": "department",
        "type": "nominal",
        "sort": columns,
        "title": None,
        "axis": {
            "orient": "bottom",
            "labelAngle": 0,
            "labelBaseline": "top",
            "labelPadding": 6,
            "labelExpr": "split(datum.label, '\\n')",
            "labelLimit": {"expr": "bandwidth('x')"},
            "labelFontSize": _SMALL_FONT_SIZE,
            "domain": False,
            "ticks": False,
        },
    }
    y = {
        "field": "row",
        "type": "nominal",
        "sort": [_row_name(d.name) for d in model.dimensions],
        "title": None,
        "axis": {**_name_axis(), "domain": False, "ticks": False},
    }
    cell = {"type": "rect", "stroke": "white", "strokeWidth": 2}
    tooltip = _tooltip(("department", _("Department")), ("dimension", _("Dimension")), ("shown", median_title))
    text = {"type": "text", "fontSize": _SMALL_FONT_SIZE if narrow else _FONT_SIZE}
    spec = _spec(
        {
            **_size(width),
            "height": {"step": 44},
            "encoding": {"x": x, "y": y},
            # The cells' shades and the figures' ink (white or black, given per cell) are two scales.
            "resolve": {"scale": {"color": "independent"}},
            "layer": [
                {
                    "data": {"values": shown_rows},
                    "mark": cell,
                    "encoding": {
                        "color": {
                            "field": "median",
                            "type": "quantitative",
                            "title": median_title,
                            "scale": {"scheme": "blues", "domain": [0, MAX_SCORE]},
                            "legend": {
                                "orient": "bottom",
                                "direction": "horizontal",
                                "gradientLength": 200,
                                "values": [0, 1, 2, 3, 4],
                                "offset": 12,
                            },
                        },
                        "tooltip": tooltip,
                    },
                },
                {
                    "data": {"values": hidden_rows},
                    "mark": {**cell, "color": _HIDDEN_FILL},
                    "encoding": {"tooltip": tooltip},
                },
                {
                    "data": {"values": shown_rows},
                    "mark": text,
                    "encoding": {"text": _text("shown"), "color": {"field": "ink", "type": "nominal", "scale": None}},
                },
                {
                    "data": {"values": hidden_rows},
                    "mark": {**text, "color": _MUTED_INK, "fontStyle": "italic", "fontSize": _SMALL_FONT_SIZE},
                    "encoding": {"text": _text("shown")},
                },
            ],
        }
    )

    table_rows = tuple(
        (
            d.name,
            *(hidden_text if medians is None else _score(medians.get(d.id), locale) for _n, medians, _c in departments),
        )
        for d in model.dimensions
    )

    visible = [(name, medians) for name, medians, _c in departments if medians is not None]
    hidden = [name for name, medians, _c in departments if medians is None]
    sentences = [
        _("Heat map of the median score (0-4) per dimension for {count} departments; darker is higher.").format(
            count=len(departments)
        )
    ]
    # Ties go to the first department given, then the first dimension in the model's order.
    cells = [(medians[d.id], name, d.name) for name, medians in visible for d in model.dimensions if d.id in medians]
    if cells:
        high = max(cells, key=lambda c: rounded(c[0], Kind.SCORE))
        low = min(cells, key=lambda c: rounded(c[0], Kind.SCORE))
        sentences.append(
            _(
                "Highest: {high_department}, {high_dimension} ({high}). "
                "Lowest: {low_department}, {low_dimension} ({low})."
            ).format(
                high_department=high[1],
                high_dimension=high[2],
                high=_score(high[0], locale),
                low_department=low[1],
                low_dimension=low[2],
                low=_score(low[0], locale),
            )
        )
    if hidden:
        sentences.append(
            _("Not shown, to keep respondents anonymous ({hidden}): {departments}.").format(
                hidden=hidden_text, departments=", ".join(hidden)
            )
        )
    sentences.append(_("The table lists every value."))
    return Chart(spec, " ".join(sentences), ChartTable((_("Dimension"), *headings), table_rows))


# 4. Trend across waves ------------------------------------------------------------------------------------------


def trend_chart(
    model: Model,
    waves: Sequence[str],
    medians: Mapping[str, Sequence[float | None]],
    locale: str = "en",
    width: int = EXPORT_WIDTH,
) -> Chart:
    """Small multiples, one panel per dimension in the model's order, on one y scale from 0 to 4
    gridded like the radar's rings: the median in each wave as a point with its figure over it, joined
    by a line; a wave without a median (None) leaves a gap in the line. Two panels a row, one on a
    phone's width."""
    names = _names(model)
    rows: list[dict[str, Any]] = []
    for dimension in model.dimensions:
        values = medians.get(dimension.id, ())
        if len(values) not in (0, len(waves)):
            raise ValueError(f"{dimension.id}: {len(values)} medians for {len(waves)} waves")
        for index, wave in enumerate(waves):
            value = values[index] if values else None
            rows.append(
                {
                    "dimension": names[dimension.id],
                    "wave": wave,
                    "order": index,
                    "median": as_json(value, Kind.SCORE),
                    "shown": _score(value, locale),
                }
            )
    columns = 1 if width < _NARROW else 2
    # The y axis (about 30 px) left of the first column, 40 px between columns.
    panel_width = (width - 30 - 40 * (columns - 1)) // columns
    median_title = _("Median (0-4)")
    x = {"field": "wave", "type": "ordinal", "sort": list(waves), "title": None, "axis": {"labelAngle": 0}}
    y = {
        "field": "median",
        "type": "quantitative",
        "title": None,
        "scale": {"domain": [0, MAX_SCORE], "nice": False},
        "axis": {"values": [0, 1, 2, 3, 4], "format": "d", "gridColor": "#c9ccd1", "domain": False, "ticks": False},
    }
    tooltip = _tooltip(("dimension", _("Dimension")), ("wave", _("Wave")), ("shown", median_title))
    line = {"type": "line", "color": _MEDIAN_COLOUR, "strokeWidth": 2.5, "invalid": "break-paths-show-domains"}
    spec = _spec(
        {
            "data": {"values": rows},
            "facet": {
                "field": "dimension",
                "type": "nominal",
                "sort": [d.name for d in model.dimensions],
                "title": None,
                "header": {"labelAnchor": "start", "labelFontWeight": "bold", "labelLimit": panel_width + 30},
            },
            "columns": columns,
            # Every panel has its waves written under it: a panel is read on its own, on a phone far
            # below the last one.
            "resolve": {"axis": {"x": "independent"}},
            "spacing": {"row": 18, "column": 40},
            "spec": {
                "width": panel_width,
                "height": 110,
                "encoding": {"x": x, "y": y},
                "layer": [
                    {"mark": line},
                    {
                        "mark": {"type": "circle", "color": _MEDIAN_COLOUR, "size": 60, "opacity": 1},
                        "encoding": {"tooltip": tooltip},
                    },
                    {
                        "mark": {"type": "text", "dy": -11, "fontSize": _SMALL_FONT_SIZE, "color": _INK},
                        "encoding": {"text": _text("shown")},
                    },
                ],
            },
        }
    )
    spec["config"]["axis"]["labelFontSize"] = _SMALL_FONT_SIZE

    table = ChartTable(
        (_("Dimension"), *waves),
        tuple(
            (d.name, *(_score(v, locale) for v in (medians.get(d.id) or [None] * len(waves)))) for d in model.dimensions
        ),
    )
    return Chart(spec, _trend_description(model, waves, medians, locale), table)


def _trend_description(
    model: Model, waves: Sequence[str], medians: Mapping[str, Sequence[float | None]], locale: str
) -> str:
    sentences = [
        _("Line charts of the median score (0-4) per dimension in each wave: {waves}.").format(waves=", ".join(waves))
    ]
    # The change from each dimension's first to its last wave with a median, of the figures as shown.
    changes = []
    for dimension in model.dimensions:
        present = [value for value in medians.get(dimension.id, ()) if value is not None]
        if len(present) >= 2:
            difference = change(present[0], present[-1], Kind.SCORE)
            if difference is not None:
                changes.append((difference, dimension.name, present[0], present[-1]))
    if changes:
        rise = max(changes, key=lambda c: c[0])
        fall = min(changes, key=lambda c: c[0])

        def moved(entry: tuple[Decimal, str, float, float]) -> str:
            difference, name, first, last = entry
            return (
                f"{name} ({_score(first, locale)} → {_score(last, locale)}, {signed(difference, Kind.SCORE, locale)})"
            )

        if rise[0] > 0:
            sentences.append(_("Rose most: {dimension}.").format(dimension=moved(rise)))
        if fall[0] < 0:
            sentences.append(_("Fell most: {dimension}.").format(dimension=moved(fall)))
        if rise[0] <= 0 and fall[0] >= 0:
            sentences.append(_("No dimension's median changed."))
    gaps = [d.name for d in model.dimensions if any(v is None for v in medians.get(d.id, [None]))]
    if gaps:
        sentences.append(_("Without a median in some waves: {dimensions}.").format(dimensions=", ".join(gaps)))
    sentences.append(_("The table lists every value."))
    return " ".join(sentences)


# 5. Where people disagree ---------------------------------------------------------------------------------------

Spread = tuple[str, float, float, float]  # dimension id, Q1, median, Q3
DISAGREEMENT_NAMED = 3


def agreement_chart(model: Model, spreads: Sequence[Spread], locale: str = "en", width: int | None = None) -> Chart:
    """Per dimension the middle half of the scores (Q1 to Q3) as a bar on the 0 to 4 scale, with the
    median as a dark tick across it; the widest first. The spread is Q3 − Q1 of the figures as shown,
    so Q1, Q3 and the spread a reader sees add up, and the order follows it (then the exact spread,
    then the model's order)."""
    names = _names(model)
    position = {d.id: index for index, d in enumerate(model.dimensions)}
    ordered = sorted(
        spreads,
        key=lambda s: (-(change(s[1], s[3], Kind.SCORE) or 0), -(s[3] - s[1]), position[s[0]]),
    )
    rows: list[dict[str, Any]] = [
        {
            "dimension": names[dimension],
            "row": _row_name(names[dimension]),
            "q1": as_json(first, Kind.SCORE),
            "median": as_json(middle, Kind.SCORE),
            "q3": as_json(third, Kind.SCORE),
            "spread": as_json(change(first, third, Kind.SCORE), Kind.SCORE),
            "q1_shown": _score(first, locale),
            "median_shown": _score(middle, locale),
            "q3_shown": _score(third, locale),
            "spread_shown": _score(change(first, third, Kind.SCORE), locale),
            "spread_label": _("spread {spread}").format(spread=_score(change(first, third, Kind.SCORE), locale)),
        }
        for dimension, first, middle, third in ordered
    ]
    spread_title = _("Spread (Q3 − Q1)")
    tooltip = _tooltip(
        ("dimension", _("Dimension")),
        ("q1_shown", _("Q1")),
        ("median_shown", _("Median")),
        ("q3_shown", _("Q3")),
        ("spread_shown", spread_title),
    )
    y = {
        "field": "row",
        "type": "nominal",
        "sort": [row["row"] for row in rows],
        "title": None,
        "axis": _name_axis(),
    }
    x = {
        "field": "q1",
        "type": "quantitative",
        "title": _("Score (0-4): middle half of the respondents, median marked"),
        "scale": {"domain": [0, MAX_SCORE], "nice": False},
        "axis": {"values": [0, 1, 2, 3, 4], "format": "d", "gridColor": "#c9ccd1", "titleLimit": 600},
    }
    spec = _spec(
        {
            "data": {"values": rows},
            **_size(width),
            "height": {"step": 40},
            "encoding": {"y": y},
            "layer": [
                {
                    "mark": {
                        "type": "bar",
                        "color": "#60a5fa",
                        "stroke": _MEDIAN_COLOUR,
                        "strokeWidth": 1,
                        "height": 18,
                    },
                    "encoding": {"x": x, "x2": {"field": "q3"}, "tooltip": tooltip},
                },
                {
                    "mark": {"type": "tick", "color": _INK, "thickness": 3, "size": 28, "orient": "vertical"},
                    "encoding": {"x": {**x, "field": "median"}, "tooltip": tooltip},
                },
                {
                    "mark": {"type": "text", "align": "left", "dx": 8, "fontSize": _SMALL_FONT_SIZE, "color": _INK},
                    "encoding": {"x": {**x, "field": "q3"}, "text": _text("spread_label")},
                },
            ],
        }
    )
    table = ChartTable(
        (_("Dimension"), _("Q1"), _("Median"), _("Q3"), spread_title),
        tuple(
            (row["dimension"], row["q1_shown"], row["median_shown"], row["q3_shown"], row["spread_shown"])
            for row in rows
        ),
    )
    named = "; ".join(
        _("{dimension} (spread {spread}: from {q1} to {q3}, median {median})").format(
            dimension=row["dimension"],
            spread=row["spread_shown"],
            q1=row["q1_shown"],
            q3=row["q3_shown"],
            median=row["median_shown"],
        )
        for row in rows[:DISAGREEMENT_NAMED]
    )
    description = _(
        "Range chart of where the middle half of the respondents' scores (0-4) lie per dimension, from the first "
        "to the third quartile, with the median marked and the spread written beside it, the widest first. "
        "People disagree most on: {named}. The table lists every value."
    ).format(named=named)
    return Chart(spec, description, ChartTable(table.columns, table.rows))


# 6. The answers per statement -----------------------------------------------------------------------------------

_LINE_HEIGHT = 16
_BAR_HEIGHT = 22
_GAP = 14
_LABEL_SHARE = 7  # a segment this many percent wide or wider has its share written in it


def statement_distribution_chart(
    statement_texts: Sequence[str],
    counts: Sequence[Mapping[str, int]],
    values_order: Sequence[str],
    locale: str = "en",
    width: int | None = None,
) -> Chart:
    """A 100 % bar per statement, its text above it in full, of the answers given in `values_order`
    (answer values of `assessment.model`, and `reporting.room.UNANSWERED`). Positions are worked out
    here, in pixels down the chart, so each statement takes the lines its text needs."""
    if len(statement_texts) != len(counts):
        raise ValueError(f"{len(statement_texts)} statements, {len(counts)} answer counts")
    unknown = [value for row in counts for value in row if value not in values_order]
    if unknown:
        raise ValueError(f"answers not in values_order: {sorted(set(unknown))}")
    labels = [answer_label(value) for value in values_order]
    wrap = 40 if width is None or width < _NARROW else max(40, (width - 20) // 6)
    texts: list[dict[str, Any]] = []
    segments: list[dict[str, Any]] = []
    frames: list[dict[str, Any]] = []
    top = 0
    for number, (text, row) in enumerate(zip(statement_texts, counts, strict=True), start=1):
        wrapped = wrap_label(text, wrap)
        lines = wrapped.count("\n") + 1
        texts.append({"y": top, "text": wrapped})
        bar_top = top + lines * _LINE_HEIGHT + 4
        bar_bottom = bar_top + _BAR_HEIGHT
        total = sum(row.values())
        frames.append({"y": bar_top, "y2": bar_bottom, "x": 0, "x2": 100 if total else 0})
        start = 0
        for value, label in zip(values_order, labels, strict=True):
            count = row.get(value, 0)
            if not count:
                continue
            end = start + count
            share = as_percent(count / total)
            fill = _ANSWER_COLOURS.get(value, "#9ca3af")
            segments.append(
                {
                    "statement": number,
                    "statement_text": text,
                    "answer": label,
                    "count": count,
                    "count_shown": _count(count, locale),
                    "percent": as_json(share, Kind.PERCENT),
                    "shown": _("{percent} %").format(percent=fmt(share, Kind.PERCENT, locale)),
                    "inside": fmt(share, Kind.PERCENT, locale) if rounded(share, Kind.PERCENT) >= _LABEL_SHARE else "",
                    "ink": "white" if fill in _WHITE_TEXT_ON else _INK,
                    "x": float(as_percent(start / total)),
                    "x2": float(as_percent(end / total)),
                    "centre": float(as_percent((start + end) / 2 / total)),
                    "y": bar_top,
                    "y2": bar_bottom,
                    "middle": (bar_top + bar_bottom) / 2,
                }
            )
            start = end
        top = bar_bottom + _GAP
    height = max(top - _GAP, 1)
    y_scale = {"domain": [0, height], "reverse": True, "nice": False, "zero": False}

    def y(name: str) -> dict[str, Any]:
        return {"field": name, "type": "quantitative", "axis": None, "scale": y_scale}

    percent_axis = {"values": [0, 25, 50, 75, 100], "title": _("Share of respondents (%)"), "grid": False}
    x = {"field": "x", "type": "quantitative", "scale": {"domain": [0, 100], "nice": False}, "axis": percent_axis}
    taken = [v for v in values_order if any(row.get(v, 0) for row in counts)]
    colour = {
        "field": "answer",
        "type": "nominal",
        "title": None,
        "scale": {"domain": labels, "range": [_ANSWER_COLOURS.get(v, "#9ca3af") for v in values_order]},
        "legend": {
            "orient": "top",
            "direction": "horizontal",
            "columns": 2 if width is None or width < _NARROW else 4,
            # Only the answers given, so the legend lists nothing the bars do not show.
            "values": [answer_label(v) for v in taken or values_order],
            "symbolType": "square",
            "symbolStrokeColor": "#6b7280",
            "symbolStrokeWidth": 1,
            "labelLimit": 200,
        },
    }
    tooltip = _tooltip(("statement_text", _("Statement")), ("answer", _("Answer")), ("count_shown", _("Respondents")))
    tooltip.append({"field": "shown", "type": "nominal", "title": _("Share")})
    spec = _spec(
        {
            **_size(width),
            "height": height,
            "layer": [
                _layer(
                    texts,
                    {
                        "type": "text",
                        "align": "left",
                        "baseline": "top",
                        "lineBreak": "\n",
                        "lineHeight": _LINE_HEIGHT,
                        "fontSize": _SMALL_FONT_SIZE + 1,
                        "color": _INK,
                    },
                    {
                        "x": {"datum": 0, "type": "quantitative", "scale": x["scale"], "axis": percent_axis},
                        "y": y("y"),
                        "text": _text("text"),
                    },
                ),
                _layer(
                    segments,
                    {"type": "rect", "stroke": "white", "strokeWidth": 1},
                    {
                        "x": x,
                        "x2": {"field": "x2"},
                        "y": y("y"),
                        "y2": {"field": "y2"},
                        "color": colour,
                        "tooltip": tooltip,
                    },
                ),
                # An outline round each bar: its light segments then still stand out from the white page.
                _layer(
                    frames,
                    {"type": "rect", "fill": None, "stroke": "#6b7280", "strokeWidth": 1},
                    {"x": x, "x2": {"field": "x2"}, "y": y("y"), "y2": {"field": "y2"}},
                ),
                _layer(
                    segments,
                    {"type": "text", "fontSize": _SMALL_FONT_SIZE},
                    {
                        "x": {"field": "centre", "type": "quantitative", "scale": x["scale"], "axis": percent_axis},
                        "y": y("middle"),
                        "text": _text("inside"),
                        "color": {"field": "ink", "type": "nominal", "scale": None},
                    },
                ),
            ],
        }
    )
    table_columns = (_("Statement"), *labels, _("Asked"))
    table_rows = []
    for text, row in zip(statement_texts, counts, strict=True):
        total = sum(row.values())
        cells = []
        for value in values_order:
            count = row.get(value, 0)
            cells.append(f"{_count(count, locale)} ({_percent_text(count, total, locale)})" if total else MISSING)
        table_rows.append((text, *cells, _count(total, locale)))
    description = _statement_description(statement_texts, counts, values_order, locale)
    return Chart(spec, description, ChartTable(table_columns, tuple(table_rows)))


def _statement_description(
    statement_texts: Sequence[str], counts: Sequence[Mapping[str, int]], values_order: Sequence[str], locale: str
) -> str:
    sentences = [
        _("Stacked bars, one per statement, each 100 % of the respondents asked, split by answer: {answers}.").format(
            answers=", ".join(answer_label(v) for v in values_order)
        )
    ]
    for number, (text, row) in enumerate(zip(statement_texts, counts, strict=True), start=1):
        total = sum(row.values())
        parts = ", ".join(
            f"{answer_label(v)} {_percent_text(row.get(v, 0), total, locale)}" for v in values_order if row.get(v, 0)
        )
        sentences.append(
            _("{number}. {statement}: {answers}.").format(
                number=number, statement=text.rstrip(". "), answers=parts or MISSING
            )
        )
    return " ".join(sentences)
