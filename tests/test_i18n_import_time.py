"""Nothing is translated at import time: a module imported once per process would keep the first
visitor's language for everyone. Each module is imported in a fresh interpreter with a spy in place
of every i18n function that produces text; the spy records any call made while importing.

Page scripts (the files app.py hands to st.Page) run on every page run, not at import, so they and
app.py itself are left out."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
NOT_IMPORTED = {".venv", "tests", "benchmarks", "scripts", "data", "locales", "docs"}
# Alembic runs these by path inside its own context; they are never imported.
RUN_BY_ALEMBIC = Path("storage") / "migrations"

SPY = """
import importlib, json, sys
import i18n

calls = []

def spy(name, real):
    def recorded(*args, **kwargs):
        caller = sys._getframe(1)
        where = f"{caller.f_code.co_filename}:{caller.f_lineno}"
        calls.append({"function": name, "args": [repr(a) for a in args], "where": where})
        return real(*args, **kwargs)
    return recorded

for name in ("_", "ngettext", "format_decimal", "format_percent", "format_date", "format_datetime"):
    setattr(i18n, name, spy(name, getattr(i18n, name)))
for module in sys.argv[1:]:
    importlib.import_module(module)
print(json.dumps(calls))
"""


def page_scripts() -> set[str]:
    """views/<name>.py files app.py runs as pages."""
    return set(re.findall(r'VIEWS / "(\w+)\.py"', (PROJECT / "app.py").read_text(encoding="utf-8")))


def importable_modules() -> list[str]:
    pages = {f"views.{name}" for name in page_scripts()}
    modules = []
    for path in sorted(PROJECT.rglob("*.py")):
        relative = path.relative_to(PROJECT)
        if relative.parts[0] in NOT_IMPORTED or relative.parts[0].startswith(".") or relative == Path("app.py"):
            continue
        if relative.is_relative_to(RUN_BY_ALEMBIC):
            continue
        name = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        if name not in pages:
            modules.append(name)
    return modules


def calls_while_importing(modules: list[str], cwd: Path = PROJECT) -> list[dict]:
    completed = subprocess.run(
        [sys.executable, "-c", SPY, *modules], cwd=cwd, capture_output=True, text=True, timeout=300
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_the_module_list_covers_the_shared_view_modules_and_not_the_pages() -> None:
    modules = set(importable_modules())
    assert {"i18n", "views.widgets", "views.steps", "views.state", "reporting.radar", "views.messages"} <= modules
    assert "views.start" not in modules and "views.results" not in modules
    assert {"start", "assessment", "results"} <= page_scripts()


def test_no_module_translates_at_import_time() -> None:
    calls = calls_while_importing(importable_modules())
    assert calls == [], "translated at import time:\n" + "\n".join(
        f"{c['where']}: {c['function']}({', '.join(c['args'])})" for c in calls
    )


def test_the_spy_sees_a_module_level_translation(tmp_path: Path) -> None:
    (tmp_path / "i18n.py").write_text((PROJECT / "i18n.py").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "eager.py").write_text('from i18n import _\n\nLABEL = _("Save")\n', encoding="utf-8")
    (tmp_path / "lazy.py").write_text('from i18n import N_, _\n\nLABEL = N_("Save")\n', encoding="utf-8")
    calls = calls_while_importing(["lazy", "eager"], cwd=tmp_path)
    assert [(c["function"], c["args"]) for c in calls] == [("_", ["'Save'"])]
    assert calls[0]["where"].endswith("eager.py:3")
