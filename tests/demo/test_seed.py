"""demo.seed and `python -m demo`: what a seed writes is what real use would have written (members,
waves, rounds completed inside their wave, each response's summary), and it looks alive (stages,
spreads and trends differ). On SQLite and PostgreSQL, at a small scale."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime, timezone

import pytest
from sqlalchemy import Engine, func, select

from assessment import response_summary
from assessment.model import Model
from demo.__main__ import main
from demo.seed import (
    DEMO_ORGANISATIONS,
    TRAINER_USERNAME,
    AccountsExist,
    AlreadySeeded,
    SeedReport,
    demo_names,
    is_empty,
    manager_username,
    seed,
)
from services import accounts
from services import organisations as organisation_service
from services.results import current_model
from storage import management as management_store
from storage.engine import reading
from storage.schema import organisation_members, organisations, respondents, rounds, users, wave_responses, waves

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)
SCALE = 0.1


@pytest.fixture(scope="module")
def model() -> Model:
    return current_model()


def _seeded(engine: Engine, model: Model, **options: object) -> SeedReport:
    return seed(engine, model, scale=SCALE, now=NOW, **options)  # type: ignore[arg-type]


def _organisation_ids(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {row.name: row.id for row in connection.execute(select(organisations.c.name, organisations.c.id))}


def _summaries(engine: Engine, wave_id: int) -> list[response_summary.ResponseSummary]:
    return reading(
        engine, lambda c: [response_summary.load(r.summary) for r in management_store.responses_of(c, wave_id)]
    )


def _pooled_stage(summaries: list[response_summary.ResponseSummary]) -> str | None:
    """The organisation's stage from every respondent's cells added up (the individual rule)."""
    cells = [0] * (response_summary.CELL_FIELDS * 4)
    for summary in summaries:
        for dimension in summary.dimensions:
            cells = [a + b for a, b in zip(cells, dimension.cells, strict=True)]
    return response_summary.highest_reached(cells)


def _median(summaries: list[response_summary.ResponseSummary]) -> float:
    return statistics.median(statistics.mean(d.score for d in s.dimensions) for s in summaries)


def test_every_demo_organisation_gets_its_lists_and_two_waves_the_first_closed(engine: Engine, model: Model) -> None:
    report = _seeded(engine, model)

    ids = _organisation_ids(engine)
    assert sorted(ids) == sorted(demo_names())
    assert [o.name for o in report.organisations] == list(demo_names())
    with engine.connect() as connection:
        for demo in DEMO_ORGANISATIONS:
            settings = management_store.settings_of(connection, ids[demo.full_name])
            assert settings is not None
            assert settings.departments == tuple(d.name for d in demo.departments)
            assert settings.job_titles == demo.job_titles
            assert settings.anonymity_threshold == demo.threshold
            assert settings.invite_open and settings.invite_code
            first, second = management_store.waves_of(connection, settings.id)
            assert first.closed_at is not None and first.closed_at < second.opened_at < NOW
            assert (second.closed_at is not None) == demo.second_wave_closed
            assert first.threshold == second.threshold == demo.threshold
    assert report.waves == 2 * len(DEMO_ORGANISATIONS)


def test_each_wave_holds_exactly_the_rounds_its_members_completed_in_it(engine: Engine, model: Model) -> None:
    report = _seeded(engine, model)

    with engine.connect() as connection:
        for organisation in report.organisations:
            for seeded_wave in organisation.waves:
                wave = management_store.wave_by_id(connection, seeded_wave.id)
                assert wave is not None
                until = wave.closed_at or NOW
                completed = connection.execute(
                    select(func.count())
                    .select_from(
                        rounds.join(
                            organisation_members, organisation_members.c.respondent_id == rounds.c.respondent_id
                        )
                    )
                    .where(
                        organisation_members.c.organisation_id == organisation.id,
                        rounds.c.completed_at >= wave.opened_at,
                        rounds.c.completed_at <= until,
                    )
                ).scalar_one()
                responses = connection.execute(
                    select(
                        wave_responses.c.round_id, wave_responses.c.completed_at, rounds.c.completed_at.label("done")
                    )
                    .join(rounds, rounds.c.id == wave_responses.c.round_id)
                    .where(wave_responses.c.wave_id == wave.id)
                ).all()
                assert len(responses) == completed == seeded_wave.responses > 0
                for row in responses:
                    assert row.completed_at == row.done
                    assert wave.opened_at <= row.completed_at <= until
        # Every completed round has its scores stored with the model's version, as complete_round does.
        unscored = connection.execute(
            select(func.count()).where(rounds.c.completed_at.is_not(None), rounds.c.scores.is_(None))
        ).scalar_one()
        assert unscored == 0
        assert connection.execute(select(func.count()).select_from(rounds)).scalar_one() > report.completed_rounds


def test_responses_summaries_load_and_name_only_listed_departments_and_titles(engine: Engine, model: Model) -> None:
    report = _seeded(engine, model)

    answers_seen = Counter[str]()
    modes = Counter[str]()
    with engine.connect() as connection:
        for organisation in report.organisations:
            settings = management_store.settings_of(connection, organisation.id)
            assert settings is not None
            for wave in organisation.waves:
                for response in management_store.responses_of(connection, wave.id):
                    assert response.department is None or response.department in settings.departments
                    assert response.job_title is None or response.job_title in settings.job_titles
                    summary = response_summary.load(response.summary)
                    modes[summary.mode.value] += 1
                    answers_seen["dont_know" if "?" in summary.answer_codes else "sure"] += 1
    assert modes["quick"] > 0 and modes["full"] > 0
    # About one respondent in ten is unsure; at this scale anything from a few to a quarter.
    assert 0 < answers_seen["dont_know"] < 0.25 * sum(answers_seen.values())


def test_organisations_stand_at_different_stages_and_most_move_between_waves(engine: Engine, model: Model) -> None:
    report = _seeded(engine, model)

    first_stages = set()
    individual = Counter[str | None]()
    moved = rose = 0
    for organisation, demo in zip(report.organisations, DEMO_ORGANISATIONS, strict=True):
        first, second = (_summaries(engine, w.id) for w in organisation.waves)
        first_stages.add(_pooled_stage(first))
        individual.update(s.stage for s in first + second)
        change = _median(second) - _median(first)
        if change != 0:
            moved += 1
        if demo.change < 0:
            assert change < 0, f"{demo.name} declines"
        elif change > 0:
            rose += 1
    assert len(first_stages) >= 3, first_stages
    assert len(individual) >= 4, individual
    assert moved >= len(DEMO_ORGANISATIONS) - 1
    # Every organisation but one improves; at this scale noise may hide one of them.
    assert sum(d.change > 0 for d in DEMO_ORGANISATIONS) == len(DEMO_ORGANISATIONS) - 1
    assert rose >= len(DEMO_ORGANISATIONS) - 2


def test_departments_differ_and_some_disagree_more_than_others(engine: Engine, model: Model) -> None:
    # At this scale the first waves have 6 to 33 respondents: enough to see departments apart.
    report = seed(engine, model, scale=0.3, now=NOW)

    agreeing: list[float] = []  # each department's spread of its respondents' mean scores
    disagreeing: list[float] = []
    disputed_margin: list[float] = []
    medians: dict[str, float] = {}
    for organisation, demo in zip(report.organisations, DEMO_ORGANISATIONS, strict=True):
        with engine.connect() as connection:
            responses = management_store.responses_of(connection, organisation.waves[0].id)
        summaries = [response_summary.load(r.summary) for r in responses]
        by_department: dict[str | None, list[float]] = {}
        for response, summary in zip(responses, summaries, strict=True):
            by_department.setdefault(response.department, []).append(
                statistics.mean(d.score for d in summary.dimensions)
            )
        for department in demo.departments:
            scores = by_department.get(department.name, [])
            if len(scores) >= 3:
                medians[f"{demo.slug}/{department.name}"] = statistics.median(scores)
                if department.spread <= 0.3:
                    agreeing.append(statistics.pstdev(scores))
                elif department.spread >= 0.8:
                    disagreeing.append(statistics.pstdev(scores))
        spread = {
            d.id: statistics.pstdev(s.dimension(d.id).score for s in summaries)  # type: ignore[union-attr]
            for d in model.dimensions
        }
        disputed = [v for k, v in spread.items() if k in demo.disputed]
        others = [v for k, v in spread.items() if k not in demo.disputed]
        disputed_margin.append(statistics.mean(disputed) - statistics.mean(others))

    assert medians["zuidwaarde/Communicatie"] > medians["zuidwaarde/Ruimte en Wonen"] + 0.5
    assert medians["northgate/E-commerce"] > medians["northgate/Stores"] + 0.5
    assert len(agreeing) >= 4 and len(disagreeing) >= 4
    assert statistics.mean(disagreeing) > 1.5 * statistics.mean(agreeing)
    assert statistics.mean(disputed_margin) > 0.1


def test_a_closing_wave_stores_the_statistics_made_from_its_committed_responses(engine: Engine, model: Model) -> None:
    asked: list[int] = []

    def figures(wave_id: int) -> str:
        asked.append(wave_id)
        return f'{{"responses": {len(_summaries(engine, wave_id))}}}'

    report = _seeded(engine, model, statistics=figures)

    closed = [w for o in report.organisations for w in o.waves if w.closed]
    assert sorted(asked) == sorted(w.id for w in closed)
    with engine.connect() as connection:
        for wave in closed:
            stored = management_store.wave_by_id(connection, wave.id)
            assert stored is not None and stored.statistics == f'{{"responses": {wave.responses}}}'
        still_open = [w for o in report.organisations for w in o.waves if not w.closed]
        assert all(management_store.wave_by_id(connection, w.id).statistics is None for w in still_open)  # type: ignore[union-attr]


def test_a_second_seed_is_refused_and_adds_nothing(engine: Engine, model: Model) -> None:
    _seeded(engine, model)
    with engine.connect() as connection:
        before = connection.execute(select(func.count()).select_from(respondents)).scalar_one()

    with pytest.raises(AlreadySeeded) as refused:
        _seeded(engine, model)

    assert set(refused.value.names) == set(demo_names())
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(respondents)).scalar_one() == before
        assert connection.execute(select(func.count()).select_from(organisations)).scalar_one() == len(
            DEMO_ORGANISATIONS
        )


def test_without_managers_no_account_is_made(engine: Engine, model: Model) -> None:
    report = _seeded(engine, model)

    assert report.accounts == ()
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(users)).scalar_one() == 0
        assert connection.execute(select(func.count()).where(waves.c.opened_by_user_id.is_not(None))).scalar_one() == 0


def test_managers_manage_their_own_organisation_and_the_trainer_sees_all(engine: Engine, model: Model) -> None:
    report = _seeded(engine, model, managers=True)

    ids = _organisation_ids(engine)
    by_name = {a.username: a for a in report.accounts}
    assert set(by_name) == {TRAINER_USERNAME, *(manager_username(o) for o in DEMO_ORGANISATIONS)}
    for demo in DEMO_ORGANISATIONS:
        account = by_name[manager_username(demo)]
        _token, user = accounts.authenticate(engine, account.username, account.password, None, now=NOW)
        assert user.role.value == "manager"
        with engine.connect() as connection:
            assert management_store.managed_organisations(connection, user.id) == [ids[demo.full_name]]
        seen = organisation_service.waves_of(engine, user.id, ids[demo.full_name])
        assert [count for _wave, count in seen] == [
            w.responses for o in report.organisations if o.name == demo.full_name for w in o.waves
        ]
    trainer = accounts.find_user(engine, TRAINER_USERNAME)
    for organisation_id in ids.values():
        assert len(organisation_service.waves_of(engine, trainer.id, organisation_id)) == 2
    someone_else = accounts.find_user(engine, manager_username(DEMO_ORGANISATIONS[0]))
    with pytest.raises(organisation_service.NotAllowed):
        organisation_service.waves_of(engine, someone_else.id, ids[DEMO_ORGANISATIONS[1].full_name])


def test_managers_refused_when_a_demo_username_is_taken_and_nothing_is_written(engine: Engine, model: Model) -> None:
    accounts.create_user(engine, TRAINER_USERNAME, None, "trainer", "a long enough password", now=NOW)

    with pytest.raises(AccountsExist) as refused:
        _seeded(engine, model, managers=True)

    assert refused.value.usernames == (TRAINER_USERNAME,)
    assert is_empty(engine)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(users)).scalar_one() == 1


# The command line -------------------------------------------------------------------------------


def test_command_line_empty_seed_and_refusal(
    engine: Engine,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SMM_DATABASE_URL", database_url)

    assert main(["empty"]) == 0
    assert main(["seed", "--scale", str(SCALE)]) == 0
    out = capsys.readouterr().out
    assert f"Seeded {len(DEMO_ORGANISATIONS)} demo organisations, 12 waves" in out
    assert "password" not in out
    assert main(["empty"]) == 1
    assert main(["seed", "--scale", str(SCALE)]) == 1
    assert "there already" in capsys.readouterr().err
    assert main(["seed", "--again"]) == 0
    assert "nothing was added" in capsys.readouterr().out


def test_command_line_prints_each_demo_password_once(
    engine: Engine,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SMM_DATABASE_URL", database_url)

    assert main(["seed", "--scale", "0.05", "--managers"]) == 0

    out = capsys.readouterr().out
    for line in out.splitlines():
        if line.strip().startswith((TRAINER_USERNAME, "manager-")):
            username, password = line.split()[:2]
            accounts.authenticate(engine, username, password, None, now=NOW)
            assert out.count(password) == 1


def test_command_line_on_a_schema_that_is_behind_says_to_upgrade(
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SMM_DATABASE_URL", database_url)

    assert main(["empty"]) == 2
    assert main(["seed"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all("python -m storage upgrade" in line for line in err)


def test_command_line_on_an_unreachable_database_says_so_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SMM_DATABASE_URL", "postgresql://nobody@127.0.0.1:9/nothing")

    assert main(["seed"]) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1 and "cannot be reached" in captured.err


def test_command_line_help_and_bad_scale(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["seed", "--help"])
    assert done.value.code == 0
    assert "--managers" in capsys.readouterr().out
    with pytest.raises(SystemExit) as refused:
        main(["seed", "--scale", "0"])
    assert refused.value.code == 2


def test_organisations_with_targets_get_a_plan_with_owners_and_statuses(engine: Engine, model: Model) -> None:
    from learning.content import load_course
    from services.dashboard import wave_statistics

    report = _seeded(
        engine,
        model,
        statistics=lambda wave_id: wave_statistics(engine, wave_id, model),
        course=load_course(model),
    )
    with engine.connect() as connection:
        plans = {o.name: management_store.actions_of(connection, o.id) for o in report.organisations}
        targets = {o.name: management_store.targets_of(connection, o.id) for o in report.organisations}
    planned = [name for name, actions in plans.items() if actions]
    assert planned and all(targets[name] for name in planned)
    assert all(not plans[name] for name, stored in targets.items() if not stored)
    for name in planned:
        actions = plans[name]
        assert len(actions) <= 3 and all(a.owner and a.due_on and a.baseline is not None for a in actions)
        assert {a.status for a in actions} <= {"done", "in_progress", "open"}
        assert all(a.source == "proposed" and a.dimension_id for a in actions)
