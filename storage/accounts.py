"""Queries for accounts: users, their login sessions and failed logins.

Every function takes a Connection, so a use case composes several in one transaction
(`services/accounts.py`). Nothing here validates, hashes or decides: usernames arrive normalised,
passwords as hashes, tokens as their SHA-256; the rules are in `identity`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from storage.schema import auth_sessions, login_failures, users


@dataclass(frozen=True)
class StoredUser:
    id: int
    username: str
    display_name: str
    password_hash: str
    role: str
    active: bool
    created_at: datetime
    password_changed_at: datetime
    email: str | None = None  # the single sign-on e-mail, lower-cased


@dataclass(frozen=True)
class StoredSession:
    id: int
    user_id: int
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    ended_at: datetime | None


def _user(row: Any) -> StoredUser:
    return StoredUser(
        row.id,
        row.username,
        row.display_name,
        row.password_hash,
        row.role,
        bool(row.active),
        row.created_at,
        row.password_changed_at,
        row.email,
    )


_USER_COLUMNS = (
    users.c.id,
    users.c.username,
    users.c.display_name,
    users.c.password_hash,
    users.c.role,
    users.c.active,
    users.c.created_at,
    users.c.password_changed_at,
    users.c.email,
)


# Users -------------------------------------------------------------------------------------------


def insert_user(
    connection: Connection, username: str, display_name: str, password_hash: str, role: str, at: datetime
) -> StoredUser:
    user_id = connection.execute(
        insert(users).values(
            username=username,
            display_name=display_name,
            password_hash=password_hash,
            role=role,
            active=True,
            created_at=at,
            updated_at=at,
            password_changed_at=at,
        )
    ).inserted_primary_key[0]  # type: ignore[index]  # an INSERT of one row always has a key
    return StoredUser(user_id, username, display_name, password_hash, role, True, at, at)


def user_by_name(connection: Connection, username: str) -> StoredUser | None:
    row = connection.execute(select(*_USER_COLUMNS).where(users.c.username == username)).first()
    return None if row is None else _user(row)


def user_by_email(connection: Connection, email: str) -> StoredUser | None:
    """The user with this (lower-cased) single sign-on e-mail."""
    row = connection.execute(select(*_USER_COLUMNS).where(users.c.email == email)).first()
    return None if row is None else _user(row)


def set_email(connection: Connection, user_id: int, email: str | None, at: datetime) -> None:
    connection.execute(update(users).where(users.c.id == user_id).values(email=email, updated_at=at))


def user_by_id(connection: Connection, user_id: int) -> StoredUser | None:
    row = connection.execute(select(*_USER_COLUMNS).where(users.c.id == user_id)).first()
    return None if row is None else _user(row)


def active_user_in(connection: Connection, user_id: int, roles: Iterable[str]) -> StoredUser | None:
    """The user when the account is active and has one of `roles`; else None."""
    user = user_by_id(connection, user_id)
    return user if user is not None and user.active and user.role in set(roles) else None


def all_users(connection: Connection) -> list[StoredUser]:
    return [_user(row) for row in connection.execute(select(*_USER_COLUMNS).order_by(users.c.username))]


def set_password_hash(connection: Connection, user_id: int, password_hash: str, at: datetime, *, changed: bool) -> None:
    """Store a new hash; `changed`: a new password (password_changed_at moves), not a rehash of the same one."""
    values: dict[str, object] = {"password_hash": password_hash, "updated_at": at}
    if changed:
        values["password_changed_at"] = at
    connection.execute(update(users).where(users.c.id == user_id).values(**values))


def set_role(connection: Connection, user_id: int, role: str, at: datetime) -> None:
    connection.execute(update(users).where(users.c.id == user_id).values(role=role, updated_at=at))


def set_active(connection: Connection, user_id: int, active: bool, at: datetime) -> None:
    connection.execute(update(users).where(users.c.id == user_id).values(active=active, updated_at=at))


# Sessions ----------------------------------------------------------------------------------------


def _session(row: Any) -> StoredSession:
    return StoredSession(row.id, row.user_id, row.created_at, row.last_seen_at, row.expires_at, row.ended_at)


def insert_session(connection: Connection, token_hash: str, user_id: int, at: datetime, expires: datetime) -> int:
    session_id: int = connection.execute(
        insert(auth_sessions).values(
            token_hash=token_hash, user_id=user_id, created_at=at, last_seen_at=at, expires_at=expires
        )
    ).inserted_primary_key[0]  # type: ignore[index]
    return session_id


def session_by_token_hash(connection: Connection, token_hash: str) -> StoredSession | None:
    row = connection.execute(select(auth_sessions).where(auth_sessions.c.token_hash == token_hash)).first()
    return None if row is None else _session(row)


def set_handoff(connection: Connection, token_hash: str, handoff_hash: str, expires: datetime) -> None:
    """Give the session of this token a one-time hand-off code (its SHA-256), good until `expires`."""
    connection.execute(
        update(auth_sessions)
        .where(auth_sessions.c.token_hash == token_hash)
        .values(handoff_hash=handoff_hash, handoff_expires_at=expires)
    )


def take_handoff(connection: Connection, handoff_hash: str, new_token_hash: str, at: datetime) -> StoredSession | None:
    """Spend a hand-off code: the session it belongs to, if the code is unspent and not expired, now
    under a new token (the one the cookie will carry); None otherwise. The code cannot be used twice."""
    row = connection.execute(
        select(auth_sessions).where(auth_sessions.c.handoff_hash == handoff_hash).with_for_update()
    ).first()
    if row is None:
        return None
    good = row.handoff_expires_at is not None and row.handoff_expires_at > at and row.ended_at is None
    values: dict[str, object] = {"handoff_hash": None, "handoff_expires_at": None}
    if good:
        values["token_hash"] = new_token_hash
    connection.execute(update(auth_sessions).where(auth_sessions.c.id == row.id).values(**values))
    return _session(row) if good else None


def touch_session(connection: Connection, session_id: int, at: datetime) -> None:
    connection.execute(update(auth_sessions).where(auth_sessions.c.id == session_id).values(last_seen_at=at))


def end_session(connection: Connection, token_hash: str, at: datetime) -> None:
    connection.execute(
        update(auth_sessions)
        .where(auth_sessions.c.token_hash == token_hash, auth_sessions.c.ended_at.is_(None))
        .values(ended_at=at)
    )


def end_sessions_of(connection: Connection, user_id: int, at: datetime, *, keep: int | None = None) -> int:
    """End every open session of a user, but `keep` (a session id); how many were ended."""
    statement = update(auth_sessions).where(auth_sessions.c.user_id == user_id, auth_sessions.c.ended_at.is_(None))
    if keep is not None:
        statement = statement.where(auth_sessions.c.id != keep)
    return int(connection.execute(statement.values(ended_at=at)).rowcount)


def open_sessions_of(connection: Connection, user_id: int) -> int:
    return int(
        connection.execute(
            select(func.count())
            .select_from(auth_sessions)
            .where(auth_sessions.c.user_id == user_id, auth_sessions.c.ended_at.is_(None))
        ).scalar_one()
    )


# Failed logins -----------------------------------------------------------------------------------


def failures_since(connection: Connection, kind: str, subject: str, since: datetime) -> list[datetime]:
    rows = connection.execute(
        select(login_failures.c.at)
        .where(login_failures.c.kind == kind, login_failures.c.subject == subject, login_failures.c.at > since)
        .order_by(login_failures.c.at)
    )
    return [row.at for row in rows]


def record_failure(connection: Connection, kind: str, subject: str, at: datetime, forget_before: datetime) -> None:
    """Keep one failure; the subject's failures before `forget_before` no longer count and go."""
    connection.execute(
        delete(login_failures).where(
            login_failures.c.kind == kind, login_failures.c.subject == subject, login_failures.c.at < forget_before
        )
    )
    connection.execute(insert(login_failures).values(kind=kind, subject=subject, at=at))


def clear_failures(connection: Connection, kind: str, subject: str) -> None:
    connection.execute(delete(login_failures).where(login_failures.c.kind == kind, login_failures.c.subject == subject))
