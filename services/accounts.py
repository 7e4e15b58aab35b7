"""Use cases of accounts: create a user, log in, find the user behind a session, log out, change a
password, a role or whether an account is active, list users.

Each function is one transaction under the retry policy (`storage.engine`). The rules (usernames,
password policy, hashing, session expiry, throttle) are in `identity`; the errors are typed
(`identity.errors`, `storage.errors`) and carry no password and no token.

Passwords and tokens pass through here and go nowhere else: only an argon2 hash and a token's
SHA-256 are written, nothing is logged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from identity import passwords, sessions, throttle
from identity.errors import (
    LastAdmin,
    LoginProblem,
    LoginRefused,
    UnknownUser,
    UsernameError,
    UsernameTaken,
)
from identity.rules import DISPLAY_NAME_MAX, Role, check_password, check_role, check_username, normalise_username
from services.rules import clean_text
from storage import accounts as store
from storage.engine import database_url, make_engine, reading, transaction
from storage.errors import SchemaAhead, SchemaBehind, StorageBusy, TextFieldError
from storage.migrate import check_schema
from storage.schema import EMAIL_MAX

__all__ = [
    "SchemaAhead",
    "SchemaBehind",
    "StorageBusy",
    "TextFieldError",
    "User",
    "authenticate",
    "begin_handoff",
    "complete_handoff",
    "set_email",
    "user_for_email",
    "change_password",
    "create_user",
    "end_all_sessions",
    "end_session",
    "find_user",
    "list_users",
    "open_engine",
    "set_active",
    "set_role",
    "user_for_session",
]


@dataclass(frozen=True)
class User:
    """An account as pages see it: never its password hash."""

    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    created_at: datetime
    password_changed_at: datetime
    email: str | None = None


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _public(stored: store.StoredUser) -> User:
    return User(
        stored.id,
        stored.username,
        stored.display_name,
        Role(stored.role),
        stored.active,
        stored.created_at,
        stored.password_changed_at,
        stored.email,
    )


def open_engine(url: str | None = None) -> Engine:
    """An engine on the site's database (SMM_DATABASE_URL, else the SQLite file), checked to be at the
    newest schema: SchemaBehind (run `python -m storage upgrade`) or SchemaAhead otherwise."""
    engine = make_engine(url or database_url())
    try:
        check_schema(engine)
    except Exception:
        engine.dispose()
        raise
    return engine


# Users -------------------------------------------------------------------------------------------


def create_user(
    engine: Engine,
    username: str,
    display_name: str | None,
    role: str | Role,
    password: str,
    now: datetime | None = None,
) -> User:
    """A new, active account. UsernameError, PasswordError, RoleError or TextFieldError (display name)
    before anything is written; UsernameTaken when the name exists in any case. The display name
    defaults to the username."""
    name = check_username(username)
    checked_role = role if isinstance(role, Role) else check_role(role)
    shown = clean_text(display_name, "display_name", DISPLAY_NAME_MAX) or name
    check_password(password, name)
    hashed = passwords.hash_password(password)
    at = now or _now()

    def work(connection: Connection) -> store.StoredUser:
        if store.user_by_name(connection, name) is not None:
            raise UsernameTaken(name)
        return store.insert_user(connection, name, shown, hashed, checked_role.value, at)

    try:
        return _public(transaction(engine, work))
    except IntegrityError as error:  # two creations of one name at once: the unique constraint decides
        raise UsernameTaken(name) from error


def find_user(engine: Engine, username: str) -> User:
    name = normalise_username(username)
    found = reading(engine, lambda c: store.user_by_name(c, name))
    if found is None:
        raise UnknownUser(name)
    return _public(found)


def list_users(engine: Engine) -> list[User]:
    """Every account, by username."""
    return [_public(u) for u in reading(engine, store.all_users)]


def _existing(connection: Connection, user_id: int) -> store.StoredUser:
    found = store.user_by_id(connection, user_id)
    if found is None:
        raise UnknownUser(str(user_id))
    return found


def _leaves_no_admin(connection: Connection, user: store.StoredUser) -> bool:
    others = [u for u in store.all_users(connection) if u.id != user.id and u.active and u.role == Role.ADMIN.value]
    return user.active and user.role == Role.ADMIN.value and not others


def set_role(engine: Engine, user_id: int, role: str | Role, now: datetime | None = None) -> User:
    """Give an account another role; LastAdmin when it is the last active admin's."""
    checked = role if isinstance(role, Role) else check_role(role)
    at = now or _now()

    def work(connection: Connection) -> store.StoredUser:
        user = _existing(connection, user_id)
        if checked is not Role.ADMIN and _leaves_no_admin(connection, user):
            raise LastAdmin()
        store.set_role(connection, user_id, checked.value, at)
        return _existing(connection, user_id)

    return _public(transaction(engine, work))


