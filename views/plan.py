"""An organisation's 90-day plan (issue 15): the actions the dashboard proposes from its largest
gaps to target, the plan itself with each action's progress, and the plan as CSV and iCalendar.
Managers and admins accept, add, edit and delete actions; trainers read the plan.

The organisation is in the URL (`?org=<id>`). The sections are in views/plan_widgets.py."""

from __future__ import annotations

import streamlit as st

from i18n import _
from identity.rules import Role
from views import management_widgets, organisation_widgets, staff, state
from views import plan_widgets as sections

user = staff.require(Role.MANAGER, Role.TRAINER, Role.ADMIN)
st.title(_("90-day plan"))
chosen = management_widgets.choose_organisation(user)
if chosen is None:
    st.stop()
organisation = chosen
management_widgets.page_links(organisation.id, management_widgets.PLAN)
model = state.model()
shown = sections.plan_of(user, organisation, model)
organisation_widgets.show_flash()
if not shown.may_manage:
    st.info(_("You can read the plan; the organisation's managers and admins change it."), icon=":material/visibility:")
if shown.wave is not None:
    st.caption(_("Figures of the wave {name}.").format(name=shown.wave.name))
sections.show_proposals(user, organisation, model, shown)
st.divider()
sections.show_plan(user, organisation, model, shown)
sections.show_add(user, organisation, model, shown)
sections.show_downloads(model, shown)
