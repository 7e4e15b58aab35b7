"""Results: stage, radar, coverage, the 4 T's, the checklist, gaps, downloads and rounds."""

from __future__ import annotations

import streamlit as st

from assessment.model import STAGE_IDS, Mode
from assessment.scoring import Gap, score
from i18n import _
from learning.path import links_for_gap
from reporting import export, radar, tables
from storage import db
from views import state, widgets

model = state.model()
session = state.load_session()
if session is None:
    st.info(_("There are no results to show yet: start an assessment, or open your resume link."))
    st.page_link("views/start.py", label=_("Go to the start page"), icon=":material/flag:")
    st.stop()

result = score(model, session.answers, session.mode)
previous = session.previous_round
previous_result = score(model, state.stored_answers(model, previous.id), Mode(previous.mode)) if previous else None
stage_names = {s.id: s.name for s in model.stages}

# Headline -------------------------------------------------------------------------
if result.stage:
    reached = model.stage(result.stage)
    st.title(_("Your organisation is at the {stage} stage").format(stage=reached.name))
    st.markdown(f"**{reached.tagline}.** {reached.description}")
    position = STAGE_IDS.index(result.stage)
    if position + 1 < len(STAGE_IDS):
        following = model.stage(STAGE_IDS[position + 1])
        st.info(
            _("**To reach {stage}:** {step}").format(stage=following.name, step=reached.next_step),
            icon=":material/arrow_forward:",
        )
    else:
        st.success(reached.next_step, icon=":material/rocket_launch:")
else:
    crawl = model.stage("crawl")
    st.title(_("Not yet at the {stage} stage").format(stage=crawl.name))
    st.markdown(
        _("The first stage, **{stage}** ({tagline}), is not reached yet: {description}").format(
            stage=crawl.name, tagline=crawl.tagline.lower(), description=crawl.description
        )
    )

mode_label = _("quick scan") if result.mode is Mode.QUICK else _("full assessment")
st.caption(
    _(
        'Round {round}, {mode}: {answered} of {asked} questions answered. Unanswered and "don\'t know" '
        "statements count as zero."
    ).format(round=session.round.number, mode=mode_label, answered=result.answered, asked=result.asked)
)
if result.answered < result.asked:
    st.page_link(
        "views/assessment.py",
        label=_("Answer the open questions"),
        icon=":material/edit_note:",
        query_params={state.TOKEN_PARAM: session.token},
    )

# Radar ---------------------------------------------------------------------------


@st.cache_data(max_entries=512, show_spinner=False)
def radar_spec(key: radar.SeriesKey, _series: list[radar.RadarSeries]) -> dict:
    """The chart spec once per distinct set of scores (the key), not once per rerun. The model and
    the language are fixed for the life of the process, so the key need not name them."""
    return radar.radar_spec(model, _series, width=None)


st.header(_("Maturity by dimension"))
series = [radar.RadarSeries(_("Round {n} (this round)").format(n=session.round.number), result)]
if previous_result is not None and previous is not None:
    series.append(radar.RadarSeries(_("Round {n}").format(n=previous.number), previous_result, dashed=True))
chart = radar_spec(radar.series_key(series), series)
description = radar.radar_description(model, result)
st.vega_lite_chart(chart, width="stretch", theme=None, alt=description)
st.caption(description)
labels = tables.column_labels(model)
columns = {column: st.column_config.Column(label) for column, label in labels.items()}
dimension_table = tables.dimension_table(model, result)  # shown in part here, in full under "Coverage per stage"
st.dataframe(
    dimension_table,
    hide_index=True,
    width="stretch",
    column_config=columns,
    column_order=("dimension", "stage", "score"),
)
# People read the rings as stages and expect a score of 2 to mean Walk; say why it need not.
st.caption(
    _(
        "The score adds up how far each stage is in place; the stage needs each stage in turn, from "
        "{first}, to be largely in place. So two dimensions with the same score can be at different stages: "
        "strong later stages do not make up for an open {first}."
    ).format(first=model.stages[0].name)
)

with st.expander(_("Coverage per stage"), expanded=True):
    st.write(
        _(
            "A stage is reached when its statements are, on average, largely in place (2 of 3 points), "
            "and every earlier stage is reached too."
        )
    )
    # What a phone shows without scrolling the grid sideways comes first: reached or not, then how far.
    st.dataframe(
        tables.stage_table(model, result),
        hide_index=True,
        width="stretch",
        column_config=columns,
    )
    st.caption(_("Coverage per dimension and stage, in %:"))
    st.dataframe(dimension_table, hide_index=True, width="stretch", column_config=columns)

# 4 T's and checklist -----------------------------------------------------------------
st.header(_("The 4 T's"))
st.dataframe(tables.tee_table(model, result), hide_index=True, width="stretch", column_config=columns)
st.markdown("\n".join(f"- **{tee.name}:** {tee.description}" for tee in model.tees))

st.header(_("Do's and don'ts"))
compliance = result.checklist.compliance
if compliance is None:
    st.write(_("No checklist item answered yet."))
else:
    st.metric(
        _("Checklist compliance"),
        f"{compliance * 100:.0f} %",
        help=_("Yes counts 1, partly 0.5, no 0; not applicable is left out."),
    )
    st.caption(
        _("{answered} items answered, {na} not applicable, {open} open.").format(
            answered=result.checklist.answered, na=result.checklist.not_applicable, open=result.checklist.unanswered
        )
    )

