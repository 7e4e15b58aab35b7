"""Who is logged in, and the gate every page for trainers, managers and admins passes first.

A login lives in an HttpOnly cookie (`SESSION_COOKIE`) that the browser sends with the page's
websocket; the page reads it through `st.context.cookies` and asks `services.accounts` whose it is
(the cookie holds a random session token; the database holds its SHA-256 only, and ends it after
8 idle hours or 7 days). Right after the login form, before the browser has been through the
cookie route (serve.py), the same session's token is in session state; a password never is.
With `[auth]` in secrets, a user may also come in through single sign-on (`st.login`): the
provider's e-mail is mapped to an existing, active account.

Pages for staff call `require(...)` before anything else: the navigation leaves them out for other
visitors, and the page itself refuses to render for anyone without the role (a typed URL, a
participant's resume token, an expired session).
"""

from __future__ import annotations

import streamlit as st

from i18n import _
from identity.rules import Role
from services import accounts
from services.accounts import User
from views.session_routes import SESSION_COOKIE

_TOKEN = "staff_token"  # this browser session's login token, until the cookie carries it


def session_token() -> str | None:
    """The login token of this visit: the cookie's, else the one the login form just made."""
    try:
        cookie = st.context.cookies.get(SESSION_COOKIE)
    except Exception:  # no request behind this run (a script run without a browser): no cookie
        cookie = None
    if isinstance(cookie, str) and cookie:
        return cookie
    token = st.session_state.get(_TOKEN)
    return token if isinstance(token, str) else None


def remember(token: str) -> None:
    """Keep a fresh login's token for this browser session (the cookie takes over after the hand-off)."""
    st.session_state[_TOKEN] = token


def forget() -> None:
    st.session_state.pop(_TOKEN, None)


_SSO: dict[str, bool] = {}


def sso_configured() -> bool:
    """Whether single sign-on is set up: an `[auth]` section in secrets. Read once per process (every
    run of every page asks; secrets change only with a restart)."""
    if "configured" not in _SSO:
        try:
            _SSO["configured"] = "auth" in st.secrets
        except Exception:  # no secrets file at all
            _SSO["configured"] = False
    return _SSO["configured"]


def sso_email() -> str | None:
    """The e-mail the sign-on provider vouches for, when a visitor came in through `st.login`."""
    if not sso_configured():
        return None
    try:
        if not st.user.is_logged_in:
            return None
        email = st.user.get("email")
    except Exception:  # Streamlit's auth not available in this run
        return None
    return email if isinstance(email, str) and email else None


def current_user() -> User | None:
    """The logged-in user of this visit, read from storage on every run; None for everyone else
    (participants, a session that ended or expired, an account switched off)."""
    from views import state

    engine = state.engine()
    user = accounts.user_for_session(engine, session_token())
    if user is not None:
        return user
    email = sso_email()
    if email is not None:
        return accounts.user_for_email(engine, email)
    return None


def has_role(user: User | None, roles: tuple[Role, ...]) -> bool:
    return user is not None and user.active and user.role in roles


def require(*roles: Role) -> User:
    """The logged-in user when they hold one of `roles`; otherwise a message naming what is missing
    and the page stops here, having shown nothing else."""
    user = current_user()
    if has_role(user, roles):
        assert user is not None
        return user
    names = ", ".join(role_label(role) for role in roles)
    if user is None:
        st.warning(
            _("This page is for {roles}. Log in with your account to open it.").format(roles=names),
            icon=":material/lock:",
        )
        # A plain link, not st.page_link: the page may run where the login page is not in the
        # navigation (a page opened on its own), and a link works everywhere.
        st.markdown(f"[{_('Log in')}](login)")
    else:
        st.error(
            _("Your account ({role}) cannot open this page: it is for {roles}.").format(
                role=role_label(user.role), roles=names
            ),
            icon=":material/block:",
        )
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover


def role_label(role: Role) -> str:
    labels = {
        Role.TRAINER: _("trainers"),
        Role.MANAGER: _("managers"),
        Role.ADMIN: _("admins"),
    }
    return labels[role]


def client_address() -> str | None:
    """The browser's address, for the login throttle. Streamlit reports none for a connection from
    this machine; that is how a local reverse proxy (our nginx, deploy/nginx) connects, so then the
    address it passes in X-Real-IP counts. A header from anywhere else is ignored (anyone can send it)."""
    try:
        address = st.context.ip_address
        forwarded = st.context.headers.get("X-Real-IP") if address is None else None
    except Exception:  # no request behind this run
        return None
    if isinstance(address, str) and address:
        return address
    return forwarded.strip() if isinstance(forwarded, str) and forwarded.strip() else None
