"""Sections of the management dashboard (views/dashboard.py): one organisation's maturity in one
measurement wave, for its managers, its trainers and admins. Each section owns its session keys.

What is shown comes from `services.dashboard.dashboard`, which has already applied the anonymity
rules: a group under the wave's threshold has no figures (not even its count), and a filtered view
that would let a small group be worked out by subtraction is refused. These sections show what they
are given and say why the rest is missing; they never show a name, a nickname or an individual
answer (the service returns none).

The view is in the URL, so a refresh or a shared link shows the same: `?org=` (the organisation,
views/management_widgets.py), `wave` (its id; none: the latest), `dept` and `job` (a department
and a job title of the organisation's lists; none: everyone), `scope` (the benchmark: `all` other
organisations or the same `sector`). Every chart has its text alternative under it and its numbers
in a table beside it, written by `reporting.numbers` in the visitor's language, like the chart's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Literal

import streamlit as st
from babel.numbers import format_decimal

from assessment.model import MATURITY_VALUES, NOT_APPLICABLE
from i18n import _, current_language, format_date, ngettext
from reporting import anonymity, plan_text
from reporting.aggregate import GroupFigures, target_score
from reporting.dashboard_charts import (
    Chart,
    ChartTable,
    Overlay,
    OverlayKind,
    agreement_chart,
    department_heatmap,
    hidden_label,
    maturity_radar,
    stage_distribution,
    statement_distribution_chart,
    trend_chart,
)
from reporting.numbers import Kind, as_percent, fmt
from reporting.radar import PAGE_ASPECT
from reporting.room import UNANSWERED
from reporting.tables import MISSING, stage_name
from services import dashboard as dash
from services import organisations as orgs
from services.accounts import User
from services.organisations import OrganisationChoice
from storage.errors import UNAVAILABLE_ERRORS
from views import management_widgets, plan_widgets, state
from views.charts import localised
from views.workshop_messages import plain, sector_label

WAVE_PARAM = "wave"
DEPARTMENT_PARAM = "dept"
JOB_PARAM = "job"
SCOPE_PARAM = "scope"
PARAMS = (WAVE_PARAM, DEPARTMENT_PARAM, JOB_PARAM, SCOPE_PARAM)  # dropped when another organisation is chosen

_WAVE = "dash_wave"
_DEPARTMENT = "dash_department"
_JOB = "dash_job"
_SCOPE = "dash_scope"
_OVERLAYS = "dash_overlays"
_EVERYONE = ""  # the department and job title selects' value for "all" (no list holds an empty name)

_WIDE_TREND = 700  # the trend's width in the centred page's column
_NARROW_TREND = 340  # and in a phone's (390 px less the page's margins)
_SPREAD_ROOM_PX = 80  # the agreement chart's "spread 1.7" beside a bar that ends at the right edge
_FAILED_SHOWN = 10  # checklist items listed before "and n more"
# The radar's box keeps the rings' aspect ratio (Vega-Lite cannot tie height to width: CSS does), with
# room under them for the legend's rows: two entries a row in the centred page's column, one on a
# phone's (reporting.dashboard_charts.maturity_radar). Widths are the columns' own: about 704 px in
# the centred layout, about 358 px on a 390 px phone.
_LEGEND_ROW_PX = 28
_PHONE = 640  # Streamlit stacks columns below this width
_PAGE_COLUMN_PX = 704
_PHONE_COLUMN_PX = 358
_PHONE_RADAR_RATIO = 0.8  # height : width of the rings on a phone (reporting.radar's narrow extents)

# A chart drawn twice, for a wide column and for a phone's (the trend at two fixed widths, the agreement
# with and without room on its right): the screen's width shows one of them.
_BY_WIDTH_CSS = f"""<style>
[class*="st-key-dash_narrow_"] {{ display: none; }}
@media (max-width: {_PHONE}px) {{
  [class*="st-key-dash_wide_"] {{ display: none; }}
  [class*="st-key-dash_narrow_"] {{ display: block; }}
}}
</style>"""


def _radar_css(legend_entries: int) -> str:
    wide = PAGE_ASPECT[1] / PAGE_ASPECT[0] * _PAGE_COLUMN_PX + -(-legend_entries // 2) * _LEGEND_ROW_PX + 24
    narrow = _PHONE_RADAR_RATIO * _PHONE_COLUMN_PX + legend_entries * _LEGEND_ROW_PX + 24
    return f"""<style>
