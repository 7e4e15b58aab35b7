"""A database that cannot serve a click in time reaches the visitor as the plain "busy" message, on
SQLite and PostgreSQL: when every pooled connection is taken (a burst of script threads) and when
the database itself stalls (a lock held elsewhere until the lock or busy timeout). The answer is
kept and stored on the next click; the page never shows a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, text
from streamlit.testing.v1 import AppTest

from assessment.model import Model
from services import respondents as visits
from storage import engine as storage_engine
from storage.engine import make_engine
from views import state
from views.answer_widgets import item_of_key

KEPT = "The database is busy: 1 answer is kept on this page"


def _assessment(app: AppTest, token: str) -> AppTest:
    app.query_params["t"] = token
    app.query_params["step"] = "1"
    app.run()
    app.switch_page("views/assessment.py").run()
    assert not app.exception
    return app


def _radio(app: AppTest, item_id: str):  # noqa: ANN202 - AppTest's Radio element
    return next(r for r in app.radio if item_of_key(r.key or "") == item_id)


def _warnings(app: AppTest) -> list[str]:
    return [w.value for w in app.warning]


@contextmanager
def _every_pooled_connection_taken(app_engine: Engine) -> Iterator[None]:
    """Other sessions' script threads hold the app's whole pool (size 1, no overflow, in these tests)."""
    with app_engine.connect() as held:
        held.execute(text("SELECT 1"))
        yield


def test_a_full_connection_pool_shows_the_busy_message_and_keeps_the_answer(
    app: AppTest, any_engine: Engine, model: Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMM_DB_POOL_SIZE", "1")
    monkeypatch.setenv("SMM_DB_MAX_OVERFLOW", "0")
    monkeypatch.setattr(storage_engine, "POOL_TIMEOUT_S", 0.2)
    token, _respondent, first_round = visits.start_assessment(any_engine, "full")
    first = model.dimensions[0].statements[0].id
    _assessment(app, token)
    app_engine = state.engine()  # the engine the app's runs use (one per URL and process)
    assert app_engine.pool.size() == 1

    with _every_pooled_connection_taken(app_engine):
        _radio(app, first).set_value("largely").run()
    assert not app.exception
    # The answer could not be written and the page could not be read back: the plain message, nothing else.
    assert any("The database is busy right now" in w for w in _warnings(app)), _warnings(app)
    assert app.session_state["storage_busy"] is True
    assert visits.round_answers(any_engine, first_round.id) == {}

    app.run()  # the next click, with a connection free: the kept answer is stored
    assert not app.exception
    assert visits.round_answers(any_engine, first_round.id) == {first: "largely"}
    assert _radio(app, first).value == "largely"
    assert not any("busy" in w for w in _warnings(app))


def test_a_stalled_sqlite_file_shows_the_busy_message_and_keeps_the_answer(
    app: AppTest, engine: Engine, database, model: Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage_engine, "SQLITE_BUSY_TIMEOUT_MS", 20)
    monkeypatch.setattr(storage_engine, "FIRST_DELAY_S", 0.01)
    token, _respondent, first_round = visits.start_assessment(engine, "full")
    first = model.dimensions[0].statements[0].id
    _assessment(app, token)
    blocker = make_engine(f"sqlite:///{database}")
    try:
        with blocker.connect() as connection:
            connection.exec_driver_sql("BEGIN EXCLUSIVE")  # another writer that does not let go
            _radio(app, first).set_value("fully").run()
            connection.exec_driver_sql("COMMIT")
    finally:
        blocker.dispose()
    assert not app.exception
    assert any(w.startswith(KEPT) for w in _warnings(app)), _warnings(app)
    assert visits.round_answers(engine, first_round.id) == {}

    app.run()
    assert not app.exception
    assert visits.round_answers(engine, first_round.id) == {first: "fully"}
    assert not any("busy" in w for w in _warnings(app))


@pytest.mark.parametrize("any_engine", ["postgresql"], indirect=True)
def test_a_stalled_postgresql_shows_the_busy_message_and_keeps_the_answer(
    app: AppTest, any_engine: Engine, model: Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A table locked by another connection: every statement on it waits for lock_timeout (55P03).
    monkeypatch.setattr(storage_engine, "LOCK_TIMEOUT_MS", 300)
    token, _respondent, first_round = visits.start_assessment(any_engine, "full")
    first = model.dimensions[0].statements[0].id
    _assessment(app, token)
    blocker = make_engine(str(any_engine.url.render_as_string(hide_password=False)))
    try:
        with blocker.connect() as connection:
            connection.execute(text("LOCK TABLE answers IN ACCESS EXCLUSIVE MODE"))
            _radio(app, first).set_value("partly").run()
            connection.rollback()
    finally:
        blocker.dispose()
    assert not app.exception
    # Neither the write nor the read back went through: the page says the database is busy and stops.
    assert any("The database is busy right now" in w for w in _warnings(app)), _warnings(app)
    assert visits.round_answers(any_engine, first_round.id) == {}

    app.run()
    assert not app.exception
    assert visits.round_answers(any_engine, first_round.id) == {first: "partly"}
    assert not any("busy" in w for w in _warnings(app))
