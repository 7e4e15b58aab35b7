"""The "Live quizzes" section of the workshop results page: a run's header, its ranking with the
nicknames as typed (table data, never Markdown), the per-question table beside a chart with its
sentence, and the live tables among the downloads."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine

from identity import passwords
from quizzes.live import Action
from services import live
from services.live_results import live_results
from services.workshops import NotAllowed
from tests.live_results_fixtures import at, play
from tests.views.test_workshop_results_page import login, page, shown_text
from tests.workshop_fixtures import BANK, COURSE, make_workshop, user


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture(autouse=True)
def mini_course(monkeypatch: pytest.MonkeyPatch) -> None:
    from views import state

    monkeypatch.setattr(state, "course", lambda language=None: COURSE)


def test_a_runs_ranking_questions_and_chart(database: Path, engine: Engine) -> None:
    anna = user(engine, "anna")
    workshop = make_workshop(engine, anna)
    play(engine, anna, workshop, names=("_Ann_", "-cmd", "Cy"))
    at_ = page(login(engine, "anna"), workshop.id)
    assert not at_.exception and not at_.error
    assert "Live quizzes" in [h.value for h in at_.header]
    assert "Mini quiz" in [h.value for h in at_.subheader]
    text = shown_text(at_)
    assert "1 live quiz run, newest first." in text
    assert "Started 2026-12-02 09:00 UTC · 3 players · 2 of 2 questions asked" in text
    # The nicknames are table data as typed: never Markdown (no _Ann_ turned into italics anywhere).
    assert not any("Ann" in m.value for kind in (at_.markdown, at_.caption, at_.header) for m in kind)
    ranking = next(f.value for f in at_.dataframe if "Place" in f.value.columns)
    assert ranking[["Place", "Nickname", "Points", "Answered", "Right", "Could answer"]].values.tolist() == [
        [1, "_Ann_", 2000, 2, 2, 2],
        [2, "-cmd", 750, 2, 1, 2],  # right at 5 s of 10: 1000 x (1 - 0.25)
        [3, "Cy", 0, 1, 0, 1],
    ]
    questions = next(f.value for f in at_.dataframe if "Median time (s)" in f.value.columns)
    assert questions[["Question", "Could answer", "Answered", "Right (%)"]].values.tolist() == [
        ["Q1", 2, 2, 50.0],
        ["Q2", 3, 3, 66.7],
    ]
    assert questions["Mean points"][0] == 500.0
    charts = at_.get("vega_lite_chart")
    assert any("Percent right" in chart.proto.spec for chart in charts)
    assert "the hardest was question 1 (50% right)" in text
    assert "Q1. Pick A" in text
    labels = {button.label for button in at_.get("download_button")}
    assert {"Live ranking, CSV", "Live questions, CSV", "Live option counts, CSV"} <= labels


def test_runs_newest_first_a_run_still_going_and_none_for_an_empty_workshop(database: Path, engine: Engine) -> None:
    anna = user(engine, "anna")
    workshop = make_workshop(engine, anna)
    play(engine, anna, workshop)
    going = live.start_run(engine, anna, workshop.id, BANK, now=at(100)).run_id
    live.control(engine, anna, going, Action.OPEN, BANK, now=at(101))
    at_ = page(login(engine, "anna"), workshop.id)
    assert not at_.exception
    text = shown_text(at_)
    assert "2 live quiz runs, newest first." in text
    captions = [c.value for c in at_.caption if c.value.startswith("Started")]
    assert captions[0].endswith("1 of 3 questions asked · still going") and "0 players" in captions[0]
    assert "Nobody took part in this run." in text and "Nobody answered a question of this run." in text

    empty = make_workshop(engine, anna, name="Empty")
    at_ = page(login(engine, "anna"), empty.id)
    assert not at_.exception
    assert "No live quiz has been played in this workshop yet." in shown_text(at_)


def test_another_trainer_sees_no_live_results(database: Path, engine: Engine) -> None:
    anna, ben = user(engine, "anna"), user(engine, "ben")
    workshop = make_workshop(engine, anna)
    play(engine, anna, workshop)
    at_ = page(login(engine, "ben"), workshop.id)
    assert not at_.exception and at_.error
    assert "Live quizzes" not in [h.value for h in at_.header] and not at_.dataframe
    with pytest.raises(NotAllowed):
        live_results(engine, ben, workshop.id, COURSE)