# Gaps ------------------------------------------------------------------------------
course = state.course()
token_params = {state.TOKEN_PARAM: session.token}


def learn_links(gap: Gap) -> None:
    """The lessons that teach a gap and the quizzes that check it."""
    links = links_for_gap(gap, course.lessons, course.banks)
    for lesson in links.lessons:
        st.page_link(
            "views/lessons.py",
            label=_("Lesson: {title}").format(title=lesson.title),
            icon=":material/article:",
            query_params={**token_params, "lesson": lesson.id},
        )
    for bank in links.banks[:2]:
        st.page_link(
            "views/quiz.py",
            label=_("Quiz: {title}").format(title=bank.title),
            icon=":material/quiz:",
            query_params={**token_params, "quiz": bank.id},
        )


st.header(_("Your gaps, in the order to tackle them"))
if result.gaps and course.lessons:
    st.page_link("views/path.py", label=_("Open my learning path"), icon=":material/route:", query_params=token_params)
if not result.gaps:
    st.success(_("No gaps: every stage is largely in place, every T scores 75 or more, and no checklist item failed."))
for number, gap in enumerate(result.gaps, start=1):
    if gap.kind == "maturity" and gap.dimension and gap.stage:
        dimension = model.dimension(gap.dimension)
        title = _("{n}. {dimension} at {stage}: {coverage} % in place").format(
            n=number, dimension=dimension.name, stage=stage_names[gap.stage], coverage=round((gap.coverage or 0) * 100)
        )
        with st.expander(title):
            for statement in dimension.cell(gap.stage, result.mode):
                answer = session.answers.get(statement.id)
                label = (
                    widgets.MATURITY_LABELS.get(answer, _("not answered"))
                    if isinstance(answer, str)
                    else _("not answered")
                )
                st.markdown(f"- {statement.text} — *{label}*")
            learn_links(gap)
    elif gap.kind == "tee" and gap.tee:
        tee = model.tee(gap.tee)
        with st.expander(_("{n}. {tee}: {score} of 100").format(n=number, tee=tee.name, score=round(gap.score or 0))):
            st.write(tee.description)
            learn_links(gap)
    elif gap.item:
        item = model.checklist_item(gap.item)
        answer = widgets.CHECKLIST_LABELS.get(gap.answer or "", gap.answer or "")
        with st.expander(_("{n}. {text} ({answer})").format(n=number, text=item.text, answer=answer.lower())):
            st.write(item.help)
            learn_links(gap)

# Change since the last round ------------------------------------------------------------
if previous_result is not None and previous is not None:
    st.header(_("Change since round {n}").format(n=previous.number))
    st.write(tables.stage_change_sentence(model, previous_result, result))
    comparison = tables.comparison_table(model, previous_result, result)
    # Every row in view: at its default height the grid stopped after ten rows, hiding the 4 T's and
    # the checklist behind a scroll inside the table that few people notice.
    st.dataframe(
        comparison,
        hide_index=True,
        width="stretch",
        height=(len(comparison) + 1) * 35 + 3,
        column_config=columns,
        column_order=("measure", "before", "now", "change", "stage_change"),
    )

# Downloads ----------------------------------------------------------------------------
st.header(_("Downloads"))
stem = f"maturity-round-{session.round.number}"
d1, d2 = st.columns(2)
d3, d4 = st.columns(2)
d1.download_button(
    _("Radar chart, PNG"),
    data=lambda: export.chart_png(chart),
    file_name=f"{stem}.png",
    mime="image/png",
    on_click="ignore",
    width="stretch",
)
d2.download_button(
    _("Radar chart, SVG"),
    data=lambda: export.chart_svg(chart),
    file_name=f"{stem}.svg",
    mime="image/svg+xml",
    on_click="ignore",
    width="stretch",
)
d3.download_button(
    _("Answers and scores, CSV"),
    data=export.answers_and_scores_csv(model, session.answers, result),
    file_name=f"{stem}.csv",
    mime="text/csv",
    on_click="ignore",
    width="stretch",
)
d4.download_button(
    _("Answers and scores, JSON"),
    data=export.answers_and_scores_json(
        model, session.answers, result, session.round.number, session.round.completed_at
    ),
    file_name=f"{stem}.json",
    mime="application/json",
    on_click="ignore",
    width="stretch",
)

# Next round -------------------------------------------------------------------------------
st.header(_("What next"))
if result.mode is Mode.QUICK and st.button(_("Switch this round to the full assessment")):
    try:
        db.set_round_mode(state.engine(), session.round.id, Mode.FULL.value)
    except db.StorageBusy as error:
        st.error(_("Could not switch: {reason}").format(reason=error))
    else:
        st.switch_page("views/assessment.py", query_params={state.TOKEN_PARAM: session.token})
st.write(
    _(
        "Come back in a few months and start a new round: it begins from your current answers, so you only "
        "change what has moved, and this page then shows the change."
    )
)
if st.button(_("Start a new round"), type="primary"):
    try:
        db.start_round(state.engine(), session.respondent.id, session.round.mode)
    except db.StorageBusy as error:
        st.error(_("Could not start a new round: {reason}").format(reason=error))
    else:
        st.switch_page("views/assessment.py", query_params={state.TOKEN_PARAM: session.token, "step": "1"})
widgets.resume_link(session.token)
