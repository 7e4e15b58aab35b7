"""The room: a workshop's finished participants together, for the trainer's projector.

It fills in as participants finish (the figures re-read every few seconds, in a fragment), shows no
names, and shows the counts only until three participants have finished (`reporting.room`).
The workshop comes from `?w=<id>`, else from a list of the user's workshops.
"""

from __future__ import annotations

import re

import altair as alt
import streamlit as st

from i18n import _, current_language
from identity.rules import Role
from reporting import room_text as summary_text
from reporting.numbers import Kind, fmt
from reporting.radar import PAGE_ASPECT, band_radar_spec
from reporting.room import MIN_FINISHED, RoomFigures, RoomSummary
from services import room as rooms
from services import workshops as ws
from storage.errors import UNAVAILABLE_ERRORS
from views import messages, staff, state

user = staff.require(Role.TRAINER, Role.ADMIN)

WORKSHOP_PARAM = "w"
REFRESH_SECONDS = 5
_LARGE = 18  # chart font size on a projector

# Projector-friendly: the page uses the whole width, metrics and headings are large, and the radar keeps
# its aspect ratio as wide as its column.
_ROOM_CSS = f"""<style>
[data-testid="stMainBlockContainer"] {{ max-width: 96vw; }}
[data-testid="stMetricValue"] {{ font-size: 4rem; }}
[data-testid="stMetricLabel"] p {{ font-size: 1.4rem; }}
.st-key-room_radar_box {{ aspect-ratio: {PAGE_ASPECT[0]} / {PAGE_ASPECT[1]}; }}
</style>"""

model = state.model()
course = state.course()
engine = state.engine()


def _escape(text: str) -> str:
    """A name typed by someone (a workshop's), safe inside Markdown."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>$:~=])", r"\\\1", text)


def _label(workshop: ws.StoredWorkshop) -> str:
    return f"{workshop.name} · {workshop.held_on.isoformat()} · {workshop.code}"


def _choose(visible: list[ws.StoredWorkshop]) -> ws.StoredWorkshop:
    """The workshop of the address, or one chosen from the user's; the page stops when there is none."""
    raw = st.query_params.get(WORKSHOP_PARAM)
    if raw is not None:
        if not raw.strip().isdigit():
            st.error(
                _("The workshop in the address (?w=) is not a workshop number. Choose a workshop from the list."),
                icon=":material/error:",
            )
            st.page_link("views/room.py", label=_("Choose a workshop"), icon=":material/list:")
            st.stop()
        found = next((w for w in visible if w.id == int(raw)), None)
        if found is None:
            st.error(
                _(
                    "You cannot see the room of workshop {id}: only its trainer or an admin can, and there may be "
                    "no such workshop. Choose one of your workshops."
                ).format(id=int(raw)),
                icon=":material/block:",
            )
            st.page_link("views/room.py", label=_("Choose a workshop"), icon=":material/list:")
            st.stop()
        return found
    if not visible:
        st.info(_("You have no workshops yet: a room belongs to a workshop."))
        st.stop()
    by_id = {w.id: w for w in visible}
    chosen = st.selectbox(
        _("Workshop"),
        list(by_id),
        index=None,
        format_func=lambda workshop_id: _label(by_id[workshop_id]),
        placeholder=_("Choose a workshop"),
        key="room_workshop",
    )
    if chosen is None:
        st.stop()
    st.query_params[WORKSHOP_PARAM] = str(chosen)
    return by_id[chosen]


def _stage_chart(figures: RoomFigures) -> None:
    st.subheader(_("Stages"))
    table = summary_text.stage_table(model, figures)
    stage_column, count_column = list(table)
    rows = [{"stage": s, "count": c} for s, c in zip(table[stage_column], table[count_column], strict=True)]
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar(color="#1d4ed8")
        .encode(
            x=alt.X("stage:N", sort=list(table[stage_column]), title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("count:Q", title=count_column, axis=alt.Axis(tickMinStep=1, format="d")),
            tooltip=[alt.Tooltip("stage:N", title=stage_column), alt.Tooltip("count:Q", title=count_column)],
        )
        .properties(height=320)
        .configure_axis(labelFontSize=_LARGE, titleFontSize=_LARGE, labelLimit=220)
    )
    description = summary_text.stage_description(model, figures)
    st.altair_chart(chart, width="stretch", key="room_stages")
    st.caption(description)
    st.dataframe(table, hide_index=True, width="stretch", key="room_stage_table")


def _radar(figures: RoomFigures) -> None:
    st.subheader(_("Maturity by dimension: the room's median and middle half"))
    spec = band_radar_spec(
        model,
        {d.dimension: d.median for d in figures.dimensions},
        {d.dimension: d.q1 for d in figures.dimensions},
        {d.dimension: d.q3 for d in figures.dimensions},
    )
    description = summary_text.radar_description(model, figures, current_language())
    with st.container(key="room_radar_box"):
        st.vega_lite_chart(spec, width="stretch", height="stretch", theme=None, key="room_radar")
    st.caption(description)


def _disputed(figures: RoomFigures) -> None:
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
    st.header(_("The most common gaps, with the lesson to teach next"))
    if not figures.gaps:
        st.success(_("No finished participant has a gap."))
        return
    for number, common in enumerate(figures.gaps, start=1):
        with st.container(border=True, key=f"room_gap_{number}"):
            st.markdown(
                f"**{number}. {_escape(summary_text.gap_label(model, common.gap))}** · "
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


@st.fragment(run_every=REFRESH_SECONDS)
def live(workshop_id: int) -> None:
    """Re-reads the room on every run of the fragment: on arrival, then every REFRESH_SECONDS."""
    try:
        summary = rooms.room_summary(engine, user.id, workshop_id, model, course)
    except (ws.NotAllowed, ws.UnknownWorkshop):
        st.error(_("You cannot see this workshop's room any more."), icon=":material/block:")
        return
    except UNAVAILABLE_ERRORS as error:
        st.warning(
            _("The room could not be read just now ({reason}); it tries again in a few seconds.").format(
                reason=messages.describe(error)
            ),
            icon=":material/cloud_off:",
        )
        return
    show(summary)
    st.caption(_("Updates itself every {seconds} seconds. No names are shown.").format(seconds=REFRESH_SECONDS))


st.html(_ROOM_CSS)
try:
    visible = ws.visible_workshops(engine, user.id)
except ws.NotAllowed:  # switched off or demoted since the gate above
    st.error(_("Your account cannot open this page any more."), icon=":material/block:")
    st.stop()
workshop = _choose(visible)
st.title(_("The room"))
st.markdown(f"### {_escape(workshop.name)}")
live(workshop.id)