.st-key-dash_radar_box {{ aspect-ratio: {_PAGE_COLUMN_PX} / {round(wide)}; }}
@media (max-width: {_PHONE}px) {{ .st-key-dash_radar_box {{ aspect-ratio: {_PHONE_COLUMN_PX} / {round(narrow)}; }} }}
</style>"""


def locale() -> str:
    return current_language()


def _count(count: int) -> str:
    """A number of people, grouped the locale's way."""
    return format_decimal(count, locale=locale())


# The privacy statement ---------------------------------------------------------------------------


def show_privacy(threshold: int | None = None) -> None:
    """What the dashboard never shows, and why some groups and views show nothing."""
    k = threshold if threshold is not None else anonymity.DEFAULT_THRESHOLD
    st.info(
        _(
            "**Privacy.** Groups, never people: no names, no nicknames, no one's own answers. A group of fewer "
            "than {k} respondents shows no figures, not even its size, and a view that would give away a smaller "
            "group by subtraction is refused."
        ).format(k=k),
        icon=":material/shield_person:",
    )


# The view asked for, from the URL ----------------------------------------------------------------


def _requested() -> tuple[dash.ViewRequest, list[str]]:
    """The view the URL names, and what in it could not be read (said on the page, then ignored)."""
    problems = []
    raw_wave = (st.query_params.get(WAVE_PARAM) or "").strip()
    wave_id = int(raw_wave) if raw_wave.isascii() and raw_wave.isdigit() else None
    if raw_wave and wave_id is None:
        problems.append(_("The address names no wave (`wave` must be a wave's number): the latest wave is shown."))
        st.query_params.pop(WAVE_PARAM, None)
    scope = st.query_params.get(SCOPE_PARAM) or "all"
    if scope not in dash.SCOPES:
        problems.append(_("The address names no benchmark (`scope` is `all` or `sector`): all organisations are used."))
        st.query_params.pop(SCOPE_PARAM, None)
        scope = "all"
    department = st.query_params.get(DEPARTMENT_PARAM) or None
    job_title = st.query_params.get(JOB_PARAM) or None
    return dash.ViewRequest(wave_id, department, job_title, scope), problems


def _read(user: User, choice: OrganisationChoice, request: dash.ViewRequest) -> dash.Dashboard | None:
    try:
        return dash.dashboard(state.engine(), user.id, choice.id, state.model(), state.course(), request)
    except orgs.NotAllowed:
        st.error(
            _("You may not see this organisation's dashboard (any more). Choose one of your organisations."),
            icon=":material/block:",
        )
        return None
    except UNAVAILABLE_ERRORS as error:
        management_widgets.busy_stop(error)
        raise


def department_names(board: dash.Dashboard) -> list[str]:
    """The departments a filter may name: the organisation's list, then names respondents gave that
    have since left the list ("no department" is not a filter)."""
    names = list(board.organisation.departments)
    names += [d.name for d in board.departments if d.name is not None and d.name not in names]
    return names


def load(user: User, choice: OrganisationChoice) -> dash.Dashboard | None:
    """The dashboard of the view the URL names. A wave, department or job title the organisation does
    not have is said, dropped from the URL and the rest shown. None when the user may not see it."""
    request, problems = _requested()
    board = _read(user, choice, request)
    if board is None:
        return None
    corrected = request
    if request.wave_id is not None and (board.wave is None or board.wave.id != request.wave_id):
        problems.append(
            _("Wave {id} is not one of this organisation's waves: the latest wave is shown.").format(id=request.wave_id)
        )
        st.query_params.pop(WAVE_PARAM, None)
        corrected = replace(corrected, wave_id=None)
    if request.department is not None and request.department not in department_names(board):
        problems.append(
            _("This organisation has no department {name}: every department is shown.").format(
                name=plain(request.department)
            )
        )
        st.query_params.pop(DEPARTMENT_PARAM, None)
        corrected = replace(corrected, department=None)
    if request.job_title is not None and request.job_title not in board.organisation.job_titles:
        problems.append(
            _("This organisation has no job title {name}: every job title is shown.").format(
                name=plain(request.job_title)
            )
        )
        st.query_params.pop(JOB_PARAM, None)
        corrected = replace(corrected, job_title=None)
    for problem in problems:
        st.warning(problem, icon=":material/link_off:")
    if corrected != request:
        board = _read(user, choice, corrected)
    return board


