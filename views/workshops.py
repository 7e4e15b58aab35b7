"""Workshops, for trainers and admins: their workshops, a new organisation or workshop, and the
chosen workshop's join code, QR code and link, also alone and large for the projector.

The chosen workshop is in the URL (`?w=<id>`, and `&project=1` for the projector view), so a
refresh keeps it. The sections are in views/workshop_widgets.py."""

from __future__ import annotations

import streamlit as st

from i18n import _
from identity.rules import Role
from views import staff
from views import workshop_widgets as sections

user = staff.require(Role.TRAINER, Role.ADMIN)
known = sections.organisations()
shown = sections.listed(user, known)
selected, problem = sections.chosen(shown)
if selected is not None and sections.projecting():
    sections.show_projector(selected)
    st.stop()

st.title(_("Workshops"))
sections.show_flash()
if problem:
    st.error(problem, icon=":material/error:")
sections.show_list(user, shown, selected)
if selected is not None:
    sections.show_selected(user, selected)
st.divider()
sections.show_new_organisation(user, known)
sections.show_new_workshop(user, known)
