"""Sections of the start page: a returning visitor's way back in, what it takes and what is stored,
the start form and the resume-link box. Each owns its session-state keys."""

from __future__ import annotations

import streamlit as st

from assessment.model import Mode, Model
from i18n import _
from services import respondents as visits
from services.rules import JOB_TITLE_MAX, ORGANISATION_MAX, new_token
from storage.errors import StorageBusy, TextFieldError, TokenError
from views import language, messages, page_scripts, state, widgets

START_TOKEN = "start_token"
_WELCOME_FROM_PASTE = "welcome_from_paste"


def show_welcome_back(model: Model, session: state.Session) -> None:
    """A returning visitor's way back in, first on the page: on a phone, the intro would push it out of sight.
    A finished round leads to its results, an open one back into the questions."""
    if st.session_state.pop(_WELCOME_FROM_PASTE, False):
        page_scripts.scroll_to_top("welcome")  # the box was at the bottom of a long page
    answered = sum(1 for item_id in model.item_ids(session.mode) if item_id in session.answers)
    st.success(
        _("Welcome back. Round {round}: {answered} of {asked} questions answered.").format(
            round=session.round.number, answered=answered, asked=len(model.item_ids(session.mode))
        )
    )
    links = [
        ("views/assessment.py", _("Continue the assessment"), ":material/edit_note:"),
        ("views/results.py", _("See results"), ":material/monitoring:"),
    ]
    if session.round.completed_at is not None:
        links.reverse()
    for column, (page, label, icon) in zip(st.columns(2), links, strict=True):
        column.page_link(page, label=label, icon=icon, query_params={state.TOKEN_PARAM: session.token})
    widgets.resume_link(session.token)


def show_about(model: Model) -> None:
    """What the assessment is, how long each version takes, what is stored, and the sample."""
    st.write(model.intro)
    quick, full = model.estimated_minutes(Mode.QUICK), model.estimated_minutes(Mode.FULL)
    left, right = st.columns(2)
    left.metric(
        _("Quick scan"),
        _("about {minutes} min").format(minutes=quick),
        help=_("{count} questions: one statement per dimension and stage, one per T, and the whole checklist.").format(
            count=len(model.item_ids(Mode.QUICK))
        ),
    )
    right.metric(
        _("Full assessment"),
        _("about {minutes} min").format(minutes=full),
        help=_("{count} questions: every statement.").format(count=len(model.item_ids(Mode.FULL))),
    )

    with st.expander(_("What is stored, and who can see it"), icon=":material/lock:"):
        st.markdown(
            _(
                "- **Stored:** your answers, the time of each, and, only if you fill them in, your organisation's "
                "name and your job title. No name, e-mail address or IP address.\n"
                "- **Who can see it:** your answers, only people who hold your resume link: keep it like a "
                "password. If you joined a workshop or your organisation's invitation, your completed "
                "assessment also counts in your organisation's measurement: its managers see figures only "
                "for groups of at least five people (the organisation may choose another number, never below "
                "three), never your answers, your name or your nickname.\n"
                "- **Deleting:** once you have started, this page lets you delete everything, at any time.\n"
                "- Each answer is saved the moment you give it, so you can close the tab and come back "
                "through your resume link."
            )
        )

    st.caption(_("Running a workshop? Show the results page first with a sample organisation."))
    # The sample is computed, never stored: it takes nobody's place in this browser and adds no rows.
    st.page_link(
        "views/results.py",
        label=_("Try it with sample answers"),
        icon=":material/science:",
        query_params={state.SAMPLE_PARAM: "1"},
    )


def show_start_form(model: Model) -> None:
    """Start a new assessment: the version, and optionally the organisation and a job title."""
    quick, full = model.estimated_minutes(Mode.QUICK), model.estimated_minutes(Mode.FULL)
    st.subheader(_("Start"))
    with st.form("start"):
        mode = st.radio(
            _("Which version?"),
            options=[Mode.FULL.value, Mode.QUICK.value],
            format_func=lambda m: (
                _("Quick scan (about {m} min)").format(m=quick)
                if m == Mode.QUICK.value
                else _("Full assessment (about {m} min)").format(m=full)
            ),
            horizontal=True,
        )
        organisation = st.text_input(_("Organisation (optional)"), max_chars=ORGANISATION_MAX)
        job_title = st.text_input(_("Your job title (optional)"), max_chars=JOB_TITLE_MAX)
        started = st.form_submit_button(_("Start the assessment"), type="primary")
    if started:
        try:
            # The token is drawn once per browser session until it is in use: a double click runs this
            # twice (the second run can interrupt the first before it remembers the token), and the
            # second run then finds the respondent the first one made instead of making another.
            token = st.session_state.setdefault(START_TOKEN, new_token())
            token, _respondent, _round = visits.start_assessment(
                state.engine(), mode, organisation, job_title, language=language.explicit_choice(), token=token
            )
        except TextFieldError as error:
            st.error(messages.text_field(error))
        except StorageBusy:
            st.error(_("Could not start: {reason}").format(reason=messages.busy()))
        else:
            state.remember_token(token)
            st.switch_page("views/assessment.py", query_params={state.TOKEN_PARAM: token})


def show_resume_box() -> None:
    """Continue from a pasted resume link (or a bare token), with a button as well as Enter."""
    st.subheader(_("Continue"))
    # A button as well as Enter (a form sends on either).
    with st.form("resume", border=False):
        link = st.text_input(_("Paste your resume link to continue where you left off"), key="resume_paste")
        pasted = st.form_submit_button(_("Continue"))
    if pasted and not link.strip():
        st.warning(_("Paste your resume link into the box first."))
    elif pasted:
        token = widgets.token_from_link(link)
        try:
            visits.find_respondent(state.engine(), token)
        except TokenError as error:
            st.error(_("That link does not work: {reason}.").format(reason=messages.token(error)))
        else:
            # Where the link itself leads: the welcome at the top of this page, which offers the
            # results first for a finished round and the open questions otherwise.
            state.remember_token(token)
            st.session_state[_WELCOME_FROM_PASTE] = True
            st.rerun()
