"""The workshop pages (views/workshops.py, views/join.py) run in AppTest as app.py runs them: the
visitor's language first, then the page, inside a navigation that knows the pages they link to.

Each test gets a small entry point of its own in a temporary folder that opens the page under test
first (app.py opens the start page), whose `views/` holds links to the project's page files
(Streamlit resolves them, so page links find the same files). Which pages a role gets in app.py's
navigation is tested in tests/views/test_login_page.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from identity import passwords
from services import accounts
from services import workshops as ws

PROJECT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
DAY = date(2026, 12, 3)

# (file, url path); the first is the page the test opens.
_PAGES = (
    ("start.py", "start"),
    ("assessment.py", "assessment"),
    ("results.py", "results"),
    ("join.py", "join"),
    ("workshops.py", "workshops"),
    ("login.py", "login"),
)

_ENTRY = """
import streamlit as st

from views import language

language.apply()
pages = [
{pages}
]
st.navigation(pages, position="hidden").run()
"""


def entry_point(folder: Path, opened: str, pages: tuple[tuple[str, str], ...] = _PAGES) -> str:
    """An entry point in `folder` that opens views/`opened` first, with `pages` ((file, url path)) in
    its navigation; returns its path."""
    views = folder / "views"
    views.mkdir(parents=True, exist_ok=True)
    lines = []
    for name, url_path in pages:
        link = views / name
        source = PROJECT / "views" / name
        if not link.exists():
            link.symlink_to(source)
        if name == opened:
            lines.append(f"    st.Page({f'views/{name}'!r}, url_path={url_path!r}, default=True),")
        else:
            lines.append(f"    st.Page({f'views/{name}'!r}, url_path={url_path!r}),")
    app = folder / f"entry_{opened.removesuffix('.py')}.py"
    app.write_text(_ENTRY.format(pages="\n".join(lines)), encoding="utf-8")
    return str(app)


def page(folder: Path, opened: str) -> AppTest:
    return AppTest.from_file(entry_point(folder, opened), default_timeout=60)


def walk(node: Any) -> list[Any]:
    found = [node]
    for child in getattr(node, "children", {}).values():
        found += walk(child)
    return found


def shown_text(at: AppTest) -> str:
    """Everything the page shows as text: markdown, headings, alerts, code, HTML, tables."""
    parts: list[str] = []
    for element in walk(at.main):
        proto = getattr(element, "proto", None)
        if element.type == "arrow_data_frame":
            parts.append(element.value.to_string())
        elif hasattr(element, "value") and isinstance(element.value, str):
            parts.append(element.value)
        elif proto is not None and hasattr(proto, "body"):
            parts.append(str(proto.body))
    return "\n".join(parts)


def cheap_passwords(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def staff_token(engine: Engine, username: str, role: str = "trainer") -> tuple[int, str]:
    """(user id, a fresh login token) of a new account."""
    user = accounts.create_user(engine, username, None, role, PASSWORD)
    token, _user = accounts.authenticate(engine, username, PASSWORD, None)
    return user.id, token


def workshop(
    engine: Engine, trainer: int, name: str = "Kick-off", language: str = "en", mode: str = "quick"
) -> ws.StoredWorkshop:
    organisation = ws.create_organisation(engine, trainer, f"Org of {name}", "retail", "10-49", "en", [])
    return ws.create_workshop(engine, trainer, name, organisation.id, DAY, language, mode)


def page_selectboxes(at: AppTest) -> list[Any]:
    """The page's own selectboxes: every one but the language menu at the top of each page."""
    return [box for box in at.selectbox if box.key != "language_selector"]
