"""A quiz, self-paced (?quiz=<bank id>): one question at a time, stored as answered.

Each section is a function in views/quiz_page.py; this page reads the session and the URL and picks one.
"""

from __future__ import annotations

import streamlit as st

from services import learning
from views import quiz_page as sections
from views import state

course = state.course()
session = state.load_session(show_errors=True)
bank_id = st.query_params.get("quiz")
state.sync_url()

if not bank_id:
    sections.show_quiz_list(course, session)
    st.stop()
bank = course.bank(bank_id)
if bank is None:
    sections.show_unknown_quiz(bank_id, session)
    st.stop()

st.title(bank.title)
if session is None:
    sections.show_start_without_session(bank)
    st.stop()

attempts = learning.attempts(state.engine(), session.respondent.id, bank.id)
open_attempt = next((a for a in reversed(attempts) if a.finished_at is None), None)
finished = [a for a in attempts if a.finished_at is not None]
sections.show_busy_notice()
if open_attempt is not None:
    sections.show_question(bank, open_attempt)
elif finished:
    sections.show_finished(course, bank, session, finished)
else:
    sections.show_not_started(bank, session)
