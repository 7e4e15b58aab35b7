"""The cookie routes (views/session_routes.py): a hand-off code becomes an HttpOnly cookie and a
redirect to a page of this site; a bad code goes back to the login page; logout ends the session
and deletes the cookie. The handlers are called as Starlette calls them."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import urlencode

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import Response

from identity import passwords
from identity.rules import Role
from services import accounts
from views import session_routes

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def request(path: str, query: dict[str, str], cookie: str | None = None, proto: str | None = None) -> Request:
    headers = []
    if cookie is not None:
        headers.append((b"cookie", f"{session_routes.SESSION_COOKIE}={cookie}".encode()))
    if proto is not None:
        headers.append((b"x-forwarded-proto", proto.encode()))
    scope = {
        "type": "http", "method": "GET", "scheme": "http", "server": ("testserver", 80), "path": path,
        "root_path": "", "query_string": urlencode(query).encode(), "headers": headers,
    }  # fmt: skip
    return Request(scope)


def call(handler, req: Request) -> Response:  # type: ignore[no-untyped-def]
    return asyncio.run(handler(req))


def handed_off(engine: Engine) -> tuple[str, str]:
    accounts.create_user(engine, "anna", None, Role.TRAINER, PASSWORD)
    token, _user = accounts.authenticate(engine, "anna", PASSWORD, None)
    code = accounts.begin_handoff(engine, token)
    assert code is not None
    return token, code


def test_a_code_sets_an_httponly_cookie_and_goes_to_the_page(database: Path, engine: Engine) -> None:
    _token, code = handed_off(engine)
    response = call(session_routes.start_session, request("/account/session", {"code": code, "next": "workshops"}))
    assert response.status_code == 303
    assert response.headers["location"] == "/workshops"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{session_routes.SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http here; behind an https proxy it is set (next test)
    value = cookie.split(";", 1)[0].split("=", 1)[1]
    assert accounts.user_for_session(engine, value) is not None
    # The same code a second time: back to the login page, which says why; no cookie.
    again = call(session_routes.start_session, request("/account/session", {"code": code}))
    assert again.headers["location"] == "/login?problem=handoff"
    assert "set-cookie" not in again.headers


def test_behind_https_the_cookie_is_secure_and_next_cannot_leave_the_site(database: Path, engine: Engine) -> None:
    _token, code = handed_off(engine)
    response = call(
        session_routes.start_session,
        request("/account/session", {"code": code, "next": "//evil.example/x"}, proto="https"),
    )
    assert response.headers["location"] == "/"
    assert "Secure" in response.headers["set-cookie"]


def test_under_a_base_path_the_redirects_stay_under_it(database: Path, engine: Engine) -> None:
    response = call(session_routes.start_session, request("/smm/account/session", {"code": "nope"}))
    assert response.headers["location"] == "/smm/login?problem=handoff"


def test_logout_ends_the_session_and_deletes_the_cookie(database: Path, engine: Engine) -> None:
    _token, code = handed_off(engine)
    response = call(session_routes.start_session, request("/account/session", {"code": code}))
    value = response.headers["set-cookie"].split(";", 1)[0].split("=", 1)[1]
    out = call(session_routes.end_session, request("/account/logout", {}, cookie=value))
    assert out.status_code == 303 and out.headers["location"] == "/"
    assert 'smm_session=""' in out.headers["set-cookie"] and "Max-Age=0" in out.headers["set-cookie"]
    assert accounts.user_for_session(engine, value) is None
