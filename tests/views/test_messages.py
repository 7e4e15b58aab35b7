"""Each typed error of storage and services becomes a sentence, with the data it carries."""

from __future__ import annotations

import pytest

from storage.errors import (
    DataDeleted,
    SchemaAhead,
    SchemaBehind,
    StorageBusy,
    TextFieldError,
    TextProblem,
    TokenError,
    TokenProblem,
)
from views import messages


@pytest.mark.parametrize(
    ("error", "sentence"),
    [
        (StorageBusy(), "the database is busy; nothing was lost, please try again"),
        (TokenError(TokenProblem.MISSING), "the resume link has no token"),
        (TokenError(TokenProblem.MALFORMED), "the resume link is malformed: a token is 32 letters, digits, '-' or '_'"),
        (
            TokenError(TokenProblem.UNKNOWN),
            "no assessment belongs to this resume link; it may have been deleted or mistyped",
        ),
        (DataDeleted("rounds"), "this data no longer exists: it was deleted; nothing was saved"),
        (
            TextFieldError("organisation", TextProblem.TOO_LONG, length=121, limit=120),
            "Organisation is too long: 121 characters, at most 120",
        ),
        (
            TextFieldError("job_title", TextProblem.HTML, tag="<script>"),
            "Job title contains HTML (<script>); please use plain text",
        ),
        (
            TextFieldError("organisation", TextProblem.CONTROL),
            "Organisation contains control characters; please use plain text",
        ),
        (
            TextFieldError("response", TextProblem.TOO_LONG, length=4002, limit=4000),
            "the answer is too long to store (at most 4000 characters)",
        ),
    ],
)
def test_each_typed_error_has_its_sentence(error: Exception, sentence: str) -> None:
    assert messages.describe(error) == sentence


def test_schema_errors_name_the_command_or_the_newer_release() -> None:
    behind = messages.describe(SchemaBehind(None, "0002"))
    assert "nothing yet" in behind and "0002" in behind and "python -m storage upgrade" in behind
    assert "0001" in messages.describe(SchemaBehind("0001", "0002"))
    ahead = messages.describe(SchemaAhead("0009", "0002"))
    assert "0009" in ahead and "newer" in ahead


def test_an_error_without_a_sentence_says_nothing_of_its_internals() -> None:
    assert "secret" not in messages.describe(RuntimeError("secret internals"))
