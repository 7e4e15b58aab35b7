"""A quiz, self-paced (?quiz=<bank id>): one question at a time, stored as answered."""

from __future__ import annotations

import re

import streamlit as st

from assessment.model import Mode
from i18n import _, ngettext
from quizzes.attempt import AttemptView, best_scores, encode
from services import learning
from services import respondents as visits
from storage.errors import DataDeleted, StorageBusy, TextFieldError
from views import messages, quiz_widgets, state, widgets

course = state.course()
session = state.load_session(show_errors=True)
bank_id = st.query_params.get("quiz")
state.sync_url()

if not bank_id:
    st.title(_("Quizzes"))
    params = {state.TOKEN_PARAM: session.token} if session else {}
    taken = (
        best_scores([(a.bank_id, a.score_percent) for a in learning.attempts(state.engine(), session.respondent.id)])
        if session
        else {}
    )
    for bank in course.banks_in_course_order():
        # A bare "(14)" did not say what it counted; a quiz already taken shows its best score.
        label = ngettext("{title} ({count} question)", "{title} ({count} questions)", len(bank.questions)).format(
            title=bank.title, count=len(bank.questions)
        )
        if bank.id in taken:
            label += " · " + _("best score {percent} %").format(percent=taken[bank.id])
        st.page_link(
            "views/quiz.py",
            label=label,
            icon=":material/quiz:",
            query_params={**params, "quiz": bank.id},
        )
    state.show_course_problems("quizzes")
    st.stop()

bank = course.bank(bank_id)
if bank is None:
    shown = widgets.showable_id(bank_id)
    st.error(
        _("There is no quiz {id}. It may have been renamed, or its file has a problem.").format(id=shown)
        if shown
        else _("There is no such quiz. Check the link, or pick a quiz from the list.")
    )
    st.page_link(
        "views/quiz.py",
        label=_("All quizzes"),
        icon=":material/quiz:",
        query_params={state.TOKEN_PARAM: session.token} if session else {},
    )
    state.show_course_problems("quizzes")
    st.stop()

st.title(bank.title)
if session is None:
    st.write(
        _(
            "{count} questions. Your answers are saved as you go, under a resume link, so you can "
            "refresh or come back later and carry on."
        ).format(count=len(bank.questions))
    )
    # Its own key: otherwise a click on the other "Start the quiz" (below), made just as the data was
    # deleted from another tab, lands on this one and silently starts a new, anonymous respondent.
    if st.button(_("Start the quiz"), type="primary", key="quiz_new_respondent"):
        try:
            token, _respondent, _round = visits.start_assessment(state.engine(), Mode.FULL.value)
        except StorageBusy:
            st.warning(_("Could not start: {reason}").format(reason=messages.busy()))
        else:
            state.remember_token(token)
            st.rerun()
    st.stop()

_BUSY = "quiz_busy"
QUESTION_NUMBER = re.compile(r"[0-9]{1,4}")
engine = state.engine()
attempts = learning.attempts(engine, session.respondent.id, bank.id)
open_attempt = next((a for a in reversed(attempts) if a.finished_at is None), None)
finished = [a for a in attempts if a.finished_at is not None]


def start_new_attempt() -> None:
    try:
        learning.start_attempt(engine, session.respondent.id, bank.id)
    except StorageBusy:
        st.session_state[_BUSY] = _("Could not start the quiz: {reason}").format(reason=messages.busy())
        return
    except DataDeleted:
        return  # deleted from another tab: this run's load_session says the link no longer works
    st.query_params.pop("q", None)


def finish(attempt_id: int, percent: int) -> None:
    """Record the score; if the database is busy, say so and stay on this question."""
    try:
        learning.finish_attempt(engine, attempt_id, percent)
    except StorageBusy:
        st.warning(_("Your score is not saved yet: {reason}").format(reason=messages.busy()))
        st.stop()
    st.query_params.pop("q", None)


if busy := st.session_state.pop(_BUSY, None):
    st.warning(busy)


