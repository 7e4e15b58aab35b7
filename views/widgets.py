"""Reusable page pieces. Each owns its session-state keys."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import streamlit as st

from assessment.model import CHECKLIST_VALUES, MATURITY_VALUES, TEE_VALUES
from i18n import _
from lessons.loader import Lesson
from services import respondents as visits
from services.rules import JOB_TITLE_MAX, ORGANISATION_MAX
from storage.errors import StorageBusy, TextFieldError
from views import messages, state

MATURITY_LABELS = {
    "none": _("Not at all"),
    "partly": _("Partly"),
    "largely": _("Largely"),
    "fully": _("Fully"),
    "dont_know": _("Don't know"),
}
TEE_LABELS = {
    1: _("1 Strongly disagree"),
    2: _("2"),
    3: _("3"),
    4: _("4"),
    5: _("5 Strongly agree"),
    "dont_know": _("Don't know"),
}
CHECKLIST_LABELS = {"yes": _("Yes"), "partly": _("Partly"), "no": _("No"), "na": _("Not applicable")}
assert set(MATURITY_LABELS) == set(MATURITY_VALUES)
assert set(TEE_LABELS) == set(TEE_VALUES)
assert set(CHECKLIST_LABELS) == set(CHECKLIST_VALUES)


_SHOWABLE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")


def lesson_timing(lesson: Lesson) -> str:
    """The same words for a lesson's time on its page, in the lesson list and on the learning path."""
    if lesson.minutes > lesson.reading_minutes + 2:
        return _("{reading} min read, about {minutes} min with the exercise").format(
            reading=lesson.reading_minutes, minutes=lesson.minutes
        )
    return _("{reading} min read").format(reading=lesson.reading_minutes)


def showable_id(raw: str) -> str | None:
    """An id taken from the URL, as a markdown code span, if it looks like an id; else None.

    Messages are markdown: echoed as it came, a crafted link's `[sign in](https://...)`, bare URL or
    `**...**` would become a link or formatting in the site's own error box. A code span shows an id
    literally, and the pattern keeps out backticks and line breaks that could close it."""
    return f"`{raw}`" if _SHOWABLE_ID.fullmatch(raw) else None


def token_from_link(link: str) -> str:
    """Accept a whole resume link or a bare token; return what looks like the token."""
    link = link.strip()
    if "?" in link or "://" in link:
        values = parse_qs(urlparse(link).query).get(state.TOKEN_PARAM)
        return values[0] if values else ""
    return re.sub(r"\s+", "", link)


def resume_link(token: str) -> None:
    st.markdown(
        _(
            "**Your resume link.** Bookmark it or copy it somewhere safe: it is the only way back to "
            "your answers, from any browser."
        )
    )
    st.code(state.resume_url(token), language=None, wrap_lines=True)


def profile_form(session: state.Session) -> None:
    with st.expander(_("Organisation and job title"), icon=":material/apartment:"), st.form("profile"):
        organisation = st.text_input(
            _("Organisation (optional)"), value=session.respondent.organisation or "", max_chars=ORGANISATION_MAX
        )
        job_title = st.text_input(
            _("Your job title (optional)"), value=session.respondent.job_title or "", max_chars=JOB_TITLE_MAX
        )
        if st.form_submit_button(_("Save")):
            try:
                visits.update_profile(state.engine(), session.respondent.id, organisation, job_title)
            except TextFieldError as error:
                st.error(messages.text_field(error))
            except StorageBusy:
                st.error(_("Not saved: {reason}").format(reason=messages.busy()))
            else:
                st.success(_("Saved."))


def delete_data(session: state.Session) -> None:
    with st.expander(_("Delete my data"), icon=":material/delete:"):
        st.write(_("This removes every round and every answer stored under your resume link. It cannot be undone."))
        sure = st.checkbox(_("Yes, delete everything"), key="confirm_delete")
        if st.button(_("Delete my data"), type="primary", disabled=not sure):
            try:
                visits.delete_respondent(state.engine(), session.respondent.id)
            except StorageBusy:
                st.error(_("Not deleted: {reason}").format(reason=messages.busy()))
                return
            state.forget_token()
            st.session_state["deleted"] = True
            st.switch_page("views/start.py")
