"""Start: what the assessment is, how long it takes, what is stored; start or continue."""

from __future__ import annotations

import streamlit as st

from i18n import _
from views import assignment_widgets, state, widgets
from views import start_widgets as sections

model = state.model()
session = state.load_session()
if session is not None:
    st.session_state.pop(sections.START_TOKEN, None)  # in use: a later start (after "Delete my data") draws a new one

st.title(_("Where does your organisation stand in social media?"))
if st.session_state.pop("deleted", False):
    st.success(_("Your data has been deleted: every round and answer, your quiz results and your lesson progress."))
if session is not None:
    sections.show_welcome_back(model, session)
    assignment_widgets.show_my_workshop(session)
sections.show_about(model)
assignment_widgets.show_retention_statement()
if session is None:
    sections.show_start_form(model)
    sections.show_resume_box()
else:
    widgets.profile_form(session)
    widgets.not_me(session)
    widgets.delete_data(session)
