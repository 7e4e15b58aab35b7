"""Migrations 0004 (rounds keep scores and their model version; retired_answers) and 0005 (stored
answers follow the model's changed ids), from a database of revision 0003 with data in it, on
SQLite and PostgreSQL."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from storage import migrate, schema
from storage.engine import make_engine
from tests.storage import revision_0003

VERSIONS = Path(__file__).resolve().parents[2] / "storage" / "migrations" / "versions"


def _revision(name: str) -> ModuleType:
    path = next(VERSIONS.glob(f"{name}_*.py"))
    spec = importlib.util.spec_from_file_location(f"revision_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAPPING = _revision("0005")
PREVIOUS = _revision("0004").PREVIOUS_MODEL_VERSION


def _answers(connection) -> dict[tuple[int, str], str]:  # noqa: ANN001
    return {(a.round_id, a.item_id): a.value for a in connection.execute(select(schema.answers))}


def _retired(connection) -> dict[tuple[int, str], tuple[str, str, str | None]]:  # noqa: ANN001
    return {
        (r.round_id, r.item_id): (r.value, r.retired_by, r.moved_to)
        for r in connection.execute(select(schema.retired_answers))
    }


def test_from_0003_with_data_rounds_get_their_model_and_answers_follow_the_changed_ids(database_url: str) -> None:
    renamed, retired = dict(MAPPING.RENAMED), list(MAPPING.RETIRED)
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, target="0003")
        stored = revision_0003.fill(engine, ["content.1", *renamed, *retired])
        with engine.connect() as connection:
            old_rounds = connection.execute(select(revision_0003.rounds).order_by(revision_0003.rounds.c.id)).all()

        done = migrate.upgrade(engine)
        assert (done.before, done.after) == ("0003", migrate.head())

        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), schema.metadata) == []
            rounds = connection.execute(select(schema.rounds).order_by(schema.rounds.c.id)).all()
            # Nothing else about a round changes.
            assert (
                connection.execute(select(revision_0003.rounds).order_by(revision_0003.rounds.c.id)).all() == old_rounds
            )
            # Closed rounds were taken with the previous release's model; open ones are scored as before.
            assert {r.id: r.model_version for r in rounds} == {
                i: (PREVIOUS if i in stored.closed else None) for i in stored.rounds
            }
            assert all(r.scores is None and r.scored_at is None for r in rounds)

            answers = _answers(connection)
            moved = _retired(connection)
        expected = {
            (round_id, renamed.get(item_id, item_id)): value
            for (round_id, item_id), value in stored.answers.items()
            if item_id not in retired
        }
        assert answers == expected
        assert moved == {
            (round_id, item_id): (value, "0005", renamed.get(item_id))
            for (round_id, item_id), value in stored.answers.items()
            if item_id in renamed or item_id in retired
        }
    finally:
        engine.dispose()


def test_the_mapping_moves_renamed_answers_and_keeps_retired_ones_and_downgrade_restores_them(
    database_url: str,
) -> None:
    """0005's steps on a made-up mapping with every awkward case: a swap, a chain, two ids merged
    into one the round already answers, and a retired id that lives on for another statement."""
    renamed = {
        "a.1": "a.2",  # swap with the next line
        "a.2": "a.1",
        "b.1": "b.2",  # chain: b.1 -> b.2 while b.2 -> b.3
        "b.2": "b.3",
        "c.old": "c.kept",  # merge into an id the round answers itself: that answer stays
        "d.1": "d.new",  # two merged into one new id: the first listed wins
        "d.2": "d.new",
    }
    retired = ["e.1", "x.replaced"]
    ids = ["a.1", "a.2", "b.1", "b.2", "c.old", "c.kept", "d.1", "d.2", "e.1", "x.replaced", "z.same"]
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, target="0004")
        stored = revision_0003.fill(engine, ids)
        with engine.begin() as connection:
            MAPPING.move_answers(connection, renamed, retired, "0005")
        with engine.connect() as connection:
            answers = _answers(connection)
            moved = _retired(connection)
        for round_id in stored.rounds:
            given = {i: v for (r, i), v in stored.answers.items() if r == round_id}
            mine = {i: v for (r, i), v in answers.items() if r == round_id}
            assert mine == {
                "strategy.crawl.1": given["strategy.crawl.1"],
                "z.same": given["z.same"],
                "a.2": given["a.1"],
                "a.1": given["a.2"],
                "b.2": given["b.1"],
                "b.3": given["b.2"],
                "c.kept": given["c.kept"],
                "d.new": given["d.1"],
            }
            mine_retired = {i: m for (r, i), m in moved.items() if r == round_id}
            assert mine_retired == {
                "a.1": (given["a.1"], "0005", "a.2"),
                "a.2": (given["a.2"], "0005", "a.1"),
                "b.1": (given["b.1"], "0005", "b.2"),
                "b.2": (given["b.2"], "0005", "b.3"),
                "c.old": (given["c.old"], "0005", None),
                "d.1": (given["d.1"], "0005", "d.new"),
                "d.2": (given["d.2"], "0005", None),
                "e.1": (given["e.1"], "0005", None),
                "x.replaced": (given["x.replaced"], "0005", None),
            }
        # Every value is somewhere: nothing was lost.
        assert set(stored.answers.items()) <= set(answers.items()) | {((r, i), m[0]) for (r, i), m in moved.items()}

        with engine.begin() as connection:
            MAPPING.restore_answers(connection, "0005")
        with engine.connect() as connection:
            assert _answers(connection) == stored.answers
            assert _retired(connection) == {}
    finally:
        engine.dispose()


def test_every_item_id_the_previous_model_had_and_the_current_one_lacks_is_mapped() -> None:
    """No answer is left behind under an id nobody asks any more: the mapping of 0005 keeps up
    with the model (a renamed id points at an id the model has)."""
    from assessment.loader import load_model
    from assessment.version import archived_model

    previous = archived_model(PREVIOUS)
    assert previous is not None
    current = load_model()
    gone = set(previous.item_ids()) - set(current.item_ids())
    assert gone <= set(MAPPING.RENAMED) | set(MAPPING.RETIRED), sorted(
        gone - set(MAPPING.RENAMED) - set(MAPPING.RETIRED)
    )
    assert set(MAPPING.RENAMED.values()) <= set(current.item_ids())
    assert set(MAPPING.RENAMED) | set(MAPPING.RETIRED) <= set(previous.item_ids()), "only ids the previous model had"


def test_a_round_the_previous_release_completed_is_scored_once_with_its_model_after_the_upgrade(
    database_url: str,
) -> None:
    from assessment.loader import load_model
    from assessment.model import Mode
    from assessment.scoring import score
    from assessment.version import archived_model
    from services import results
    from storage import respondents as store
    from tests.storage.legacy_release import make_legacy_database

    engine = make_engine(database_url)
    try:
        legacy = make_legacy_database(engine)
        migrate.upgrade(engine)
        completed = next(i for i, (_r, _n, _m, done) in legacy.rounds.items() if done)
        with engine.connect() as connection:
            round_ = store.round_by_id(connection, completed)
        assert round_ is not None and round_.model_version == PREVIOUS and round_.scored_at is None
        earlier = archived_model(PREVIOUS)
        assert earlier is not None
        answers = {item: value for (r, item), value in legacy.answers.items() if r == completed}
        expected = score(earlier, results.normalised(earlier, answers), Mode(round_.mode))

        shown = results.round_result(engine, load_model(), round_, newest=False)
        assert shown.stored and shown.model_version == PREVIOUS and shown.result == expected
        with engine.connect() as connection:
            kept = store.stored_scores(connection, completed)
        assert kept is not None and kept.scores is not None and kept.model_version == PREVIOUS
    finally:
        engine.dispose()
