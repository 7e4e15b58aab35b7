"""benchmarks/room_load.py, small: 20 participants at a quick pace play the whole workshop on the real
site (a `streamlit run` subprocess) and on the trivial floor page, on SQLite and on PostgreSQL.

Nothing here looks at timings. It checks what the command promises: every answer, quiz response and
lesson marked done that the client sent is in the database, no page showed an exception or an error
box, every participant got to the end, and every kind of interaction was played as often as the flow
says. The PostgreSQL run is skipped when no PostgreSQL answers (tests/postgres.py), unless
SMM_REQUIRE_POSTGRES=1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from tests.benchmarks.generators import run_generator
from tests.postgres import POSTGRES_URL, REQUIRE_POSTGRES

PARTICIPANTS = 20
ANSWERS = 6  # more than a quick-scan step holds (4), so the quick half also clicks "Next →"
QUIZ_ANSWERS = 2
ONE_EACH = ("open", "start", "results", "lesson", "done", "quiz open", "quiz start")


def room_load(tmp_path: Path, *extra: str) -> tuple[dict[str, Any], str]:
    return run_generator(
        "room_load.py",
        tmp_path / "room.json",
        "--participants", str(PARTICIPANTS),
        "--think", "0.2", "0.5",
        "--answers", str(ANSWERS),
        "--quiz-answers", str(QUIZ_ANSWERS),
        "--results-window", "2",
        "--timeout", "60",
        *extra,
    )  # fmt: skip


def check(figures: dict[str, Any], output: str) -> None:
    assert figures["lost"] == 0, output
    assert figures["errors"] == 0, output
    assert figures["unfinished_participants"] == 0, output
    assert figures["ok"] is True, output

    database = figures["database"]
    assert database["answers"]["sent"] == PARTICIPANTS * ANSWERS, output
    assert database["answers"]["stored"] == database["answers"]["sent"], output
    assert database["quiz_responses"]["stored"] == database["quiz_responses"]["sent"] == PARTICIPANTS * QUIZ_ANSWERS
    assert database["lessons_done"]["stored"] == database["lessons_done"]["sent"] == PARTICIPANTS

    app, floor = figures["app"]["kinds"], figures["floor"]["kinds"]
    for kind in ONE_EACH:
        assert app[kind]["count"] == PARTICIPANTS, (kind, output)
    assert app["answer"]["count"] == PARTICIPANTS * ANSWERS, output
    assert app["quiz answer"]["count"] == PARTICIPANTS * QUIZ_ANSWERS, output
    # The quick half finishes its first step (4 questions) and moves on once; the full assessment's
    # first step holds more than ANSWERS questions.
    assert 0 < app["next"]["count"] <= PARTICIPANTS, output
    assert app.get("quiz next", {"count": 0})["count"] <= PARTICIPANTS * (QUIZ_ANSWERS - 1), output
    # The floor plays exactly the same interactions.
    assert {kind: row["count"] for kind, row in floor.items()} == {kind: row["count"] for kind, row in app.items()}
    for row in list(app.values()) + list(floor.values()):
        assert row["errors"] == 0, output
        assert row["p50_ms"] > 0, output

    for play in ("app", "floor"):
        memory = figures[play]["memory"]
        assert memory["sessions_open_at_end"] == PARTICIPANTS, output
        assert memory["rss_peak_mb"] >= memory["rss_base_mb"] > 0, output
        assert set(memory["per_session_kb"]) == {"open", "assessment", "results", "learning"}, output
        assert figures[play]["phases"]["all"]["server_cpu_s"] > 0, output


def test_room_load_on_sqlite(tmp_path: Path) -> None:
    figures, output = room_load(tmp_path, "--database", "sqlite")
    check(figures, output)
    assert figures["options"]["database"] == "sqlite"


def test_room_load_on_postgresql(tmp_path: Path) -> None:
    admin = create_engine(POSTGRES_URL)
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        reason = f"PostgreSQL at {POSTGRES_URL} does not answer: {str(error.orig).strip().splitlines()[0]}"
        if REQUIRE_POSTGRES:
            pytest.fail(f"{reason} (SMM_REQUIRE_POSTGRES=1)", pytrace=False)
        pytest.skip(reason)
    finally:
        admin.dispose()
    figures, output = room_load(tmp_path, "--database", "postgresql", "--postgres-url", POSTGRES_URL)
    check(figures, output)
    assert figures["options"]["database"] == "postgresql"