# The choice of wave and filters ------------------------------------------------------------------


def wave_label(wave: dash.WaveInfo) -> str:
    opened = format_date(wave.opened_at)
    if wave.closed_at is None:
        return _("{name} · open since {date}").format(name=wave.name, date=opened)
    return _("{name} · closed · {opened} to {closed}").format(
        name=wave.name, opened=opened, closed=format_date(wave.closed_at)
    )


def _to_url(key: str, param: str) -> None:
    value = st.session_state.get(key)
    if value is None or value == _EVERYONE:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = str(value)


def show_choices(board: dash.Dashboard) -> None:
    """The wave (the latest first) and the department and job title filters, kept in the URL."""
    if board.wave is None:
        return
    waves = {wave.id: wave for wave in reversed(board.waves)}
    departments = department_names(board)
    titles = list(board.organisation.job_titles)
    # The URL decides: a refresh, a bookmark or the back button shows what it names.
    st.session_state[_WAVE] = board.wave.id
    st.session_state[_DEPARTMENT] = board.request.department or _EVERYONE
    st.session_state[_JOB] = board.request.job_title or _EVERYONE
    wave_column, department_column, job_column = st.columns([2, 1, 1])
    wave_column.selectbox(
        _("Measurement wave"),
        list(waves),
        format_func=lambda wave_id: wave_label(waves[wave_id]),
        key=_WAVE,
        on_change=_to_url,
        args=(_WAVE, WAVE_PARAM),
    )
    department_column.selectbox(
        _("Department"),
        [_EVERYONE, *departments],
        format_func=lambda name: _("All departments") if name == _EVERYONE else name,
        key=_DEPARTMENT,
        on_change=_to_url,
        args=(_DEPARTMENT, DEPARTMENT_PARAM),
        disabled=not departments,
    )
    job_column.selectbox(
        _("Job title"),
        [_EVERYONE, *titles],
        format_func=lambda name: _("All job titles") if name == _EVERYONE else name,
        key=_JOB,
        on_change=_to_url,
        args=(_JOB, JOB_PARAM),
        disabled=not titles,
    )


def _clear_filters() -> None:
    st.query_params.pop(DEPARTMENT_PARAM, None)
    st.query_params.pop(JOB_PARAM, None)


# When nothing may be shown -----------------------------------------------------------------------


def group_name(group: anonymity.GroupRef) -> str:
    """A group the anonymity rules name, in words."""
    department = _("respondents without a department") if group.department is None else group.department
    job_title = _("respondents without a job title") if group.job_title is None else group.job_title
    if group.kind is anonymity.GroupKind.ORGANISATION:
        return _("the whole organisation")
    if group.kind is anonymity.GroupKind.DEPARTMENT:
        return _("the department {department}").format(department=department)
    if group.kind is anonymity.GroupKind.JOB_TITLE:
        return _("the job title {job_title}").format(job_title=job_title)
    return _("{job_title} in {department}").format(job_title=job_title, department=department)


def refusal_text(refusal: anonymity.Refusal, threshold: int) -> str:
    """Why a filtered view shows nothing."""
    if refusal.reason is anonymity.Reason.UNDER_THRESHOLD:
        return _("Fewer than {k} respondents are in this group, so it shows no figures.").format(k=threshold)
    if refusal.reason is anonymity.Reason.PROTECTS_SIBLING:
        return _(
            "This group is hidden to protect a smaller one: with its figures shown, the figures of a group of "
            "fewer than {k} respondents could be worked out from the whole organisation's."
        ).format(k=threshold)
    if refusal.reason is anonymity.Reason.TOO_CLOSE and refusal.near is not None:
        return _(
            "This view is refused: it differs from {group}, which is shown, by fewer than {k} respondents, so "
            "comparing the two would give away the answers of those few."
        ).format(group=plain(group_name(refusal.near)), k=threshold)
    return _(
        "This view is refused: together with the views already shown, its figures would let anyone work out "
        "the answers of fewer than {k} respondents by adding and subtracting."
    ).format(k=threshold)


