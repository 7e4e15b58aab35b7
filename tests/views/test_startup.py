"""The server entry: `streamlit run serve.py` runs its st.App, whose start-up imports and loads what the
pages need and freezes it out of full collections. Each start-up runs in a fresh interpreter, as a
server process would, since gc.freeze() would otherwise freeze the test run's own objects."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from streamlit.web.server.app_discovery import discover_asgi_app

from storage.engine import make_engine
from storage.migrate import upgrade

PROJECT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, json, sys
from views import startup, state
warmed = startup.warm_up()
print(json.dumps({
    "missing": [name for name in startup.PRELOADED if name not in sys.modules],
    "frozen": warmed.frozen_objects,
    "freeze_count": gc.get_freeze_count(),
    "problems": list(warmed.problems),
    "model_kept": state.model() is state.model(),
    "dimensions": len(state.model().dimensions),
    "lessons": len(state.course().lessons),
}))
"""


def warm_up_in_a_fresh_process(database: Path) -> dict:
    env = {"SMM_SQLITE_PATH": str(database), "PATH": "/usr/bin:/bin"}
    completed = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_streamlit_run_serves_the_st_app_of_the_entry_file() -> None:
    found = discover_asgi_app(PROJECT / "serve.py")
    assert (found.is_asgi_app, found.import_string) == (True, "serve:app")
    assert not discover_asgi_app(PROJECT / "app.py").is_asgi_app  # the page script it serves


def test_start_up_imports_loads_and_freezes(tmp_path: Path) -> None:
    database = tmp_path / "app.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    engine.dispose()

    warmed = warm_up_in_a_fresh_process(database)

    assert warmed["missing"] == []
    assert warmed["problems"] == []
    assert warmed["frozen"] > 10_000  # Streamlit, pandas, pyarrow, the content
    assert warmed["freeze_count"] > 10_000  # still frozen after (frozen objects that are freed leave the count)
    assert warmed["model_kept"] and warmed["dimensions"] == 10 and warmed["lessons"] > 0


def test_a_database_problem_at_start_up_is_reported_not_raised(tmp_path: Path) -> None:
    """A database without the schema: the server still starts, and the pages say what is wrong."""
    warmed = warm_up_in_a_fresh_process(tmp_path / "empty.sqlite3")

    assert [problem.split(":")[0] for problem in warmed["problems"]] == ["database"]
    assert warmed["frozen"] > 10_000
