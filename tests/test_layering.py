"""Domain code must not import streamlit: each module is imported alone in a fresh interpreter."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
# Model, loading, scoring, grading, use cases, storage and reporting: plain Python, usable from scripts and tests.
DOMAIN_PACKAGES = ("assessment", "learning", "lessons", "quizzes", "reporting", "services", "storage")

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
    expected = {"assessment.scoring", "quizzes.grading", "services.respondents", "storage.engine", "storage.migrate"}
    assert expected <= set(DOMAIN_MODULES)


@pytest.mark.parametrize("module", DOMAIN_MODULES)
def test_domain_module_does_not_import_streamlit(module: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, module], cwd=PROJECT, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "", f"{module} pulls in {completed.stdout.strip()}"


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
