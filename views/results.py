"""Results: where the organisation stands, what to do first, the radar and what changed, then the detail.

Each section is a function in views/results_widgets.py; this page reads the session and puts them in order.
"""

from __future__ import annotations

import streamlit as st

from assessment.scoring import score
from i18n import _
from views import results_widgets as sections
from views import state, widgets

model = state.model()
sample = st.query_params.get(state.SAMPLE_PARAM) == "1"
if sample:
    # Computed, never stored: the visitor's own resume link, in this browser, stays theirs.
    sections.show_sample_banner()
    visit = shown = state.sample_session(model)
else:
    visit = state.load_session()
    if visit is None:
        st.info(_("There are no results to show yet: start an assessment, or open your resume link."))
        st.page_link("views/start.py", label=_("Go to the start page"), icon=":material/flag:")
        st.stop()
    shown = sections.shown_round(model, visit)
    if shown is not visit:
        sections.show_earlier_round_notice(visit, shown)

scored = earlier = None
if sample:
    result, previous, previous_result = score(model, shown.answers, shown.mode), None, None
else:
    # A completed round shows the scores it kept; services.results decides, and says which model scored them.
    scored, previous, earlier = sections.round_results(model, visit, shown)
    result = scored.result
    previous_result = earlier.result if earlier is not None else None
    if scored.earlier_model:
        sections.show_earlier_model_notice(shown.round.number, scored)
course = state.course()
series = sections.radar_series(shown, result, previous, previous_result)

sections.show_headline(model, result, shown)
sections.show_start_here(model, result, course, shown.token)
sections.show_radar(model, result, series, with_table=previous_result is None)
if previous is not None and previous_result is not None:
    sections.show_change_since(model, previous.number, previous_result, result)
    if earlier is not None and earlier.earlier_model and scored is not None and not scored.earlier_model:
        sections.show_earlier_model_caption(previous.number, earlier)
sections.show_coverage(model, result)
sections.show_tees_and_checklist(model, result)
sections.show_all_gaps(model, result, shown.answers, course, shown.token)
sections.show_downloads(model, result, shown, series)
if sample:
    sections.show_sample_banner()
    st.stop()
if shown is visit:
    sections.show_what_next(model, result, visit)
sections.show_earlier_rounds(visit, shown)
widgets.resume_link(visit.token)