def set_active(engine: Engine, user_id: int, active: bool, now: datetime | None = None) -> User:
    """Switch an account on or off; switching off ends its sessions at once. LastAdmin when it is
    the last active admin."""
    at = now or _now()

    def work(connection: Connection) -> store.StoredUser:
        user = _existing(connection, user_id)
        if not active and _leaves_no_admin(connection, user):
            raise LastAdmin()
        store.set_active(connection, user_id, active, at)
        if not active:
            store.end_sessions_of(connection, user_id, at)
        return _existing(connection, user_id)

    return _public(transaction(engine, work))


def change_password(
    engine: Engine,
    user_id: int,
    new_password: str,
    *,
    current_password: str | None = None,
    keep_token: str | None = None,
    now: datetime | None = None,
) -> None:
    """Set a new password and end the account's other sessions (all of them, but the one of
    `keep_token`: the page the user changed it on). With `current_password` (a user changing their
    own), LoginRefused(WRONG_CREDENTIALS) unless it is right. PasswordError before anything is written."""
    at = now or _now()
    keep_hash = sessions.session_token_hash(keep_token) if keep_token and sessions.well_formed(keep_token) else None

    def read(connection: Connection) -> store.StoredUser:
        return _existing(connection, user_id)

    user = reading(engine, read)
    check_password(new_password, user.username)
    if current_password is not None and not passwords.verify_password(user.password_hash, current_password):
        raise LoginRefused(LoginProblem.WRONG_CREDENTIALS)
    hashed = passwords.hash_password(new_password)

    def work(connection: Connection) -> None:
        _existing(connection, user_id)
        store.set_password_hash(connection, user_id, hashed, at, changed=True)
        kept = store.session_by_token_hash(connection, keep_hash) if keep_hash else None
        keep = kept.id if kept is not None and kept.user_id == user_id else None
        store.end_sessions_of(connection, user_id, at, keep=keep)

    transaction(engine, work)


# Logging in --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Outcome:
    user: store.StoredUser | None
    refused: LoginProblem | None = None
    minutes_left: int = 0


def authenticate(
    engine: Engine, username: str, password: str, client_address: str | None, now: datetime | None = None
) -> tuple[str, User]:
    """Log in: a new session's token (give it to the browser, it is stored only as a hash) and the
    user. LoginRefused otherwise: WRONG_CREDENTIALS for an unknown username and a wrong password alike
    (each counts a failure for the account and for the client address), THROTTLED with the minutes
    left after too many failures (identity.throttle), INACTIVE for the right password of an account
    that is switched off. A hash made with weaker parameters than today's is replaced.

    `client_address` is the browser's address as the server saw it (None when unknown: only the
    account is throttled); only its SHA-256 is stored."""
    at = now or _now()
    name = normalise_username(username)
    try:
        account = check_username(name)
    except UsernameError:
        account = None  # no such account can exist; only the address counts the failure
    address = throttle.address_subject(client_address) if client_address else None
    subjects = [(throttle.ACCOUNT, account)] if account else []
    if address:
        subjects.append((throttle.ADDRESS, address))
    token = sessions.new_session_token()
    token_hash = sessions.session_token_hash(token)

    def work(connection: Connection) -> _Outcome:
        # A retry after an ambiguous commit finds the session it made.
        made = store.session_by_token_hash(connection, token_hash)
        if made is not None:
            return _Outcome(store.user_by_id(connection, made.user_id))
        since = at - throttle.KEEP
        locked = max(
            (
                throttle.minutes_locked(store.failures_since(connection, kind, subject, since), at)
                for kind, subject in subjects
            ),
            default=0,
        )
        if locked:
            return _Outcome(None, LoginProblem.THROTTLED, locked)
        user = store.user_by_name(connection, account) if account else None
        if user is None:
            passwords.verify_nobody(password)
            right = False
        else:
            right = passwords.verify_password(user.password_hash, password)
        if not right:
            for kind, subject in subjects:
                store.record_failure(connection, kind, subject, at, since)
            return _Outcome(None, LoginProblem.WRONG_CREDENTIALS)
        assert user is not None
        if not user.active:
            return _Outcome(None, LoginProblem.INACTIVE)
        store.clear_failures(connection, throttle.ACCOUNT, user.username)
        if passwords.needs_rehash(user.password_hash):
            store.set_password_hash(connection, user.id, passwords.hash_password(password), at, changed=False)
        store.insert_session(connection, token_hash, user.id, at, sessions.expires_at(at))
        return _Outcome(user)

    outcome = transaction(engine, work)
    if outcome.refused is not None or outcome.user is None:
        # Raised after the transaction, which has committed the failures it counted.
        raise LoginRefused(outcome.refused or LoginProblem.WRONG_CREDENTIALS, outcome.minutes_left)
    return token, _public(outcome.user)


