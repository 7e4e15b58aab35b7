"""The management report (issue 15, section 5): one organisation's wave as a PDF document, every chart
as PNG and SVG, and the figures as CSV files and one Excel workbook.

A "text" module like `reporting.dashboard_charts`: the wording is translated when a function is
called (`_()`, in the language set for the run), figures are written by `reporting.numbers` in the
caller's locale in the PDF and as plain rounded numbers in the files. The input is plain values
(`ReportInput`, made by `services.reports` from the dashboard): what a group may show was decided
before (`reporting.anonymity`); a group given without figures is hidden and has no number anywhere,
not even its count.

Sections of the PDF: the title block (organisation, wave, dates), the privacy note, the headline
(pooled stage, respondents, individual stages), the radar with the previous wave, the benchmark and
the target, agreement (the spread per dimension, the most disputed named, the answers to their
statements), departments (heat map, hidden ones marked), the 4 T's and the checklist, the
prioritised gaps with their lessons and quizzes, the trend over waves and the 90-day plan. When the
wave's group is under its threshold the report says so and shows no figure: only the plan's titles,
owners, dates and statuses.

Sizes: a chart is made `width` pixels wide and placed at width / `TEXT_WIDTH_PX` of the text width,
so its text prints at its own size (1 SVG px = 0.75 pt; 13 px labels are about 9.75 pt, the tables'
size). The A4 text width is about 465 pt, 620 px.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

from assessment.model import Model
from i18n import _, pgettext, set_language
from reporting import pdf
from reporting.aggregate import Benchmark, GroupFigures, Trend, target_score
from reporting.dashboard_charts import (
    DISAGREEMENT_NAMED,
    Chart,
    ChartTable,
    Overlay,
    agreement_chart,
    department_heatmap,
    hidden_label,
    maturity_radar,
    stage_distribution,
    statement_distribution_chart,
    trend_chart,
)
from reporting.export import chart_png, chart_svg, slug
from reporting.numbers import Kind, Number, as_json, as_percent, change, fmt, signed
from reporting.plan import LinkRef, Progress, open_proposals
from reporting.plan_text import source_label, status_label
from reporting.report_input import ReportInput, WaveRef
from reporting.room_text import answer_label
from reporting.tables import MISSING, stage_name
from reporting.workshop_export import Cell, Column, Table, table_csv, tables_workbook
from reporting.workshop_export import Kind as CellKind

TEXT_WIDTH_PX = 620  # the A4 text width (about 465 pt) in SVG pixels
RADAR_WIDTH = 460
STAGES_WIDTH = 360
WIDE_WIDTH = TEXT_WIDTH_PX
PNG_SCALE = 2.0
_SVG_WIDTH = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)"')
WORKBOOK_NAME = "data.xlsx"
LANGUAGES = pdf.LANGUAGES


@dataclass(frozen=True)
class NamedChart:
    key: str  # in file names: stages, radar, agreement, statements-<dimension>, departments, trend
    chart: Chart
    width: int  # pixels
    caption: str


# Words and figures -------------------------------------------------------------------------------


def _score(value: float | None, locale: str) -> str:
    return fmt(value, Kind.SCORE, locale, missing=MISSING)


def _count(count: int, locale: str) -> str:
    return format_decimal(count, locale=locale)


def _day(moment: date | datetime | None, locale: str) -> str:
    return MISSING if moment is None else format_date(moment, format="long", locale=locale)


def _department_name(name: str | None) -> str:
    return _("No department given") if name is None else name


def _dimension_names(model: Model) -> dict[str, str]:
    return {d.id: d.name for d in model.dimensions}


def _wave_line(data: ReportInput, locale: str) -> str:
    if data.wave is None:
        return _("No measurement wave yet")
    wave = data.wave
    if wave.closed_at is None:
        return _("Measurement wave {wave}, open since {opened}").format(
            wave=wave.name, opened=_day(wave.opened_at, locale)
        )
    return _("Measurement wave {wave}, {opened} to {closed}").format(
        wave=wave.name, opened=_day(wave.opened_at, locale), closed=_day(wave.closed_at, locale)
    )


def _benchmark_label(benchmark: Benchmark, scope: str, locale: str) -> str:
    if scope == "sector":
        return _("Benchmark, same sector: {organisations} organisations, {respondents} respondents").format(
            organisations=_count(benchmark.organisations, locale), respondents=_count(benchmark.respondents, locale)
        )
    return _("Benchmark: {organisations} organisations, {respondents} respondents").format(
        organisations=_count(benchmark.organisations, locale), respondents=_count(benchmark.respondents, locale)
    )


def _overlays(model: Model, data: ReportInput, locale: str) -> list[Overlay]:
    overlays = []
    if data.previous is not None and data.previous_wave:
        scores = {d.dimension: d.median for d in data.previous.dimensions if d.median is not None}
        overlays.append(Overlay("previous", _("Previous wave: {wave}").format(wave=data.previous_wave), scores))
    if data.benchmark is not None:
        scores = {d.dimension: d.median for d in data.benchmark.dimensions if d.median is not None}
        overlays.append(Overlay("benchmark", _benchmark_label(data.benchmark, data.benchmark_scope, locale), scores))
    targets = {
        dimension: float(target_score(target.stage))
        for dimension, target in data.targets.items()
        if target.stage is not None
    }
    if targets:
        overlays.append(Overlay("target", _("Target"), targets))
    return overlays


# Charts ------------------------------------------------------------------------------------------


def _medians(figures: GroupFigures) -> tuple[dict[str, float], dict[str, float], dict[str, float]] | None:
    """Median, Q1 and Q3 per dimension; None when a dimension has none (no respondent was asked it)."""
    medians, q1, q3 = {}, {}, {}
    for d in figures.dimensions:
        if d.median is None or d.q1 is None or d.q3 is None:
            return None
        medians[d.dimension], q1[d.dimension], q3[d.dimension] = d.median, d.q1, d.q3
    return medians, q1, q3


def _disputed_dimensions(figures: GroupFigures) -> list[str]:
    return [d.dimension for d in figures.agreement[:DISAGREEMENT_NAMED]]


def _answer_order(rows: Sequence[Sequence[tuple[str, int]]]) -> list[str]:
    """Every answer value in the order the statements list them (the model's, then "not answered")."""
    order: list[str] = []
    for counts in rows:
        for value, _number_given in counts:
            if value not in order:
                order.append(value)
    return order


def _statement_texts(model: Model) -> dict[str, str]:
    return {s.id: s.text for d in model.dimensions for s in d.statements}


def report_charts(model: Model, data: ReportInput, locale: str) -> list[NamedChart]:
    """Every chart the report shows, in its order; none when the wave's group is hidden."""
    figures = data.figures
    if figures is None:
        return []
    charts = [
        NamedChart(
            "stages",
            stage_distribution(model, [(s.stage, s.count) for s in figures.stages], locale, STAGES_WIDTH),
            STAGES_WIDTH,
            _("Respondents by their own stage"),
        )
    ]
    quartiles = _medians(figures)
    if quartiles is not None:
        medians, q1, q3 = quartiles
        charts.append(
            NamedChart(
                "radar",
                maturity_radar(model, medians, q1, q3, _overlays(model, data, locale), locale, RADAR_WIDTH),
                RADAR_WIDTH,
                _("The maturity radar: the median score per dimension, the middle half of the respondents shaded"),
            )
        )
    spreads = [
        (d.dimension, d.q1, d.median, d.q3)
        for d in figures.agreement
        if d.q1 is not None and d.median is not None and d.q3 is not None
    ]
    if spreads:
        charts.append(
            NamedChart(
                "agreement",
                agreement_chart(model, spreads, locale, WIDE_WIDTH),
                WIDE_WIDTH,
                _("Agreement: where the middle half of the scores lie per dimension, the widest spread first"),
            )
        )
    # The answers to the statements of each dimension people disagree on most: a chart per dimension,
    # so each fits on a page (a chart is one picture and cannot run over pages).
    texts = _statement_texts(model)
    names = _dimension_names(model)
    for dimension in _disputed_dimensions(figures):
        statements = [s for s in figures.statements if s.dimension == dimension and s.asked]
        if not statements:
            continue
        charts.append(
            NamedChart(
                f"statements-{dimension}",
                statement_distribution_chart(
                    [texts.get(s.statement, s.statement) for s in statements],
                    [dict(s.counts) for s in statements],
                    _answer_order([s.counts for s in statements]),
                    locale,
                    WIDE_WIDTH,
                ),
                WIDE_WIDTH,
                _("Answers per statement: {dimension}").format(dimension=names.get(dimension, dimension)),
            )
        )
    if any(shown is not None for _name, shown in data.departments):
        rows = [
            (
                _department_name(name),
                None if shown is None else {d.dimension: d.median for d in shown.dimensions if d.median is not None},
                None if shown is None else shown.n,
            )
            for name, shown in data.departments
        ]
        charts.append(
            NamedChart(
                "departments",
                department_heatmap(model, rows, locale, data.threshold, WIDE_WIDTH),
                WIDE_WIDTH,
                _("Departments side by side: the median score per dimension"),
            )
        )
    if data.trend is not None and data.trend.waves:
        medians_by_dimension = {t.dimension: list(t.medians) for t in data.trend.dimensions}
        charts.append(
            NamedChart(
                "trend",
                trend_chart(model, list(data.trend.waves), medians_by_dimension, locale, WIDE_WIDTH),
                WIDE_WIDTH,
                _("The trend: the median score per dimension in each wave"),
            )
        )
    return charts


def _with_title(spec: dict[str, Any], title: str, subtitle: str) -> dict[str, Any]:
    """The chart as a file of its own: its caption as title, organisation and wave under it."""
    return {
        **spec,
        "title": {
            "text": title,
            "subtitle": subtitle,
            "anchor": "start",
            "fontSize": 15,
            "subtitleFontSize": 12,
            "color": "#111827",
            "subtitleColor": "#374151",
            "limit": 600,
        },
    }


def chart_files(model: Model, data: ReportInput, locale: str) -> dict[str, bytes]:
    """Every chart of the report as `<key>.png` (twice the pixels, for print) and `<key>.svg`, each
    titled with its caption, the organisation and the wave. Empty when the group is hidden."""
    subtitle = f"{data.organisation} · {_wave_line(data, locale)}"
    files: dict[str, bytes] = {}
    for named in report_charts(model, data, locale):
        spec = _with_title(named.chart.spec, named.caption, subtitle)
        files[f"{named.key}.png"] = chart_png(spec, PNG_SCALE)
        files[f"{named.key}.svg"] = chart_svg(spec).encode("utf-8")
    return files


# The PDF -----------------------------------------------------------------------------------------


def _pdf_table(table: ChartTable | Table, caption: str = "") -> pdf.Table:
    """A table for the PDF: the first column left, the figures right."""
    if isinstance(table, Table):
        columns = tuple(c.heading for c in table.columns)
        rows = tuple(tuple("" if v is None else str(v) for v in row) for row in table.rows)
    else:
        columns, rows = table.columns, table.rows
    left: pdf.Alignment = "left"
    right: pdf.Alignment = "right"
    align = (left, *((right,) * (len(columns) - 1)))
    return pdf.Table(caption, columns, rows, align)


def _answers_table(table: ChartTable) -> pdf.Table:
    """The statements chart's numbers in two columns, so the statements keep room to be read: each
    statement with the answers given to it (the chart table's cells, those with nobody left out)."""
    answer_columns = table.columns[1:-1]
    rows = []
    for row in table.rows:
        given = [
            f"{label}: {cell}"
            for label, cell in zip(answer_columns, row[1:-1], strict=True)
            if cell != MISSING and not cell.startswith("0 ")
        ]
        rows.append((row[0], "\n".join(given) or MISSING, row[-1]))
    return pdf.Table("", (table.columns[0], _("Answers"), table.columns[-1]), tuple(rows), ("left", "left", "right"))


def _departments_table_pdf(table: ChartTable, data: ReportInput, locale: str) -> pdf.Table:
    """The heat map's numbers with the departments' names as headings and their sizes in the first row,
    so the columns stay narrow; a hidden department reads "hidden" in every cell, its size too."""
    long = hidden_label(data.threshold)
    sizes = tuple(long if shown is None else _count(shown.n, locale) for _name, shown in data.departments)
    rows = (
        (_("Respondents"), *sizes),
        *(tuple(_("hidden") if cell == long else cell for cell in row) for row in table.rows),
    )
    columns = (table.columns[0], *(_department_name(name) for name, _shown in data.departments))
    return _pdf_table(ChartTable(columns, rows))


def _figure(named: NamedChart, data: ReportInput, locale: str) -> pdf.Figure:
    chart = named.chart
    if named.key.startswith("statements-"):
        table = _answers_table(chart.table)
    elif named.key == "departments":
        table = _departments_table_pdf(chart.table, data, locale)
    else:
        table = _pdf_table(chart.table)
    svg = chart_svg(chart.spec)
    drawn = _svg_width(svg) or named.width
    return pdf.Figure(
        svg=svg,
        description=chart.description,
        caption=named.caption,
        table=table,
        width=max(pdf.MIN_FIGURE_WIDTH, min(1.0, drawn / TEXT_WIDTH_PX)),
    )


def _svg_width(svg: str) -> float | None:
    """The width vl-convert gave the SVG (a chart may come out a few pixels wider than asked)."""
    found = _SVG_WIDTH.search(svg)
    return float(found.group(1)) if found else None


def _privacy_note(data: ReportInput) -> pdf.Note:
    return pdf.Note(
        _(
            "Privacy: this report shows figures only for groups of at least {threshold} respondents, the threshold "
            "of this wave; a smaller group shows no figure, not even how many people it has. When a department is "
            "hidden, the next-smallest is hidden too, so no one can be worked out by subtracting. The report holds "
            "no names, no nicknames and no individual answers."
        ).format(threshold=data.threshold)
    )


def _headline(model: Model, data: ReportInput, figures: GroupFigures, locale: str) -> list[pdf.Block]:
    blocks: list[pdf.Block] = [pdf.Heading(_("Where the organisation stands"))]
    blocks.append(
        pdf.Paragraph(
            _(
                "{respondents} respondents completed the assessment in this wave. Their answers pooled put the "
                "organisation at the stage: {stage}."
            ).format(respondents=_count(figures.n, locale), stage=stage_name(model, figures.stage))
        )
    )
    if data.previous is not None and data.previous_wave:
        blocks.append(
            pdf.Paragraph(
                _("In the previous wave ({wave}) the pooled stage was: {stage}.").format(
                    wave=data.previous_wave, stage=stage_name(model, data.previous.stage)
                )
            )
        )
    if data.benchmark is not None:
        blocks.append(
            pdf.Paragraph(
                _("{benchmark}; their pooled stage: {stage}.").format(
                    benchmark=_benchmark_label(data.benchmark, data.benchmark_scope, locale),
                    stage=stage_name(model, data.benchmark.stage),
                )
            )
        )
    return blocks


def _dimension_table(model: Model, data: ReportInput, figures: GroupFigures, locale: str) -> pdf.Table:
    rows = []
    for dimension in model.dimensions:
        found = figures.dimension(dimension.id)
        target = data.targets.get(dimension.id)
        rows.append(
            (
                dimension.name,
                stage_name(model, found.stage),
                _score(found.median, locale),
                MISSING if target is None or target.stage is None else stage_name(model, target.stage),
                MISSING if target is None else str(target.importance),
            )
        )
    return pdf.Table(
        _("Stage per dimension (pooled answers) and management's target"),
        (_("Dimension"), _("Stage"), _("Median (0-4)"), _("Target stage"), _("Importance (1-5)")),
        tuple(rows),
        ("left", "left", "right", "left", "right"),
    )


def _agreement_text(model: Model, figures: GroupFigures, locale: str) -> pdf.Paragraph:
    names = _dimension_names(model)
    named = [
        _("{dimension} (from {q1} to {q3})").format(
            dimension=names[d.dimension], q1=_score(d.q1, locale), q3=_score(d.q3, locale)
        )
        for d in figures.agreement[:DISAGREEMENT_NAMED]
    ]
    return pdf.Paragraph(
        _(
            "Disagreement is a finding to discuss: where the middle half of the respondents' scores lie far apart, "
            "people see the organisation differently. They disagree most on: {dimensions}."
        ).format(dimensions="; ".join(named) or MISSING)
    )


def _departments_text(data: ReportInput) -> pdf.Paragraph | None:
    hidden = [_department_name(name) for name, shown in data.departments if shown is None]
    if not hidden:
        return None
    return pdf.Paragraph(
        _(
            "Hidden to keep respondents anonymous: {departments}. A department is hidden when it has fewer than "
            "{threshold} respondents, or when a smaller hidden department could otherwise be worked out by "
            "subtracting."
        ).format(departments=", ".join(hidden), threshold=data.threshold)
    )


def _tee_checklist_blocks(model: Model, data: ReportInput, figures: GroupFigures, locale: str) -> list[pdf.Block]:
    gaps = {g.tee: g.members for g in (data.others.tees if data.others else ())}
    tees = pdf.Table(
        _("The 4 T's: median score (0-100)"),
        (_("T"), _("Median (0-100)"), _("Respondents"), _("With a gap")),
        tuple(
            (
                tee.name,
                fmt(figures.tee(tee.id).median, Kind.TEE, locale, missing=MISSING),
                _count(figures.tee(tee.id).respondents, locale),
                _count(gaps.get(tee.id, 0), locale),
            )
            for tee in model.tees
        ),
        ("left", "right", "right", "right"),
    )
    checklist = figures.checklist
    compliance = None if checklist.median is None else as_percent(checklist.median)
    blocks: list[pdf.Block] = [
        pdf.PageBreak(),
        pdf.Heading(_("The 4 T's and the checklist")),
        tees,
        pdf.Paragraph(
            _("Checklist: median compliance {percent} % over {respondents} respondents.").format(
                percent=fmt(compliance, Kind.PERCENT, locale, missing=MISSING),
                respondents=_count(checklist.respondents, locale),
            )
        ),
    ]
    items = {item.id: item.text for item in model.checklist}
    if checklist.failed:
        blocks.append(
            pdf.Table(
                _("Checklist practices not in place: how many answered no or partly"),
                (pgettext("a checklist item, as a column heading", "Practice"), _("No"), _("Partly")),
                tuple(
                    (items.get(f.item, f.item), _count(f.no, locale), _count(f.partly, locale))
                    for f in checklist.failed
                ),
                ("left", "right", "right"),
            )
        )
    return blocks


def _link_title(link: LinkRef | None) -> str:
    return MISSING if link is None else link.title


def _gap_blocks(model: Model, data: ReportInput, locale: str) -> list[pdf.Block]:
    names = _dimension_names(model)
    blocks: list[pdf.Block] = [pdf.Heading(_("Priorities: the gaps to the target"))]
    if not data.priorities:
        blocks.append(
            pdf.Paragraph(
                _("No dimension is below its target stage, or management has set no targets yet.")
                if data.targets
                else _("Management has set no target stages yet, so no gap to a target is listed.")
            )
        )
        return blocks
    blocks.append(
        pdf.Paragraph(
            _(
                "Each gap is the target's score minus the median, weighted by the importance management gave the "
                "dimension; the largest first. People: how many respondents are below the target stage themselves."
            )
        )
    )
    rows = []
    for gap in data.priorities:
        lesson, bank = data.links.get(gap.dimension, (None, None))
        rows.append(
            (
                names.get(gap.dimension, gap.dimension),
                stage_name(model, gap.target),
                _score(gap.median, locale),
                _score(gap.gap, locale),
                str(gap.importance),
                _score(gap.weighted, locale),
                _count(gap.people, locale),
                _link_title(lesson),
                _link_title(bank),
            )
        )
    blocks.append(
        pdf.Table(
            _("Prioritised gaps, with the lesson and the quiz to schedule"),
            (
                _("Dimension"),
                _("Target"),
                _("Median"),
                _("Gap"),
                _("Importance"),
                _("Weighted"),
                _("People"),
                _("Lesson"),
                _("Quiz"),
            ),
            tuple(rows),
            ("left", "left", "right", "right", "right", "right", "right", "left", "left"),
        )
    )
    return blocks


def _trend_table(model: Model, trend: Trend, locale: str) -> pdf.Table:
    rows = tuple(
        (
            wave,
            _count(respondents, locale) if shown and respondents is not None else hidden_label(None),
            stage_name(model, stage) if shown else hidden_label(None),
        )
        for wave, shown, respondents, stage in zip(
            trend.waves, trend.shown, trend.respondents, trend.stages, strict=True
        )
    )
    return pdf.Table(
        _("Each wave: respondents and pooled stage"),
        (_("Wave"), _("Respondents"), _("Stage")),
        rows,
        ("left", "right", "left"),
    )


def _progress_text(item: Progress | None, locale: str) -> str:
    if item is None or item.now is None or item.baseline is None:
        return MISSING
    moved = f"{_score(item.baseline, locale)} → {_score(item.now, locale)}"
    return moved if item.change is None else f"{moved} ({signed(item.change, Kind.SCORE, locale)})"


def _plan_blocks(model: Model, data: ReportInput, locale: str) -> list[pdf.Block]:
    names = _dimension_names(model)
    blocks: list[pdf.Block] = [pdf.Heading(_("The 90-day plan"))]
    if data.actions:
        progress = list(data.progress) if len(data.progress) == len(data.actions) else [None] * len(data.actions)
        blocks.append(
            pdf.Paragraph(
                _(
                    "Progress: the dimension's median when the action was accepted, now, and the change; a dash "
                    "where there is no figure to compare."
                )
            )
        )
        blocks.append(
            pdf.Table(
                _("Actions"),
                (_("Action"), _("Dimension"), _("Owner"), _("Due date"), _("Status"), _("Progress")),
                tuple(
                    (
                        action.title,
                        MISSING if action.dimension is None else names.get(action.dimension, action.dimension),
                        action.owner or MISSING,
                        _day(action.due_on, locale),
                        status_label(action.status.value),
                        _progress_text(item, locale),
                    )
                    for action, item in zip(data.actions, progress, strict=True)
                ),
                ("left", "left", "left", "left", "left", "right"),
            )
        )
    else:
        blocks.append(pdf.Paragraph(_("No actions have been accepted or added yet.")))
    proposals = open_proposals(model, data.plan_gaps, data.actions, data.created.date())
    if proposals:
        blocks.append(
            pdf.Table(
                _("Proposed from the gaps, not accepted yet"),
                (_("Action"), _("Due date"), _("Lesson"), _("Quiz")),
                tuple(
                    (
                        p.title,
                        _day(p.due_on, locale),
                        data.lesson_titles.get(p.lesson_id, p.lesson_id) if p.lesson_id else MISSING,
                        data.bank_titles.get(p.bank_id, p.bank_id) if p.bank_id else MISSING,
                    )
                    for p in proposals
                ),
            )
        )
    return blocks


def report_document(model: Model, data: ReportInput, locale: str) -> pdf.Document:
    """The management report as a document for `reporting.pdf.render_pdf`."""
    language: pdf.Language = next((code for code in LANGUAGES if locale.split("_")[0].lower() == code), "en")
    blocks: list[pdf.Block] = [_privacy_note(data)]
    figures = data.figures
    charts = {named.key: named for named in report_charts(model, data, locale)}
    if figures is None:
        blocks.append(pdf.Heading(_("Where the organisation stands")))
        if data.wave is None:
            blocks.append(pdf.Paragraph(_("The organisation has no measurement wave yet, so there are no figures.")))
        else:
            blocks.append(
                pdf.Paragraph(
                    _(
                        "Fewer than {threshold} respondents have completed the assessment in this wave, so the report "
                        "shows no figures for it: not the stage, not the charts, not the number of respondents."
                    ).format(threshold=data.threshold)
                )
            )
    else:
        blocks += _headline(model, data, figures, locale)
        if "stages" in charts:
            blocks.append(_figure(charts["stages"], data, locale))
        blocks.append(_dimension_table(model, data, figures, locale))
        blocks += [pdf.PageBreak(), pdf.Heading(_("The maturity profile"))]
        blocks.append(
            pdf.Paragraph(
                _(
                    "The radar shows the median score per dimension (0 to 4), with the middle half of the respondents "
                    "shaded around it, and for comparison the previous wave, the benchmark and the target where "
                    "there is one."
                )
            )
        )
        if "radar" in charts:
            blocks.append(_figure(charts["radar"], data, locale))
        blocks += [pdf.PageBreak(), pdf.Heading(_("Agreement"))]
        blocks.append(_agreement_text(model, figures, locale))
        blocks += [_figure(named, data, locale) for key, named in charts.items() if key == "agreement"]
        for key, named in charts.items():
            if key.startswith("statements-"):
                # A heading (kept with what follows) rather than a caption under a long table, which
                # could be left alone at the top of the next page.
                blocks += [pdf.Heading(named.caption, 2), _figure(replace(named, caption=""), data, locale)]
        if data.departments:
            blocks += [pdf.PageBreak(), pdf.Heading(_("Departments"))]
            hidden = _departments_text(data)
            if hidden is not None:
                blocks.append(hidden)
            if "departments" in charts:
                blocks.append(_figure(charts["departments"], data, locale))
        blocks += _tee_checklist_blocks(model, data, figures, locale)
        blocks += _gap_blocks(model, data, locale)
        if data.trend is not None and "trend" in charts:
            blocks += [pdf.PageBreak(), pdf.Heading(_("The trend over waves"))]
            blocks.append(_figure(charts["trend"], data, locale))
            blocks.append(_trend_table(model, data.trend, locale))
    blocks += _plan_blocks(model, data, locale)
    return pdf.Document(
        title=_("Management report: social media maturity"),
        language=language,
        blocks=tuple(blocks),
        subtitle=_("{wave} · report of {day}").format(wave=_wave_line(data, locale), day=_day(data.created, locale)),
        author=data.organisation,
        created=data.created.replace(microsecond=0),  # the PDF's dates are to the second
    )


# Data files --------------------------------------------------------------------------------------


def _number(value: Number | None, kind: Kind) -> float | int | None:
    return as_json(value, kind)


def _about_table(model: Model, data: ReportInput) -> Table:
    figures = data.figures
    wave = data.wave
    compliance = None
    if figures is not None and figures.checklist.median is not None:
        compliance = _number(as_percent(figures.checklist.median), Kind.PERCENT)
    rows: list[tuple[str, str | int | float | datetime | None]] = [
        (_("Organisation"), data.organisation),
        (_("Wave"), None if wave is None else wave.name),
        (_("Opened (UTC)"), None if wave is None else wave.opened_at.astimezone(timezone.utc)),
        (_("Closed (UTC)"), None if wave is None or wave.closed_at is None else wave.closed_at),
        (_("Anonymity threshold"), data.threshold),
        (_("Respondents"), None if figures is None else figures.n),
        (_("Stage (pooled answers)"), None if figures is None else stage_name(model, figures.stage)),
        (_("Checklist compliance, median (%)"), compliance),
        (_("Figures shown"), _("yes") if figures is not None else _("no: fewer respondents than the threshold")),
        (_("Report made (UTC)"), data.created.astimezone(timezone.utc)),
    ]
    return Table(
        "about",
        _("About"),
        (Column(_("Item"), CellKind.TEXT), Column(_("Value"), CellKind.TEXT)),
        tuple(rows),
    )


def _stages_table(model: Model, figures: GroupFigures) -> Table:
    total = sum(s.count for s in figures.stages)
    return Table(
        "stages",
        _("Stages"),
        (
            Column(_("Stage"), CellKind.TEXT),
            Column(_("Respondents"), CellKind.INTEGER),
            Column(_("Share (%)"), CellKind.PERCENT),
        ),
        tuple(
            (
                stage_name(model, s.stage),
                s.count,
                _number(as_percent(s.count / total), Kind.PERCENT) if total else None,
            )
            for s in figures.stages
        ),
    )


def _dimensions_table(model: Model, data: ReportInput, figures: GroupFigures) -> Table:
    previous = {d.dimension: d.median for d in data.previous.dimensions} if data.previous is not None else {}
    bench = {d.dimension: d.median for d in data.benchmark.dimensions} if data.benchmark is not None else {}
    columns = (
        Column(_("Dimension"), CellKind.TEXT),
        Column(_("Stage"), CellKind.TEXT),
        Column(_("Median (0-4)"), CellKind.DECIMAL),
        Column(_("Q1"), CellKind.DECIMAL),
        Column(_("Q3"), CellKind.DECIMAL),
        Column(_("Spread (Q3 − Q1)"), CellKind.DECIMAL),
        Column(_("Previous wave: median"), CellKind.DECIMAL),
        Column(_("Benchmark: median"), CellKind.DECIMAL),
        Column(_("Target stage"), CellKind.TEXT),
        Column(_("Importance (1-5)"), CellKind.INTEGER),
    )
    rows = []
    for dimension in model.dimensions:
        found = figures.dimension(dimension.id)
        target = data.targets.get(dimension.id)
        rows.append(
            (
                dimension.name,
                stage_name(model, found.stage),
                _number(found.median, Kind.SCORE),
                _number(found.q1, Kind.SCORE),
                _number(found.q3, Kind.SCORE),
                _number(change(found.q1, found.q3, Kind.SCORE), Kind.SCORE),
                _number(previous.get(dimension.id), Kind.SCORE),
                _number(bench.get(dimension.id), Kind.SCORE),
                None if target is None or target.stage is None else stage_name(model, target.stage),
                None if target is None else target.importance,
            )
        )
    return Table("dimensions", _("Dimensions"), columns, tuple(rows))


def _statements_table(model: Model, figures: GroupFigures) -> Table:
    order = _answer_order([s.counts for s in figures.statements])
    names = _dimension_names(model)
    texts = _statement_texts(model)
    stages = {s.id: s.stage for d in model.dimensions for s in d.statements}
    columns = (
        Column(_("Dimension"), CellKind.TEXT),
        Column(_("Stage"), CellKind.TEXT),
        Column(_("Statement"), CellKind.TEXT),
        Column(_("Asked"), CellKind.INTEGER),
        *(Column(answer_label(value), CellKind.INTEGER) for value in order),
    )
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            names.get(s.dimension, s.dimension),
            stage_name(model, stages.get(s.statement)),
            texts.get(s.statement, s.statement),
            s.asked,
            *(dict(s.counts).get(value, 0) for value in order),
        )
        for s in figures.statements
    )
    return Table("statements", _("Answers per statement"), columns, rows)


