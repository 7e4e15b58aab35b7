"""Sections of the live quiz's presenter page (views/live_presenter.py), for the trainer's projector:
the form that starts a run, the lobby, the open question with its countdown, the answers' chart,
the top five, the podium and the controls. Each owns its session-state keys.

What to show is decided by plain functions (`distribution_bars`, `chart_sentence`, `places`,
`countdown`, `answered_text`, ...), tested on their own; the `show_*` functions draw it.
Nicknames are typed by participants: they reach Markdown only through `plain` (escaped) and are
otherwise shown in tables and charts, never as HTML. Questions and options are the site's content,
shown as Markdown as the quiz pages show them (views/quiz_page.py).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import altair as alt
import streamlit as st

from i18n import _, format_decimal, format_percent, ngettext
from quizzes import live as rules
from quizzes.attempt import decode, shuffled
from quizzes.grading import compared_text, grade, matching_offer, matching_texts
from quizzes.model import Bank, Question
from quizzes.text import display_markdown
from services import live
from services import workshops as ws
from services.accounts import User
from storage.errors import UNAVAILABLE_ERRORS
from views import messages, quiz_widgets, state, widgets
from views import workshop_widgets as workshop_sections
from views.charts import localised
from views.workshop_messages import plain

_FLASH = "live_presenter_flash"  # (kind, message) for the run after a rerun
_SEEN = "live_presenter_seen"  # (run id, version) of the view last drawn: what a click was pressed on
_NOTICE = "live_presenter_notice"  # (kind, message, shown until) of a control that changed nothing
NOTICE_SECONDS = 6
ENDED = "live_presenter_ended"  # the run this session just saw end
NAMES_SHOWN = 80  # nicknames listed in the lobby; the rest are counted
BARS_SHOWN = 12  # distinct answers charted for a question without options; the rest in one bar
_RIGHT_COLOUR = "#15803d"
_OTHER_COLOUR = "#94a3b8"
_PLAIN_COLOUR = "#1d4ed8"
_LARGE = 20  # chart font size on a projector

# The whole width and large type for the projector; on a phone the sizes shrink with the screen.
CSS = """<style>
[data-testid="stMainBlockContainer"] { max-width: 96vw; padding-top: 4.25rem; }
.st-key-live_prompt p, .st-key-live_prompt li { font-size: clamp(1.4rem, 3.2vw, 2.6rem); line-height: 1.25; }
.st-key-live_prompt_small p { font-size: clamp(1.2rem, 2.2vw, 1.9rem); line-height: 1.25; }
.st-key-live_options p, .st-key-live_options li { font-size: clamp(1.2rem, 2.4vw, 2rem); line-height: 1.3; }
.st-key-live_countdown p { font-size: clamp(3rem, 9vw, 7rem); font-weight: 700; line-height: 1; margin: 0;
  text-align: center; font-variant-numeric: tabular-nums; }
.st-key-live_answered p { font-size: clamp(1.2rem, 2.4vw, 2rem); text-align: center; }
.st-key-live_players p { font-size: clamp(1.1rem, 2vw, 1.7rem); overflow-wrap: anywhere; }
.st-key-live_standings p { font-size: clamp(1.2rem, 2.2vw, 1.8rem); overflow-wrap: anywhere; margin-bottom: 0; }
.st-key-live_podium p { font-size: clamp(1.3rem, 2.8vw, 2.3rem); text-align: center; overflow-wrap: anywhere; }
.st-key-live_podium h3 { text-align: center; }
.st-key-live_answer p { font-size: clamp(1rem, 1.6vw, 1.4rem); }
[data-testid="stMetricValue"] { font-size: clamp(2.2rem, 5vw, 4rem); }
</style>"""


# What to show --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar of a question's answers: what was answered, how often, and whether it is right
    (None: not known, e.g. an answer that no longer fits the question)."""

    label: str
    count: int
    right: bool | None


def action_label(action: live.Action) -> str:
    return {
        live.Action.OPEN: _("Open the first question"),
        live.Action.CLOSE: _("Close now"),
        live.Action.REVEAL: _("Reveal the answer"),
        live.Action.LEADERBOARD: _("Show the top five"),
        live.Action.NEXT: _("Next question"),
        live.Action.PODIUM: _("Show the podium"),
        live.Action.END: _("End the quiz"),
    }[action]


