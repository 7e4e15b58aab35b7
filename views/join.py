"""Join a workshop (its code, from the link or QR code, `?code=`, or typed, and a nickname) or an
organisation (its invitation code, no nickname; then the department and job title, optional). A
visitor already in a workshop sees where they are, a member their organisation and a form for their
department and job title; the resume token in the URL keeps it over a refresh."""

from __future__ import annotations

import streamlit as st

from i18n import _
from views import join_widgets as sections

token = sections.usable_token()
seat = sections.seat_of(token)
member = sections.membership_of(token)
st.title(_("Your organisation") if seat is None and member is not None else _("Join a workshop"))
if token is not None and seat is not None:
    if sections.other_workshop_asked(seat):
        sections.show_someone_else(seat)
    sections.show_seat(token, seat)
    if member is not None:
        sections.show_profile(token, member)
    st.stop()
if token is not None and member is not None:
    sections.show_membership(token, member)
    st.divider()
    st.subheader(_("Join a workshop"), anchor=False)
    sections.show_form(token, sections.MEMBER_FORM)
    st.stop()
sections.show_form(token)