def show_waiting(board: dash.Dashboard) -> bool:
    """Why there is nothing to show, when there is nothing (True); False when there are figures."""
    if board.wave is None:
        st.info(
            _(
                "This organisation has no measurement wave yet. Open one on the organisation page; completed "
                "assessments of its members count in the open wave."
            ),
            icon=":material/event_upcoming:",
        )
        return True
    k = board.threshold
    if board.wave.respondents is None:
        st.info(
            _(
                "Fewer than {k} respondents have completed this wave so far: nothing is shown until at least {k} have."
            ).format(k=k),
            icon=":material/hourglass_top:",
        )
        return True
    if board.figures is None and board.view is not None and board.view.refusal is not None:
        st.warning(refusal_text(board.view.refusal, k), icon=":material/visibility_off:")
        st.button(_("Show the whole organisation"), key="dash_clear_filters", on_click=_clear_filters)
        return True
    return board.figures is None


# Charts with their words and numbers -------------------------------------------------------------


def _unique(columns: Sequence[str]) -> list[str]:
    """Column headings a table can hold: a repeated one gets its position after it."""
    seen: set[str] = set()
    found = []
    for position, column in enumerate(columns, start=1):
        heading = column if column not in seen else f"{column} ({position})"
        seen.add(heading)
        found.append(heading)
    return found


def show_table(table: ChartTable, key: str) -> None:
    columns = _unique(table.columns)
    st.dataframe(
        {column: [row[index] for row in table.rows] for index, column in enumerate(columns)},
        hide_index=True,
        width="stretch",
        key=key,
    )


def show_chart(chart: Chart, key: str, box: str | None = None) -> None:
    """The chart across the column, its text alternative under it, its numbers in a table."""
    if box is None:
        st.vega_lite_chart(localised(chart.spec), width="stretch", theme=None, alt=chart.description, key=key)
    else:
        with st.container(key=f"{box}_box"):
            st.vega_lite_chart(
                localised(chart.spec), width="stretch", height="stretch", theme=None, alt=chart.description, key=key
            )
    st.caption(chart.description)
    show_table(chart.table, f"{key}_table")


def show_by_width(
    wide: dict[str, Any], narrow: dict[str, Any], description: str, key: str, fixed: bool = False
) -> None:
    """One chart in two versions, for a wide column and a phone's; CSS shows the one for the screen.
    `fixed`: the specs have their own widths, else they fill the column."""
    st.html(_BY_WIDTH_CSS)
    width: Literal["content", "stretch"] = "content" if fixed else "stretch"
    for name, spec in (("wide", wide), ("narrow", narrow)):
        with st.container(key=f"dash_{name}_{key}"):
            st.vega_lite_chart(localised(spec), width=width, theme=None, alt=description, key=f"{key}_{name}")


# The headline ------------------------------------------------------------------------------------


def group_title(request: dash.ViewRequest) -> str:
    if request.department is not None and request.job_title is not None:
        return _("{job_title} in {department}").format(job_title=request.job_title, department=request.department)
    if request.department is not None:
        return _("Department: {department}").format(department=request.department)
    if request.job_title is not None:
        return _("Job title: {job_title}").format(job_title=request.job_title)
    return _("The whole organisation")


def show_headline(board: dash.Dashboard, figures: GroupFigures) -> None:
    model = state.model()
    assert board.wave is not None
    st.subheader(plain(group_title(board.request)), anchor=False)
    # A row that wraps: side by side on a phone too.
    with st.container(horizontal=True, gap="large"):
        st.metric(_("Stage"), stage_name(model, figures.stage), width="content")
        st.metric(_("Respondents"), _count(figures.n), width="content")
    st.markdown(_("Measurement wave: {wave}").format(wave=plain(wave_label(board.wave))))
    st.caption(
        _(
            "The stage comes from everyone's answers pooled, by the same rule as a personal result: a stage is "
            "reached when its statements are, together, largely in place, and every earlier stage is reached."
        )
    )
    if board.previous is not None and board.previous_wave is not None:
        st.markdown(
            _("In the previous wave, {wave}: {stage}, {count} respondents.").format(
                wave=plain(board.previous_wave.name),
                stage=stage_name(model, board.previous.stage),
                count=_count(board.previous.n),
            )
        )


