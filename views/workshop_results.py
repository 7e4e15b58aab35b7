"""A workshop's results for its trainer (or an admin): participants, quiz statistics with a chart,
the live quiz runs (ranking, per-question statistics with a chart), downloads as CSV and Excel, and
deleting the workshop's data after typing its join code.

The workshop comes from `?w=<id>` or the select box of the workshops the user may see. Another
trainer's workshop, or one that does not exist, gets one message and nothing of any workshop:
the use case (services.workshop_results) refuses before anything is read. Nicknames and names are
shown only through st.dataframe and st.text, never as Markdown or HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timezone

import altair as alt
import streamlit as st

from i18n import _, current_language, format_percent, ngettext, set_language
from identity.rules import Role
from reporting import workshop_export as export
from services import live_results as live
from services import room as rooms
from services import workshop_results as results
from services import workshops as ws
from services.accounts import User
from storage.errors import StorageBusy
from views import messages, room_widgets, staff, state
from views.charts import localised
from workshops.codes import CodeError, normalise_code
from workshops.results import QuizStats, WorkshopResults

WORKSHOP_PARAM = "w"
_FLASH = "workshop_results_flash"
_CHOICE = "workshop_choice"


def _escape(text: str) -> str:
    """Text typed by a user, safe inside Markdown: every punctuation character escaped."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>$:~=])", r"\\\1", text)


def _today() -> date:
    return datetime.now(timezone.utc).date()


def _label(workshop: ws.StoredWorkshop) -> str:
    return f"{workshop.name} · {workshop.held_on.isoformat()} · {workshop.code}"


def _requested_id() -> int | str | None:
    """The workshop id in the address: an int, None when there is none, or the text when it is not a number."""
    raw = st.query_params.get(WORKSHOP_PARAM)
    if raw is None or not str(raw).strip():
        return None
    text = str(raw).strip()
    return int(text) if text.isdigit() and len(text) < 12 else text


def _choice_to_address() -> None:
    chosen = st.session_state.get(_CHOICE)
    if chosen is None:
        st.query_params.pop(WORKSHOP_PARAM, None)
    else:
        st.query_params[WORKSHOP_PARAM] = str(chosen)


def choose_workshop(user: User) -> int | None:
    """The workshop to show: the address's when the user may see it, else the one chosen in the
    select box (which then goes into the address). A workshop id the user may not see gets the
    refusal, and nothing is shown until they choose one of theirs."""
    requested = _requested_id()
    visible = ws.visible_workshops(state.engine(), user.id)
    by_id = {w.id: w for w in visible}
    options: list[int | None] = [None, *by_id]
    if isinstance(requested, int) and requested in by_id:
        st.session_state[_CHOICE] = requested
    elif requested is not None or st.session_state.get(_CHOICE) not in options:
        st.session_state[_CHOICE] = None
    if isinstance(requested, str):
        st.error(
            _("The address names workshop “{given}”, which is not a workshop number. Choose a workshop below.")
            .format(given=_escape(requested[:20])),  # shown as Markdown: typed by anyone
            icon=":material/error:",
        )  # fmt: skip
    elif requested is not None and requested not in by_id:
        refused()
    if not visible:
        st.info(_("There are no workshops to show yet."), icon=":material/info:")
        return None
    chosen: int | None = st.selectbox(
        _("Workshop"),
        options,
        format_func=lambda i: _("Choose a workshop…") if i is None else _label(by_id[i]),
        key=_CHOICE,
        on_change=_choice_to_address,
    )
    return chosen


def refused() -> None:
    st.error(
        _(
            "You cannot see this workshop: it is not one of your workshops, or there is no workshop with "
            "this number. Choose one of your workshops below."
        ),
        icon=":material/block:",
    )


# Sections ---------------------------------------------------------------------------------------


