"""Rules for what visitors hand in: resume tokens and free text. Plain Python, no I/O.

A respondent is known only by a resume token. The token itself is never stored, only its
SHA-256, so a copy of the database does not hand out resume links.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from storage.errors import TextFieldError, TextProblem, TokenError, TokenProblem
from storage.schema import JOB_TITLE_MAX, LANGUAGE_MAX, ORGANISATION_MAX, RESPONSE_MAX

__all__ = [
    "JOB_TITLE_MAX",
    "LANGUAGE_MAX",
    "ORGANISATION_MAX",
    "RESPONSE_MAX",
    "TOKEN_PATTERN",
    "check_language",
    "check_response",
    "check_token",
    "clean_text",
    "new_token",
    "token_hash",
]

TOKEN_PATTERN = re.compile(r"\A[A-Za-z0-9_-]{32}\Z")
LANGUAGE_PATTERN = re.compile(r"\A[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?\Z")
_TAG = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>")


def new_token() -> str:
    """32 URL-safe characters: 192 random bits."""
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def check_token(raw: object) -> str:
    """Return the token if well-formed; raise TokenError naming the problem otherwise."""
    if not isinstance(raw, str) or not raw:
        raise TokenError(TokenProblem.MISSING)
    if not TOKEN_PATTERN.match(raw):
        raise TokenError(TokenProblem.MALFORMED)
    return raw


def clean_text(value: str | None, field: str, max_length: int) -> str | None:
    """A free-text field trimmed, plain text and not too long; empty becomes None.
    TextFieldError names the field and the problem otherwise."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if len(value) > max_length:
        raise TextFieldError(field, TextProblem.TOO_LONG, length=len(value), limit=max_length)
    tag = _TAG.search(value)
    if tag:
        raise TextFieldError(field, TextProblem.HTML, tag=tag.group(0)[:30])
    if any(ord(ch) < 32 for ch in value):
        raise TextFieldError(field, TextProblem.CONTROL)
    return value


def check_response(response_json: str) -> str:
    """A quiz response (JSON) short enough to store."""
    if len(response_json) > RESPONSE_MAX:
        raise TextFieldError("response", TextProblem.TOO_LONG, length=len(response_json), limit=RESPONSE_MAX)
    return response_json


def check_language(language: str | None) -> str | None:
    """A language tag such as `en`, `nl` or `pt-BR`, or None for "not chosen"."""
    if language is None:
        return None
    if len(language) > LANGUAGE_MAX or not LANGUAGE_PATTERN.match(language):
        raise ValueError(f"not a language tag: {language!r}")
    return language
