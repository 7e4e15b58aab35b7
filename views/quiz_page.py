"""The quiz page's sections, one function each; views/quiz.py picks the one the URL and the session call for.

Each section takes what it shows as arguments and owns its session-state and widget keys; the
callbacks are module-level functions that get what they need as arguments.
"""

from __future__ import annotations

import re

import streamlit as st

from assessment.model import Mode
from i18n import _, ngettext
from learning.content import Course
from quizzes.attempt import AttemptView, best_scores, encode
from quizzes.model import Bank, Question
from services import learning
from services import respondents as visits
from storage.errors import DataDeleted, StorageBusy, TextFieldError
from views import messages, quiz_widgets, state, widgets

# Session-state and widget keys of this page.
BUSY_KEY = "quiz_busy"  # why the last "Start the quiz" or "Retake the quiz" did not start one
# Its own key: otherwise a click on the other "Start the quiz" (show_not_started), made just as the
# data was deleted from another tab, lands on this one and silently starts a new, anonymous respondent.
NEW_RESPONDENT_KEY = "quiz_new_respondent"
FORM_KEY = "question:{attempt}:{question}"
ANSWER_KEY = "quiz:{attempt}:{question}"

# ?q=<question number>: only plain ASCII digits of sensible length. str.isdigit() also accepts "²"
# and "①", which int() refuses, and int() refuses digit strings longer than 4,300 characters.
QUESTION_NUMBER = re.compile(r"[0-9]{1,4}")


def _token_params(session: state.Session | None) -> dict[str, str]:
    return {state.TOKEN_PARAM: session.token} if session else {}


# No quiz chosen, or an unknown one ------------------------------------------------------------


def show_quiz_list(course: Course, session: state.Session | None) -> None:
    """Every quiz in course order, with its size and, once taken, the best score."""
    st.title(_("Quizzes"))
    params = _token_params(session)
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


def show_unknown_quiz(bank_id: str, session: state.Session | None) -> None:
    """?quiz= names no quiz: say so, without echoing the id as markdown, and link to the list."""
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
        query_params=_token_params(session),
    )
    state.show_course_problems("quizzes")


# Starting -------------------------------------------------------------------------------------


def show_start_without_session(bank: Bank) -> None:
    """No resume link yet: starting the quiz starts a respondent, whose link keeps the answers."""
    st.write(
        _(
            "{count} questions. Your answers are saved as you go, under a resume link, so you can "
            "refresh or come back later and carry on."
        ).format(count=len(bank.questions))
    )
    if st.button(_("Start the quiz"), type="primary", key=NEW_RESPONDENT_KEY):
        try:
            token, _respondent, _round = visits.start_assessment(state.engine(), Mode.FULL.value)
        except StorageBusy:
            st.warning(_("Could not start: {reason}").format(reason=messages.busy()))
        else:
            state.remember_token(token)
            st.rerun()


def _start_new_attempt(respondent_id: int, bank_id: str) -> None:
    """A callback of "Start the quiz" and "Retake the quiz"; a busy database is told by show_busy_notice."""
    try:
        learning.start_attempt(state.engine(), respondent_id, bank_id)
    except StorageBusy:
        st.session_state[BUSY_KEY] = _("Could not start the quiz: {reason}").format(reason=messages.busy())
        return
    except DataDeleted:
        return  # deleted from another tab: this run's load_session says the link no longer works
    st.query_params.pop("q", None)


def show_busy_notice() -> None:
    """Why the last click on "Start the quiz" or "Retake the quiz" started nothing, once."""
    if busy := st.session_state.pop(BUSY_KEY, None):
        st.warning(busy)


def show_not_started(bank: Bank, session: state.Session) -> None:
    """A quiz this respondent has not taken: its size, when feedback comes, and the start button."""
    mode = _("after each question") if bank.feedback == "instant" else _("at the end")
    st.write(_("{count} questions; feedback {mode}.").format(count=len(bank.questions), mode=mode))
    st.button(_("Start the quiz"), type="primary", on_click=_start_new_attempt, args=(session.respondent.id, bank.id))


# Finished -------------------------------------------------------------------------------------


def show_finished(course: Course, bank: Bank, session: state.Session, finished: list[learning.Attempt]) -> None:
    """No attempt open: the scores, whether passed, a review of the last attempt and the ways on."""
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
    view = AttemptView.from_stored(bank, last.seed, learning.responses(state.engine(), last.id))
    with st.expander(_("Review your last attempt"), expanded=True):
        for number, question in enumerate(bank.questions, start=1):
            quiz_widgets.show_prompt(question, f"**{number}.**")
            quiz_widgets.feedback(question, view.responses.get(question.id))
    passed = best >= bank.pass_percent
    # After a pass the way on is the path, not another go at the same questions.
    st.button(
        _("Retake the quiz"),
        type="secondary" if passed else "primary",
        on_click=_start_new_attempt,
        args=(session.respondent.id, bank.id),
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


# The question flow ----------------------------------------------------------------------------


def _finish(attempt_id: int, percent: int) -> None:
    """Record the score; if the database is busy, say so and stay on this question."""
    try:
        learning.finish_attempt(state.engine(), attempt_id, percent)
    except StorageBusy:
        st.warning(_("Your score is not saved yet: {reason}").format(reason=messages.busy()))
        st.stop()
    st.query_params.pop("q", None)


def _question_index(view: AttemptView, total: int) -> int:
    """The question to show: the next open one, or the one ?q= asks for if it comes no later."""
    requested = st.query_params.get("q")
    index = view.next_open if view.next_open is not None else total
    if requested is not None and QUESTION_NUMBER.fullmatch(requested) and 0 <= int(requested) - 1 < total:
        asked_index = int(requested) - 1
        if asked_index <= index:  # you may look back, not skip ahead
            index = asked_index
    return index


def _show_answered(bank: Bank, question: Question, attempt: learning.Attempt, view: AttemptView) -> None:
    """A question already answered: its feedback (or a note that it comes later) and the way on."""
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
            _finish(attempt.id, view.percent)
        else:
            st.query_params["q"] = str(nxt + 1)
        st.rerun()


def _ask(bank: Bank, question: Question, attempt: learning.Attempt, index: int) -> None:
    """An open question in a form; an answer is stored when submitted, and the page moves on."""
    with st.form(FORM_KEY.format(attempt=attempt.id, question=question.id)):
        response = quiz_widgets.ask(
            question, attempt.seed, key=ANSWER_KEY.format(attempt=attempt.id, question=question.id)
        )
        submitted = st.form_submit_button(_("Answer"), type="primary")
    if not submitted:
        return
    if response is None or response == []:
        st.warning(_("Please answer the question first."))
        return
    try:
        learning.save_response(state.engine(), attempt.id, question.id, encode(response))
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


def show_question(bank: Bank, attempt: learning.Attempt) -> None:
    """The open attempt: progress, then the question ?q= asks for (or the next open one); when every
    question is answered, the score is recorded and the page shows it."""
    view = AttemptView.from_stored(bank, attempt.seed, learning.responses(state.engine(), attempt.id))
    total = len(bank.questions)
    index = _question_index(view, total)
    st.progress(
        len(view.responses) / total,
        text=_("{answered} of {total} answered").format(answered=len(view.responses), total=total),
    )
    if index >= total:
        _finish(attempt.id, view.percent)
        st.rerun()
    question = bank.questions[index]
    st.subheader(_("Question {n} of {total}").format(n=index + 1, total=total))
    quiz_widgets.show_prompt(question)
    if question.id in view.responses:
        _show_answered(bank, question, attempt, view)
    else:
        _ask(bank, question, attempt, index)
