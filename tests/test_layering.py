"""Layering: domain code never imports streamlit (each module imported alone in a fresh interpreter),
and imports point one way (the import-linter contracts in pyproject.toml, which scripts/test runs)."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

PROJECT = Path(__file__).resolve().parents[1]
# Model, identity rules, workshops, loading, scoring, grading, use cases, storage and reporting: plain
# Python, usable from scripts and tests.
DOMAIN_PACKAGES = (
    "content",
    "assessment",
    "identity",
    "workshops",
    "learning",
    "lessons",
    "quizzes",
    "reporting",
    "services",
    "storage",
    "demo",
)

DOMAIN_MODULES = [
    module
    for package in DOMAIN_PACKAGES
    for module in (package, *(f"{package}.{m.name}" for m in pkgutil.iter_modules([str(PROJECT / package)])))
]

PROBE = """
import importlib, sys
importlib.import_module(sys.argv[1])
leaked = sorted(name for name in sys.modules if name == "streamlit" or name.startswith("streamlit."))
print(",".join(leaked))
"""


def test_the_module_list_is_not_empty() -> None:
    expected = {
        "assessment.scoring",
        "quizzes.grading",
        "services.respondents",
        "storage.engine",
        "storage.migrate",
        "workshops.codes",
    }
    assert expected <= set(DOMAIN_MODULES)


@pytest.mark.parametrize("module", DOMAIN_MODULES)
def test_domain_module_does_not_import_streamlit(module: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, module], cwd=PROJECT, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "", f"{module} pulls in {completed.stdout.strip()}"


# Import direction: the import-linter contracts in pyproject.toml -------------------------------

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PYPROJECT = PROJECT / "pyproject.toml"


def importlinter_config() -> dict[str, Any]:
    with PYPROJECT.open("rb") as file:
        config: dict[str, Any] = tomllib.load(file)["tool"]["importlinter"]
    return config


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_top_level_package_is_under_the_contract() -> None:
    """A new package (services/ when it lands) must be placed in the contract before it is checked."""
    packages = {
        path.parent.name for path in PROJECT.glob("*/__init__.py") if path.parent.name not in {"tests", "benchmarks"}
    }
    assert packages <= set(importlinter_config()["root_packages"])


def test_the_project_keeps_the_import_contract() -> None:
    completed = lint_imports(PROJECT)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def fake_project(tmp_path: Path, modules: dict[str, str]) -> Path:
    """Empty packages under the real contract, plus `modules` ({"assessment/cli.py": "import learning"})."""
    config = PYPROJECT.read_text(encoding="utf-8")
    packages = importlinter_config()["root_packages"]
    (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    for package in packages:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("", encoding="utf-8")
    for name, source in modules.items():
        (tmp_path / name).write_text(source + "\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("module", "source", "reported"),
    [
        ("assessment/cli.py", "import learning", "assessment.cli -> learning"),  # the CLI's old cycle
        ("assessment/x.py", "import quizzes", "assessment.x -> quizzes"),
        ("content/x.py", "import assessment", "content.x -> assessment"),
        ("lessons/x.py", "import quizzes", "lessons.x -> quizzes"),
        ("quizzes/x.py", "import learning", "quizzes.x -> learning"),
        ("learning/x.py", "import reporting", "learning.x -> reporting"),
        ("reporting/x.py", "import views", "reporting.x -> views"),
        ("learning/x.py", "import storage", "learning.x -> storage"),
        ("content/x.py", "import streamlit", "content.x -> streamlit"),
        ("storage/x.py", "import assessment", "storage.x -> assessment"),
        ("storage/x.py", "import views", "storage.x -> views"),
        ("workshops/x.py", "import assessment", "workshops.x -> assessment"),
        ("assessment/x.py", "import workshops", "assessment.x -> workshops"),
        ("workshops/x.py", "import streamlit", "workshops.x -> streamlit"),
        ("workshops/x.py", "import storage", "workshops.x -> storage"),
        ("storage/x.py", "import workshops", "storage.x -> workshops"),
    ],
)
def test_the_contract_fails_on_an_import_in_the_wrong_direction(
    tmp_path: Path, module: str, source: str, reported: str
) -> None:
    completed = lint_imports(fake_project(tmp_path, {module: source}))
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert reported in completed.stdout, completed.stdout


def test_the_allowed_directions_pass(tmp_path: Path) -> None:
    modules = {
        "views/x.py": "import learning, reporting, storage, assessment",
        "learning/x.py": "import lessons, quizzes, assessment, content",
        "reporting/x.py": "import assessment, content",
        "quizzes/x.py": "import assessment, content",
        "assessment/x.py": "import content",
        "workshops/x.py": "import content",
        "storage/x.py": "import content",
    }
    completed = lint_imports(fake_project(tmp_path, modules))
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.parametrize(
    ("modules", "reported"),
    [
        ({"services/x.py": "import storage, learning, assessment", "views/x.py": "import services"}, None),
        ({"services/x.py": "import views"}, "services.x -> views"),
        ({"assessment/x.py": "import services"}, "assessment.x -> services"),
        ({"storage/x.py": "import services"}, "storage.x -> services"),
    ],
)
def test_services_sit_between_views_and_domain(tmp_path: Path, modules: dict[str, str], reported: str | None) -> None:
    completed = lint_imports(fake_project(tmp_path, modules))
    assert completed.returncode == (0 if reported is None else 1), completed.stdout + completed.stderr
    if reported is not None:
        assert reported in completed.stdout


STORAGE_MODULES = [module for module in DOMAIN_MODULES if module.split(".")[0] in ("storage", "services")]
I18N_PROBE = """
import importlib, sys
importlib.import_module(sys.argv[1])
print("i18n" in sys.modules)
"""


@pytest.mark.parametrize("module", STORAGE_MODULES)
def test_storage_and_services_raise_data_and_leave_wording_to_the_views(module: str) -> None:
    """Storage and the use cases never translate: their errors carry data, views/messages.py words them."""
    completed = subprocess.run(
        [sys.executable, "-c", I18N_PROBE, module], cwd=PROJECT, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "False", f"{module} imports i18n"