def _departments_table(model: Model, data: ReportInput) -> Table:
    hidden = hidden_label(data.threshold)
    columns = (
        Column(_("Department"), CellKind.TEXT),
        Column(_("Shown"), CellKind.TEXT),
        Column(_("Respondents"), CellKind.INTEGER),
        Column(_("Stage"), CellKind.TEXT),
        *(Column(_("Median: {dimension}").format(dimension=d.name), CellKind.DECIMAL) for d in model.dimensions),
    )
    rows: list[tuple[Cell, ...]] = []
    for name, shown in data.departments:
        if shown is None:
            rows.append((_department_name(name), hidden, None, None, *(None for _d in model.dimensions)))
            continue
        medians = {d.dimension: d.median for d in shown.dimensions}
        rows.append(
            (
                _department_name(name),
                _("yes"),
                shown.n,
                stage_name(model, shown.stage),
                *(_number(medians.get(d.id), Kind.SCORE) for d in model.dimensions),
            )
        )
    return Table("departments", _("Departments"), columns, tuple(rows))


def _tees_table(model: Model, data: ReportInput, figures: GroupFigures) -> Table:
    gaps = {g.tee: g.members for g in (data.others.tees if data.others else ())}
    return Table(
        "tees",
        _("The 4 T's"),
        (
            Column(_("T"), CellKind.TEXT),
            Column(_("Median (0-100)"), CellKind.INTEGER),
            Column(_("Respondents"), CellKind.INTEGER),
            Column(_("With a gap"), CellKind.INTEGER),
        ),
        tuple(
            (
                tee.name,
                _number(figures.tee(tee.id).median, Kind.TEE),
                figures.tee(tee.id).respondents,
                gaps.get(tee.id, 0),
            )
            for tee in model.tees
        ),
    )