def _unique(labels: list[str]) -> list[str]:
    """Chart labels told apart: a bar per label, so two answers with the same words get a number."""
    seen: dict[str, int] = {}
    result = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        result.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return result


def distribution_bars(question: Question, distribution: Mapping[str, int]) -> list[Bar]:
    """The answers to a question as bars: one per option (in the bank's order, zeros included) for
    single and multiple answers (a multiple answer counts for each option it picked), true and false
    for true/false, and the distinct answers, most given first, for the other types (short answers
    alike but for case, unless the question is case_sensitive, and spaces count together)."""
    decoded = [(decode(question, raw), count) for raw, count in distribution.items()]
    unfit = sum(count for response, count in decoded if response is None)
    bars: list[Bar] = []
    if question.type in ("single", "multiple"):
        picks: dict[str, int] = {}
        for response, count in decoded:
            chosen = response if isinstance(response, list) else [response] if isinstance(response, str) else []
            for option_id in set(chosen):
                picks[option_id] = picks.get(option_id, 0) + count
        labels = _unique([option.text for option in question.options])
        bars = [
            Bar(label, picks.get(option.id, 0), option.correct)
            for label, option in zip(labels, question.options, strict=True)
        ]
    elif question.type == "truefalse":
        counts = {value: sum(c for r, c in decoded if r is value) for value in (True, False)}
        bars = [
            Bar(_("True"), counts[True], question.answer is True),
            Bar(_("False"), counts[False], question.answer is False),
        ]
    else:
        groups: dict[str, tuple[str, int, bool]] = {}
        for response, count in decoded:
            if response is None:
                continue
            label = quiz_widgets.describe(question, response)
            group = compared_text(label, question.case_sensitive) if question.type == "short" else label
            first, total, right = groups.get(group, (label.strip(), 0, grade(question, response).correct))
            groups[group] = (first, total + count, right)
        ordered = sorted(groups.values(), key=lambda item: (-item[1], item[0].casefold()))
        shown, rest = ordered[:BARS_SHOWN], ordered[BARS_SHOWN:]
        labels = _unique([label for label, _count, _right in shown])
        bars = [Bar(label, count, right) for label, (_l, count, right) in zip(labels, shown, strict=True)]
        if rest:
            bars.append(Bar(_("Other answers"), sum(count for _l, count, _r in rest), None))
    if unfit:
        bars.append(Bar(_("Answers that no longer fit the question"), unfit, None))
    return bars


def chart_sentence(number: int, bars: Sequence[Bar], answered: int, right_share: float | None, reveal: bool) -> str:
    """The chart in one sentence: how many answered, what was given most, and after the reveal how many
    were right."""
    if answered == 0:
        return _("Nobody answered question {number}.").format(number=number)
    top = max(bar.count for bar in bars) if bars else 0
    most = [f"“{bar.label}”" for bar in bars if bar.count == top and top > 0]
    sentence = ngettext(
        "{count} answer to question {number}; given most: {most} ({top}).",
        "{count} answers to question {number}; given most: {most} ({top}).",
        answered,
    ).format(count=format_decimal(answered), number=number, most=", ".join(most), top=format_decimal(top))
    if reveal and right_share is not None:
        sentence += " " + _("{percent} of the answers were right.").format(percent=format_percent(right_share))
    return sentence


def countdown(seconds_left: float) -> int:
    """Whole seconds shown on the countdown: 0.2 s left still shows 1, so 0 means time is up."""
    return max(0, math.ceil(seconds_left - 1e-9))


def answered_text(answered: int, players: int) -> str:
    return ngettext(
        "{answered} of {players} player answered", "{answered} of {players} players answered", players
    ).format(answered=format_decimal(answered), players=format_decimal(players))


def places(standings: Sequence[live.Standing]) -> list[tuple[int, list[live.Standing]]]:
    """Standings grouped by their (shared) place, best first."""
    grouped: dict[int, list[live.Standing]] = {}
    for standing in standings:
        grouped.setdefault(standing.place, []).append(standing)
    return sorted(grouped.items())


def player_list(nicknames: Sequence[str], limit: int = NAMES_SHOWN) -> str:
    """The nicknames as one line of escaped Markdown, the ones past `limit` counted."""
    text = " · ".join(plain(name) for name in nicknames[:limit])
    rest = len(nicknames) - limit
    if rest > 0:
        text += " · " + ngettext("and {count} more", "and {count} more", rest).format(count=format_decimal(rest))
    return text


