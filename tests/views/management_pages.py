"""The management pages (views/organisation.py, views/plan.py) run in AppTest inside a navigation
as app.py runs them, logged in as a given account, on an organisation seeded with
tests/management_seed.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from services import accounts
from tests import management_seed as seed
from tests.views.workshop_pages import entry_point

PROJECT = Path(__file__).resolve().parents[2]

_PAGES = (
    ("organisation.py", "organisation"),
    ("plan.py", "plan"),
    ("join.py", "join"),
    ("start.py", "start"),
    ("assessment.py", "assessment"),
    ("login.py", "login"),
)


def page(folder: Path, opened: str) -> AppTest:
    """An AppTest of an entry point in `folder` that opens views/`opened` first."""
    return AppTest.from_file(entry_point(folder, opened, _PAGES), default_timeout=60)


def token_of(engine: Engine, username: str) -> str:
    token, _user = accounts.authenticate(engine, username, seed.PASSWORD, None)
    return token


def open_page(folder: Path, opened: str, token: str | None = None, **params: str) -> AppTest:
    at = page(folder, opened)
    if token is not None:
        at.session_state["staff_token"] = token
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def button(at: AppTest, label: str, index: int = 0) -> Any:
    found = [b for b in at.button if b.label == label]
    return found[index]


def downloaded(at: AppTest, media: list[MemoryMediaFileStorage], label: str) -> tuple[bytes, str | None]:
    """What the download button labelled `label` offers: its bytes and file name (the `media` fixture
    of tests/views/conftest.py holds the run's file storage)."""
    (found,) = [b for b in at.get("download_button") if b.proto.label == label]
    file_id = found.proto.url.rsplit("/", 1)[-1]
    stored = media[-1].get_file(file_id)
    return stored.content, stored.filename
