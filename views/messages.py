"""The typed errors of storage and services, worded for the visitor in their language.

Storage raises data (which field, which problem, which limit); these functions make the
sentence. A page shows `describe(error)`, never `str(error)`, which is an English note for logs.
"""

from __future__ import annotations

from i18n import _
from storage.errors import (
    DataDeleted,
    SchemaAhead,
    SchemaError,
    StorageBusy,
    TextFieldError,
    TextProblem,
    TokenError,
    TokenProblem,
)


def busy() -> str:
    return _("the database is busy; nothing was lost, please try again")


def token(error: TokenError) -> str:
    if error.reason is TokenProblem.MISSING:
        return _("the resume link has no token")
    if error.reason is TokenProblem.MALFORMED:
        return _("the resume link is malformed: a token is 32 letters, digits, '-' or '_'")
    return _("no assessment belongs to this resume link; it may have been deleted or mistyped")


def deleted() -> str:
    return _("this data no longer exists: it was deleted; nothing was saved")


def field_label(field: str) -> str:
    labels = {"organisation": _("Organisation"), "job_title": _("Job title"), "response": _("Your answer")}
    return labels.get(field, field)


def text_field(error: TextFieldError) -> str:
    if error.field == "response" and error.problem is TextProblem.TOO_LONG:
        return _("the answer is too long to store (at most {most} characters)").format(most=error.limit)
    label = field_label(error.field)
    if error.problem is TextProblem.TOO_LONG:
        return _("{label} is too long: {length} characters, at most {most}").format(
            label=label, length=error.length, most=error.limit
        )
    if error.problem is TextProblem.HTML:
        return _("{label} contains HTML ({tag}); please use plain text").format(label=label, tag=error.tag)
    return _("{label} contains control characters; please use plain text").format(label=label)


def schema(error: SchemaError) -> str:
    if isinstance(error, SchemaAhead):
        return _(
            "The database has schema revision {current}, newer than this version of the site knows ({head}). "
            "Deploy the newer release."
        ).format(current=error.current, head=error.head)
    return _(
        "The database schema is at {current}; this version of the site needs {head}. "
        "Run `python -m storage upgrade` (scripts/serve does this before starting the site)."
    ).format(current=error.current or _("nothing yet"), head=error.head)


def describe(error: Exception) -> str:
    """A sentence for any typed error of storage and services."""
    if isinstance(error, StorageBusy):
        return busy()
    if isinstance(error, TokenError):
        return token(error)
    if isinstance(error, DataDeleted):
        return deleted()
    if isinstance(error, TextFieldError):
        return text_field(error)
    if isinstance(error, SchemaError):
        return schema(error)
    return _("something went wrong on our side; nothing was saved")