def _checklist_table(model: Model, figures: GroupFigures) -> Table:
    failed = {f.item: f for f in figures.checklist.failed}
    return Table(
        "checklist",
        _("Checklist"),
        (
            Column(pgettext("a checklist item, as a column heading", "Practice"), CellKind.TEXT),
            Column(_("Answered no"), CellKind.INTEGER),
            Column(_("Answered partly"), CellKind.INTEGER),
        ),
        tuple(
            (
                item.text,
                failed[item.id].no if item.id in failed else 0,
                failed[item.id].partly if item.id in failed else 0,
            )
            for item in model.checklist
        ),
    )


def _gaps_table(model: Model, data: ReportInput) -> Table:
    names = _dimension_names(model)
    columns = (
        Column(_("Dimension"), CellKind.TEXT),
        Column(_("Target stage"), CellKind.TEXT),
        Column(_("Importance (1-5)"), CellKind.INTEGER),
        Column(_("Median (0-4)"), CellKind.DECIMAL),
        Column(_("Gap"), CellKind.DECIMAL),
        Column(_("Weighted gap"), CellKind.DECIMAL),
        Column(_("People below the target"), CellKind.INTEGER),
        Column(_("Lesson"), CellKind.TEXT),
        Column(_("Quiz"), CellKind.TEXT),
    )
    rows = []
    for gap in data.priorities:
        lesson, bank = data.links.get(gap.dimension, (None, None))
        rows.append(
            (
                names.get(gap.dimension, gap.dimension),
                stage_name(model, gap.target),
                gap.importance,
                _number(gap.median, Kind.SCORE),
                _number(gap.gap, Kind.SCORE),
                _number(gap.weighted, Kind.SCORE),
                gap.people,
                None if lesson is None else lesson.title,
                None if bank is None else bank.title,
            )
        )
    return Table("gaps", _("Prioritised gaps"), columns, tuple(rows))


