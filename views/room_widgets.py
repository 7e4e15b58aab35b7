"""What the room shows of a workshop's finished participants, drawn by the room page (the projector)
and by the trainer's workshop results: counts, stages, the radar of the median with the middle half,
where the room disagrees, the common gaps with their lesson, the answers per statement. No names.
Nothing but the counts below three finished participants (`reporting.room`)."""

from __future__ import annotations

import re

import altair as alt
import streamlit as st

from i18n import _, current_language
from reporting import room_text as summary_text
from reporting.numbers import Kind, fmt
from reporting.radar import band_radar_spec
from reporting.room import MIN_FINISHED, RoomFigures, RoomSummary
from views import state
from views.charts import localised

_LARGE = 18  # chart font size on a projector


def escape_markdown(text: str) -> str:
    """A name typed by someone (a workshop's), safe inside Markdown."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>$:~=])", r"\\\1", text)


def _stage_chart(figures: RoomFigures) -> None:
    model = state.model()
    st.subheader(_("Stages"))
    table = summary_text.stage_table(model, figures)
    stage_column, count_column = list(table)
    rows = [{"stage": s, "count": c} for s, c in zip(table[stage_column], table[count_column], strict=True)]
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar(color="#1d4ed8")
        .encode(
            # Bars lie down: the stage names ("Not yet at Crawl") are read in full beside them, where
            # under standing bars the axis dropped the labels that did not fit.
            y=alt.Y("stage:N", sort=list(table[stage_column]), title=None),
            x=alt.X("count:Q", title=count_column, axis=alt.Axis(tickMinStep=1, format="d")),
            tooltip=[alt.Tooltip("stage:N", title=stage_column), alt.Tooltip("count:Q", title=count_column)],
        )
        .properties(height=280)
        .configure_axis(labelFontSize=_LARGE, titleFontSize=_LARGE, labelLimit=220)
    )
    description = summary_text.stage_description(model, figures)
    st.altair_chart(localised(chart), width="stretch", key="room_stages")
    st.caption(description)
    st.dataframe(table, hide_index=True, width="stretch", key="room_stage_table")


def _radar(figures: RoomFigures) -> None:
    model = state.model()
    st.subheader(_("Maturity by dimension: the room's median and middle half"))
    spec = band_radar_spec(
        model,
        {d.dimension: d.median for d in figures.dimensions},
        {d.dimension: d.q1 for d in figures.dimensions},
        {d.dimension: d.q3 for d in figures.dimensions},
    )
    description = summary_text.radar_description(model, figures, current_language())
    with st.container(key="room_radar_box"):
        st.vega_lite_chart(localised(spec), width="stretch", height="stretch", theme=None, key="room_radar")
    st.caption(description)


def _disputed(figures: RoomFigures) -> None:
    model = state.model()
    st.header(_("Where the room disagrees most"))
    st.caption(
        _(
            "The three dimensions with the widest middle half of scores (Q3 − Q1): a good place to ask the room "
            "why they answered so differently."
        )
    )
    locale = current_language()
    for column, spread in zip(st.columns(len(figures.disputed)), figures.disputed, strict=True):
        with column, st.container(border=True):
            st.markdown(f"### {model.dimension(spread.dimension).name}")
            st.markdown(
                _("Spread **{spread}**: from {q1} to {q3}, median {median}").format(
                    spread=fmt(spread.spread, Kind.SCORE, locale),
                    q1=fmt(spread.q1, Kind.SCORE, locale),
                    q3=fmt(spread.q3, Kind.SCORE, locale),
                    median=fmt(spread.median, Kind.SCORE, locale),
                )
            )


def _statements(figures: RoomFigures) -> None:
    model = state.model()
    st.header(_("Open for discussion: the answers per statement"))
    st.caption(_("How many finished participants gave each answer, statement by statement. Open a dimension."))
    disputed = [d.dimension for d in figures.disputed]
    order = disputed + [d.id for d in model.dimensions if d.id not in disputed]
    for dimension_id in order:
        rows = [row for row in figures.statements if row.dimension == dimension_id]
        if not rows:
            continue
        name = model.dimension(dimension_id).name
        label = _("{dimension} (disagreement)").format(dimension=name) if dimension_id in disputed else name
        with st.expander(label, key=f"room_statements_{dimension_id}"):
            # A static table: long statements wrap instead of being cut off, as they would in a grid.
            st.table(summary_text.statement_table(model, rows), hide_index=True)


def _gaps(figures: RoomFigures, finished: int) -> None:
    model = state.model()
    st.header(_("The most common gaps, with the lesson to teach next"))
    if not figures.gaps:
        st.success(_("No finished participant has a gap."))
        return
    for number, common in enumerate(figures.gaps, start=1):
        with st.container(border=True, key=f"room_gap_{number}"):
            st.markdown(
                f"**{number}. {escape_markdown(summary_text.gap_label(model, common.gap))}** · "
                + _("{count} of {total} participants").format(count=common.participants, total=finished)
            )
            if common.lesson is not None:
                st.page_link(
                    "views/lessons.py",
                    label=_("Lesson: {title}").format(title=common.lesson.title),
                    icon=":material/article:",
                    query_params={"lesson": common.lesson.id},
                )
            else:
                st.caption(_("No lesson covers this gap yet."))
    st.dataframe(summary_text.gap_table(model, figures), hide_index=True, width="stretch", key="room_gap_table")


def show(summary: RoomSummary) -> None:
    model = state.model()
    joined, finished = st.columns(2)
    joined.metric(_("Joined"), summary.joined)
    finished.metric(_("Finished"), summary.finished)
    figures = summary.figures
    if figures is None:
        st.info(
            _("The room's picture appears when three participants have finished.")
            + " "
            + _("{count} more to go.").format(count=MIN_FINISHED - summary.finished),
            icon=":material/hourglass_top:",
        )
        return
    left, right = st.columns([2, 3], gap="large")
    with left:
        _stage_chart(figures)
    with right:
        _radar(figures)
    st.dataframe(
        summary_text.spread_table(model, figures.dimensions, current_language()),
        hide_index=True,
        width="stretch",
        key="room_dimension_table",
    )
    _disputed(figures)
    _gaps(figures, summary.finished)
    _statements(figures)
