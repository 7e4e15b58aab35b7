"""Session tokens and expiry: idle and absolute."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

from identity import sessions

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)


def test_tokens_are_43_url_safe_characters_and_stored_as_their_sha256() -> None:
    token = sessions.new_session_token()
    assert sessions.well_formed(token) and len(token) == 43
    assert sessions.new_session_token() != token
    assert sessions.session_token_hash(token) == hashlib.sha256(token.encode()).hexdigest()
    assert not sessions.well_formed("x" * 32)
    assert not sessions.well_formed(None)
    assert not sessions.well_formed(token[:-1] + "!")


def test_a_session_ends_after_eight_idle_hours() -> None:
    expires = sessions.expires_at(T0)
    assert sessions.is_live(T0 + timedelta(hours=7, minutes=59), T0, expires, None)
    assert not sessions.is_live(T0 + timedelta(hours=8), T0, expires, None)


def test_a_session_ends_seven_days_after_login_however_busy() -> None:
    expires = sessions.expires_at(T0)
    assert expires == T0 + timedelta(days=7)
    just_before = expires - timedelta(seconds=1)
    assert sessions.is_live(just_before, just_before - timedelta(minutes=5), expires, None)
    assert not sessions.is_live(expires, expires - timedelta(minutes=5), expires, None)


def test_an_ended_session_is_over() -> None:
    assert not sessions.is_live(T0 + timedelta(minutes=1), T0, sessions.expires_at(T0), T0)


def test_last_seen_is_written_at_most_once_a_minute() -> None:
    assert not sessions.needs_touch(T0 + timedelta(seconds=59), T0)
    assert sessions.needs_touch(T0 + timedelta(minutes=1), T0)