def show_stages(figures: GroupFigures) -> None:
    model = state.model()
    st.subheader(_("How many respondents are at each stage"), anchor=False)
    chart = stage_distribution(model, [(s.stage, s.count) for s in figures.stages], locale())
    graph, numbers = st.columns([3, 2], gap="medium")
    with graph:
        st.vega_lite_chart(localised(chart.spec), width="stretch", theme=None, alt=chart.description, key="dash_stages")
    with numbers:
        show_table(chart.table, "dash_stages_table")
    st.caption(chart.description)


# The radar with its overlays ---------------------------------------------------------------------


def _scope_label(scope: str, sector: str) -> str:
    if scope == "sector":
        return _("Same sector ({sector})").format(sector=sector_label(sector))
    return _("All other organisations")


def _benchmark_label(board: dash.Dashboard) -> str:
    assert board.benchmark is not None
    return _("Benchmark: {organisations} organisations, {respondents} respondents").format(
        organisations=_count(board.benchmark.organisations), respondents=_count(board.benchmark.respondents)
    )


def _overlays(board: dash.Dashboard) -> dict[OverlayKind, Overlay]:
    """The profiles the radar can draw over the median: those this view has."""
    found: dict[OverlayKind, Overlay] = {}
    if board.previous is not None and board.previous_wave is not None:
        scores = {d.dimension: d.median for d in board.previous.dimensions if d.median is not None}
        label = _("Previous wave: {wave}").format(wave=board.previous_wave.name)
        found["previous"] = Overlay("previous", label, scores)
    if board.benchmark is not None:
        scores = {d.dimension: d.median for d in board.benchmark.dimensions if d.median is not None}
        found["benchmark"] = Overlay("benchmark", _benchmark_label(board), scores)
    targets = {dimension: target_score(t.stage) for dimension, t in board.targets.items() if t.stage is not None}
    if targets:
        found["target"] = Overlay("target", _("Target profile"), {d: float(s) for d, s in targets.items()})
    return found


def _overlay_name(kind: OverlayKind) -> str:
    names: Mapping[str, str] = {
        "previous": _("Previous wave"),
        "benchmark": _("Benchmark"),
        "target": _("Target profile"),
    }
    return names[kind]


def _scope_to_url() -> None:
    scope = st.session_state.get(_SCOPE)
    if scope in dash.SCOPES and scope != "all":
        st.query_params[SCOPE_PARAM] = scope
    else:
        st.query_params.pop(SCOPE_PARAM, None)


def show_radar(board: dash.Dashboard, figures: GroupFigures) -> None:
    model = state.model()
    st.subheader(_("Maturity by dimension: the median and the middle half"), anchor=False)
    medians = {d.dimension: d.median for d in figures.dimensions}
    q1 = {d.dimension: d.q1 for d in figures.dimensions}
    q3 = {d.dimension: d.q3 for d in figures.dimensions}
    available = _overlays(board)
    kinds = list(available)
    chosen: list[OverlayKind] = []
    if kinds:
        # A choice kept from another view may name an overlay this one lacks.
        st.session_state[_OVERLAYS] = [k for k in st.session_state.get(_OVERLAYS, []) if k in kinds]
        picked = st.pills(_("Compare with"), kinds, selection_mode="multi", format_func=_overlay_name, key=_OVERLAYS)
        chosen = [kind for kind in kinds if kind in (picked or [])]
    complete = all(v is not None for v in (*medians.values(), *q1.values(), *q3.values()))
    if complete:
        overlays = [available[kind] for kind in chosen]
        chart = maturity_radar(
            model,
            {k: v for k, v in medians.items() if v is not None},
            {k: v for k, v in q1.items() if v is not None},
            {k: v for k, v in q3.items() if v is not None},
            overlays,
            locale(),
        )
        st.html(_radar_css(2 + len(overlays)))
        show_chart(chart, "dash_radar", box="dash_radar")
    else:
        st.caption(_("Some dimensions have no scores in this wave (answered with an earlier model): no radar."))
    _benchmark_choice(board)
    if not board.targets or not any(t.stage for t in board.targets.values()):
        st.caption(_("No target profile yet: a manager sets a target stage per dimension on the organisation page."))


