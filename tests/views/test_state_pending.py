"""views.state.flush_pending when another flush of the same session got there first: a quick second
click's run stored and removed the answer while this one was storing it (CI's browser flow met a
KeyError there, shown to the participant as "This app has encountered an error")."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


def _script() -> None:
    import streamlit as st

    from views import state

    calls: list[tuple[int, str, str | None]] = []

    def save_answer(_engine: object, round_id: int, item_id: str, value: str | None) -> None:
        calls.append((round_id, item_id, value))
        pending = st.session_state["pending_answers"]
        if item_id == "taken":
            pending.pop((1, "taken"))  # the other flush stored it and removed it meanwhile
        if item_id == "changed":
            pending[(1, "changed")] = "Fully"  # a newer click on the same question came in meanwhile

    # Swapped for this run only: the modules are the process's own, shared with every other test.
    saved = state.visits.save_answer, state.engine
    state.visits.save_answer = save_answer  # type: ignore[assignment]
    state.engine = lambda: None  # type: ignore[assignment]
    try:
        st.session_state["pending_answers"] = {
            (1, "taken"): "Partly",
            (1, "changed"): "Partly",
            (1, "plain"): "Fully",
        }
        state.flush_pending()
    finally:
        state.visits.save_answer, state.engine = saved  # type: ignore[assignment]
    st.session_state["calls"] = calls


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_an_answer_another_flush_stored_is_not_an_error_and_a_newer_one_stays_pending() -> None:
    at = AppTest.from_function(_script, default_timeout=30).run()
    assert not at.exception
    assert [call[1] for call in at.session_state["calls"]] == ["taken", "changed", "plain"]
    # The newer value of "changed" waits for the next flush; the others are done.
    assert at.session_state["pending_answers"] == {(1, "changed"): "Fully"}
    assert at.session_state["storage_busy"] is False
