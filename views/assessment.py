"""Assessment: one step at a time, each answer saved the moment it is given."""

from __future__ import annotations

import streamlit as st

from assessment.model import Mode
from i18n import _
from views import assessment_widgets as sections
from views import page_scripts, state, steps, widgets

model = state.model()
session = state.load_session()
if session is None:
    st.info(_("Start an assessment first, or open your resume link."))
    st.page_link("views/start.py", label=_("Go to the start page"), icon=":material/flag:")
    st.stop()

all_steps = steps.build_steps(model, session.mode)
raw_step = st.query_params.get(sections.STEP_PARAM)
if raw_step:
    index = steps.parse_step(raw_step, len(all_steps))
else:
    # Resume where the first open question is, and pin that step in the URL so that
    # answering its last question does not move the page away under the person's hand.
    index = steps.first_open_step(all_steps, session.answers)
    st.query_params[sections.STEP_PARAM] = str(index + 1)
# A new step opens at its top; the marker changes only with the step, so an answer leaves the page put.
page_scripts.scroll_to_top(f"step-{index + 1}")

mode_label = _("Quick scan") if session.mode is Mode.QUICK else _("Full assessment")
st.caption(
    _("{mode} · round {round} · step {step} of {steps}").format(
        mode=mode_label, round=session.round.number, step=index + 1, steps=len(all_steps)
    )
)
# Filled once this step's radios have stored what the browser holds, so they count what is stored.
progress, storage_warning = st.empty(), st.empty()
sections.show_round_start(session)
with st.expander(_("Your resume link: to continue later or on another device"), icon=":material/link:"):
    widgets.resume_link(session.token)

answers = sections.show_step(model, session, all_steps[index])
asked = model.item_ids(session.mode)
answered = sum(1 for item_id in asked if item_id in answers)
progress.progress(
    answered / len(asked), text=_("{answered} of {asked} answered").format(answered=answered, asked=len(asked))
)
with storage_warning.container():
    state.show_storage_warning()
open_per_step = [sum(1 for item_id in s.item_ids if item_id not in answers) for s in all_steps]
sections.show_navigation(session, all_steps, index, open_per_step)
if index == len(all_steps) - 1:
    sections.show_open_questions(session, all_steps, open_per_step)
