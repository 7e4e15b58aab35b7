"""The management dashboard (issue 15): an organisation's maturity in a measurement wave, for its
managers, its trainers and admins, without exposing anyone.

The organisation, wave, filters and benchmark are in the URL (`?org=&wave=&dept=&job=&scope=`), so a
refresh or a shared link keeps them. The anonymity rules are the service's; the sections are in
views/dashboard_widgets.py, the choice of an organisation in views/management_widgets.py."""

from __future__ import annotations

import streamlit as st

from i18n import _
from identity.rules import Role
from views import dashboard_widgets as sections
from views import management_widgets, report_widgets, staff
from views.workshop_messages import plain

user = staff.require(Role.MANAGER, Role.TRAINER, Role.ADMIN)
st.title(_("Dashboard"))
choice = management_widgets.choose_organisation(user, reset=sections.PARAMS)
if choice is None:
    sections.show_privacy()
    st.stop()
board = sections.load(user, choice)
if board is None:
    st.stop()
st.markdown(f"### {plain(choice.name)}")
sections.show_privacy(board.threshold)
sections.show_choices(board)
if sections.show_waiting(board) or board.figures is None:
    sections.show_links(choice)
    st.stop()
sections.show_headline(board, board.figures)
sections.show_stages(board.figures)
sections.show_radar(board, board.figures)
sections.show_agreement(board.figures)
sections.show_statements(board.figures)
sections.show_departments(board)
sections.show_tees_and_checklist(board.figures)
sections.show_gaps(board)
sections.show_trend(board)
report_widgets.show_report(user, choice, board)
sections.show_links(choice)
