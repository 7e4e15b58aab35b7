"""Session tokens and when a session ends.

A token is 43 URL-safe characters (256 random bits) handed to the browser once; the database keeps
only its SHA-256, so a copy of the database opens no session. A session ends when it is ended (log
out, password change, account switched off), after IDLE_TIMEOUT without use, or ABSOLUTE_LIFETIME
after login, whichever comes first."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

IDLE_TIMEOUT = timedelta(hours=8)
ABSOLUTE_LIFETIME = timedelta(days=7)
# last_seen_at is written at most this often: a page run reads the session on every click.
TOUCH_INTERVAL = timedelta(minutes=1)
TOKEN_PATTERN = re.compile(r"\A[A-Za-z0-9_-]{43}\Z")


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def session_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def well_formed(token: object) -> bool:
    return isinstance(token, str) and TOKEN_PATTERN.match(token) is not None


def expires_at(created_at: datetime) -> datetime:
    """The absolute end of a session begun at `created_at`."""
    return created_at + ABSOLUTE_LIFETIME


def is_live(now: datetime, last_seen_at: datetime, expires: datetime, ended_at: datetime | None) -> bool:
    """Whether a session may still be used at `now`."""
    return ended_at is None and now < expires and now - last_seen_at < IDLE_TIMEOUT


def needs_touch(now: datetime, last_seen_at: datetime) -> bool:
    return now - last_seen_at >= TOUCH_INTERVAL
