"""Join a workshop: the code (from the link or QR code, `?code=`, or typed) and a nickname. A visitor
already in a workshop sees where they are; the resume token in the URL keeps it over a refresh."""

from __future__ import annotations

import streamlit as st

from i18n import _
from views import join_widgets as sections

st.title(_("Join a workshop"))
token = sections.usable_token()
seat = sections.seat_of(token)
if token is not None and seat is not None:
    if sections.other_workshop_asked(seat):
        sections.show_someone_else(seat)
    sections.show_seat(token, seat)
    st.stop()
sections.show_form(token)
