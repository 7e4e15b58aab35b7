"""The results page's sections, one function each; views/results.py puts them in order.

Each section takes what it shows as arguments and owns its widget keys. Figures are rounded and
written by `reporting.numbers` (via the reporting tables), so the page, the chart and the
downloads show the same digits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import TypeVar

import pyarrow as pa
import streamlit as st

from assessment.model import STAGE_IDS, Mode, Model
from assessment.scoring import Gap, Result
from i18n import _, current_language, format_date, ngettext, set_language
from learning.content import Course
from learning.path import links_for_gap, start_here
from reporting import export, gaps, headline, radar, tables
from reporting.numbers import Kind, as_percent, fmt
from services import respondents as visits
from services import results as round_scores
from services.results import RoundResult
from storage.errors import DataDeleted, StorageBusy
from storage.respondents import Round
from views import messages, state
from views.charts import localised

T = TypeVar("T")

# Row height and header of st.dataframe, to show every row without a scroll bar inside the grid.
_ROW_PX = 35


def locale() -> str:
    """The locale figures and dates are written in: the visitor's language."""
    return current_language()


def _escape(text: str) -> str:
    """Text typed by a respondent, safe inside Markdown: every punctuation character escaped."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>$:~=])", r"\\\1", text)


def _table_height(rows: int) -> int:
    return (rows + 1) * _ROW_PX + 3


def _arrow(table: tables.Table) -> pa.Table:
    """A reporting table as Arrow, which st.dataframe sends as it is (given pandas, it converts)."""
    return pa.table({column: table[column] for column in table.columns})


def _columns(model: Model, shown: tuple[str, ...]) -> dict[str, st.column_config.Column]:
    """Labels for the columns a table shows, by their stable ids; the first column stays in view when
    a phone scrolls the grid sideways, and figures are right-aligned. Only the columns shown: Streamlit
    checks and sends every entry of a column config on every run (0.36 ms for all 21 labels)."""
    labels = tables.column_labels(model)
    first = {"dimension", "stage", "tee", "measure"}
    figures = {"score", "coverage", "points", "needed", "of", "tee_score", "answered", "unknown", *STAGE_IDS}
    return {
        column: st.column_config.Column(
            labels[column], pinned=column in first or None, alignment="right" if column in figures else None
        )
        for column in shown
    }


def _day(session: state.Session) -> date:
    completed: datetime | None = session.round.completed_at
    return (completed or datetime.now()).date()


# Headline -----------------------------------------------------------------------------------


def show_headline(model: Model, result: Result, session: state.Session) -> None:
    """The stage, who and which round it is about, and why the stage is what it is."""
    if result.stage:
        reached = model.stage(result.stage)
        st.title(_("Your organisation is at the {stage} stage").format(stage=reached.name))
    else:
        st.title(_("Not yet at the {stage} stage").format(stage=model.stage("crawl").name))
    mode_label = _("quick scan") if result.mode is Mode.QUICK else _("full assessment")
    about = _("Round {round}, {mode}: {answered} of {asked} questions answered.").format(
        round=session.round.number, mode=mode_label, answered=result.answered, asked=result.asked
    )
    # Statements marked "not applicable" leave their cell and stage (docs/scoring.md): say how many.
    not_applicable = sum(stage.not_applicable for stage in result.stages)
    if not_applicable:
        about += " " + ngettext(
            "{count} statement marked not applicable is left out of the scores.",
            "{count} statements marked not applicable are left out of the scores.",
            not_applicable,
        ).format(count=not_applicable)
    organisation = (session.respondent.organisation or "").strip()
    st.caption(f"**{_escape(organisation)}** · {about}" if organisation else about)

    explanation = headline.explain(model, result, locale())
    if explanation:  # one point a line: easier to take in than a paragraph, on a phone above all
        st.markdown("\n".join(f"- {sentence}" for sentence in explanation))
    if result.stage:
        reached = model.stage(result.stage)
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
        st.markdown(
            _("The first stage, **{stage}** ({tagline}), is not reached yet: {description}").format(
                stage=crawl.name, tagline=crawl.tagline.lower(), description=crawl.description
            )
        )
    if result.answered < result.asked:
        st.caption(_('Unanswered and "don\'t know" statements count as zero.'))
    if result.answered < result.asked and session.token:
        st.page_link(
            "views/assessment.py",
            label=_("Answer the open questions"),
            icon=":material/edit_note:",
            query_params={state.TOKEN_PARAM: session.token},
        )


# Start here ---------------------------------------------------------------------------------


def _with_token(token: str, **params: str) -> dict[str, str]:
    """Query parameters for a link, with the resume token when there is one (the sample has none:
    its links lead to the visitor's own lessons and quizzes, if any)."""
    return {state.TOKEN_PARAM: token, **params} if token else params


def _lesson_link(lesson_id: str, title: str, token: str) -> None:
    st.page_link(
        "views/lessons.py",
        label=_("Lesson: {title}").format(title=title),
        icon=":material/article:",
        query_params=_with_token(token, lesson=lesson_id),
    )


def _quiz_link(bank_id: str, title: str, token: str) -> None:
    st.page_link(
        "views/quiz.py",
        label=_("Quiz: {title}").format(title=title),
        icon=":material/quiz:",
        query_params=_with_token(token, quiz=bank_id),
    )


def show_start_here(model: Model, result: Result, course: Course, token: str) -> None:
    """The first three gaps in the rule's order, each with the one lesson and quiz to take first."""
    steps = start_here(result.gaps, course.lessons, course.banks)
    if not steps:
        return
    st.header(_("Start here"))
    st.caption(
        ngettext(
            "Your first gap, with the lesson and quiz to take first.",
            "Your first {count} gaps, in the order to tackle them, each with the lesson and quiz to take first.",
            len(steps),
        ).format(count=len(steps))
    )
    for step in steps:
        with st.container(border=True, key=f"start_here_{step.number}"):
            st.markdown(f"**{step.number}. {gaps.gap_title(model, result, step.gap, locale())}**")
            if step.lesson is not None:
                _lesson_link(step.lesson.id, step.lesson.title, token)
            if step.bank is not None:
                _quiz_link(step.bank.id, step.bank.title, token)
            if step.lesson is None and step.bank is None:
                st.caption(_("No lesson or quiz covers this gap yet."))


# Radar and change since the last round --------------------------------------------------------


def radar_series(
    session: state.Session, result: Result, previous: Round | None, previous_result: Result | None
) -> list[radar.RadarSeries]:
    series = [radar.RadarSeries(_("Round {n} (this round)").format(n=session.round.number), result)]
    if previous is not None and previous_result is not None:
        series.append(radar.RadarSeries(_("Round {n}").format(n=previous.number), previous_result, dashed=True))
    return series


def show_radar(model: Model, result: Result, series: list[radar.RadarSeries], with_table: bool) -> None:
    """The radar across the column, its text alternative, and (unless the change table follows
    with the same figures) its numbers in a table."""
    st.header(_("Maturity by dimension"))
    # Built on every run (half a millisecond, data inline): no cache to key, and nothing for Streamlit
    # to put through pandas and Arrow.
    chart = radar.radar_spec(model, series, width=None)
    description = radar.radar_description(model, result, locale())
    # The chart fills a box that CSS keeps at the radar's aspect ratio: as wide as the column, as
    # high as that width needs (Vega-Lite cannot tie a chart's height to its container's width).
    width, height = radar.PAGE_ASPECT
    st.html(f"<style>.st-key-radar_box {{ aspect-ratio: {width} / {height}; }}</style>")
    with st.container(key="radar_box"):
        st.vega_lite_chart(
            localised(chart), width="stretch", height="stretch", theme=None, alt=description, key="radar"
        )
    st.caption(description)
    if with_table:
        table = tables.dimension_table(model, result, locale())
        shown = ("dimension", "stage", "score")
        st.dataframe(
            _arrow(table),
            hide_index=True,
            width="stretch",
            height=_table_height(len(table)),
            column_config=_columns(model, shown),
            column_order=shown,
            key="dimension_scores",
        )
    # People read the rings as stages and expect a score of 2 to mean Walk; say why it need not.
    st.caption(
        _(
            "The score adds up how far each stage is in place; the stage needs each stage in turn, from "
            "{first}, to be largely in place. So two dimensions with the same score can be at different stages: "
            "strong later stages do not make up for an open {first}."
        ).format(first=model.stages[0].name)
    )


_CHANGE_COLOURS = {"up": "green", "down": "red"}


def change_markdown(model: Model, before: Result, after: Result) -> str:
    """The change table as Markdown: signed changes, green up and red down (the sign says it too)."""
    table = tables.comparison_table(model, before, after, locale())
    labels = tables.column_labels(model)
    columns = ("measure", "before", "now", "change", "stage_change")
    lines = [
        "| " + " | ".join(labels[c] for c in columns) + " |",
        "| :-- | --: | --: | --: | :-- |",
    ]
    for row in table.rows:
        colour = _CHANGE_COLOURS.get(row["direction"])
        change = f":{colour}[**{row['change']}**]" if colour else row["change"]
        cells = [row["measure"], row["before"], row["now"], change, row["stage_change"]]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# Tight cells so the five columns fit a phone's 390 px; past that, the table scrolls inside its box,
# never the page.
_CHANGE_CSS = """<style>
.st-key-change_table [data-testid="stMarkdownContainer"] { overflow-x: auto; }
.st-key-change_table table { font-size: 0.9rem; }
.st-key-change_table th, .st-key-change_table td { padding: 0.3rem 0.45rem; }
</style>"""


def show_change_since(model: Model, previous_number: int, before: Result, after: Result) -> None:
    st.header(_("Change since round {n}").format(n=previous_number))
    st.markdown(tables.stage_change_sentence(model, before, after))
    st.html(_CHANGE_CSS)
    with st.container(key="change_table"):
        st.markdown(change_markdown(model, before, after))


def show_coverage(model: Model, result: Result) -> None:
    """Two tables in an expander that is closed on arrival: they are built only once it is opened
    (a rerun), not on every run of the page."""
    coverage = st.expander(_("Coverage per stage"), key="coverage_per_stage", on_change="rerun")
    if not coverage.open:
        return
    with coverage:
        st.write(
            _(
                "A stage is reached when its statements are, on average, largely in place (2 of 3 points), "
                "and every earlier stage is reached too."
            )
        )
        stages = tables.stage_table(model, result, locale())
        st.dataframe(
            _arrow(stages),
            hide_index=True,
            width="stretch",
            column_config=_columns(model, stages.columns),
            key="stage_coverage",
        )
        st.caption(_("Coverage per dimension and stage, in %:"))
        table = tables.dimension_table(model, result, locale())
        st.dataframe(
            _arrow(table),
            hide_index=True,
            width="stretch",
            height=_table_height(len(table)),
            column_config=_columns(model, table.columns),
            key="dimension_coverage",
        )


# The 4 T's and the checklist ------------------------------------------------------------------


def show_tees_and_checklist(model: Model, result: Result) -> None:
    st.header(_("The 4 T's"))
    tees = tables.tee_table(model, result, locale())
    st.dataframe(
        _arrow(tees),
        hide_index=True,
        width="stretch",
        column_config=_columns(model, tees.columns),
        key="tee_scores",
    )
    st.markdown("\n".join(f"- **{tee.name}:** {tee.description}" for tee in model.tees))

    st.header(_("Do's and don'ts"))
    compliance = result.checklist.compliance
    if compliance is None:
        st.write(_("No checklist item answered yet."))
        return
    percent = fmt(as_percent(compliance), Kind.PERCENT, locale())
    st.metric(
        _("Checklist compliance"),
        f"{percent} %",
        help=_("Yes counts 1, partly 0.5, no 0; not applicable is left out."),
    )
    st.caption(
        _("{answered} items answered, {na} not applicable, {open} open.").format(
            answered=result.checklist.answered, na=result.checklist.not_applicable, open=result.checklist.unanswered
        )
    )


# All gaps -------------------------------------------------------------------------------------


def _gap_details(model: Model, result: Result, answers: dict, gap: Gap, course: Course, token: str) -> None:
    if gap.kind == "maturity" and gap.dimension and gap.stage:
        statements = model.dimension(gap.dimension).cell(gap.stage, result.mode)
        st.markdown("\n".join(f"- {s.text} — *{gaps.maturity_answer_words(answers.get(s.id))}*" for s in statements))
    elif gap.kind == "tee" and gap.tee:
        st.caption(model.tee(gap.tee).description)
    elif gap.item:
        st.caption(model.checklist_item(gap.item).help)
    links = links_for_gap(gap, course.lessons, course.banks)
    for lesson in links.lessons[:2]:
        _lesson_link(lesson.id, lesson.title, token)
    for bank in links.banks[:1]:
        _quiz_link(bank.id, bank.title, token)


def show_all_gaps(model: Model, result: Result, answers: dict, course: Course, token: str) -> None:
    """Every gap in the rule's order, grouped by section, each section collapsed until opened."""
    st.header(_("All your gaps, in the order to tackle them"))
    if not result.gaps:
        st.success(
            _("No gaps: every stage is largely in place, every T scores 75 or more, and no checklist item failed.")
        )
        return
    if course.lessons:
        st.page_link(
            "views/path.py",
            label=_("Open my learning path"),
            icon=":material/route:",
            query_params=_with_token(token),
        )
    for section in gaps.grouped(result.gaps):
        numbers = [n for n, _gap in section.gaps]
        label = ngettext("{section}: gap {first}", "{section}: gaps {first} to {last}", len(numbers)).format(
            section=gaps.section_title(section.section), first=numbers[0], last=numbers[-1]
        )
        # Closed on arrival, and built only once opened (a rerun): the full list with its statements
        # and two or three links per gap was a third of every run of the page.
        box = st.expander(label, key=f"gaps_{section.section}", on_change="rerun")
        if not box.open:
            continue
        with box:
            for number, gap in section.gaps:
                with st.container(key=f"gap_{number}"):
                    st.markdown(f"**{number}. {gaps.gap_title(model, result, gap, locale())}**")
                    _gap_details(model, result, answers, gap, course, token)


# Downloads ------------------------------------------------------------------------------------


def _deferred(language: str, make: Callable[[], T]) -> Callable[[], T]:
    """A download's content, made only when the button is clicked. Streamlit then calls it in a worker
    thread outside the page's run, in a copy of the server's context, so it sets the run's language
    there itself (labels in the chart, the subtitle's date)."""

    def made() -> T:
        set_language(language)
        return make()

    return made


def show_downloads(model: Model, result: Result, session: state.Session, series: list[radar.RadarSeries]) -> None:
    """The chart and the answers, each naming the organisation, the round and the date. Nothing is
    made until a button is clicked: the files were rebuilt on every run of the page before."""
    st.header(_("Downloads"))
    organisation = session.respondent.organisation
    number, completed_at, answers = session.round.number, session.round.completed_at, session.answers
    day = _day(session)
    stem = export.download_stem(organisation, number, day)
    language = locale()

    def exported() -> dict:
        return radar.radar_spec(
            model,
            series,
            title=_("Maturity by dimension (0-4)"),
            subtitle=export.chart_subtitle(organisation, number, day, language),
        )

    files = (
        (_("Radar chart, PNG"), lambda: export.chart_png(exported()), "png", "image/png"),
        (_("Radar chart, SVG"), lambda: export.chart_svg(exported()), "svg", "image/svg+xml"),
        (
            _("Answers and scores, CSV"),
            lambda: export.answers_and_scores_csv(model, answers, result, organisation, number, completed_at),
            "csv",
            "text/csv",
        ),
        (
            _("Answers and scores, JSON"),
            lambda: export.answers_and_scores_json(model, answers, result, number, completed_at, organisation),
            "json",
            "application/json",
        ),
    )
    # The chart's two formats in one column, the answers' two in the other (one row of columns, not two:
    # fewer elements on every run), in this order on a phone, where columns stack.
    chart_column, data_column = st.columns(2)
    cells = [chart_column, chart_column, data_column, data_column]
    for cell, (label, make, extension, mime) in zip(cells, files, strict=True):
        cell.download_button(
            label,
            data=_deferred(language, make),
            file_name=f"{stem}.{extension}",
            mime=mime,
            on_click="ignore",
            width="stretch",
        )


# What next ------------------------------------------------------------------------------------


_NEXT_ROUND = "results_next_round"


def _start_new_round(respondent_id: int, mode: str, shown_number: int) -> None:
    """A callback: the page's own run has already read the newest round, so the round number the
    button was shown with travels in its arguments (two tabs showing round 1 make one round 2)."""
    try:
        visits.start_new_round(state.engine(), respondent_id, mode, shown_number, state.model())
    except (StorageBusy, DataDeleted) as error:
        reason = messages.describe(error)
        st.session_state[_NEXT_ROUND] = _("Could not start a new round: {reason}").format(reason=reason)
    else:
        st.session_state[_NEXT_ROUND] = {"step": "1"}  # a new round starts from the beginning


def _switch_to_full(respondent_id: int, quick_round_id: int, shown_number: int) -> None:
    try:
        visits.switch_to_full(state.engine(), respondent_id, quick_round_id, shown_number, state.model())
    except (StorageBusy, DataDeleted) as error:
        st.session_state[_NEXT_ROUND] = _("Could not switch: {reason}").format(reason=messages.describe(error))
    else:
        st.session_state[_NEXT_ROUND] = {}  # the full round opens at its first open question


def show_what_next(model: Model, result: Result, session: state.Session) -> None:
    st.header(_("What next"))
    if result.mode is Mode.QUICK:
        more = len(model.item_ids(Mode.FULL)) - len(model.item_ids(Mode.QUICK))
        with st.container(border=True):
            st.markdown(
                _(
                    "**The full assessment** asks {more} more statements. Switching keeps this quick-scan "
                    "result as round {round}, to look back at from this page. Round {next} opens as a full "
                    "assessment with your answers filled in, and until you answer a new question you can "
                    "undo the switch."
                ).format(more=more, round=session.round.number, next=session.round.number + 1)
            )
            st.button(
                _("Switch to the full assessment"),
                on_click=_switch_to_full,
                args=(session.respondent.id, session.round.id, session.round.number),
            )
    st.write(
        _(
            "Come back in a few months and start a new round: it begins from your current answers, so you only "
            "change what has moved, and this page then shows the change."
        )
    )
    st.button(
        _("Start a new round"),
        type="primary",
        on_click=_start_new_round,
        args=(session.respondent.id, session.round.mode, session.round.number),
    )
    if _NEXT_ROUND in st.session_state:
        outcome = st.session_state.pop(_NEXT_ROUND)
        if isinstance(outcome, str):
            st.error(outcome)
        else:
            st.switch_page("views/assessment.py", query_params={state.TOKEN_PARAM: session.token, **outcome})


def show_earlier_rounds(session: state.Session, shown: state.Session) -> None:
    """Links to every other round's results: a quick scan switched to the full assessment stays a
    result of its own, and so does every earlier round."""
    others = [r for r in session.rounds if r.number != shown.round.number]
    if not others:
        return
    st.subheader(_("Other rounds"))
    for other in reversed(others):
        label = (
            _("Round {n}: your current round").format(n=other.number)
            if other.number == session.round.number
            else _("Round {n} ({mode})").format(
                n=other.number, mode=_("quick scan") if other.mode == Mode.QUICK.value else _("full assessment")
            )
        )
        params = {state.TOKEN_PARAM: session.token}
        if other.number != session.round.number:
            params[ROUND_PARAM] = str(other.number)
        st.page_link("views/results.py", label=label, icon=":material/history:", query_params=params)


ROUND_PARAM = "round"


def shown_round(model: Model, session: state.Session) -> state.Session:
    """The round the page is about: the current one, or an earlier one named by ?round=N."""
    raw = st.query_params.get(ROUND_PARAM)
    chosen = next((r for r in session.rounds if raw is not None and str(r.number) == raw), None)
    if chosen is None or chosen.number == session.round.number:
        return session
    return replace(
        session,
        round=chosen,
        rounds=[r for r in session.rounds if r.number <= chosen.number],
        answers=state.stored_answers(model, chosen.id),
    )


def round_results(
    model: Model, visit: state.Session, shown: state.Session
) -> tuple[RoundResult, Round | None, RoundResult | None]:
    """The shown round's result and the one before it (if any), each as services.results decides:
    the scores a round kept, or scored now while it is open."""
    engine = state.engine()
    newest = shown.round.number == visit.round.number
    scored = round_scores.round_result(engine, model, shown.round, newest=newest, answers=shown.answers)
    previous = shown.previous_round
    earlier = round_scores.round_result(engine, model, previous, newest=False) if previous else None
    return scored, previous, earlier


def _taken_on(scored: RoundResult) -> str:
    return format_date(scored.taken_on.date(), format="long")


def show_earlier_model_notice(number: int, scored: RoundResult) -> None:
    """A round scored with another version of the model than the current one: its scores stay as they were."""
    st.info(
        _(
            "Round {n} was taken on {date}, with an earlier version of the assessment. Its scores are kept as "
            "they were then, so they may differ from what the current version would give for the same answers. "
            "Start a new round to be scored with the current version."
        ).format(n=number, date=_taken_on(scored)),
        icon=":material/history_edu:",
    )


def show_earlier_model_caption(previous_number: int, earlier: RoundResult) -> None:
    """Under the change table: the round compared with was scored with an earlier model."""
    st.caption(
        _(
            "Round {n}, taken on {date}, was scored with an earlier version of the assessment and keeps those "
            "scores: part of the change may come from the new version rather than from your organisation."
        ).format(n=previous_number, date=_taken_on(earlier))
    )


def show_earlier_round_notice(session: state.Session, shown: state.Session) -> None:
    st.info(
        _("You are looking at round {n}, an earlier round. Your current round is round {current}.").format(
            n=shown.round.number, current=session.round.number
        ),
        icon=":material/history:",
    )
    st.page_link(
        "views/results.py",
        label=_("See the results of your current round"),
        icon=":material/monitoring:",
        query_params={state.TOKEN_PARAM: session.token},
    )


def show_sample_banner() -> None:
    """On every part of the sample: it is not the visitor's organisation, and the way back."""
    st.warning(
        _(
            "**Sample results: not your organisation.** These are made-up answers that show what the results "
            "page looks like. Nothing here is stored, and your own assessment is untouched."
        ),
        icon=":material/science:",
    )
    st.page_link("views/start.py", label=_("Leave the sample"), icon=":material/arrow_back:")
