"""An organisation's management page (issue 15), for its managers, its trainers and admins: its
measurement waves, its invitation code, its department and job title lists, and for managers and
admins its anonymity threshold and target profile (trainers read these), for admins its managers.

The organisation is in the URL (`?org=<id>`), so a refresh keeps it. The sections are in
views/organisation_widgets.py."""

from __future__ import annotations

import streamlit as st

from i18n import _
from identity.rules import Role
from views import management_widgets, staff, state
from views import organisation_widgets as sections
from views.workshop_messages import plain, sector_label

user = staff.require(Role.MANAGER, Role.TRAINER, Role.ADMIN)
st.title(_("Organisation"))
chosen = management_widgets.choose_organisation(user)
if chosen is None:
    st.stop()
organisation = chosen
management_widgets.page_links(organisation.id, management_widgets.ORGANISATION)
found = sections.settings_of(user, organisation)
st.caption(plain(sector_label(found.sector)))
sections.show_flash()
sections.show_waves(user, organisation)
st.divider()
sections.show_invitation(user, organisation, found)
st.divider()
sections.show_lists(user, organisation, found)
st.divider()
sections.show_threshold(user, organisation, found)
st.divider()
sections.show_targets(user, organisation, state.model())
if user.role == Role.ADMIN:
    st.divider()
    sections.show_managers(user, organisation)