def _trend_data(model: Model, trend: Trend) -> Table:
    columns = (
        Column(_("Wave"), CellKind.TEXT),
        Column(_("Shown"), CellKind.TEXT),
        Column(_("Respondents"), CellKind.INTEGER),
        Column(_("Stage"), CellKind.TEXT),
        *(Column(_("Median: {dimension}").format(dimension=d.name), CellKind.DECIMAL) for d in model.dimensions),
    )
    medians = {t.dimension: t.medians for t in trend.dimensions}
    rows: list[tuple[Cell, ...]] = []
    for index, (wave, shown, respondents) in enumerate(zip(trend.waves, trend.shown, trend.respondents, strict=True)):
        rows.append(
            (
                wave,
                _("yes") if shown else hidden_label(None),
                respondents if shown else None,
                stage_name(model, trend.stages[index]) if shown else None,
                *(
                    _number(medians[d.id][index], Kind.SCORE) if shown and d.id in medians else None
                    for d in model.dimensions
                ),
            )
        )
    return Table("trend", _("Trend"), columns, tuple(rows))


def _plan_table(model: Model, data: ReportInput) -> Table:
    names = _dimension_names(model)
    progress = list(data.progress) if len(data.progress) == len(data.actions) else [None] * len(data.actions)
    columns = (
        Column(_("Action"), CellKind.TEXT),
        Column(_("Detail"), CellKind.TEXT),
        Column(_("Dimension"), CellKind.TEXT),
        Column(_("Owner"), CellKind.TEXT),
        Column(_("Due date"), CellKind.TEXT),
        Column(_("Status"), CellKind.TEXT),
        Column(_("Source"), CellKind.TEXT),
        Column(_("Lesson"), CellKind.TEXT),
        Column(_("Quiz"), CellKind.TEXT),
        Column(_("Median when accepted"), CellKind.DECIMAL),
        Column(_("Median now"), CellKind.DECIMAL),
        Column(_("Change"), CellKind.DECIMAL),
    )
    rows = []
    for action, item in zip(data.actions, progress, strict=True):
        now = None if item is None else item.now
        shown = data.figures is not None and now is not None
        rows.append(
            (
                action.title,
                action.detail,
                None if action.dimension is None else names.get(action.dimension, action.dimension),
                action.owner,
                None if action.due_on is None else action.due_on.isoformat(),
                status_label(action.status.value),
                source_label(action.source),
                None if action.lesson_id is None else data.lesson_titles.get(action.lesson_id, action.lesson_id),
                None if action.bank_id is None else data.bank_titles.get(action.bank_id, action.bank_id),
                _number(action.baseline, Kind.SCORE) if shown else None,
                _number(now, Kind.SCORE) if shown else None,
                _number(item.change, Kind.SCORE) if shown and item is not None else None,
            )
        )
    return Table("plan", _("90-day plan"), columns, tuple(rows))