def question_of(bank: Bank, run: live.RunState) -> Question | None:
    question_id = run.question_id
    if question_id is None or question_id not in {question.id for question in bank.questions}:
        return None
    return bank.question(question_id)


# Messages across a rerun -----------------------------------------------------------------------


def flash(kind: str, message: str) -> None:
    st.session_state[_FLASH] = (kind, message)


def show_flash() -> None:
    kind, message = st.session_state.pop(_FLASH, (None, None))
    if kind == "success":
        st.success(message, icon=":material/check_circle:")
    elif kind == "info":
        st.info(message, icon=":material/info:")


def unavailable(error: Exception) -> None:
    st.warning(
        _("The live quiz could not be read just now ({reason}); it tries again in a moment.").format(
            reason=messages.describe(error)
        ),
        icon=":material/cloud_off:",
    )


# Before a run: the form that starts one ----------------------------------------------------------


def show_leaderboard_toggle(user: User, workshop_id: int, where: str) -> None:
    """The workshop's setting, drawn from storage on every run (another window may change it)."""
    engine = state.engine()
    try:
        shown = live.leaderboard_shown(engine, user.id, workshop_id)
    except ws.WorkshopError:
        st.error(_("You cannot change this workshop's live quiz settings."), icon=":material/block:")
        return
    key = widgets.versioned_key(f"live_top5_{where}_{workshop_id}", shown)
    wanted = st.toggle(
        _("Show the top five between questions"),
        value=shown,
        key=key,
        help=_(
            "A setting of the workshop: after each answer is revealed, the presenter may show the five best scores."
        ),
    )
    if wanted == shown:
        return
    try:
        live.set_leaderboard(engine, user.id, workshop_id, wanted)
    except ws.WorkshopError:
        st.error(_("You cannot change this workshop's live quiz settings."), icon=":material/block:")
        return
    except UNAVAILABLE_ERRORS as error:
        st.error(_("The setting was not saved ({reason}).").format(reason=messages.describe(error)))
        return
    flash("success", _("The top five is shown between questions.") if wanted else _("The top five is not shown."))
    st.rerun()


def show_start(user: User, workshop: ws.StoredWorkshop, banks: Sequence[Bank]) -> None:
    st.subheader(_("Start a live quiz"), anchor=False)
    playable = {bank.id: bank for bank in banks if bank.questions}
    if not playable:
        st.warning(_("The site has no quiz with questions to play."))
        return
    bank_id = st.selectbox(
        _("Quiz"),
        list(playable),
        index=None,
        format_func=lambda chosen: playable[chosen].title,
        placeholder=_("Choose a quiz"),
        key="live_bank",
    )
    left, right = st.columns(2)
    seconds = left.number_input(
        _("Seconds per question"),
        min_value=rules.SECONDS_MIN,
        max_value=rules.SECONDS_MAX,
        value=rules.SECONDS_DEFAULT,
        step=1,
        key="live_seconds",
    )
    bank = playable.get(bank_id) if bank_id is not None else None
    total = len(bank.questions) if bank is not None else 1
    count = right.number_input(
        _("Number of questions"),
        min_value=1,
        max_value=total,
        value=total,
        step=1,
        key=f"live_count_{bank_id}",
        disabled=bank is None,
    )
    streak = st.checkbox(
        _("Streak bonus: 100 extra points for each right answer in a row before a right answer, at most 500"),
        value=False,
        key="live_streak",
    )
    show_leaderboard_toggle(user, workshop.id, "start")
    if not st.button(_("Start the live quiz"), type="primary", key="live_start", disabled=bank is None):
        return
    if bank is None:
        return
    try:
        live.start_run(
            state.engine(),
            user.id,
            workshop.id,
            bank,
            seconds=int(seconds),
            streak_bonus=streak,
            question_count=int(count),
        )
    except live.RunBusy:
        flash("info", _("A live quiz of this workshop was already going (started in another window): here it is."))
        st.rerun()
    except ValueError:
        st.error(
            _(
                "Not started: the seconds per question must be a whole number from {low} to {high}, and the number "
                "of questions from 1 to {count}."
            ).format(low=rules.SECONDS_MIN, high=rules.SECONDS_MAX, count=len(bank.questions)),
            icon=":material/error:",
        )
        return
    except ws.WorkshopError:
        st.error(_("You cannot run a live quiz in this workshop."), icon=":material/block:")
        return
    except live.LiveError:
        st.error(_("This quiz has no questions to play; choose another."), icon=":material/error:")
        return
    except UNAVAILABLE_ERRORS as error:
        st.error(_("Not started ({reason}).").format(reason=messages.describe(error)), icon=":material/error:")
        return
    st.rerun()


