"""Start: what the assessment is, how long it takes, what is stored; start or continue."""

from __future__ import annotations

import streamlit as st

from assessment.demo import demo_answers
from assessment.model import Mode
from i18n import _
from storage import db
from views import page_scripts, state, widgets

model = state.model()
session = state.load_session()


def welcome_back(session: state.Session) -> None:
    """A returning visitor's way back in, first on the page: on a phone, the intro would push it out of sight.
    A finished round leads to its results, an open one back into the questions."""
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


st.title(_("Where does your organisation stand in social media?"))
if st.session_state.pop("deleted", False):
    st.success(_("Your data has been deleted: every round and every answer."))
if session is not None:
    if st.session_state.pop("welcome_from_paste", False):
        page_scripts.scroll_to_top("welcome")  # the box was at the bottom of a long page
    welcome_back(session)
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
            "name and your role. No name, e-mail address or IP address.\n"
            "- **Who can see it:** only people who hold your resume link. Keep it like a password.\n"
            "- **Deleting:** you can delete everything, at any time, from this page.\n"
            "- Each answer is saved the moment you give it, so you can close the tab and come back "
            "through your resume link."
        )
    )

if session is None:
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
        organisation = st.text_input(_("Organisation (optional)"), max_chars=db.ORGANISATION_MAX)
        role = st.text_input(_("Your role (optional)"), max_chars=db.ROLE_MAX)
        started = st.form_submit_button(_("Start the assessment"), type="primary")
    if started:
        try:
            token, _respondent, _round = db.create_respondent(state.engine(), mode, organisation, role)
        except db.TextFieldError as error:
            st.error(str(error))
        except db.StorageBusy as error:
            st.error(_("Could not start: {reason}").format(reason=error))
        else:
            state.remember_token(token)
            st.switch_page("views/assessment.py", query_params={state.TOKEN_PARAM: token})

    st.caption(_("Running a workshop? Show the results page first with a sample organisation."))
    if st.button(_("Try it with sample answers"), icon=":material/science:"):
        try:
            token, _respondent, demo_round = db.create_respondent(state.engine(), Mode.FULL.value, _("Demo"))
            for item_id, value in demo_answers(model).items():
                db.save_answer(state.engine(), demo_round.id, item_id, value)
            db.complete_round(state.engine(), demo_round.id)
        except db.StorageBusy as error:
            st.error(_("Could not create the demo: {reason}").format(reason=error))
        else:
            state.remember_token(token)
            st.switch_page("views/results.py", query_params={state.TOKEN_PARAM: token})

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
            db.find_respondent(state.engine(), token)
        except db.TokenError as error:
            st.error(_("That link does not work: {reason}.").format(reason=error))
        else:
            # Where the link itself leads: the welcome at the top of this page, which offers the
            # results first for a finished round and the open questions otherwise.
            state.remember_token(token)
            st.session_state["welcome_from_paste"] = True
            st.rerun()
else:
    widgets.profile_form(session)
    widgets.delete_data(session)
