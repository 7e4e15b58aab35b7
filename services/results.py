"""A round's result: its stored scores, or scored now. Decides which, and says which model scored it.

The rule (tested in tests/services/test_results.py; the results page only shows what it returns):

- A round stores its scores when it completes, and when a new round is started after it (it is
  history from then on), with the version of the model that computed them
  (`assessment.version.model_version`). From then on its result is those scores, whatever the model
  has become: a rewritten model never changes a past result or a trend.
- The newest round stays editable after it completed. When an answer in it is newer than its
  stored scores, the stored scores no longer describe it: it is scored now, with the current model
  (and stored again when it is completed again).
- A round with no stored scores that is still open is scored now, with the current model.
- A round completed before scores were stored has its model's version and no scores (migration
  0004): it is scored once, the first time it is shown, with that model as archived in
  `assessment/versions/`, from its answers as they were before any id migration
  (`retired_answers`), and the result is stored with that version. Scoring it with today's model
  would change its result silently, which is what storing scores is for; its answers are still
  all there, so the earlier model gives the result the round had when it was taken.
- `earlier_model` says the scores shown came from another model version than the current one:
  the page says so in plain words.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from assessment import stored_result
from assessment.loader import load_model, model_path
from assessment.model import Mode, Model
from assessment.scoring import AnswerError, AnswerValue, Result, normalise_answer, score
from assessment.version import archived_model, model_version
from content.problems import ContentError
from storage import respondents as store
from storage.engine import reading, transaction
from storage.respondents import RetiredAnswer, Round

log = logging.getLogger(__name__)

_models: dict[str, Model] = {}


def current_model() -> Model:
    """The model the site scores with (`assessment.loader.model_path`), loaded once per process and
    file, for callers that do not hand one in. Pages pass theirs (`views.state.model`), the same file."""
    path = model_path()
    key = str(path)
    if key not in _models:
        _models[key] = load_model(path)
    return _models[key]


@dataclass(frozen=True)
class RoundResult:
    result: Result
    stored: bool  # the round's stored scores (or scored now, from its answers)
    model_version: str  # the version of the model that scored it
    earlier_model: bool  # that version is not the current model's
    taken_on: datetime  # when the round was completed (when it started, if never completed)


def normalised(model: Model, stored: Mapping[str, object]) -> dict[str, AnswerValue]:
    """Answers as stored, normalised by a model; an id it does not know (or a value it does not
    take) is skipped, never fatal: stored answers may outlive the items they answered."""
    good: dict[str, AnswerValue] = {}
    for item_id, raw in stored.items():
        try:
            good[item_id] = normalise_answer(model, item_id, raw)
        except AnswerError:
            continue
    return good


def scores_of(model: Model, answers: Mapping[str, object], mode: str) -> tuple[Result, str]:
    """A round's answers (as stored) scored by a model, and the JSON to store."""
    result = score(model, normalised(model, answers), Mode(mode))
    return result, stored_result.dump(result)


def store_current_scores(connection: Connection, model: Model, round_: Round, at: datetime) -> Result:
    """Score a round's answers with the current model and keep the scores with the model's version."""
    result, text = scores_of(model, store.answers_of(connection, round_.id), round_.mode)
    store.store_scores(connection, round_.id, model_version(model), text, at)
    return result


def answers_before_migrations(answers: Mapping[str, object], retired: list[RetiredAnswer]) -> dict[str, object]:
    """A round's answers as they were before the id migrations recorded in `retired`: each
    migration undone, newest first (an answer that moved leaves its new id, the old one comes back).
    Every migration in the table ran after migration 0004, so this gives the answers the model of
    the release before it knew."""
    before: dict[str, object] = dict(answers)
    for revision in sorted({r.retired_by for r in retired}, reverse=True):
        rows = [r for r in retired if r.retired_by == revision]
        for row in rows:
            if row.moved_to is not None:
                before.pop(row.moved_to, None)
        for row in rows:
            before[row.item_id] = row.value
    return before


def _taken_on(round_: Round) -> datetime:
    return round_.completed_at or round_.started_at