def show_ended(workshop_id: int) -> None:
    st.success(
        _("The live quiz has ended. Each player's answers now count as a quiz attempt on their learning path."),
        icon=":material/flag:",
    )
    st.page_link(
        "views/workshop_results.py",
        label=_("The workshop's results"),
        icon=":material/table_chart:",
        query_params={"w": str(workshop_id)},
    )


# A run going: the phases ---------------------------------------------------------------------------


def _question_header(run: live.RunState) -> None:
    number = (run.question_index or 0) + 1
    st.markdown("**" + _("Question {number} of {count}").format(number=number, count=run.question_count) + "**")


def show_lobby(view: live.PresenterView, workshop: ws.StoredWorkshop) -> None:
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown(_("Join with this code"), text_alignment="center")
        workshop_sections.show_join_panel(workshop, "min(9vw, 6rem)", 0.34, "1.3rem")
        if not workshop.open:
            st.warning(_("This workshop is closed: reopen it on the workshops page so participants can join."))
    with right:
        st.metric(_("Players"), format_decimal(len(view.nicknames)))
        with st.container(key="live_players"):
            if view.nicknames:
                st.markdown(player_list(view.nicknames))
            else:
                st.markdown(_("Waiting for the first player…"))


def _show_options(question: Question, seed: int) -> None:
    """What the players choose from, without giving the right answer or order away."""
    with st.container(key="live_options"):
        if question.type in ("single", "multiple"):
            if question.type == "multiple":
                st.caption(_("Choose all that apply."))
            st.markdown("\n".join(f"- {option.text}" for option in question.options))
        elif question.type == "truefalse":
            st.markdown(_("True or false?"))
        elif question.type == "ordering":
            text = {item.id: item.text for item in question.items}
            order = shuffled(seed, question, list(text))
            st.markdown(_("Put in order:") + "\n" + "\n".join(f"- {text[item_id]}" for item_id in order))
        elif question.type == "matching":
            rights = matching_texts(question)  # distractors among them
            offered = shuffled(seed, question, matching_offer(question))
            st.markdown(
                _("Match each of these:")
                + "\n"
                + "\n".join(f"- {pair.left}" for pair in question.pairs)
                + "\n\n"
                + _("with one of these:")
                + "\n"
                + "\n".join(f"- {rights.get(pair_id, pair_id)}" for pair_id in offered)
            )
        else:
            st.markdown(_("Type your answer on your phone."))


def show_open(view: live.PresenterView, question: Question) -> None:
    run = view.state
    _question_header(run)
    left, right = st.columns([3, 1], gap="large")
    with left:
        with st.container(key="live_prompt"):
            quiz_widgets.show_prompt(question)
        _show_options(question, run.run_id)
    with right:
        left_seconds = run.seconds_left()
        with st.container(key="live_countdown"):
            st.markdown(format_decimal(countdown(left_seconds)))
        st.progress(min(1.0, left_seconds / run.seconds) if run.seconds else 0.0)
        with st.container(key="live_answered"):
            st.markdown(answered_text(view.answered, len(view.nicknames)))


_ROW = 64  # pixels per answer: its words above, its bar under them
_AXIS = 80  # the count axis and its title under the bars


def _chart(bars: Sequence[Bar], reveal: bool, answers_title: str) -> alt.LayerChart:
    """Lying bars, each answer's words written above its bar (as wide as the chart, so a phone shows
    them too, where an axis label beside the bars took the whole width) and its count after it."""
    rows = [
        {
            "answer": bar.label,
            "count": bar.count,
            "colour": (_RIGHT_COLOUR if bar.right else _OTHER_COLOUR) if reveal else _PLAIN_COLOUR,
        }
        for bar in bars
    ]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("answer:N", sort=[bar.label for bar in bars], axis=None),
    )
    x = alt.X("count:Q", title=answers_title, axis=alt.Axis(tickMinStep=1, format="d"))
    bars_mark = base.mark_bar(size=22, yOffset=12).encode(
        x=x,
        color=alt.Color("colour:N", scale=None),
        tooltip=[alt.Tooltip("answer:N", title=_("Answer")), alt.Tooltip("count:Q", title=answers_title)],
    )
    counts = base.mark_text(align="left", dx=6, yOffset=12, fontSize=_LARGE, fontWeight="bold").encode(
        x=x, text=alt.Text("count:Q", format="d")
    )
    words = base.mark_text(
        align="left", baseline="bottom", yOffset=-4, fontSize=_LARGE, limit=alt.ExprRef("width")
    ).encode(x=alt.value(0), text="answer:N")
    return (
        (bars_mark + counts + words)
        .properties(height=_AXIS + _ROW * len(rows))  # the chart is fitted to its height, axis included
        .configure_axis(labelFontSize=_LARGE, titleFontSize=_LARGE)
        .configure_view(stroke=None)
    )


