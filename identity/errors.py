"""Typed errors of accounts. Like `storage.errors`, each carries data (which rule, how many minutes),
never a sentence for the visitor: pages word them. `str()` is an English note for logs and the command
line, and never contains a password or a token."""

from __future__ import annotations

from enum import Enum


class AccountError(Exception):
    """Base of the account errors pages and the command line turn into messages."""


class UsernameProblem(Enum):
    EMPTY = "empty"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    HTML = "html"
    CHARACTERS = "characters"  # anything but letters, digits, '.', '_' and '-'


class UsernameError(AccountError, ValueError):
    """A username refused before anything was written; `minimum` and `maximum` are the length rules."""

    def __init__(self, problem: UsernameProblem, minimum: int, maximum: int) -> None:
        notes = {
            UsernameProblem.EMPTY: "a username is needed",
            UsernameProblem.TOO_SHORT: f"a username has at least {minimum} characters",
            UsernameProblem.TOO_LONG: f"a username has at most {maximum} characters",
            UsernameProblem.HTML: "a username cannot contain HTML",
            UsernameProblem.CHARACTERS: "a username has only letters a-z, digits, '.', '_' and '-'",
        }
        super().__init__(notes[problem])
        self.problem = problem
        self.minimum = minimum
        self.maximum = maximum


class PasswordProblem(Enum):
    TOO_SHORT = "too_short"
    SAME_AS_USERNAME = "same_as_username"
    ONE_CHARACTER = "one_character"


class PasswordError(AccountError, ValueError):
    """A password the policy refuses (`identity.rules.check_password`); `minimum` is its least length."""

    def __init__(self, problem: PasswordProblem, minimum: int) -> None:
        notes = {
            PasswordProblem.TOO_SHORT: f"a password has at least {minimum} characters",
            PasswordProblem.SAME_AS_USERNAME: "a password cannot be the username",
            PasswordProblem.ONE_CHARACTER: "a password cannot be one character repeated",
        }
        super().__init__(notes[problem])
        self.problem = problem
        self.minimum = minimum


class RoleError(AccountError, ValueError):
    """A role that does not exist (participants have no account, so no role)."""

    def __init__(self, role: str) -> None:
        super().__init__(f"no such role: {role[:40]!r}; roles are trainer, manager and admin")
        self.role = role


class UsernameTaken(AccountError):
    """Another account has this username, in any case."""

    def __init__(self, username: str) -> None:
        super().__init__(f"the username {username!r} is taken")
        self.username = username


class UnknownUser(AccountError):
    """No account with this username (or id)."""

    def __init__(self, username: str) -> None:
        super().__init__(f"no account named {username!r}")
        self.username = username


class LoginProblem(Enum):
    # One reason for an unknown username and a wrong password: a page must not tell which.
    WRONG_CREDENTIALS = "wrong_credentials"
    THROTTLED = "throttled"  # too many failures; minutes_left says for how long
    INACTIVE = "inactive"  # the right password for an account an admin switched off


class LoginRefused(AccountError):
    """A login refused; `minutes_left` (whole minutes, at least 1) when THROTTLED, else 0."""

    def __init__(self, reason: LoginProblem, minutes_left: int = 0) -> None:
        notes = {
            LoginProblem.WRONG_CREDENTIALS: "wrong username or password",
            LoginProblem.THROTTLED: f"too many failed logins; try again in {minutes_left} minute(s)",
            LoginProblem.INACTIVE: "this account is switched off; ask an admin",
        }
        super().__init__(notes[reason])
        self.reason = reason
        self.minutes_left = minutes_left


class LastAdmin(AccountError):
    """The change would leave no active admin, and so nobody who can manage users."""

    def __init__(self) -> None:
        super().__init__("this is the last active admin; make another admin first")
