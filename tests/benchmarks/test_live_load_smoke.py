"""benchmarks/live_load.py, small: 20 participants play a 3-question live quiz on the real site (one
`streamlit run` subprocess on SQLite), once with the phones polling and once with them following the
push stream, and idle on the trivial floor page.

Nothing here looks at timings. It checks what the command promises: every answer a phone sent is in
live_answers with the response it sent, every click was acknowledged, every phone showed every
question, no page showed an exception or an error box, no websocket failed, no server log has an error.
"""

from __future__ import annotations

from pathlib import Path

from tests.benchmarks.generators import run_generator

PARTICIPANTS = 20
QUESTIONS = 3


def test_live_load_poll_and_push_on_sqlite(tmp_path: Path) -> None:
    figures, output = run_generator(
        "live_load.py",
        tmp_path / "live.json",
        "--participants", str(PARTICIPANTS),
        "--questions", str(QUESTIONS),
        "--processes", "1",
        "--database", "sqlite",
        "--follow", "both",
        "--answer-window", "0.5", "2",
        "--pause", "0.5",
        "--timeout", "60",
    )  # fmt: skip

    assert figures["lost"] == 0, output
    assert figures["errors"] == 0, output
    assert figures["ok"] is True and output.startswith("exit 0\n"), output
    assert set(figures["modes"]) == {"poll", "push"}, output
    for follow, mode in figures["modes"].items():
        assert mode["follow"] == follow, output
        assert mode["joined"] == PARTICIPANTS, (follow, output)
        assert mode["answers_sent"] == PARTICIPANTS * QUESTIONS, (follow, output)
        assert mode["answers_stored"] == mode["answers_acked"] == mode["answers_sent"], (follow, output)
        assert mode["lost"] == 0 and mode["errors"] == 0, (follow, output)
        # Every phone showed every question: one figure per question, one per phone and question.
        assert len(mode["next_to_all_ms"]) == QUESTIONS, (follow, output)
        assert mode["p50_ack_ms"] > 0 and mode["next_per_phone_p50_ms"] > 0, (follow, output)
        assert mode["follow_runs"] > 0, (follow, output)
        assert mode["rss_peak_mb"] >= mode["rss_base_mb"] > 0, (follow, output)
        assert mode["floor_click_count"] == PARTICIPANTS, (follow, output)
    assert figures["modes"]["push"]["push_events"] > 0, output
    assert figures["modes"]["poll"]["push_events"] == 0, output