def show_results(view: live.PresenterView, question: Question) -> None:
    """Closed: how often each answer was given. Reveal: the same, the right answer(s) marked, and why."""
    run = view.state
    reveal = run.phase is not live.Phase.CLOSED
    number = (run.question_index or 0) + 1
    _question_header(run)
    with st.container(key="live_prompt_small"):
        quiz_widgets.show_prompt(question)
    bars = distribution_bars(question, view.distribution)
    answers_title = _("Answers")
    left, right = st.columns([3, 2], gap="large")
    with left:
        if view.answered:
            st.altair_chart(localised(_chart(bars, reveal, answers_title)), width="stretch", key="live_chart")
        st.caption(chart_sentence(number, bars, view.answered, view.right_share, reveal))
    with right:
        # The marks and counts first, so a long answer does not push them out of sight.
        table: dict[str, list[object]] = {}
        if reveal:
            table[_("Right")] = ["✓" if bar.right else "" for bar in bars]
        table[answers_title] = [bar.count for bar in bars]
        table[_("Answer")] = [bar.label for bar in bars]
        st.dataframe(table, hide_index=True, width="stretch", key="live_table")
        if not reveal:
            st.markdown(answered_text(view.answered, len(view.nicknames)))
            return
        with st.container(key="live_answer"):
            st.success(
                _("**Right answer:** {answer}").format(answer=quiz_widgets.right_answer(question)),
                icon=":material/check_circle:",
            )
            if question.explanation:
                st.info(display_markdown(question.explanation), icon=":material/lightbulb:")


def _standing_line(standing: live.Standing) -> str:
    return f"**{standing.place}.** {plain(standing.nickname)} · {format_decimal(standing.score)}"


def show_leaderboard(view: live.PresenterView) -> None:
    run = view.state
    st.markdown("### " + _("Top five after question {number}").format(number=(run.question_index or 0) + 1))
    if not view.leaderboard:
        st.markdown(_("No players yet."))
        return
    with st.container(key="live_standings"):
        for standing in view.leaderboard:
            st.markdown(_standing_line(standing))


_MEDALS = {1: ":material/trophy:", 2: ":material/military_tech:", 3: ":material/military_tech:"}


def show_podium(view: live.PresenterView) -> None:
    st.markdown("### " + _("The podium"))
    grouped = places(view.podium)
    if not grouped:
        st.markdown(_("Nobody scored any points."))
        return
    with st.container(key="live_podium"):
        columns = st.columns(len(grouped))
        for column, (place, standings) in zip(columns, grouped, strict=True):
            with column:
                st.markdown(f"### {_MEDALS.get(place, '')} " + _("Place {place}").format(place=place))
                names = "  \n".join(plain(standing.nickname) for standing in standings)
                points = ngettext("{points} point", "{points} points", standings[0].score).format(
                    points=format_decimal(standings[0].score)
                )
                st.markdown(f"**{names}**  \n{points}")


def show_phase(view: live.PresenterView, workshop: ws.StoredWorkshop, bank: Bank) -> None:
    run = view.state
    phase = run.phase
    if phase is live.Phase.LOBBY:
        show_lobby(view, workshop)
        return
    if phase is live.Phase.LEADERBOARD:
        show_leaderboard(view)
        return
    if phase is live.Phase.PODIUM:
        show_podium(view)
        return
    question = question_of(bank, run)
    if question is None:
        st.warning(_("This question is no longer in the quiz's content; go on to the next one."))
        return
    if phase is live.Phase.OPEN:
        show_open(view, question)
    else:
        show_results(view, question)


# The controls --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pressed:
    """What came of a control: the run moved, or a message (kind "info" or "error") and nothing changed."""

    moved: bool
    kind: str = ""
    message: str = ""


