"""The phone's view of a live quiz (`/live?t=<resume token>`): the seat in the workshop's run, the
open question as big buttons, then right or wrong, the points and the place. Rebuilt from storage
on every run (a refresh, a phone that slept, another server process), and rerun by itself when the
trainer moves the run on (views/live_follow.py).

Everything below the title is one fragment: a click on an option, the push component's event and
the follow timers rerun only the fragment, not the site's frame (language, navigation, login) and
the rest of the page; 300 phones rerun at each step of the trainer within the 2 s of issue 14. A
full run (a refresh, another process, a reconnection) runs the fragment as part of the page."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from i18n import _
from quizzes.live import Phase
from services import live
from views import live_follow, state, widgets
from views import live_widgets as sections


def _view(engine: Engine, token: str) -> live.PlayerView:
    """The view from the one the fragment showed last (its seat), else from the seat taken again."""
    known = st.session_state.get(sections.KNOWN_VIEW)
    view = None
    if known is not None and known[0] == token:
        view = live.seated_view(engine, known[1])
    if view is None:
        view = live.player_view(engine, token)
    st.session_state[sections.KNOWN_VIEW] = (token, view)
    return view


@st.fragment(key=live_follow.VIEW_FRAGMENT)
def _play(token: str) -> None:
    engine = state.engine()
    try:
        view = _view(engine, token)
    except live.NotSeated:
        st.session_state.pop(sections.KNOWN_VIEW, None)
        sections.show_not_seated(sections.not_seated_reason(token))
        return
    except live.NoRun:
        st.session_state.pop(sections.KNOWN_VIEW, None)
        state.remember_token(token)
        last = st.session_state.get(sections.LAST_RUN)
        final = None if last is None else live.final_view(engine, token, last)
        if final is not None:
            sections.show_final(final)
        sections.show_waiting()
        live_follow.wait_for_run(live.workshop_of(engine, token))
        return

    state.remember_token(token)
    st.session_state[sections.LAST_RUN] = view.state.run_id
    phase = view.state.phase
    if phase is Phase.LOBBY:
        sections.show_lobby(view)
    elif phase in (Phase.PODIUM, Phase.ENDED):
        sections.show_final(view)
    else:
        bank = state.course().bank(view.state.bank_id)
        question = None if bank is None else next((q for q in bank.questions if q.id == view.state.question_id), None)
        if bank is None or question is None:
            sections.show_unknown_bank(view.state.bank_id)
        elif phase is Phase.OPEN:
            sections.show_open(view, token, bank, question)
        elif phase is Phase.CLOSED:
            sections.show_closed(view, token, bank, question)
        else:
            sections.show_reveal(view, question)
    live_follow.follow(view.state)


st.title(_("Live quiz"))
token = state.token_from_request()
if not token:
    sections.show_not_seated(None)
    st.stop()
st.session_state.pop(sections.KNOWN_VIEW, None)  # a full run takes the seat again, from storage
# Outside the fragment: drawn once per full run rather than at each of the view's runs, and a
# reconnection reruns the whole page, which takes the seat again from storage.
widgets.rerun_on_reconnect()
_play(token)