def _benchmark_choice(board: dash.Dashboard) -> None:
    sector = board.organisation.sector
    st.session_state[_SCOPE] = board.request.scope
    st.radio(
        _("Benchmark against"),
        list(dash.SCOPES),
        format_func=lambda scope: _scope_label(scope, sector),
        horizontal=True,
        key=_SCOPE,
        on_change=_scope_to_url,
    )
    if board.benchmark is None:
        if board.request.scope == "sector":
            st.caption(
                _(
                    "No benchmark in this sector yet: it needs a closed wave of at least three other "
                    "organisations of the sector, each with enough respondents."
                )
            )
        else:
            st.caption(
                _(
                    "No benchmark yet: it needs a closed wave of at least three other organisations, each with "
                    "enough respondents."
                )
            )
        return
    st.caption(
        _(
            "The benchmark is the median of {organisations} other organisations' medians ({respondents} "
            "respondents), from each one's latest closed wave; each organisation counts once, whatever its size."
        ).format(organisations=_count(board.benchmark.organisations), respondents=_count(board.benchmark.respondents))
    )


# Agreement ---------------------------------------------------------------------------------------


def show_agreement(figures: GroupFigures) -> None:
    model = state.model()
    st.subheader(_("Where people disagree"), anchor=False)
    spreads = [
        (d.dimension, d.q1, d.median, d.q3)
        for d in figures.agreement
        if d.q1 is not None and d.median is not None and d.q3 is not None
    ]
    if not spreads:
        return
    named = [
        _("**{dimension}** (spread {spread})").format(
            dimension=model.dimension(dimension).name, spread=fmt(third - first, Kind.SCORE, locale())
        )
        for dimension, first, _middle, third in spreads[:3]
    ]
    st.markdown(
        _(
            "People disagree most on {dimensions}: the middle half of their scores lies furthest apart there. "
            "Disagreement is a finding to discuss: ask why people see it so differently."
        ).format(dimensions=", ".join(named))
    )
    chart = agreement_chart(model, spreads, locale())
    # Room on the right for the "spread 1.7" written past a bar that ends at 4: in a wide chart that fills
    # its column, Vega's fit sizing otherwise shifts the chart left and cuts off the dimension names. On a
    # phone the padding would squeeze the bars instead, and the names are not cut there.
    padded = {**chart.spec, "padding": {"left": 5, "top": 5, "bottom": 5, "right": _SPREAD_ROOM_PX}}
    show_by_width(padded, chart.spec, chart.description, "dash_agreement")
    st.caption(chart.description)
    show_table(chart.table, "dash_agreement_table")


_ANSWER_ORDER = (*MATURITY_VALUES, NOT_APPLICABLE, UNANSWERED)


def show_statements(figures: GroupFigures) -> None:
    """Per dimension (where people disagree most first) the answers to each statement; a dimension's
    chart is built when its section is opened."""
    model = state.model()
    st.subheader(_("The answers per statement"), anchor=False)
    st.caption(_("How many respondents gave each answer, statement by statement. Open a dimension."))
    disputed = [d.dimension for d in figures.agreement[:3]]
    order = disputed + [d.id for d in model.dimensions if d.id not in disputed]
    for dimension_id in order:
        rows = [row for row in figures.statements if row.dimension == dimension_id]
        if not rows:
            continue
        name = model.dimension(dimension_id).name
        label = _("{dimension} (much disagreement)").format(dimension=name) if dimension_id in disputed else name
        section = st.expander(label, key=f"dash_statements_{dimension_id}", on_change="rerun")
        if not section.open:
            continue
        with section:
            counts = [dict(row.counts) for row in rows]
            taken = {value for row in counts for value in row}
            values = [v for v in _ANSWER_ORDER if v in taken] + sorted(taken - set(_ANSWER_ORDER))
            texts = []
            for row in rows:
                item = model.item(row.statement)
                texts.append(item.text if item is not None else row.statement)
            chart = statement_distribution_chart(texts, counts, values, locale())
            # The chart places texts and bars in pixels down its height: only its width may follow the
            # column, or Vega's fit sizing squeezes the height (the legend included) and texts overlap bars.
            spec = {**chart.spec, "autosize": {"type": "fit-x", "contains": "padding"}}
            show_chart(Chart(spec, chart.description, chart.table), f"dash_statement_chart_{dimension_id}")


