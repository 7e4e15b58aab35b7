"""Roles, usernames and the password policy."""

from __future__ import annotations

import re
from enum import Enum

from identity.errors import PasswordError, PasswordProblem, RoleError, UsernameError, UsernameProblem

USERNAME_MIN = 3
USERNAME_MAX = 40
PASSWORD_MIN = 12
DISPLAY_NAME_MAX = 80

# ASCII only: a username from another script could look like an existing one (a Cyrillic 'а').
_USERNAME = re.compile(r"\A[A-Za-z0-9._-]+\Z")
_TAG = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>")


class Role(str, Enum):
    """Who may do what. Participants have no account and so no role."""

    TRAINER = "trainer"  # runs workshops
    MANAGER = "manager"  # sees the organisations they manage
    ADMIN = "admin"  # manages users, sees everything


# Who runs workshops and keeps the quiz banks: trainers, and admins, who may do everything.
TRAINING_ROLES = (Role.TRAINER, Role.ADMIN)


def check_role(raw: str) -> Role:
    try:
        return Role(raw.strip().lower())
    except ValueError:
        raise RoleError(raw) from None


def normalise_username(raw: str) -> str:
    """The form a username is stored and compared in: trimmed and lower-cased (usernames are
    case-insensitive, so 'Anna' and 'anna' are one account). No validation."""
    return raw.strip().lower()


def check_username(raw: str) -> str:
    """A valid username, normalised; UsernameError naming the rule otherwise."""
    name = normalise_username(raw)
    problem: UsernameProblem | None = None
    if not name:
        problem = UsernameProblem.EMPTY
    elif _TAG.search(name) or "<" in name or ">" in name:
        problem = UsernameProblem.HTML
    elif len(name) < USERNAME_MIN:
        problem = UsernameProblem.TOO_SHORT
    elif len(name) > USERNAME_MAX:
        problem = UsernameProblem.TOO_LONG
    elif not _USERNAME.match(name):
        problem = UsernameProblem.CHARACTERS
    if problem is not None:
        raise UsernameError(problem, USERNAME_MIN, USERNAME_MAX)
    return name


def check_password(password: str, username: str) -> str:
    """The password unchanged if the policy accepts it: at least PASSWORD_MIN characters, not the
    username (in any case), not one character repeated. PasswordError naming the rule otherwise.
    Length beats composition rules: a long passphrase is a good password."""
    if len(password) < PASSWORD_MIN:
        raise PasswordError(PasswordProblem.TOO_SHORT, PASSWORD_MIN)
    if password.strip().lower() == normalise_username(username):
        raise PasswordError(PasswordProblem.SAME_AS_USERNAME, PASSWORD_MIN)
    if len(set(password)) == 1:
        raise PasswordError(PasswordProblem.ONE_CHARACTER, PASSWORD_MIN)
    return password
