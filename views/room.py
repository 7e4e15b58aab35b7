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
from views import messages, room_widgets, staff, state

user = staff.require(Role.TRAINER, Role.ADMIN)

WORKSHOP_PARAM = "w"
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
            st.page_link("views/room.py", label=_("Choose a workshop"), icon=":material/list:")
            st.stop()
        found = next((w for w in visible if w.id == int(raw)), None)
        if found is None:
            st.error(
                _(
                    "You cannot see the room of workshop {id}: only its trainer or an admin can, and there may be "
                    "no such workshop. Choose one of your workshops."
                ).format(id=int(raw)),
                icon=":material/block:",
            )
            st.page_link("views/room.py", label=_("Choose a workshop"), icon=":material/list:")
            st.stop()
        return found
    if not visible:
        st.info(_("You have no workshops yet: a room belongs to a workshop."))
        st.stop()
    by_id = {w.id: w for w in visible}
    chosen = st.selectbox(
        _("Workshop"),
        list(by_id),
        index=None,
        format_func=lambda workshop_id: _label(by_id[workshop_id]),
        placeholder=_("Choose a workshop"),
        key="room_workshop",
    )
    if chosen is None:
        st.stop()
    st.query_params[WORKSHOP_PARAM] = str(chosen)
    return by_id[chosen]


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