# Departments -------------------------------------------------------------------------------------


def department_label(name: str | None) -> str:
    return _("No department given") if name is None else name


def show_departments(board: dash.Dashboard) -> None:
    model = state.model()
    if not board.departments:
        return
    st.subheader(_("Departments side by side"), anchor=False)
    if board.request.filtered:
        st.caption(_("The whole organisation's departments, whatever the filter above."))
    departments = [
        (
            department_label(d.name),
            None
            if d.figures is None
            else {x.dimension: x.median for x in d.figures.dimensions if x.median is not None},
            None if d.figures is None else d.figures.n,
        )
        for d in board.departments
    ]
    if any(d.figures is None for d in board.departments):
        st.caption(
            _(
                "A department marked {hidden} shows no figure: it has fewer than {k} respondents, or it is hidden "
                "with it so that the smaller one cannot be worked out from the rest."
            ).format(hidden=hidden_label(board.threshold), k=board.threshold)
        )
    show_chart(department_heatmap(model, departments, locale(), threshold=board.threshold), "dash_departments")


# The 4 T's and the checklist ---------------------------------------------------------------------


def show_tees_and_checklist(figures: GroupFigures) -> None:
    model = state.model()
    st.subheader(_("The 4 T's and the checklist"), anchor=False)
    row = st.container(horizontal=True, gap="medium")
    for tee in figures.tees:
        row.metric(
            model.tee(tee.tee).name,
            _("{score} of 100").format(score=fmt(tee.median, Kind.TEE, locale()))
            if tee.median is not None
            else MISSING,
            help=ngettext(
                "The median over {count} respondent who answered it.",
                "The median over {count} respondents who answered it.",
                tee.respondents,
            ).format(count=_count(tee.respondents)),
            width="content",
        )
    checklist = figures.checklist
    if checklist.median is not None:
        st.metric(
            _("Checklist: median compliance"),
            _("{percent} %").format(percent=fmt(as_percent(checklist.median), Kind.PERCENT, locale())),
        )
    if not checklist.failed:
        if checklist.respondents:
            st.success(_("Nobody answered an item of the checklist with no or partly."))
        return
    st.markdown(_("**The checklist items most often not in place**"))
    shown = checklist.failed[:_FAILED_SHOWN]
    # A static table: the items' texts wrap instead of being cut off, on a phone too.
    st.table(
        {
            _("Item"): [model.checklist_item(item.item).text for item in shown],
            _("No"): [_count(item.no) for item in shown],
            _("Partly"): [_count(item.partly) for item in shown],
            _("Respondents"): [_count(item.members) for item in shown],
        },
        hide_index=True,
    )
    more = len(checklist.failed) - len(shown)
    if more > 0:
        st.caption(ngettext("And {count} more item.", "And {count} more items.", more).format(count=_count(more)))


# Prioritised gaps --------------------------------------------------------------------------------


