"""A round's result by services.results, on SQLite and PostgreSQL: a completed round keeps the
scores it was given when the model changes, says it was scored with an earlier model, an open or
edited round is scored live, and a round completed before scores were stored is scored once, with
the archived model it was taken with."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from assessment.demo import demo_answers
from assessment.loader import load_model, model_path
from assessment.model import Mode, Model
from assessment.scoring import score
from assessment.version import archived_model, model_version
from services import respondents as visits
from services import results
from storage import respondents as store
from storage import schema
from storage.respondents import RetiredAnswer, Round

PROJECT = Path(__file__).resolve().parents[2]


def _previous_version() -> str:
    path = next((PROJECT / "storage" / "migrations" / "versions").glob("0004_*.py"))
    spec = importlib.util.spec_from_file_location("revision_0004", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.PREVIOUS_MODEL_VERSION)


PREVIOUS = _previous_version()


@pytest.fixture
def model() -> Model:
    return load_model(model_path())


@pytest.fixture
def changed_model_path(model: Model, tmp_path: Path) -> Path:
    """The current model with its first maturity statement renamed: the answer to it no longer counts."""
    first = model.maturity_statements()[0].id
    text = model_path().read_text(encoding="utf-8")
    assert text.count(f'id = "{first}"') == 1
    path = tmp_path / "changed-model.toml"
    path.write_text(text.replace(f'id = "{first}"', f'id = "{first}9"'), encoding="utf-8")
    return path


@pytest.fixture
def changed_model(changed_model_path: Path) -> Model:
    return load_model(changed_model_path)


@pytest.fixture(autouse=True)
def _current_model_from_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("SMM_MODEL_PATH", raising=False)
    yield


def _answers(model: Model) -> dict[str, str]:
    answers = demo_answers(model)
    answers[model.maturity_statements()[0].id] = "fully"
    return answers


def _round(engine: Engine, round_id: int) -> Round:
    with engine.connect() as connection:
        found = store.round_by_id(connection, round_id)
    assert found is not None
    return found


def _answered_round(engine: Engine, answers: dict[str, str], mode: str = "full") -> tuple[int, Round]:
    _token, respondent, first = visits.start_assessment(engine, mode)
    for item_id, value in answers.items():
        visits.save_answer(engine, first.id, item_id, value)
    return respondent.id, first


def test_a_completed_round_keeps_its_scores_after_the_model_changes(
    engine: Engine, model: Model, changed_model_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = _answers(model)
    _respondent, first = _answered_round(engine, answers)
    visits.complete_round(engine, first.id)  # scored with the current model (SMM_MODEL_PATH unset)
    then = score(model, results.normalised(model, answers), Mode.FULL)

    monkeypatch.setenv("SMM_MODEL_PATH", str(changed_model_path))
    changed = results.current_model()
    assert model_version(changed) != model_version(model)
    now = score(changed, results.normalised(changed, answers), Mode.FULL)
    assert now != then, "the changed model scores the same answers differently"

    completed = _round(engine, first.id)
    shown = results.round_result(engine, changed, completed, newest=True)
    assert shown.result == then
    assert shown.stored and shown.earlier_model
    assert shown.model_version == model_version(model)
    assert shown.taken_on == completed.completed_at
    # An earlier round (not the newest) keeps them the same way.
    assert results.round_result(engine, changed, completed, newest=False).result == then


def test_a_completed_round_scored_with_the_current_model_shows_its_stored_scores(engine: Engine, model: Model) -> None:
    answers = _answers(model)
    _respondent, first = _answered_round(engine, answers)
    visits.complete_round(engine, first.id, model)
    shown = results.round_result(engine, model, _round(engine, first.id), newest=True)
    assert shown.stored and not shown.earlier_model
    assert shown.result == score(model, results.normalised(model, answers), Mode.FULL)


def test_the_newest_round_edited_after_it_completed_is_scored_live_until_completed_again(
    engine: Engine, model: Model, changed_model: Model
) -> None:
    answers = _answers(model)
    _respondent, first = _answered_round(engine, answers)
    visits.complete_round(engine, first.id, model)
    edited_id = model.maturity_statements()[1].id
    visits.save_answer(engine, first.id, edited_id, "none")
    answers[edited_id] = "none"

    shown = results.round_result(engine, changed_model, _round(engine, first.id), newest=True)
    assert not shown.stored and not shown.earlier_model
    assert shown.result == score(changed_model, results.normalised(changed_model, answers), Mode.FULL)

    visits.complete_round(engine, first.id, changed_model)
    again = results.round_result(engine, changed_model, _round(engine, first.id), newest=True)
    assert again.stored and not again.earlier_model and again.result == shown.result


def test_an_open_round_is_scored_live_and_nothing_is_stored(engine: Engine, model: Model) -> None:
    answers = _answers(model)
    _respondent, first = _answered_round(engine, answers)
    shown = results.round_result(engine, model, first, newest=True)
    assert not shown.stored and not shown.earlier_model
    assert shown.result == score(model, results.normalised(model, answers), Mode.FULL)
    with engine.connect() as connection:
        assert store.stored_scores(connection, first.id) == store.StoredScores(None, None, None)


def test_a_round_left_behind_by_a_new_round_keeps_its_scores(
    engine: Engine, model: Model, changed_model: Model
) -> None:
    """Never completed, but history once a new round starts: its scores are stored then."""
    answers = _answers(model)
    respondent_id, first = _answered_round(engine, answers)
    visits.start_new_round(engine, respondent_id, "full", 1, model)
    shown = results.round_result(engine, changed_model, _round(engine, first.id), newest=False)
    assert shown.stored and shown.earlier_model
    assert shown.result == score(model, results.normalised(model, answers), Mode.FULL)


def test_a_quick_round_switched_to_full_keeps_its_quick_scores(
    engine: Engine, model: Model, changed_model: Model
) -> None:
    quick_ids = set(model.item_ids(Mode.QUICK))
    answers = {k: v for k, v in _answers(model).items() if k in quick_ids}
    respondent_id, quick = _answered_round(engine, answers, mode="quick")
    visits.switch_to_full(engine, respondent_id, quick.id, 1, model)
    shown = results.round_result(engine, changed_model, _round(engine, quick.id), newest=False)
    assert shown.stored and shown.earlier_model
    assert shown.result == score(model, results.normalised(model, answers), Mode.QUICK)


def test_a_round_completed_before_scores_were_stored_is_scored_once_with_its_own_model(
    engine: Engine, model: Model
) -> None:
    """As migrations 0004 and 0005 leave it: the previous release's version, no scores, one answer
    moved to a new id and one retired."""
    earlier = archived_model(PREVIOUS)
    assert earlier is not None
    then = demo_answers(earlier)
    renamed_from, retired = earlier.maturity_statements()[1].id, earlier.tee_statements()[0].id
    now = {k: v for k, v in then.items() if k not in (renamed_from, retired)}
    now["renamed.by.0005"] = then[renamed_from]
    _respondent, first = _answered_round(engine, now)
    at = store.now()
    with engine.begin() as connection:
        connection.execute(
            update(schema.rounds).where(schema.rounds.c.id == first.id).values(completed_at=at, model_version=PREVIOUS)
        )
        connection.execute(
            schema.retired_answers.insert(),
            [
                {"round_id": first.id, "item_id": renamed_from, "value": then[renamed_from], "answered_at": at,
                 "retired_by": "0005", "moved_to": "renamed.by.0005"},
                {"round_id": first.id, "item_id": retired, "value": then[retired], "answered_at": at,
                 "retired_by": "0005", "moved_to": None},
            ],
        )  # fmt: skip

    expected = score(earlier, results.normalised(earlier, then), Mode.FULL)
    legacy = _round(engine, first.id)
    shown = results.round_result(engine, model, legacy, newest=True, answers=results.normalised(model, now))
    assert shown.result == expected
    assert shown.stored and shown.model_version == PREVIOUS
    assert shown.earlier_model == (model_version(model) != PREVIOUS)
    with engine.connect() as connection:
        kept = store.stored_scores(connection, first.id)
    assert kept is not None and kept.model_version == PREVIOUS and kept.scores is not None
    # Once: the second reading shows what was stored, and stores nothing again.
    again = results.round_result(engine, model, _round(engine, first.id), newest=True)
    assert again.result == expected and again.stored
    with engine.connect() as connection:
        assert store.stored_scores(connection, first.id) == kept


def test_unreadable_stored_scores_are_scored_live_not_a_traceback(engine: Engine, model: Model) -> None:
    answers = _answers(model)
    _respondent, first = _answered_round(engine, answers)
    visits.complete_round(engine, first.id, model)
    with engine.begin() as connection:
        connection.execute(update(schema.rounds).where(schema.rounds.c.id == first.id).values(scores="{broken"))
    shown = results.round_result(engine, model, _round(engine, first.id), newest=False)
    assert not shown.stored and shown.result == score(model, results.normalised(model, answers), Mode.FULL)


def test_answers_to_ids_the_model_does_not_know_are_skipped_when_a_visit_is_read(engine: Engine, model: Model) -> None:
    token, _respondent, first = visits.start_assessment(engine, "full")
    known = model.maturity_statements()[0].id
    visits.save_answer(engine, first.id, known, "largely")
    visits.save_answer(engine, first.id, "retired.item.1", "fully")
    visits.save_answer(engine, first.id, model.checklist[0].id, "not a value")
    visit = visits.load_visit(engine, token)
    assert visit.answers["retired.item.1"] == "fully"  # as stored: nothing is dropped there
    assert results.normalised(model, visit.answers) == {known: "largely"}
    visits.complete_round(engine, first.id, model)
    shown = results.round_result(engine, model, _round(engine, first.id), newest=True)
    assert shown.result == score(model, {known: "largely"}, Mode.FULL)


def test_undoing_migrations_gives_the_answers_as_they_were() -> None:
    now = {"a.1": "x2", "a.2": "x1", "b.3": "y2", "b.2": "y1", "c.kept": "k", "d.new": "d1", "z": "z"}
    retired = [
        RetiredAnswer("a.1", "x1", "0005", "a.2"),
        RetiredAnswer("a.2", "x2", "0005", "a.1"),
        RetiredAnswer("b.1", "y1", "0005", "b.2"),
        RetiredAnswer("b.2", "y2", "0005", "b.3"),
        RetiredAnswer("c.old", "c", "0005", None),
        RetiredAnswer("d.1", "d1", "0005", "d.new"),
        RetiredAnswer("d.2", "d2", "0005", None),
    ]
    assert results.answers_before_migrations(now, retired) == {
        "a.1": "x1", "a.2": "x2", "b.1": "y1", "b.2": "y2", "c.kept": "k", "c.old": "c", "d.1": "d1", "d.2": "d2",
        "z": "z",
    }  # fmt: skip


def test_deleting_a_switched_round_takes_its_retired_answers_too(engine: Engine, model: Model) -> None:
    respondent_id, quick = _answered_round(engine, {}, mode="quick")
    full = visits.switch_to_full(engine, respondent_id, quick.id, 1, model)
    with engine.begin() as connection:
        connection.execute(
            schema.retired_answers.insert().values(
                round_id=full.id, item_id="old", value="fully", answered_at=full.started_at, retired_by="0005"
            )
        )
    assert visits.undo_switch(engine, respondent_id, full.id)
    with engine.connect() as connection:
        assert connection.execute(select(schema.retired_answers)).all() == []
