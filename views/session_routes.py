"""The two HTTP routes that put a login into an HttpOnly cookie and take it out again.

A Streamlit page cannot set a cookie, and a cookie that page scripts could read would hand the login
to any script on the page. So the login form (views/login.py) asks for a one-time hand-off code
and sends the browser here:

- `GET /account/session?code=...&next=...` spends the code (`services.accounts.complete_handoff`):
  the login's session gets a new token that only the cookie carries (HttpOnly, SameSite=Lax, Secure
  behind https, expiring with the session's absolute end), and the browser goes on to `next`, a
  page of this site. A spent, expired or unknown code goes back to the login page, which says so.
- `GET /account/logout` ends the session of the cookie's token and deletes the cookie.

serve.py mounts them on Streamlit's own server (`st.App(routes=...)`); nothing here imports
Streamlit's page API.
"""

from __future__ import annotations

import functools
import logging
import re
from datetime import timedelta
from urllib.parse import quote

from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from identity.sessions import ABSOLUTE_LIFETIME
from services import accounts
from storage.engine import database_url, make_engine
from storage.errors import UNAVAILABLE_ERRORS

SESSION_COOKIE = "smm_session"
SESSION_PATH = "/account/session"
LOGOUT_PATH = "/account/logout"
LOGIN_PAGE = "login"
# Where the browser may be sent after a login: a page of this site by its url path, nothing else
# (no scheme, no host, no "//"), so the route cannot be used to send anyone elsewhere.
_NEXT = re.compile(r"[a-z][a-z0-9-]{0,40}")

log = logging.getLogger(__name__)


@functools.cache
def _engine(url: str) -> Engine:
    return make_engine(url)


def _site_root(request: Request) -> str:
    """The site's root path as the browser sees it (Streamlit may be served under a base path)."""
    path = request.url.path
    for route in (SESSION_PATH, LOGOUT_PATH):
        if path.endswith(route):
            return path[: -len(route)] + "/"
    return "/"


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "") == "https"


def _login_page(request: Request, problem: str) -> RedirectResponse:
    return RedirectResponse(f"{_site_root(request)}{LOGIN_PAGE}?problem={quote(problem)}", status_code=303)


async def start_session(request: Request) -> Response:
    code = request.query_params.get("code")
    wanted = request.query_params.get("next", "")
    target = wanted if _NEXT.fullmatch(wanted) else ""
    try:
        token = accounts.complete_handoff(_engine(database_url()), code)
    except UNAVAILABLE_ERRORS:
        log.exception("database unavailable while completing a login")
        return _login_page(request, "unavailable")
    if token is None:
        return _login_page(request, "handoff")
    response = RedirectResponse(f"{_site_root(request)}{target}", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(ABSOLUTE_LIFETIME / timedelta(seconds=1)),
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


async def end_session(request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    try:
        accounts.end_session(_engine(database_url()), token)
    except UNAVAILABLE_ERRORS:
        log.exception("database unavailable while ending a session; the cookie is deleted anyway")
    response = RedirectResponse(_site_root(request), status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=_secure(request))
    response.headers["Cache-Control"] = "no-store"
    return response


def routes() -> list[Route]:
    return [
        Route(SESSION_PATH, start_session, methods=["GET"]),
        Route(LOGOUT_PATH, end_session, methods=["GET"]),
    ]