def _moment(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(timezone.utc).replace(tzinfo=None)


def _blank_text(column: export.Column, value: object) -> object:
    """An empty text cell (no stage yet) reads as empty, not as Streamlit's "None"."""
    return "" if value is None and column.kind is export.Kind.TEXT else value


def participants_section(found: WorkshopResults) -> None:
    st.header(_("Participants"))
    count = len(found.participants)
    st.caption(ngettext("{n} participant.", "{n} participants.", count).format(n=count) + " " + _("Times in UTC."))
    if not count:
        st.info(_("Nobody has joined this workshop yet."), icon=":material/info:")
        return
    table = export.participants_table(found)
    st.dataframe(
        [
            {
                column.heading: _moment(value) if isinstance(value, datetime) else _blank_text(column, value)
                for column, value in zip(table.columns, row, strict=True)
            }
            for row in table.rows
        ],
        hide_index=True,
        width="stretch",
        key="participants",
    )


def _chart(quiz: QuizStats) -> alt.Chart:
    data = [
        {
            "question": _("Q{n}").format(n=q.position),
            "percent": round(q.percent_correct or 0.0, 1),
            "answered": q.answered,
        }
        for q in quiz.questions
        if q.answered
    ]
    return (
        alt.Chart(alt.Data(values=data))
        .mark_bar()
        .encode(
            x=alt.X("question:N", title=_("Question"), sort=None),
            y=alt.Y("percent:Q", title=_("Percent correct"), scale=alt.Scale(domain=[0, 100])),
            tooltip=[
                alt.Tooltip("question:N", title=_("Question")),
                alt.Tooltip("percent:Q", title=_("Percent correct")),
                alt.Tooltip("answered:Q", title=_("Answered")),
            ],
        )
        .properties(height=240)
    )


def _description(quiz: QuizStats) -> str:
    answered = [q for q in quiz.questions if q.answered]
    if not answered:
        return _("Nobody answered a question of this quiz in a finished attempt.")
    hardest = min(answered, key=lambda q: (q.percent_correct or 0.0, q.position))
    return _(
        "Percent of answers that were right, per question of “{quiz}”; the hardest was question {n} ({percent} right)."
    ).format(quiz=quiz.title, n=hardest.position, percent=format_percent((hardest.percent_correct or 0.0) / 100))


def quiz_section(found: WorkshopResults) -> None:
    st.header(_("Quizzes"))
    if not found.quizzes:
        st.info(_("No participant has finished a quiz yet."), icon=":material/info:")
        return
    summary = export.quizzes_table(found)
    st.dataframe(
        [dict(zip([c.heading for c in summary.columns], row, strict=True)) for row in summary.rows],
        hide_index=True,
        width="stretch",
        key="quiz_summary",
    )
    for index, quiz in enumerate(found.quizzes):
        st.subheader(quiz.title)
        st.caption(
            ngettext("{n} finished attempt", "{n} finished attempts", quiz.attempts).format(n=quiz.attempts)
            + " · "
            + ngettext("{n} participant", "{n} participants", quiz.participants).format(n=quiz.participants)
        )
        if not quiz.questions:
            st.caption(_("This quiz is no longer in the course: its questions cannot be shown."))
            continue
        chart_column, table_column = st.columns(2)
        description = _description(quiz)
        with chart_column:
            st.altair_chart(localised(_chart(quiz)), width="stretch", key=f"quiz_chart_{index}")
            st.caption(description)
        with table_column:
            st.dataframe(
                [
                    {
                        _("Question"): _("Q{n}").format(n=q.position),
                        _("Answered"): q.answered,
                        _("Percent correct (%)"): None if q.percent_correct is None else round(q.percent_correct, 1),
                    }
                    for q in quiz.questions
                ],
                hide_index=True,
                width="stretch",
                key=f"quiz_numbers_{index}",
            )
        with st.expander(_("Questions and how often each option was chosen")):
            for q in quiz.questions:
                st.text(_("Q{n}. {prompt}").format(n=q.position, prompt=q.prompt))
                if q.options:
                    st.dataframe(
                        [
                            {
                                _("Option"): export.option_label(q, o.option_id, o.text),
                                _("Right answer"): o.correct,
                                _("Times chosen"): o.chosen,
                            }
                            for o in q.options
                        ],
                        hide_index=True,
                        width="stretch",
                        key=f"options_{index}_{q.position}",
                    )


def _live_chart(run: live.LiveRunReport) -> alt.Chart:
    data = [
        {
            "question": _("Q{n}").format(n=q.position),
            "percent": round(q.percent_right or 0.0, 1),
            "answered": q.answered,
        }
        for q in run.questions
        if q.answered
    ]
    return (
        alt.Chart(alt.Data(values=data))
        .mark_bar()
        .encode(
            x=alt.X("question:N", title=_("Question"), sort=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("percent:Q", title=_("Percent right"), scale=alt.Scale(domain=[0, 100])),
            tooltip=[
                alt.Tooltip("question:N", title=_("Question")),
                alt.Tooltip("percent:Q", title=_("Percent right")),
                alt.Tooltip("answered:Q", title=_("Answered")),
            ],
        )
        .properties(height=240)
    )


def _live_description(run: live.LiveRunReport) -> str:
    answered = [q for q in run.questions if q.answered]
    hardest = min(answered, key=lambda q: (q.percent_right or 0.0, q.position))
    return _(
        "Percent of the answers that were fully right, per question asked; the hardest was question {n} "
        "({percent} right)."
    ).format(n=hardest.position, percent=format_percent((hardest.percent_right or 0.0) / 100))


def _one_decimal(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _live_run(run: live.LiveRunReport) -> None:
    st.subheader(run.bank_title)
    started = run.started_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M")
    facts = [
        _("Started {moment} UTC").format(moment=started),
        ngettext("{n} player", "{n} players", run.players).format(n=run.players),
        ngettext("{n} of {total} question asked", "{n} of {total} questions asked", run.question_count).format(
            n=run.asked, total=run.question_count
        ),
    ]
    if not run.ended:
        facts.append(_("still going"))
    st.caption(" · ".join(facts))
    if run.ranking:
        st.dataframe(
            [
                {
                    _("Place"): p.place,
                    _("Nickname"): p.nickname,  # typed by a participant: shown only as table data
                    _("Points"): p.score,
                    _("Answered"): p.answered,
                    _("Right"): p.right,
                    _("Could answer"): p.could_answer,
                }
                for p in run.ranking
            ],
            hide_index=True,
            width="stretch",
            key=f"live_ranking_{run.run_id}",
        )
    else:
        st.caption(_("Nobody took part in this run."))
    if not run.questions:
        st.caption(_("No question was asked in this run."))
        return
    st.dataframe(
        [
            {
                _("Question"): _("Q{n}").format(n=q.position),
                _("Could answer"): q.could_answer,
                _("Answered"): q.answered,
                _("Right"): q.right,
                _("Right (%)"): _one_decimal(q.percent_right),
                _("Mean points"): _one_decimal(q.mean_points),
                _("Median time (s)"): _one_decimal(q.median_seconds),
            }
            for q in run.questions
        ],
        hide_index=True,
        width="stretch",
        key=f"live_questions_{run.run_id}",
    )
    answered = [q for q in run.questions if q.answered]
    if not answered:
        st.caption(_("Nobody answered a question of this run."))
    else:
        chart_column, table_column = st.columns(2)
        with chart_column:
            st.altair_chart(localised(_live_chart(run)), width="stretch", key=f"live_chart_{run.run_id}")
            st.caption(_live_description(run))
        with table_column:  # the chart's numbers
            st.dataframe(
                [
                    {
                        _("Question"): _("Q{n}").format(n=q.position),
                        _("Answered"): q.answered,
                        _("Right (%)"): _one_decimal(q.percent_right),
                    }
                    for q in answered
                ],
                hide_index=True,
                width="stretch",
                key=f"live_chart_numbers_{run.run_id}",
            )
    with st.expander(_("Questions and how often each option was chosen")):
        for q in run.questions:
            prompt = q.prompt or _("(this quiz is no longer in the course: question {id})").format(id=q.question_id)
            st.text(_("Q{n}. {prompt}").format(n=q.position, prompt=prompt))
            if q.options:
                st.dataframe(
                    [
                        {
                            _("Option"): export.live_option_label(q.type, o.option_id, o.text),
                            _("Right answer"): o.correct,
                            _("Times chosen"): o.chosen,
                        }
                        for o in q.options
                    ],
                    hide_index=True,
                    width="stretch",
                    key=f"live_options_{run.run_id}_{q.position}",
                )


def live_section(runs: tuple[live.LiveRunReport, ...]) -> None:
    st.header(_("Live quizzes"))
    if not runs:
        st.info(_("No live quiz has been played in this workshop yet."), icon=":material/info:")
        return
    st.caption(
        ngettext("{n} live quiz run, newest first.", "{n} live quiz runs, newest first.", len(runs)).format(n=len(runs))
        + " "
        + _("Right means full credit; points are Kahoot-style, more for a quicker right answer.")
    )
    for run in runs:
        with st.container(border=True):
            _live_run(run)


def _deferred(language: str, make: Callable[[], bytes]) -> Callable[[], bytes]:
    """A download made only when clicked, in the page's language (Streamlit calls it outside the run)."""

    def made() -> bytes:
        set_language(language)
        return make()

    return made


def downloads_section(found: WorkshopResults, runs: tuple[live.LiveRunReport, ...] = ()) -> None:
    st.header(_("Downloads"))
    day = _today()
    language = current_language()
    tables = export.tables(found, runs)
    st.caption(_("Every table, with the date in the file name. Times are in UTC."))
    left, right = st.columns(2)
    with left:
        st.download_button(
            _("All tables, CSV (zip)"),
            data=_deferred(language, lambda: export.csv_zip(found, day, runs)),
            file_name=export.file_name(found.code, "results", day, "zip"),
            mime=export.ZIP_MIME,
            on_click="ignore",
            width="stretch",
            key="download_zip",
        )
        for table in tables:
            st.download_button(
                _("{table}, CSV").format(table=table.title),
                data=_deferred(language, lambda t=table: export.table_csv(t)),
                file_name=export.file_name(found.code, table.key, day, "csv"),
                mime=export.CSV_MIME,
                on_click="ignore",
                width="stretch",
                key=f"download_{table.key}",
            )
    with right:
        st.download_button(
            _("All tables, Excel"),
            data=_deferred(language, lambda: export.workbook(found, runs)),
            file_name=export.file_name(found.code, "results", day, "xlsx"),
            mime=export.XLSX_MIME,
            on_click="ignore",
            width="stretch",
            key="download_xlsx",
        )


def delete_section(user: User, found: WorkshopResults) -> None:
    with st.expander(_("Delete this workshop's data"), icon=":material/delete:"):
        st.write(
            ngettext(
                "This deletes the workshop, its join code and its {n} participant with everything they "
                "answered, their lessons and quiz attempts. It cannot be undone; download the results first "
                "if you need them.",
                "This deletes the workshop, its join code and its {n} participants with everything they "
                "answered, their lessons and quiz attempts. It cannot be undone; download the results first "
                "if you need them.",
                len(found.participants),
            ).format(n=len(found.participants))
        )
        typed = st.text_input(_("Type the workshop's join code to confirm"), key=f"delete_code_{found.workshop_id}")
        if not st.button(_("Delete this workshop's data"), type="primary", key="delete_workshop"):
            return
        try:
            matches = normalise_code(typed) == found.code
        except CodeError:
            matches = False
        if not matches:
            st.error(_("That is not this workshop's join code; nothing was deleted."), icon=":material/error:")
            return
        try:
            deleted = ws.delete_workshop(state.engine(), user.id, found.workshop_id)
        except ws.WorkshopError:
            refused()
            return
        except StorageBusy as error:
            st.error(messages.describe(error))
            return
        st.session_state[_FLASH] = ngettext(
            "Deleted workshop {name} ({code}) with the data of {n} participant.",
            "Deleted workshop {name} ({code}) with the data of {n} participants.",
            deleted.participants,
        ).format(name=_escape(deleted.name), code=deleted.code, n=deleted.participants)  # shown as Markdown
        st.session_state.pop(_CHOICE, None)
        st.query_params.pop(WORKSHOP_PARAM, None)
        st.rerun()


def room_section(user: User, found: WorkshopResults) -> None:
    """The room's self-assessment, as the projector shows it (views/room_widgets.py), with a link to
    the live room view."""
    st.header(_("The room's self-assessment"))
    try:
        summary = rooms.room_summary(state.engine(), user.id, found.workshop_id, state.model(), state.course())
    except (ws.NotAllowed, ws.UnknownWorkshop):
        refused()
        return
    room_widgets.show(summary)
    st.page_link(
        "views/room.py", label=_("Open the room view for the projector"), icon=":material/groups:",
        query_params={"w": str(found.workshop_id)},
    )  # fmt: skip


# The page ---------------------------------------------------------------------------------------


def main() -> None:
    user = staff.require(Role.TRAINER, Role.ADMIN)
    st.title(_("Workshop results"))
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        st.success(flash, icon=":material/check:")
    try:
        workshop_id = choose_workshop(user)
        if workshop_id is None:
            return
        try:
            found = results.workshop_results(state.engine(), user.id, workshop_id, state.model(), state.course())
            runs = live.live_results(state.engine(), user.id, workshop_id, state.course())
        except (results.NotAllowed, results.UnknownWorkshop, live.NotAllowed, live.UnknownWorkshop):
            refused()
            return
    except StorageBusy as error:
        st.error(messages.describe(error))
        return
    st.text(_("{name}, held on {day}, join code {code}").format(
        name=found.name, day=found.held_on.isoformat(), code=found.code
    ))  # fmt: skip
    participants_section(found)
    room_section(user, found)
    quiz_section(found)
    live_section(runs)
    downloads_section(found, runs)
    delete_section(user, found)


main()
