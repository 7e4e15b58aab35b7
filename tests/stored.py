"""A respondent stored straight through the service layer, for page and browser tests."""

from __future__ import annotations

from sqlalchemy import Engine

from services import respondents as visits


def store_rounds(
    engine: Engine, mode: str, rounds: list[dict[str, str]], organisation: str | None = None
) -> tuple[str, int]:
    """A respondent with one round per answer set, each finished when it has answers (a later round
    starts as the page's "Start a new round" does). Returns the resume token and the last round's id."""
    token, respondent, current = visits.start_assessment(engine, mode, organisation)
    for number, answers in enumerate(rounds):
        if number:
            current = visits.start_new_round(engine, respondent.id, mode, current.number)
        for item_id, value in answers.items():
            visits.save_answer(engine, current.id, item_id, value)
        if answers:
            visits.complete_round(engine, current.id)
    return token, current.id
