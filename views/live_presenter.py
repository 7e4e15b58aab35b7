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
from views import staff, state
from views.workshop_messages import plain

user = staff.require(Role.TRAINER, Role.ADMIN)

WORKSHOP_PARAM = "w"
REFRESH_SECONDS = 1  # a countdown needs seconds

engine = state.engine()
course = state.course()


def _label(workshop: ws.StoredWorkshop) -> str:
    return f"{workshop.name} · {workshop.held_on.isoformat()} · {workshop.code}"


def _choose(visible: list[ws.StoredWorkshop]) -> ws.StoredWorkshop:
    """The workshop of the address, or one chosen from the user's; the page stops when there is none."""
    raw = st.query_params.get(WORKSHOP_PARAM)
    if raw is not None:
        if not raw.strip().isdigit():
            st.error(
                _("The workshop in the address (?w=) is not a workshop number. Choose a workshop from the list."),
                icon=":material/error:",
            )
            st.page_link("views/live_presenter.py", label=_("Choose a workshop"), icon=":material/list:")
            st.stop()
        found = next((w for w in visible if w.id == int(raw)), None)
        if found is None:
            st.error(
                _(
                    "You cannot run a live quiz in workshop {id}: only its trainer or an admin can, and there may "
                    "be no such workshop. Choose one of your workshops."
                ).format(id=int(raw)),
                icon=":material/block:",
            )
            st.page_link("views/live_presenter.py", label=_("Choose a workshop"), icon=":material/list:")
            st.stop()
        return found
    if not visible:
        st.info(_("You have no workshops yet: a live quiz is played in a workshop."))
        st.stop()
    by_id = {w.id: w for w in visible}
    chosen = st.selectbox(
        _("Workshop"),
        list(by_id),
        index=None,
        format_func=lambda workshop_id: _label(by_id[workshop_id]),
        placeholder=_("Choose a workshop"),
        key="live_workshop",
    )
    if chosen is None:
        st.stop()
    st.query_params[WORKSHOP_PARAM] = str(chosen)
    return by_id[chosen]


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