if open_attempt is None:
    if finished:
        best = max(a.score_percent or 0 for a in finished)
        last = finished[-1]
        summary = (
            _("Your score: {last} %.").format(last=last.score_percent)
            if len(finished) == 1
            else ngettext(
                "Your last score: {last} %. Best: {best} % over {n} attempt.",
                "Your last score: {last} %. Best: {best} % over {n} attempts.",
                len(finished),
            ).format(last=last.score_percent, best=best, n=len(finished))
        )
        # A green box for any score said "well done" to 20 % too, and nothing said what counts as
        # passed, although the learning path counts quizzes passed.
        if best >= bank.pass_percent:
            st.success(summary)
            st.caption(_("Passed: the pass mark is {percent} %.").format(percent=bank.pass_percent))
        else:
            st.info(summary)
            st.caption(
                _("The pass mark is {percent} %. Read the review below, then retake the quiz.").format(
                    percent=bank.pass_percent
                )
            )
        view = AttemptView.from_stored(bank, last.seed, learning.responses(engine, last.id))
        with st.expander(_("Review your last attempt"), expanded=True):
            for number, question in enumerate(bank.questions, start=1):
                st.markdown(f"**{number}. {question.prompt}**")
                quiz_widgets.feedback(question, view.responses.get(question.id))
        passed = best >= bank.pass_percent
        # After a pass the way on is the path, not another go at the same questions.
        st.button(
            _("Retake the quiz"),
            type="secondary" if passed else "primary",
            on_click=start_new_attempt,
            help=_("Options are shuffled afresh."),
        )
        params = {state.TOKEN_PARAM: session.token}
        lesson = course.lesson(bank.lesson) if bank.lesson else None
        if lesson is not None:
            st.page_link(
                "views/lessons.py",
                label=_("Back to the lesson: {title}").format(title=lesson.title),
                icon=":material/article:",
                query_params={**params, "lesson": lesson.id},
            )
        st.page_link(
            "views/path.py",
            label=_("On to the next lesson on my learning path") if passed else _("My learning path"),
            icon=":material/route:",
            query_params=params,
        )
    else:
        mode = _("after each question") if bank.feedback == "instant" else _("at the end")
        st.write(_("{count} questions; feedback {mode}.").format(count=len(bank.questions), mode=mode))
        st.button(_("Start the quiz"), type="primary", on_click=start_new_attempt)
    st.stop()

view = AttemptView.from_stored(bank, open_attempt.seed, learning.responses(engine, open_attempt.id))
total = len(bank.questions)
requested = st.query_params.get("q")
index = view.next_open if view.next_open is not None else total
# Only plain ASCII digits of sensible length: str.isdigit() also accepts "²" and "①", which int()
# refuses, and int() refuses digit strings longer than 4,300 characters.
if requested is not None and QUESTION_NUMBER.fullmatch(requested) and 0 <= int(requested) - 1 < total:
    asked_index = int(requested) - 1
    if asked_index <= index:  # you may look back, not skip ahead
        index = asked_index

st.progress(
    len(view.responses) / total,
    text=_("{answered} of {total} answered").format(answered=len(view.responses), total=total),
)

if index >= total:
    finish(open_attempt.id, view.percent)
    st.rerun()

question = bank.questions[index]
st.subheader(_("Question {n} of {total}").format(n=index + 1, total=total))
st.markdown(question.prompt)
answered = question.id in view.responses

if answered:
    if bank.feedback == "instant":
        quiz_widgets.feedback(question, view.responses[question.id])
    else:
        st.caption(
            _("Answered: {answer}. Feedback comes at the end.").format(
                answer=quiz_widgets.describe(question, view.responses[question.id])
            )
        )
    nxt = view.next_open
    label = _("Next question") if nxt is not None else _("See my score")
    if st.button(label, type="primary"):
        if nxt is None:
            finish(open_attempt.id, view.percent)
        else:
            st.query_params["q"] = str(nxt + 1)
        st.rerun()
else:
    with st.form(f"question:{open_attempt.id}:{question.id}"):
        response = quiz_widgets.ask(question, open_attempt.seed, key=f"quiz:{open_attempt.id}:{question.id}")
        submitted = st.form_submit_button(_("Answer"), type="primary")
    if submitted:
        if response is None or response == []:
            st.warning(_("Please answer the question first."))
        else:
            try:
                learning.save_response(engine, open_attempt.id, question.id, encode(response))
            except StorageBusy:
                # The choice stays in the form: answering again once the database is free stores it.
                st.warning(_("Your answer is not saved yet: {reason}").format(reason=messages.busy()))
                st.stop()
            except (TextFieldError, DataDeleted) as error:
                st.error(_("Your answer could not be saved: {reason}.").format(reason=messages.describe(error)))
                st.stop()
            if bank.feedback == "instant":
                st.query_params["q"] = str(index + 1)
            else:
                st.query_params.pop("q", None)
            st.rerun()