def data_tables(model: Model, data: ReportInput) -> tuple[Table, ...]:
    """Every table of the data files, in the workbook's order; only "about" and the plan (without its
    figures) when the wave's group is hidden."""
    figures = data.figures
    if figures is None:
        return (_about_table(model, data), _plan_table(model, data))
    tables = [
        _about_table(model, data),
        _stages_table(model, figures),
        _dimensions_table(model, data, figures),
        _statements_table(model, figures),
    ]
    if data.departments:
        tables.append(_departments_table(model, data))
    tables += [_tees_table(model, data, figures), _checklist_table(model, figures), _gaps_table(model, data)]
    if data.trend is not None:
        tables.append(_trend_data(model, data.trend))
    tables.append(_plan_table(model, data))
    return tuple(tables)


def workbook(tables: Sequence[Table]) -> bytes:
    """One .xlsx workbook, a sheet per table (`reporting.workshop_export.tables_workbook`)."""
    return tables_workbook(tables)


def data_files(model: Model, data: ReportInput) -> dict[str, bytes]:
    """A CSV per table (`<key>.csv`, UTF-8 with a byte order mark, figures with a full stop) and the
    workbook with a sheet per table (`WORKBOOK_NAME`); headings in the run's language."""
    tables = data_tables(model, data)
    files = {f"{table.key}.csv": table_csv(table) for table in tables}
    files[WORKBOOK_NAME] = workbook(tables)
    return files