def press(user: User, run_id: int, action: live.Action, bank: Bank, seen_version: int) -> Pressed:
    """Press a control on the view drawn at `seen_version`."""
    try:
        live.control(state.engine(), user.id, run_id, action, bank, seen_version=seen_version)
    except (live.StaleControl, live.ControlRefused):
        return Pressed(False, "info", _("The quiz had already moved on; nothing was changed. Here is where it is now."))
    except ws.WorkshopError:
        return Pressed(False, "error", _("You cannot drive this live quiz."))
    except live.UnknownRun:
        return Pressed(False, "error", _("This live quiz no longer exists."))
    except UNAVAILABLE_ERRORS as error:
        return Pressed(
            False, "error", _("Nothing was changed ({reason}); try again.").format(reason=messages.describe(error))
        )
    return Pressed(True)


def seen_version(run: live.RunState) -> int:
    """The version of the view this session drew last for the run (what a click was pressed on), else
    the run's own."""
    seen = st.session_state.get(_SEEN)
    if isinstance(seen, tuple) and len(seen) == 2 and seen[0] == run.run_id and isinstance(seen[1], int):
        return seen[1]
    return run.version


def remember_seen(run: live.RunState) -> None:
    st.session_state[_SEEN] = (run.run_id, run.version)


def show_controls(user: User, workshop_id: int, run: live.RunState) -> live.Action | None:
    """One button per control the phase allows, then the top-five setting and the end of the quiz,
    which needs a tick first. The action clicked, if any."""
    actions = run.actions()
    clicked: live.Action | None = None
    forward = [action for action in actions if action is not live.Action.END]
    if forward:
        columns = st.columns(len(forward))
        for column, action in zip(columns, forward, strict=True):
            if column.button(action_label(action), key=f"live_control_{action.value}", type="primary", width="stretch"):
                clicked = action
    setting, sure_column, end_column = st.columns([3, 2, 1.4], vertical_alignment="center")
    with setting:
        show_leaderboard_toggle(user, workshop_id, "run")
    if live.Action.END in actions:
        sure = sure_column.checkbox(_("Yes, end the quiz now"), key=f"live_end_sure_{run.run_id}")
        if (
            end_column.button(action_label(live.Action.END), key="live_control_end", disabled=not sure, width="stretch")
            and sure
        ):
            clicked = live.Action.END
    return clicked


def show_run(user: User, workshop: ws.StoredWorkshop, run_id: int, banks: Sequence[Bank]) -> None:
    """The presenter's view of a run, rebuilt from storage; a click on a control is handled here."""
    engine = state.engine()
    try:
        view = live.presenter_view(engine, user.id, run_id)
    except (ws.WorkshopError, live.UnknownRun):
        st.error(_("You cannot present this live quiz."), icon=":material/block:")
        return
    except UNAVAILABLE_ERRORS as error:
        unavailable(error)
        return
    run = view.state
    if run.phase is live.Phase.ENDED:
        st.session_state[ENDED] = run.run_id
        st.rerun()
    bank = next((bank for bank in banks if bank.id == run.bank_id), None)
    if bank is None:
        st.error(
            _("The quiz of this live run ({bank}) is no longer in the site's content.").format(bank=run.bank_id),
            icon=":material/error:",
        )
        return
    st.caption(f"{_('Live quiz')} · {bank.title} · {plain(workshop.name)}")
    show_phase(view, workshop, bank)
    st.space("small")
    clicked = show_controls(user, workshop.id, run)
    if clicked is not None:
        outcome = press(user, run.run_id, clicked, bank, seen_version(run))
        if outcome.moved:
            st.session_state.pop(_NOTICE, None)
            if clicked is live.Action.END:
                st.session_state[ENDED] = run.run_id
            st.rerun()
        # Kept for a few seconds: the fragment redraws every second, which would wipe it at once.
        st.session_state[_NOTICE] = (outcome.kind, outcome.message, time.monotonic() + NOTICE_SECONDS)
    show_notice()
    remember_seen(run)


def show_notice() -> None:
    """The message of the last control that changed nothing, while it is fresh."""
    notice = st.session_state.get(_NOTICE)
    if not isinstance(notice, tuple) or len(notice) != 3:
        return
    kind, message, until = notice
    if time.monotonic() > until:
        st.session_state.pop(_NOTICE, None)
        return
    if kind == "info":
        st.info(message, icon=":material/info:")
    else:
        st.error(message, icon=":material/error:")
