"""Every service test runs twice: on a SQLite file and on PostgreSQL (see tests/databases.py).
The bundled model and course, and the management tests' cheap password hashes with a fresh
dashboard cache (`cheap_management`, asked for by those modules)."""

import pytest
from argon2 import PasswordHasher

from assessment.loader import load_model
from assessment.model import Model
from identity import passwords
from learning.content import Course, load_course
from services import dashboard as dash
from tests.databases import database_url, engine  # noqa: F401 - fixtures


@pytest.fixture
def cheap_management(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    dash.clear_cache()


@pytest.fixture(scope="module")
def model() -> Model:
    return load_model()


@pytest.fixture(scope="module")
def course(model: Model) -> Course:
    return load_course(model)
