"""Live quiz, the presenter's page for the trainer's projector (issue 14): start a run of a quiz bank
in a workshop, then show its lobby (the join code, QR code and the players), each question with its
countdown, the answers' chart, the top five and the podium, with the trainer's controls under them.

The workshop comes from `?w=<id>`, else from a list of the user's workshops. While a run is going,
its view is rebuilt from storage every second in a fragment (one session per projector), and a
control pressed on a view the run has moved on from changes nothing. The sections are in
views/live_presenter_widgets.py.
"""

from __future__ import annotations

import streamlit as st

from i18n import _
from identity.rules import Role
from services import live
from services import workshops as ws
from storage.errors import UNAVAILABLE_ERRORS
from views import live_presenter_widgets as sections
from views import staff, state, workshop_widgets
from views.workshop_messages import plain

user = staff.require(Role.TRAINER, Role.ADMIN)

REFRESH_SECONDS = 1  # a countdown needs seconds

engine = state.engine()
course = state.course()


def _choose(visible: list[ws.StoredWorkshop]) -> ws.StoredWorkshop:
    return workshop_widgets.choose_workshop(
        visible,
        page="views/live_presenter.py",
        refused=_(
            "You cannot run a live quiz in workshop {id}: only its trainer or an admin can, and there may "
            "be no such workshop. Choose one of your workshops."
        ),
        none_yet=_("You have no workshops yet: a live quiz is played in a workshop."),
        key="live_workshop",
    )


@st.fragment(run_every=REFRESH_SECONDS)
def presenter(workshop: ws.StoredWorkshop, run_id: int) -> None:
    sections.show_run(user, workshop, run_id, course.banks)


st.html(sections.CSS)
try:
    visible = ws.visible_workshops(engine, user.id)
except ws.NotAllowed:  # switched off or demoted since the gate above
    st.error(_("Your account cannot open this page any more."), icon=":material/block:")
    st.stop()
workshop = _choose(visible)
try:
    going = live.current_run(engine, workshop.id)
except UNAVAILABLE_ERRORS as error:
    sections.unavailable(error)
    st.stop()
sections.show_flash()
if going is None:
    st.title(_("Live quiz"), anchor=False)
    st.markdown(f"### {plain(workshop.name)}")
    ended = st.session_state.pop(sections.ENDED, None)
    if ended is not None:
        sections.show_ended(workshop.id)
    sections.show_start(user, workshop, course.banks)
else:
    presenter(workshop, going.run_id)