def show_gaps(board: dash.Dashboard) -> None:
    model = state.model()
    st.subheader(_("What to work on first"), anchor=False)
    has_targets = any(t.stage for t in board.targets.values())
    if not has_targets:
        st.info(
            _(
                "No target profile yet. A manager sets a target stage and an importance per dimension on the "
                "organisation page; the gaps to those targets are then listed here, most important first."
            ),
            icon=":material/flag:",
        )
    elif not board.priorities:
        st.success(_("Every dimension with a target has reached it (its median is at or above the target)."))
    else:
        st.caption(
            _(
                "Dimensions below their target, ordered by the gap from the median to the target's score, times "
                "the importance management gave the dimension (1 to 5). People concerned: respondents whose own "
                "stage of the dimension is below the target."
            )
        )
        lessons, quizzes = [], []
        for gap in board.priorities:
            lesson, quiz = board.links.get(gap.dimension, (None, None))
            lessons.append(lesson.title if lesson is not None else _("none yet"))
            quizzes.append(quiz.title if quiz is not None else _("none yet"))
        st.dataframe(
            {
                _("Dimension"): [model.dimension(g.dimension).name for g in board.priorities],
                _("Median"): [fmt(g.median, Kind.SCORE, locale()) for g in board.priorities],
                _("Target"): [model.stage(g.target).name for g in board.priorities],
                _("Importance"): [str(g.importance) for g in board.priorities],
                _("Weighted gap"): [fmt(g.weighted, Kind.SCORE, locale()) for g in board.priorities],
                _("People concerned"): [_count(g.people) for g in board.priorities],
                _("Lesson to schedule"): lessons,
                _("Quiz to schedule"): quizzes,
            },
            hide_index=True,
            width="stretch",
            key="dash_priorities",
        )
        for number, gap in enumerate(board.priorities, start=1):
            lesson, quiz = board.links.get(gap.dimension, (None, None))
            if lesson is None:
                continue
            label = _("{number}. {dimension}: lesson {lesson}").format(
                number=number, dimension=model.dimension(gap.dimension).name, lesson=lesson.title
            )
            if quiz is not None:
                label += " · " + _("quiz {quiz}").format(quiz=quiz.title)
            st.page_link("views/lessons.py", label=label, icon=":material/article:", query_params={"lesson": lesson.id})
    others = board.others
    if others is not None and others.tees:
        st.markdown(_("**The T's where respondents fall short** (a score below 75 of 100)"))
        st.dataframe(
            {
                _("T"): [model.tee(t.tee).name for t in others.tees],
                _("Median"): [fmt(t.median, Kind.TEE, locale(), missing=MISSING) for t in others.tees],
                _("People concerned"): [_count(t.members) for t in others.tees],
            },
            hide_index=True,
            width="stretch",
            key="dash_tee_gaps",
        )
    if others is not None and others.checklist:
        st.caption(
            ngettext(
                "The checklist has {count} item not fully in place for someone: listed above.",
                "The checklist has {count} items not fully in place for someone: listed above.",
                len(others.checklist),
            ).format(count=_count(len(others.checklist)))
        )


# The trend ---------------------------------------------------------------------------------------


def show_plan_tracking(board: dash.Dashboard) -> None:
    """The 90-day plan against this wave: how many actions are done, and each action's dimension
    from its baseline to now. The plan page changes it."""
    st.subheader(_("The 90-day plan, tracked"), anchor=False)
    if not board.actions:
        st.caption(_("No actions in the plan yet: accept the proposals on the 90-day plan page."))
        return
    statuses = [a.status.value for a in board.actions]
    st.markdown(
        " · ".join(
            f"{plain(plan_text.status_label(status))}: {statuses.count(status)}"
            for status in ("open", "in_progress", "done", "dropped")
            if status in statuses
        )
    )
    plan_widgets.plan_table(state.model(), board)


def show_trend(board: dash.Dashboard) -> None:
    model = state.model()
    trend = board.trend
    st.subheader(_("Trend across waves"), anchor=False)
    if board.request.filtered:
        st.caption(_("The whole organisation's trend, whatever the filter above."))
    if len(trend.waves) < 2:
        st.caption(_("The trend appears from the second wave on."))
        return
    medians = {d.dimension: d.medians for d in trend.dimensions}
    stages = [
        _("{wave}: {stage}, {count} respondents").format(wave=wave, stage=stage_name(model, stage), count=_count(count))
        if shown and count is not None
        else _("{wave}: {hidden}").format(wave=wave, hidden=hidden_label(None))
        for wave, shown, stage, count in zip(trend.waves, trend.shown, trend.stages, trend.respondents, strict=True)
    ]
    st.markdown(_("The stage per wave: {stages}.").format(stages="; ".join(plain(s) for s in stages)))
    wide = trend_chart(model, trend.waves, medians, locale(), width=_WIDE_TREND)
    narrow = trend_chart(model, trend.waves, medians, locale(), width=_NARROW_TREND)
    show_by_width(wide.spec, narrow.spec, wide.description, "dash_trend", fixed=True)
    st.caption(wide.description)
    show_table(wide.table, "dash_trend_table")


# Links -------------------------------------------------------------------------------------------


def show_links(choice: OrganisationChoice) -> None:
    st.divider()
    st.markdown(
        _(
            "Turn the gaps into actions with owners and dates on the 90-day plan; open waves and set targets "
            "on the organisation page."
        )
    )
    management_widgets.page_links(choice.id, management_widgets.DASHBOARD)
