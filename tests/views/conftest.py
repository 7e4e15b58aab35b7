"""AppTest fixtures: the whole app, in-process, on a fresh SQLite file per test, upgraded to head
as `python -m storage upgrade` does before the site starts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from assessment.loader import load_model
from assessment.model import Model
from storage import respondents as store
from storage.engine import make_engine
from storage.migrate import upgrade
from tests.postgres import postgres_schema_url

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def list_rounds(engine: Engine, respondent_id: int) -> list[store.Round]:
    with engine.connect() as connection:
        return store.rounds_of(connection, respondent_id)


def _upgraded(url: str) -> Engine:
    created = make_engine(url)
    upgrade(created)
    return created


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "app.sqlite3"
    monkeypatch.setenv("SMM_SQLITE_PATH", str(path))
    monkeypatch.delenv("SMM_DATABASE_URL", raising=False)
    monkeypatch.delenv("SMM_MODEL_PATH", raising=False)
    _upgraded(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture
def engine(database: Path):
    created = make_engine(f"sqlite:///{database}")
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
        created = make_engine(f"sqlite:///{database}")
        yield created
        created.dispose()
        return
    with postgres_schema_url() as url:
        monkeypatch.setenv("SMM_DATABASE_URL", url)
        created = _upgraded(url)
        yield created
        created.dispose()


def page_alone(page: str) -> AppTest:
    """One page file of views/ run on its own, outside the navigation: what a page does when only its
    own checks stand between a visitor and its content. (AppTest.from_file on views/x.py would put
    views/ first on sys.path, where views/assessment.py hides the assessment package.)"""
    path = Path(APP).parent / "views" / page
    return AppTest.from_string(
        f"import runpy\nrunpy.run_path({str(path)!r}, run_name='__main__')\n", default_timeout=60
    )


@pytest.fixture
def media(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[MemoryMediaFileStorage]]:
    """The in-memory file storage of each AppTest run, to read what a download button offers
    (tests/views/management_pages.downloaded)."""
    from streamlit.testing.v1 import app_test as app_test_module

    made: list[MemoryMediaFileStorage] = []

    def storage(prefix: str) -> MemoryMediaFileStorage:
        made.append(MemoryMediaFileStorage(prefix))
        return made[-1]

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", storage)
    yield made
