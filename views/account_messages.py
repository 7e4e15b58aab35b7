"""The typed errors of accounts (identity.errors, services.accounts), worded for the visitor in their
language. A page shows `describe(error)`, never `str(error)`, which is an English note for logs."""

from __future__ import annotations

from i18n import _, ngettext
from identity.errors import (
    LastAdmin,
    LoginProblem,
    LoginRefused,
    PasswordError,
    PasswordProblem,
    RoleError,
    UnknownUser,
    UsernameError,
    UsernameProblem,
    UsernameTaken,
)
from identity.throttle import MAX_FAILURES, WINDOW
from services.accounts import EmailError
from views import messages


def login_refused(error: LoginRefused) -> str:
    if error.reason is LoginProblem.THROTTLED:
        return ngettext(
            "Too many failed attempts for this account or from this network. Try again in {minutes} minute.",
            "Too many failed attempts for this account or from this network. Try again in {minutes} minutes.",
            error.minutes_left,
        ).format(minutes=error.minutes_left)
    if error.reason is LoginProblem.INACTIVE:
        return _("This account is switched off. Ask an admin of the site to switch it on again.")
    minutes = int(WINDOW.total_seconds() // 60)
    return _(
        "The username or the password is not right. After {count} failed attempts within {minutes} minutes, "
        "logging in pauses for a while."
    ).format(count=MAX_FAILURES, minutes=minutes)


def username(error: UsernameError) -> str:
    notes = {
        UsernameProblem.EMPTY: _("Username: a username is needed"),
        UsernameProblem.TOO_SHORT: _("Username: at least {n} characters").format(n=error.minimum),
        UsernameProblem.TOO_LONG: _("Username: at most {n} characters").format(n=error.maximum),
        UsernameProblem.HTML: _("Username: HTML is not allowed"),
        UsernameProblem.CHARACTERS: _("Username: only letters a-z, digits, '.', '_' and '-'"),
    }
    return notes[error.problem]


def password(error: PasswordError) -> str:
    notes = {
        PasswordProblem.TOO_SHORT: _("Password: at least {n} characters").format(n=error.minimum),
        PasswordProblem.SAME_AS_USERNAME: _("Password: it cannot be the username"),
        PasswordProblem.ONE_CHARACTER: _("Password: it cannot be one character repeated"),
    }
    return notes[error.problem]


def describe(error: Exception) -> str:
    if isinstance(error, LoginRefused):
        return login_refused(error)
    if isinstance(error, UsernameError):
        return username(error)
    if isinstance(error, PasswordError):
        return password(error)
    if isinstance(error, UsernameTaken):
        return _("Username: {name} is taken; choose another").format(name=error.username)
    if isinstance(error, UnknownUser):
        return _("There is no account {name}").format(name=error.username)
    if isinstance(error, RoleError):
        return _("Role: choose trainer, manager or admin")
    if isinstance(error, LastAdmin):
        return _("This would leave the site without an active admin: make another account admin first")
    if isinstance(error, EmailError):
        if error.problem == "taken":
            return _("Sign-on e-mail: {email} belongs to another account already").format(email=error.email)
        return _("Sign-on e-mail: {email} is not an e-mail address (name@example.org)").format(email=error.email)
    return messages.describe(error)
