"""Use cases of a respondent: start, come back, answer, finish, re-take, switch, edit, delete.

Each function is one transaction under the retry policy (`storage.engine`), and each is safe to
run twice, which the retry policy may do after a commit whose outcome it could not see, and which
two tabs or a double click do on purpose.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from assessment.model import Model
from services.organisations import record_completion
from services.results import current_model, scores_of, store_current_scores
from services.rules import (
    JOB_TITLE_MAX,
    ORGANISATION_MAX,
    check_language,
    check_token,
    clean_text,
    new_token,
    token_hash,
)
from storage import respondents as store
from storage.engine import reading, row_exists, transaction, transaction_under
from storage.errors import DataDeleted, TokenError, TokenProblem
from storage.respondents import Respondent, Round
from storage.schema import respondents as respondents_table
from storage.schema import rounds as rounds_table

FULL = "full"


@dataclass(frozen=True)
class Visit:
    """Everything a page needs about the respondent behind a token, read in one go."""

    respondent: Respondent
    rounds: list[Round]  # oldest first; never empty
    answers: dict[str, str]  # the current (newest) round's answers, as stored

    @property
    def round(self) -> Round:
        return self.rounds[-1]


def start_assessment(
    engine: Engine,
    mode: str,
    organisation: str | None = None,
    job_title: str | None = None,
    language: str | None = None,
    token: str | None = None,
) -> tuple[str, Respondent, Round]:
    """A new respondent with a first round; returns the resume token (shown once, never stored).

    The token is drawn before the transaction, so a retry after an ambiguous commit finds the
    respondent it may already have made (the hash is unique) instead of making a second one. A page
    may draw it itself (`rules.new_token`) and pass it in: a second submit with the same token (a
    double click) then returns the respondent the first one made."""
    organisation = clean_text(organisation, "organisation", ORGANISATION_MAX)
    job_title = clean_text(job_title, "job_title", JOB_TITLE_MAX)
    language = check_language(language)
    token = new_token() if token is None else check_token(token)
    hashed = token_hash(token)

    def work(connection: Connection) -> tuple[Respondent, Round]:
        existing = store.by_token_hash(connection, hashed)
        if existing is not None:
            first = store.rounds_of(connection, existing.id)[0]
            return existing, first
        at = store.now()
        respondent = store.insert_respondent(connection, hashed, organisation, job_title, language, at)
        return respondent, store.insert_round(connection, respondent.id, 1, mode, at)

    respondent, first_round = transaction(engine, work)
    return token, respondent, first_round


def _respondent(connection: Connection, token: str) -> Respondent:
    respondent = store.by_token_hash(connection, token_hash(token))
    if respondent is None:
        raise TokenError(TokenProblem.UNKNOWN)
    return respondent


def find_respondent(engine: Engine, token: str) -> Respondent:
    """The respondent a token belongs to; TokenError if missing, malformed or unknown."""
    check_token(token)
    return reading(engine, lambda c: _respondent(c, token))


def load_visit(engine: Engine, token: str) -> Visit:
    """The respondent, all their rounds and the current round's answers, on one connection."""
    check_token(token)

    def work(connection: Connection) -> Visit:
        found = store.with_rounds(connection, token_hash(token))
        if found is None:  # no such respondent (or deleted while its first round was written)
            raise TokenError(TokenProblem.UNKNOWN)
        respondent, rounds = found
        return Visit(respondent, rounds, store.answers_of(connection, rounds[-1].id))

    return reading(engine, work)


def round_answers(engine: Engine, round_id: int) -> dict[str, str]:
    """One round's answers, as stored."""
    return reading(engine, lambda c: store.answers_of(c, round_id))


def save_answer(engine: Engine, round_id: int, item_id: str, value: str | None) -> None:
    """Store one answer now (None removes it). Values arrive validated by the caller."""

    def work(connection: Connection) -> None:
        if value is None:
            store.clear_answer(connection, round_id, item_id)
        else:
            store.save_answer(connection, round_id, item_id, value, store.now())

    transaction_under(engine, rounds_table, round_id, work)


def complete_round(engine: Engine, round_id: int, model: Model | None = None) -> None:
    """Mark a round finished (the time of the first completion is kept) and store its scores, with
    the version of the model that computed them (`model`, else the current one): from now on its
    result is these scores, whatever the model becomes (services.results). Completing it again, after
    edits, stores its scores again."""
    scoring = current_model() if model is None else model

    def work(connection: Connection) -> None:
        round_ = store.round_by_id(connection, round_id)
        if round_ is None:
            return
        finish_round(connection, scoring, round_, store.now())

    transaction(engine, work)


def finish_round(connection: Connection, model: Model, round_: Round, at: datetime) -> None:
    """A round's completion inside the caller's transaction, at `at`: the time of the first completion
    is kept, its scores are stored with the model's version, and (issue 15) a member's round becomes
    their response in their organisation's open wave. `complete_round`'s work; also the demo data's,
    which completes rounds in the past."""
    store.complete_round(connection, round_.id, at)
    result = store_current_scores(connection, model, round_, at)
    record_completion(
        connection, model, round_.respondent_id, round_.id, result, store.answers_of(connection, round_.id), at
    )


