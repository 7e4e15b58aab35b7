"""The room: a workshop's finished participants together, for the trainer's projector.

It fills in as participants finish (the figures re-read every few seconds, in a fragment), shows no
names, and shows the counts only until three participants have finished (`reporting.room`).
The workshop comes from `?w=<id>`, else from a list of the user's workshops.
"""

from __future__ import annotations

import streamlit as st

from i18n import _
from identity.rules import Role
from reporting.radar import PAGE_ASPECT
from services import room as rooms
from services import workshops as ws
from storage.errors import UNAVAILABLE_ERRORS
from views import messages, room_widgets, staff, state, workshop_widgets

user = staff.require(Role.TRAINER, Role.ADMIN)

REFRESH_SECONDS = 5

# Projector-friendly: the page uses the whole width, metrics and headings are large, and the radar keeps
# its aspect ratio as wide as its column.
_ROOM_CSS = f"""<style>
[data-testid="stMainBlockContainer"] {{ max-width: 96vw; }}
[data-testid="stMetricValue"] {{ font-size: 4rem; }}
[data-testid="stMetricLabel"] p {{ font-size: 1.4rem; }}
.st-key-room_radar_box {{ aspect-ratio: {PAGE_ASPECT[0]} / {PAGE_ASPECT[1]}; }}
</style>"""

model = state.model()
course = state.course()
engine = state.engine()


def _choose(visible: list[ws.StoredWorkshop]) -> ws.StoredWorkshop:
    return workshop_widgets.choose_workshop(
        visible,
        page="views/room.py",
        refused=_(
            "You cannot see the room of workshop {id}: only its trainer or an admin can, and there may be "
            "no such workshop. Choose one of your workshops."
        ),
        none_yet=_("You have no workshops yet: a room belongs to a workshop."),
        key="room_workshop",
    )


@st.fragment(run_every=REFRESH_SECONDS)
def live(workshop_id: int) -> None:
    """Re-reads the room on every run of the fragment: on arrival, then every REFRESH_SECONDS."""
    try:
        summary = rooms.room_summary(engine, user.id, workshop_id, model, course)
    except (ws.NotAllowed, ws.UnknownWorkshop):
        st.error(_("You cannot see this workshop's room any more."), icon=":material/block:")
        return
    except UNAVAILABLE_ERRORS as error:
        st.warning(
            _("The room could not be read just now ({reason}); it tries again in a few seconds.").format(
                reason=messages.describe(error)
            ),
            icon=":material/cloud_off:",
        )
        return
    room_widgets.show(summary)
    st.caption(_("Updates itself every {seconds} seconds. No names are shown.").format(seconds=REFRESH_SECONDS))


st.html(_ROOM_CSS)
try:
    visible = ws.visible_workshops(engine, user.id)
except ws.NotAllowed:  # switched off or demoted since the gate above
    st.error(_("Your account cannot open this page any more."), icon=":material/block:")
    st.stop()
workshop = _choose(visible)
st.title(_("The room"))
st.markdown(f"### {room_widgets.escape_markdown(workshop.name)}")
live(workshop.id)
