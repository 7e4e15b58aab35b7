"""Results: where the organisation stands, what to do first, the radar and what changed, then the detail.

Each section is a function in views/results_widgets.py; this page reads the session and puts them in order.
"""

from __future__ import annotations

import streamlit as st

from assessment.model import Mode
from assessment.scoring import score
from i18n import _
from views import results_widgets as sections
from views import state, widgets

model = state.model()
session = state.load_session()
if session is None:
    st.info(_("There are no results to show yet: start an assessment, or open your resume link."))
    st.page_link("views/start.py", label=_("Go to the start page"), icon=":material/flag:")
    st.stop()

result = score(model, session.answers, session.mode)
previous = session.previous_round
previous_result = score(model, state.stored_answers(model, previous.id), Mode(previous.mode)) if previous else None
course = state.course()
series = sections.radar_series(session, result, previous, previous_result)

sections.show_headline(model, result, session)
sections.show_start_here(model, result, course, session.token)
sections.show_radar(model, result, series, with_table=previous_result is None)
if previous is not None and previous_result is not None:
    sections.show_change_since(model, previous.number, previous_result, result)
sections.show_coverage(model, result)
sections.show_tees_and_checklist(model, result)
sections.show_all_gaps(model, result, session.answers, course, session.token)
sections.show_downloads(model, result, session, series)
sections.show_what_next(result, session)
widgets.resume_link(session.token)