def user_for_session(engine: Engine, token: str | None, now: datetime | None = None) -> User | None:
    """The user a session token belongs to, or None: no token, a malformed or unknown one, a session
    ended, idle too long or past its absolute end, an account switched off. Marks the session as
    used (at most once a minute, identity.sessions.TOUCH_INTERVAL)."""
    if not sessions.well_formed(token):
        return None
    assert token is not None
    at = now or _now()
    token_hash = sessions.session_token_hash(token)

    def read(connection: Connection) -> tuple[store.StoredSession, store.StoredUser] | None:
        found = store.session_by_token_hash(connection, token_hash)
        if found is None or not sessions.is_live(at, found.last_seen_at, found.expires_at, found.ended_at):
            return None
        user = store.user_by_id(connection, found.user_id)
        if user is None or not user.active:
            return None
        return found, user

    live = reading(engine, read)
    if live is None:
        return None
    session, user = live
    if sessions.needs_touch(at, session.last_seen_at):
        transaction(engine, lambda c: store.touch_session(c, session.id, at))
    return _public(user)


def end_session(engine: Engine, token: str | None, now: datetime | None = None) -> None:
    """Log out: the session of this token ends (nothing happens for an unknown or ended one)."""
    if not sessions.well_formed(token):
        return
    assert token is not None
    at = now or _now()
    hashed = sessions.session_token_hash(token)
    transaction(engine, lambda c: store.end_session(c, hashed, at))


def end_all_sessions(engine: Engine, user_id: int, now: datetime | None = None) -> int:
    """End every open session of an account (log out everywhere); how many were open."""
    at = now or _now()
    return transaction(engine, lambda c: store.end_sessions_of(c, user_id, at))


# The hand-off of a login to the HttpOnly cookie ----------------------------------------------------
#
# The login form runs in the page, which cannot set an HttpOnly cookie. It asks for a one-time code
# (`begin_handoff`) and sends the browser to the cookie route (serve.py) with it; the route spends
# the code (`complete_handoff`) for the session under a new token, which only the cookie carries.
# The code is good once and for HANDOFF_SECONDS; only its SHA-256 is stored.

HANDOFF_SECONDS = 60


def begin_handoff(engine: Engine, token: str, now: datetime | None = None) -> str | None:
    """A one-time code that hands the live session of `token` to the cookie route; None when the
    token is no live session."""
    if user_for_session(engine, token, now) is None:
        return None
    at = now or _now()
    code = sessions.new_session_token()
    hashed = sessions.session_token_hash(token)
    transaction(
        engine,
        lambda c: store.set_handoff(
            c, hashed, sessions.session_token_hash(code), at + timedelta(seconds=HANDOFF_SECONDS)
        ),
    )
    return code


def complete_handoff(engine: Engine, code: str | None, now: datetime | None = None) -> str | None:
    """Spend a hand-off code: the session's new token for the cookie (the page's token stops working),
    or None for a code that is malformed, unknown, spent, expired, or of a session that ended."""
    if not sessions.well_formed(code):
        return None
    assert code is not None
    at = now or _now()
    fresh = sessions.new_session_token()
    code_hash = sessions.session_token_hash(code)
    fresh_hash = sessions.session_token_hash(fresh)

    def work(connection: Connection) -> bool:
        if store.session_by_token_hash(connection, fresh_hash) is not None:
            return True  # a retry after an ambiguous commit: this call already spent the code
        return store.take_handoff(connection, code_hash, fresh_hash, at) is not None

    if not transaction(engine, work):
        return None
    return fresh if user_for_session(engine, fresh, at) is not None else None


# Single sign-on ------------------------------------------------------------------------------------


def normalise_email(raw: str) -> str:
    return raw.strip().lower()


def user_for_email(engine: Engine, email: str | None) -> User | None:
    """The active account whose single sign-on e-mail this is (`st.login`), or None."""
    if not email or "@" not in email:
        return None
    found = reading(engine, lambda c: store.user_by_email(c, normalise_email(email)))
    return None if found is None or not found.active else _public(found)


class EmailError(ValueError):
    """An e-mail that cannot be an account's sign-on address (problem "malformed"), or one another
    account has ("taken")."""

    def __init__(self, problem: str, email: str) -> None:
        notes = {
            "malformed": f"{email!r} is not an e-mail address (name@example.org, at most {EMAIL_MAX} characters)",
            "taken": f"{email} is already the sign-on e-mail of another account",
        }
        super().__init__(notes[problem])
        self.problem = problem
        self.email = email


EMAIL_PATTERN = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+")


def set_email(engine: Engine, user_id: int, email: str | None, now: datetime | None = None) -> User:
    """Set (or with None or "" clear) the e-mail single sign-on maps to this account. EmailError for a
    malformed address or one another account has; UnknownUser for no such account."""
    at = now or _now()
    value = normalise_email(email) if email else None
    if value is not None and (len(value) > EMAIL_MAX or not EMAIL_PATTERN.fullmatch(value)):
        raise EmailError("malformed", email or "")

    def work(connection: Connection) -> store.StoredUser:
        user = _existing(connection, user_id)
        if value is not None:
            other = store.user_by_email(connection, value)
            if other is not None and other.id != user.id:
                raise EmailError("taken", value)
        store.set_email(connection, user.id, value, at)
        return _existing(connection, user_id)

    return _public(transaction(engine, work))