def _next_round(
    engine: Engine, respondent_id: int, seen_round_number: int, open_round: Callable[[Connection, Round], Round]
) -> Round:
    """Shared by start_new_round and switch_to_full: when a round newer than the one the page showed
    exists (another tab, a double click, a retried commit), that round is the answer; otherwise
    `open_round` makes it. Two tabs racing past the check meet the unique (respondent, number):
    the loser runs again and finds the winner's round."""

    def work(connection: Connection) -> Round:
        latest = store.latest_round(connection, respondent_id)
        if latest is None:
            raise DataDeleted(respondents_table.name)
        if latest.number > seen_round_number:
            return latest
        return open_round(connection, latest)

    try:
        return transaction(engine, work)
    except IntegrityError as error:
        if not row_exists(engine, respondents_table, respondent_id):
            raise DataDeleted(respondents_table.name) from error
        return transaction(engine, work)


def _freeze(connection: Connection, model: Model, round_: Round, at: datetime) -> None:
    """A round that becomes history (a new round follows it) keeps scores that describe its answers:
    stored now, with the current model, unless its stored scores are newer than its last answer.
    A round with a model version but no scores was completed before scores were stored: it is
    left to services.results, which scores it with the model it was taken with."""
    if round_.scored_at is None and round_.model_version is not None:
        return
    if round_.scored_at is not None and not store.answered_since(connection, round_.id, round_.scored_at):
        return
    store_current_scores(connection, model, round_, at)


def start_new_round(
    engine: Engine, respondent_id: int, mode: str, seen_round_number: int, model: Model | None = None
) -> Round:
    """Open the round after `seen_round_number`, starting from the latest round's answers; the latest
    round keeps its scores (see `_freeze`). Idempotent: if a newer round than the one seen exists
    already, it is returned instead."""
    scoring = current_model() if model is None else model

    def open_round(connection: Connection, latest: Round) -> Round:
        at = store.now()
        # The insert first: a second tab racing this one meets the unique (respondent, number) before
        # this transaction has written anything.
        new = store.insert_round(connection, respondent_id, latest.number + 1, mode, at)
        _freeze(connection, scoring, latest, at)
        store.copy_answers(connection, latest.id, new.id)
        return new

    return _next_round(engine, respondent_id, seen_round_number, open_round)


def switch_to_full(
    engine: Engine, respondent_id: int, quick_round_id: int, seen_round_number: int, model: Model | None = None
) -> Round:
    """Keep the quick round as a completed round of its own, with its scores, and open a new full
    round that carries its answers. Idempotent the same way as start_new_round. `undo_switch` takes
    it back until the first new answer."""
    scoring = current_model() if model is None else model

    def open_round(connection: Connection, latest: Round) -> Round:
        quick = store.round_by_id(connection, quick_round_id)
        if quick is None or quick.respondent_id != respondent_id:
            raise DataDeleted(rounds_table.name)
        at = store.now()
        store.complete_round(connection, quick.id, at)
        _freeze(connection, scoring, quick, at)
        # Issue 15: the quick round is a completed round: it counts in the member's open wave.
        quick_answers = store.answers_of(connection, quick.id)
        quick_result, _text = scores_of(scoring, quick_answers, quick.mode)
        record_completion(connection, scoring, respondent_id, quick.id, quick_result, quick_answers, at)
        new = store.insert_round(connection, respondent_id, latest.number + 1, FULL, at)
        store.copy_answers(connection, quick.id, new.id)
        return new

    return _next_round(engine, respondent_id, seen_round_number, open_round)


def undo_switch(engine: Engine, respondent_id: int, round_id: int) -> bool:
    """Delete the round a switch opened, while it is the respondent's newest round and no answer in
    it was given after it started (carried answers keep their older times). True when the round is
    gone afterwards (deleted now, or already by another tab); False when it stays."""

    def work(connection: Connection) -> bool:
        target = store.round_by_id(connection, round_id)
        if target is None or target.respondent_id != respondent_id:
            return True
        latest = store.latest_round(connection, respondent_id)
        if latest is None or latest.id != target.id or target.number == 1:
            return False
        if store.answered_since(connection, target.id, target.started_at):
            return False
        store.delete_round(connection, target.id)
        return True

    return transaction(engine, work)


def update_profile(engine: Engine, respondent_id: int, organisation: str | None, job_title: str | None) -> None:
    organisation = clean_text(organisation, "organisation", ORGANISATION_MAX)
    job_title = clean_text(job_title, "job_title", JOB_TITLE_MAX)
    transaction(engine, lambda c: store.update_profile(c, respondent_id, organisation, job_title, store.now()))


def set_language(engine: Engine, respondent_id: int, language: str | None) -> None:
    """Keep the visitor's chosen interface language with their token (None: not chosen)."""
    language = check_language(language)
    transaction(engine, lambda c: store.set_language(c, respondent_id, language, store.now()))


def delete_respondent(engine: Engine, respondent_id: int) -> None:
    """Remove a respondent with every row that refers to them (see storage.respondents.owned_tables)."""
    transaction(engine, lambda c: store.delete_respondent(c, respondent_id))
