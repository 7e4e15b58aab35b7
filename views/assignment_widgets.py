"""A participant's workshop and what its trainer assigned, for the start page and the learning
path; the retention statement of workshop data; and the labels the trainer's page shares."""

from __future__ import annotations

import logging
import re

import streamlit as st

from i18n import _, format_date
from learning.content import Course
from services import assignments as asg
from services import workshops as ws
from storage.assignments import StoredAssignment
from views import state

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$:~=&])")


def escaped(text: str) -> str:
    """User text (a workshop's name) safe inside Markdown: every special character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def assignment_title(assignment: StoredAssignment, course: Course) -> str:
    """The self-assessment, or the quiz's title (its id when the bank is gone from the site)."""
    if assignment.kind == asg.ASSESSMENT:
        return _("Self-assessment")
    bank = course.bank(assignment.target)
    return _("Quiz: {title}").format(title=bank.title if bank is not None else assignment.target)


def due_text(assignment: StoredAssignment) -> str:
    if assignment.due_on is None:
        return _("no due date")
    return _("due {date}").format(date=format_date(assignment.due_on, format="medium"))


def show_my_workshop(session: state.Session, course: Course | None = None) -> None:
    """For a participant (a visit with a workshop seat): the workshop's name and each assignment
    with its due date, done or overdue, linking to the assessment or the quiz. Nothing for others.
    `course` (for the quizzes' titles) is loaded only when needed, when not given."""
    engine = state.engine()
    workshop = ws.workshop_of_participant(engine, session.respondent.id)
    if workshop is None:
        return
    with st.container(border=True):
        st.markdown("**" + _("Your workshop: {name}").format(name=escaped(workshop.name)) + "**")
        mine = asg.assignments_for_respondent(engine, session.respondent.id)
        if not mine:
            st.caption(_("Your trainer has not assigned anything yet."))
            return
        params = {state.TOKEN_PARAM: session.token}
        course = course or state.course()
        for item in mine:
            if item.done:
                mark, icon = _("done"), ":material/check_circle:"
            elif item.overdue:
                mark, icon = _("overdue"), ":material/schedule:"
            else:
                mark, icon = _("to do"), ":material/radio_button_unchecked:"
            label = f"{assignment_title(item.assignment, course)} · {due_text(item.assignment)} · {mark}"
            if item.assignment.kind == asg.ASSESSMENT:
                st.page_link("views/assessment.py", label=label, icon=icon, query_params=params)
            else:
                st.page_link(
                    "views/quiz.py", label=label, icon=icon, query_params={**params, "quiz": item.assignment.target}
                )


def retention_days() -> int:
    """The days the purge keeps a workshop's data; with a setting it refuses (it deletes nothing then,
    and the server log says why) the statement names the default rather than failing the page."""
    try:
        return ws.retention_days()
    except ws.RetentionError:
        logging.getLogger(__name__).error("SMM_WORKSHOP_RETENTION_DAYS is not a whole number of days")
        return ws.RETENTION_DAYS


def show_retention_statement() -> None:
    st.caption(
        _(
            "Workshop data (nicknames, answers, lesson progress and quiz results of participants) is kept "
            "until the trainer deletes it, and at the latest {days} days after the workshop's date."
        ).format(days=retention_days())
    )
