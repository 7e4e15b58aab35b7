"""Quiz banks, for trainers and admins (issue 17): upload a GIFT or Moodle XML file, see what it
would import and what is skipped before anything is stored, import it as a bank; every bank of the
site (files and imported) with its questions, types and tags; a bank's questions filtered by tag;
downloads as GIFT and Moodle XML; deleting an imported bank. The sections are in
views/quiz_banks_widgets.py, the rules in services/quiz_banks.py."""

from __future__ import annotations

import streamlit as st

from i18n import _
from identity.rules import Role
from services import quiz_banks as qb
from views import quiz_banks_widgets as sections
from views import staff, state

user = staff.require(Role.TRAINER, Role.ADMIN)
engine = state.engine()
course = state.course()
file_bank_ids = {bank.id for bank in course.banks if not qb.is_imported(bank)}

st.title(_("Quiz banks"))
sections.show_flash()
sections.show_upload(user, course, file_bank_ids)
st.divider()
banks = sections.listed(course, qb.list_imported(engine))
sections.show_list(banks)
sections.show_bank(user, banks)