def file_stem(organisation: str, wave: str | None, day: date) -> str:
    """management-report-<organisation>-<wave>-<yyyy-mm-dd>, slugged."""
    parts = ["management-report", slug(organisation), slug(wave or ""), day.isoformat()]
    return "-".join(part for part in parts if part)


__all__ = [
    "LANGUAGES",
    "NamedChart",
    "ReportInput",
    "WORKBOOK_NAME",
    "WaveRef",
    "chart_files",
    "data_files",
    "data_tables",
    "file_stem",
    "report_charts",
    "report_document",
    "workbook",
]


# The files -------------------------------------------------------------------------------------------


class ReportFiles:
    """The PDF, made at once; the chart and data files made on first use (the PNGs take most of the
    time: a page that offers only the PDF does not wait for them), in the report's language."""

    def __init__(self, pdf_bytes: bytes, stem: str, model: Model, data: ReportInput, locale: str) -> None:
        self.pdf = pdf_bytes
        self.stem = stem  # the file name without extension: management-report-<organisation>-<wave>-<date>
        self._model, self._data, self._locale = model, data, locale

    @functools.cached_property
    def charts(self) -> dict[str, bytes]:
        """<key>.png and <key>.svg of every chart."""
        with in_language(self._locale):
            return chart_files(self._model, self._data, self._locale)

    @functools.cached_property
    def data(self) -> dict[str, bytes]:
        """<key>.csv of every table, and the workbook (WORKBOOK_NAME)."""
        with in_language(self._locale):
            return data_files(self._model, self._data)

    @property
    def xlsx(self) -> bytes:
        return self.data[WORKBOOK_NAME]

    @property
    def csvs(self) -> dict[str, bytes]:
        return {name: content for name, content in self.data.items() if name.endswith(".csv")}

    @property
    def charts_zip(self) -> bytes:
        return _zipped(self.stem, self.charts)

    @property
    def data_csv_zip(self) -> bytes:
        return _zipped(self.stem, self.csvs)


def _zipped(stem: str, files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"{stem}-{name}", content)
    return out.getvalue()


@contextmanager
def in_language(locale: str) -> Iterator[None]:
    """The report's words in `locale` for the time it is made, whatever language the caller's run has."""
    token = set_language(locale)
    try:
        yield
    finally:
        token.var.reset(token)


def report_files(model: Model, data: ReportInput, locale: str | None = None) -> ReportFiles:
    """The report in `locale` (default: the organisation's language): the PDF now, the rest on use."""
    language = locale or data.language
    with in_language(language):
        made = pdf.render_pdf(report_document(model, data, language))
    stem = file_stem(data.organisation, None if data.wave is None else data.wave.name, data.created.date())
    return ReportFiles(made, stem, model, data, language)
