"""Lessons: the list with search, and one lesson (?lesson=<id>) with its quiz and "mark as done"."""

from __future__ import annotations

import contextlib

import streamlit as st

from i18n import _, ngettext, pgettext
from lessons.search import search
from services import learning
from storage.errors import DataDeleted, StorageBusy
from views import messages, state, widgets

course = state.course()
session = state.load_session(show_errors=False)
lesson_id = st.query_params.get("lesson")
state.sync_url()
token_params = {state.TOKEN_PARAM: session.token} if session else {}
SOURCE_NAMES = {
    "000": _("Workshop slides 'Social media, part II' (2012)"),
    "001": _("Course summary 'Social media management'"),
    "002": _("Blog post 'Customer loyalty through social media'"),
    "003": _("Workshop slides 'Workshop on social media' (2010)"),
    "004": _("Blog posts on social business"),
}
# Lesson tables read as tables: ruled cells, headers aligned with their columns, space after.
LESSON_TABLE_CSS = """<style>
.lesson-table table { border-collapse: collapse; margin: 0.5rem 0 1rem 0; }
.lesson-table th, .lesson-table td { border: 1px solid #d1d5db; padding: 0.3rem 0.6rem; vertical-align: top; }
.lesson-table th { background: #f3f4f6; text-align: left; }
</style>"""
LEVELS = {
    "foundation": pgettext("a lesson's level", "Foundation"),
    "practice": pgettext("a lesson's level", "Practice"),
    "advanced": pgettext("a lesson's level", "Advanced"),
}

if lesson_id:
    lesson = course.lesson(lesson_id)
    if lesson is None:
        shown = widgets.showable_id(lesson_id)
        st.error(
            _("There is no lesson {id}. It may have been renamed, or its file has a problem.").format(id=shown)
            if shown
            else _("There is no such lesson. Check the link, or pick a lesson from the list.")
        )
        st.page_link("views/lessons.py", label=_("All lessons"), icon=":material/menu_book:", query_params=token_params)
        state.show_course_problems("lessons")
        st.stop()
    rendered = widgets.rendered_lesson(lesson.body, state.model())
    level = LEVELS.get(lesson.level, lesson.level)
    timing = widgets.lesson_timing(lesson)
    st.caption(_("Module {n} · {level} · {timing}").format(n=lesson.order, level=level, timing=timing))
    st.title(lesson.title)
    st.markdown(f"*{lesson.summary}*")
    if rendered.toc:
        with st.expander(_("Contents"), icon=":material/toc:"):
            st.markdown("\n".join(f"{'  ' * (h.level - 2)}- [{h.title}](#{h.id})" for h in rendered.toc))
    st.html(LESSON_TABLE_CSS)
    st.html(rendered.html)
    if 'class="footnote"' not in rendered.html:
        # The footnotes name each source in full; the one-line list is for a lesson without them.
        st.caption(_("Sources: {sources}").format(sources="; ".join(SOURCE_NAMES.get(s, s) for s in lesson.sources)))
    if lesson.trainer_notes.strip():
        # Until there are trainer accounts, a closed expander that says who it is for is the only gate.
        with st.expander(_("For trainers: notes for running this lesson"), icon=":material/school:"):
            st.html(widgets.rendered_lesson(lesson.trainer_notes, state.model()).html)
    st.divider()
    bank = course.bank(lesson.quiz)
    if bank is not None:
        st.page_link(
            "views/quiz.py",
            label=_("Take the quiz: {title} ({count} questions)").format(title=bank.title, count=len(bank.questions)),
            icon=":material/quiz:",
            query_params={**token_params, "quiz": bank.id},
        )
    if session is not None:

        def store_done(respondent_id: int, lesson_id: str, key: str) -> None:
            """A click on the toggle followed at once by a link away arrives with the navigation, which
            runs another page: only this callback sees it. The run below stores it otherwise."""
            with contextlib.suppress(StorageBusy, DataDeleted):  # the run below tries again and says why
                learning.mark_lesson_done(state.engine(), respondent_id, lesson_id, bool(st.session_state.get(key)))

        done = lesson.id in learning.lessons_completed(state.engine(), session.respondent.id)
        done_key = widgets.versioned_key(f"done:{lesson.id}", done)
        marked = st.toggle(
            _("Mark as done"),
            value=done,
            key=done_key,
            on_change=store_done,
            args=(session.respondent.id, lesson.id, done_key),
        )
        if marked != done:
            try:
                learning.mark_lesson_done(state.engine(), session.respondent.id, lesson.id, marked)
            except (StorageBusy, DataDeleted) as error:
                st.warning(_("Not saved yet: {reason}").format(reason=messages.describe(error)))
    else:
        st.caption(_("Start the assessment (or open your resume link) to keep track of the lessons you have done."))
    following = next((other for other in course.lessons if other.order > lesson.order), None)
    if following is not None:
        st.page_link(
            "views/lessons.py",
            label=_("Next lesson: {title}").format(title=following.title),
            icon=":material/arrow_forward:",
            query_params={**token_params, "lesson": following.id},
        )
    st.page_link("views/lessons.py", label=_("All lessons"), icon=":material/menu_book:", query_params=token_params)
    st.stop()

st.title(_("Lessons"))
query = st.text_input(_("Search lessons"), placeholder=_("e.g. webcare, KLM, personas"), max_chars=200)
done_ids = learning.lessons_completed(state.engine(), session.respondent.id) if session else set()
if query.strip():
    hits = search(course.lessons, query)
    st.caption(ngettext("{count} lesson found", "{count} lessons found", len(hits)).format(count=len(hits)))
    if not hits:
        st.info(
            _("No lesson mentions that. Try another word, or empty the search box to see all lessons."),
            icon=":material/search_off:",
        )
    for hit in hits:
        st.page_link(
            "views/lessons.py",
            label=hit.lesson.title,
            icon=":material/article:",
            query_params={**token_params, "lesson": hit.lesson.id},
        )
        st.caption(hit.snippet)
else:
    for lesson in course.lessons:
        with st.container(border=True):
            mark = " ✓" if lesson.id in done_ids else ""
            st.page_link(
                "views/lessons.py",
                label=f"{lesson.order}. {lesson.title}{mark}",
                icon=":material/article:",
                query_params={**token_params, "lesson": lesson.id},
            )
            st.caption(f"{lesson.summary} · {widgets.lesson_timing(lesson)}")
state.show_course_problems("lessons")
