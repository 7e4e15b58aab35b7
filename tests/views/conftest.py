"""AppTest fixtures: the whole app, in-process, on a fresh SQLite file per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assessment.loader import load_model
from assessment.model import Model
from storage import db
from tests.postgres import postgres_schema_url

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "app.sqlite3"
    monkeypatch.setenv("SMM_SQLITE_PATH", str(path))
    monkeypatch.delenv("SMM_DATABASE_URL", raising=False)
    monkeypatch.delenv("SMM_MODEL_PATH", raising=False)
    return path


@pytest.fixture
def engine(database: Path):
    created = db.make_engine(f"sqlite:///{database}")
    db.upgrade(created)
    yield created
    created.dispose()


@pytest.fixture(scope="session")
def model() -> Model:
    return load_model()


@pytest.fixture
def app(database: Path) -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_engine(request: pytest.FixtureRequest, database: Path, monkeypatch: pytest.MonkeyPatch):
    """The app and the test on the same database: the SQLite file of `database`, or a fresh
    PostgreSQL schema the app reaches through SMM_DATABASE_URL."""
    if request.param == "sqlite":
        created = db.make_engine(f"sqlite:///{database}")
        db.upgrade(created)
        yield created
        created.dispose()
        return
    with postgres_schema_url() as url:
        monkeypatch.setenv("SMM_DATABASE_URL", url)
        created = db.make_engine(url)
        db.upgrade(created)
        yield created
        created.dispose()