def round_result(
    engine: Engine, model: Model, round_: Round, newest: bool, answers: Mapping[str, object] | None = None
) -> RoundResult:
    """The result to show for a round, by the rule in the module docstring. `newest`: the round is
    the respondent's newest (still editable); `answers`: its answers when the caller has them read
    already (as stored or normalised), else they are read when needed. Scoring an old round for the
    first time stores it."""
    current = model_version(model)
    if newest and round_.completed_at is None and round_.model_version is None and round_.scored_at is None:
        # Open and never scored: nothing stored to read.
        known = answers if answers is not None else reading(engine, lambda c: store.answers_of(c, round_.id))
        result, _text = scores_of(model, known, round_.mode)
        return RoundResult(result, False, current, False, _taken_on(round_))

    def read(connection: Connection) -> tuple[store.StoredScores | None, bool, Mapping[str, object] | None]:
        """The stored scores, whether an answer is newer than them (the newest round only), and the
        answers when the scores will not do."""
        found = store.stored_scores(connection, round_.id)
        usable = found is not None and found.scores is not None
        edited = bool(
            usable
            and newest
            and found is not None
            and found.scored_at is not None
            and store.answered_since(connection, round_.id, found.scored_at)
        )
        if answers is not None or (usable and not edited):
            return found, edited, answers  # None: not needed unless the stored scores turn out unreadable
        return found, edited, store.answers_of(connection, round_.id)

    found, edited, given = reading(engine, read)

    def answers_now() -> Mapping[str, object]:
        return given if given is not None else reading(engine, lambda c: store.answers_of(c, round_.id))

    def live() -> RoundResult:
        result, _text = scores_of(model, answers_now(), round_.mode)
        return RoundResult(result, False, current, False, _taken_on(round_))

    if found is None or edited:
        return live()
    if found.scores is not None and found.model_version is not None:
        try:
            result = stored_result.load(found.scores)
        except stored_result.StoredResultError as error:
            log.warning("round %s: stored scores unreadable (%s); scored with the current model", round_.id, error)
            return live()
        return RoundResult(result, True, found.model_version, found.model_version != current, _taken_on(round_))
    if found.model_version is None:
        # Never stored: an open round is scored as it stands; one that can no longer change (completed
        # by a path that stored nothing, or left behind by a newer round) is stored now.
        if newest and round_.completed_at is None:
            return live()
        return _store_once(engine, model, current, round_, answers_now())
    return _score_with_its_model(engine, model, round_, found.model_version)


def _store_once(
    engine: Engine, model: Model, version: str, round_: Round, answers: Mapping[str, object]
) -> RoundResult:
    result, text = scores_of(model, answers, round_.mode)
    transaction(engine, lambda c: store.store_scores(c, round_.id, version, text, store.now(), only_if_none=True))
    return RoundResult(result, True, version, version != model_version(model), _taken_on(round_))


def _score_with_its_model(engine: Engine, model: Model, round_: Round, version: str) -> RoundResult:
    """A round completed before scores were stored: scored once with the model it was taken with,
    from its answers as stored (read here: a page's answers are normalised by the current model,
    which drops ids only the earlier one knows) and its retired answers."""
    try:
        earlier = archived_model(version)
    except ContentError as error:
        log.error("archived model %s does not load: %s", version[:12], error)
        earlier = None
    if earlier is None:
        # Not archived: the best left is the current model, not stored, so an archive added later still counts.
        log.warning("round %s: model %s is not archived; scored with the current model", round_.id, version[:12])
        answers = reading(engine, lambda c: store.answers_of(c, round_.id))
        result, _text = scores_of(model, answers, round_.mode)
        return RoundResult(result, False, model_version(model), False, _taken_on(round_))
    answers, retired = reading(
        engine, lambda c: (store.answers_of(c, round_.id), store.retired_answers_of(c, round_.id))
    )
    then = answers_before_migrations(answers, retired)
    result, text = scores_of(earlier, then, round_.mode)
    transaction(engine, lambda c: store.store_scores(c, round_.id, version, text, store.now(), only_if_none=True))
    return RoundResult(result, True, version, version != model_version(model), _taken_on(round_))
