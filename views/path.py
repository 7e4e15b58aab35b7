"""My learning path: the lessons and quizzes that close my gaps, foundations first, with progress."""

from __future__ import annotations

import streamlit as st

from assessment.model import Mode
from assessment.scoring import score
from i18n import _, ngettext
from learning.path import learning_path
from quizzes.attempt import best_scores
from services import learning
from views import assignment_widgets, state, widgets

model = state.model()
course = state.course()
session = state.load_session()
if session is None:
    st.info(_("Your learning path is built from your assessment: start one, or open your resume link."))
    st.page_link("views/start.py", label=_("Go to the start page"), icon=":material/flag:")
    st.stop()

result = score(model, session.answers, Mode(session.round.mode))
done = learning.lessons_completed(state.engine(), session.respondent.id)
attempts = learning.attempts(state.engine(), session.respondent.id)
best = best_scores([(a.bank_id, a.score_percent) for a in attempts])
in_progress = {a.bank_id for a in attempts if a.finished_at is None}
steps = learning_path(result.gaps, course.lessons, course.banks, done, best)

st.title(_("My learning path"))
assignment_widgets.show_my_workshop(session, course)
if not steps:
    st.success(_("Your assessment shows no gaps that a lesson addresses. Browse all lessons to go further."))
else:
    finished = sum(1 for s in steps if s.done)
    passed = sum(1 for s in steps if s.bank and (s.best_percent or 0) >= s.bank.pass_percent)
    st.progress(
        finished / len(steps),
        text=_("Lessons done: {done} of {total} · quizzes passed: {passed}").format(
            done=finished, total=len(steps), passed=passed
        ),
    )
    st.caption(
        _(
            "In the order of your gaps: a lesson comes where the first gap it teaches comes, so the "
            "foundations (the earliest stages) come first, before lessons that touch many later gaps."
        )
    )
    params = {state.TOKEN_PARAM: session.token}
    for number, step in enumerate(steps, start=1):
        with st.container(border=True):
            mark = " ✓" if step.done else ""
            st.page_link(
                "views/lessons.py",
                label=f"{number}. {step.lesson.title}{mark}",
                icon=":material/article:",
                query_params={**params, "lesson": step.lesson.id},
            )
            st.caption(
                ngettext(
                    "Teaches {count} of your gaps · {timing}", "Teaches {count} of your gaps · {timing}", len(step.gaps)
                ).format(count=len(step.gaps), timing=widgets.lesson_timing(step.lesson))
            )
            if step.bank is not None:
                if step.best_percent is not None:
                    score_text = _("best score {percent} %").format(percent=step.best_percent)
                elif step.bank.id in in_progress:
                    score_text = _("in progress")
                else:
                    score_text = _("not taken yet")
                st.page_link(
                    "views/quiz.py",
                    label=_("Quiz: {title} ({score})").format(title=step.bank.title, score=score_text),
                    icon=":material/quiz:",
                    query_params={**params, "quiz": step.bank.id},
                )
state.show_course_problems("learning path")
