"""The management dashboard's use case on SQLite and PostgreSQL: completed rounds of members land in
the open wave; who may see which organisation; the threshold on the organisation, its departments
(with the sibling rule) and filtered views (refused when a subtraction would reveal a small group);
the trend and the previous wave from closed waves; the benchmark; targets, proposals and the plan."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from assessment.model import Model
from learning.content import Course
from reporting import anonymity
from reporting.aggregate import Target
from reporting.plan import Status, make_action, open_proposals
from services import dashboard as dash
from services import organisations
from services import workshops as ws
from storage import management as store
from tests.management_seed import level_answers, organisation, respondent, user

TODAY = date(2026, 12, 3)
pytestmark = pytest.mark.usefixtures("cheap_management")


def _crowd(
    engine: Engine, model: Model, code: str, sizes: dict[tuple[str | None, str | None], int], level: int = 2
) -> None:
    for (department, job_title), count in sizes.items():
        for _ in range(count):
            respondent(engine, model, code, department, job_title, level_answers(model, level))


def test_a_members_completed_round_counts_in_the_open_wave_only(engine: Engine, model: Model) -> None:
    admin = user(engine, "root", "admin")
    org, code = organisation(engine, admin, "Acme")
    respondent(engine, model, code, "Sales", None, level_answers(model, 2))  # before any wave: not counted
    wave = organisations.open_wave(engine, admin, org, "Spring 2027")
    token, round_id = respondent(engine, model, code, "Sales", "Manager", level_answers(model, 1))
    respondent(engine, model, code, "IT", None, level_answers(model, 3), finish=False)  # not completed
    with engine.connect() as connection:
        responses = store.responses_of(connection, wave.id)
    assert [(r.department, r.job_title) for r in responses] == [("Sales", "Manager")]
    # Completing again in the same wave replaces the response (one per respondent and wave).
    from services import respondents

    respondents.complete_round(engine, round_id, model)
    assert organisations.waves_of(engine, admin, org)[0][1] == 1


def test_who_may_see_which_organisation(engine: Engine, model: Model, course: Course) -> None:
    admin = user(engine, "root", "admin")
    trainer = user(engine, "tina", "trainer")
    other_trainer = user(engine, "otto", "trainer")
    manager = user(engine, "mia", "manager")
    other_manager = user(engine, "max", "manager")
    acme, _code = organisation(engine, admin, "Acme")
    globex, _code2 = organisation(engine, admin, "Globex")
    ws.create_workshop(engine, trainer, "Kick-off", acme, TODAY, "en", "full")
    organisations.set_manager(engine, admin, manager, acme, True)
    organisations.set_manager(engine, admin, other_manager, globex, True)

    assert [o.name for o in organisations.visible_organisations(engine, admin)] == ["Acme", "Globex"]
    assert [o.name for o in organisations.visible_organisations(engine, manager)] == ["Acme"]
    assert [o.name for o in organisations.visible_organisations(engine, trainer)] == ["Acme"]
    assert organisations.visible_organisations(engine, other_trainer) == []
    for viewer in (admin, manager, trainer):
        assert dash.dashboard(engine, viewer, acme, model, course).organisation.name == "Acme"
    for outsider in (other_manager, other_trainer):
        with pytest.raises(organisations.NotAllowed):
            dash.dashboard(engine, outsider, acme, model, course)
    with pytest.raises(organisations.NotAllowed):  # an organisation that does not exist: the same answer
        dash.dashboard(engine, manager, 9999, model, course)
    # Only managers of it and admins set targets, the threshold and the plan; a trainer sees them.
    assert dash.dashboard(engine, trainer, acme, model, course).may_manage is False
    with pytest.raises(organisations.NotAllowed):
        dash.set_targets(engine, trainer, acme, model, {"strategy": Target("run", 5)})
    with pytest.raises(organisations.NotAllowed):
        organisations.set_threshold(engine, trainer, acme, 7)
    # A manager switched off sees nothing.
    from services import accounts

    accounts.set_active(engine, manager, False)
    assert organisations.visible_organisations(engine, manager) == []
    with pytest.raises(organisations.NotAllowed):
        dash.dashboard(engine, manager, acme, model, course)


def test_under_the_threshold_no_figure_at_all_not_even_the_count(engine: Engine, model: Model, course: Course) -> None:
    admin = user(engine, "root", "admin")
    org, code = organisation(engine, admin, "Acme")
    organisations.open_wave(engine, admin, org, "Spring 2027")
    _crowd(engine, model, code, {("Sales", None): 4})
    found = dash.dashboard(engine, admin, org, model, course)
    assert found.wave is not None and found.wave.respondents is None
    assert found.figures is None and found.departments == () and found.priorities == () and found.plan_gaps == ()
    assert found.trend.shown == (False,) and found.trend.respondents == (None,)
    _crowd(engine, model, code, {("Sales", None): 1})
    found = dash.dashboard(engine, admin, org, model, course)
    assert found.wave is not None and found.wave.respondents == 5
    assert found.figures is not None and found.figures.n == 5


def test_a_small_department_shows_nothing_and_hides_its_next_smallest_sibling(
    engine: Engine, model: Model, course: Course
) -> None:
    admin = user(engine, "root", "admin")
    org, code = organisation(engine, admin, "Acme")
    organisations.open_wave(engine, admin, org, "Spring 2027")
    _crowd(engine, model, code, {("Sales", None): 6, ("IT", None): 2, ("Care", None): 5})
    found = dash.dashboard(engine, admin, org, model, course)
    shown = {d.name: (None if d.figures is None else d.figures.n) for d in found.departments}
    # IT (2) is under 5; hiding it alone would leave 13 - 6 - 5 = 2 to subtract, so Care goes too.
    assert shown == {"Sales": 6, "IT": None, "Care": None}
    assert found.figures is not None and found.figures.n == 13
    hidden_total = found.figures.n - sum(n for n in shown.values() if n is not None)
    assert hidden_total >= found.threshold
    # Asking for a hidden department directly is hidden too, with the reason.
    view = dash.dashboard(engine, admin, org, model, course, dash.ViewRequest(department="Care"))
    assert view.figures is None and view.view is not None and view.view.status is anonymity.Status.HIDDEN


def test_a_filter_one_person_away_from_a_shown_group_is_refused(engine: Engine, model: Model, course: Course) -> None:
    admin = user(engine, "root", "admin")
    org, code = organisation(engine, admin, "Acme")
    organisations.open_wave(engine, admin, org, "Spring 2027")
    sizes = {("Sales", "Manager"): 6, ("Sales", "Adviser"): 1, ("Care", "Adviser"): 7, ("Care", "Manager"): 6}
    _crowd(engine, model, code, sizes)

    def view(department: str | None, job_title: str | None) -> dash.Dashboard:
        return dash.dashboard(engine, admin, org, model, course, dash.ViewRequest(None, department, job_title))

    sales = view("Sales", None)
    assert sales.figures is not None and sales.figures.n == 7
    # Sales (7, shown) minus Sales x Manager (6) would be the one Sales adviser.
    refused = view("Sales", "Manager")
    assert refused.figures is None and refused.view is not None
    assert refused.view.status is anonymity.Status.REFUSED
    # Advisers (8) minus Care x Adviser (7) would be that same person, from the other side.
    assert view("Care", "Adviser").figures is None
    # Care x Manager (6) is 7 away from Care and 6 from the managers, but with the managers (12) shown
    # it gives Sales x Manager (12 - 6), and Sales (7) minus that is the one adviser again: refused.
    care_managers = view("Care", "Manager")
    assert care_managers.figures is None and care_managers.view is not None
    assert care_managers.view.refusal is not None
    assert care_managers.view.refusal.reason is anonymity.Reason.WORKED_OUT
    # What is shown: the organisation, both departments, both job titles; no pair of them nests with
    # a difference of 1 to 4, and their sums and differences cannot single out the Sales adviser.
    shown = {
        (d, j): result.figures.n
        for d in ("Sales", "Care", None)
        for j in ("Manager", "Adviser", None)
        if (d, j) != (None, None)
        for result in [view(d, j)]
        if result.figures is not None
    }
    assert shown == {("Sales", None): 7, ("Care", None): 13, (None, "Manager"): 12, (None, "Adviser"): 8}


def test_closed_waves_give_the_trend_the_previous_overlay_and_others_a_benchmark(
    engine: Engine, model: Model, course: Course
) -> None:
    admin = user(engine, "root", "admin")
    org, code = organisation(engine, admin, "Acme")
    first = organisations.open_wave(engine, admin, org, "Spring 2026")
    _crowd(engine, model, code, {("Sales", None): 5}, level=1)
    dash.close_wave(engine, admin, org, first.id, model)
    second = organisations.open_wave(engine, admin, org, "Autumn 2026")
    _crowd(engine, model, code, {("Sales", None): 5}, level=3)
    found = dash.dashboard(engine, admin, org, model, course)
    assert found.wave is not None and found.wave.id == second.id
    assert found.trend.waves == ("Spring 2026", "Autumn 2026") and found.trend.shown == (True, True)
    assert found.trend.stages == ("crawl", "run")
    strategy = next(d for d in found.trend.dimensions if d.dimension == model.dimensions[0].id)
    assert strategy.medians == (1.0, 3.0)
    assert found.previous is not None and found.previous.n == 5 and found.previous_wave is not None
    # The first wave chosen: its own figures, no previous wave.
    earlier = dash.dashboard(engine, admin, org, model, course, dash.ViewRequest(wave_id=first.id))
    assert earlier.figures is not None and earlier.figures.stage == "crawl" and earlier.previous is None
    # No benchmark until three other organisations have a closed wave at their threshold.
    assert found.benchmark is None
    for index, level in enumerate((1, 2, 4)):
        other, other_code = organisation(engine, admin, f"Other {index}", sector="education" if index else "retail")
        wave = organisations.open_wave(engine, admin, other, "Spring 2026")
        _crowd(engine, model, other_code, {("IT", None): 5}, level=level)
        dash.close_wave(engine, admin, other, wave.id, model)
    compared = dash.dashboard(engine, admin, org, model, course).benchmark
    assert compared is not None and (compared.organisations, compared.respondents) == (3, 15)
    assert compared.dimensions[0].median == 2.0
    # The same sector only: one other retailer is too few.
    assert dash.dashboard(engine, admin, org, model, course, dash.ViewRequest(scope="sector")).benchmark is None


def test_targets_propose_actions_and_the_plan_is_tracked(engine: Engine, model: Model, course: Course) -> None:
    admin = user(engine, "root", "admin")
    manager = user(engine, "mia", "manager")
    org, code = organisation(engine, admin, "Acme")
    other, _other_code = organisation(engine, admin, "Globex")
    organisations.set_manager(engine, admin, manager, org, True)
    organisations.open_wave(engine, admin, org, "Spring 2027")
    first, second = model.dimensions[0].id, model.dimensions[1].id
    _crowd(engine, model, code, {("Sales", None): 5}, level=1)
    dash.set_targets(engine, manager, org, model, {first: Target("run", 5), second: Target("walk", 1)})
    found = dash.dashboard(engine, manager, org, model, course)
    assert [g.dimension for g in found.priorities] == [first, second]
    assert found.priorities[0].people == 5 and found.priorities[0].weighted == pytest.approx(10.0)
    proposals = open_proposals(model, found.plan_gaps, found.actions, TODAY)
    assert [p.dimension for p in proposals] == [first, second]
    proposal = proposals[0]
    assert proposal.due_on is not None and proposal.due_on > TODAY
    accepted = make_action(
        proposal.title, proposal.detail, "Head of comms", proposal.due_on, Status.OPEN, TODAY,
        dimension=proposal.dimension, source=proposal.source, baseline=proposal.baseline,
    )  # fmt: skip
    action_id = dash.save_action(engine, manager, org, accepted, found.wave.id if found.wave else None)
    found = dash.dashboard(engine, manager, org, model, course)
    assert [a.id for a in found.actions] == [action_id] and found.actions[0].owner == "Head of comms"
    # The accepted one is no longer proposed.
    assert [p.dimension for p in open_proposals(model, found.plan_gaps, found.actions, TODAY)] == [second]
    assert found.progress[0].baseline == 1.0
    # Edit the status; another organisation's manager cannot touch it.
    done = make_action(
        accepted.title, accepted.detail, "Head of comms", accepted.due_on, Status.DONE, TODAY, id=action_id
    )
    dash.save_action(engine, manager, org, done)
    assert dash.dashboard(engine, manager, org, model, course).actions[0].status is Status.DONE
    with pytest.raises(organisations.NotAllowed):
        dash.save_action(engine, manager, other, done)
    with pytest.raises(organisations.NotAllowed):
        dash.delete_action(engine, manager, other, action_id)
    dash.delete_action(engine, manager, org, action_id)
    assert dash.dashboard(engine, manager, org, model, course).actions == ()


def test_the_threshold_is_fixed_when_a_wave_opens(engine: Engine, model: Model, course: Course) -> None:
    admin = user(engine, "root", "admin")
    org, code = organisation(engine, admin, "Acme")
    with pytest.raises(organisations.InvalidValues):
        organisations.set_threshold(engine, admin, org, 2)
    organisations.set_threshold(engine, admin, org, 3)
    organisations.open_wave(engine, admin, org, "Spring 2027")
    organisations.set_threshold(engine, admin, org, 10)  # for later waves
    _crowd(engine, model, code, {("Sales", None): 3})
    found = dash.dashboard(engine, admin, org, model, course)
    assert found.threshold == 3 and found.figures is not None and found.figures.n == 3
    with pytest.raises(organisations.WaveError):
        organisations.open_wave(engine, admin, org, "Another")  # one open wave at a time


def test_a_process_brings_its_copy_of_a_wave_up_to_date(engine: Engine, model: Model, course: Course) -> None:
    """The dashboard keeps a wave's members per process and reads only what changed since: a new
    response, one replaced (a respondent completing again) and one gone (deleted data) all show."""
    from services import respondents

    admin = user(engine, "root", "admin")
    org, code = organisation(engine, admin, "Acme")
    organisations.open_wave(engine, admin, org, "Spring 2027")
    _crowd(engine, model, code, {("Sales", None): 5}, level=1)

    def size_and_q3() -> tuple[int, float | None]:
        """The organisation's size and the third quartile of its first dimension's scores (a member
        at level n scores n there)."""
        found = dash.dashboard(engine, admin, org, model, course)
        assert found.figures is not None
        return found.figures.n, found.figures.dimension(model.dimensions[0].id).q3

    assert size_and_q3() == (5, 1.0)
    token, round_id = respondent(engine, model, code, "Sales", None, level_answers(model, 3))
    assert size_and_q3() == (6, 1.0)  # 1, 1, 1, 1, 1, 3
    # The newcomer completes again with other answers: replaced, not added.
    from storage import respondents as respondents_store

    with engine.begin() as connection:
        for item_id, value in level_answers(model, 4).items():
            respondents_store.save_answer(connection, round_id, item_id, value, respondents_store.now())
    respondents.complete_round(engine, round_id, model)
    for _ in range(2):
        respondent(engine, model, code, "Sales", None, level_answers(model, 4))
    assert size_and_q3() == (8, 4.0)  # 1 x 5, 4 x 3; with the first answers kept it would be 3.25
    # The newcomer deletes their data: the figures are read again without them.
    visit = respondents.load_visit(engine, token)
    respondents.delete_respondent(engine, visit.respondent.id)
    assert size_and_q3() == (7, 2.5)  # 1 x 5, 4 x 2


def test_a_starting_process_reads_the_open_waves_ahead(
    engine: Engine, model: Model, course: Course, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = user(engine, "root", "admin")
    acme, acme_code = organisation(engine, admin, "Acme")
    globex, globex_code = organisation(engine, admin, "Globex")
    closed = organisations.open_wave(engine, admin, globex, "Spring 2026")
    _crowd(engine, model, globex_code, {("IT", None): 5})
    dash.close_wave(engine, admin, globex, closed.id, model)
    organisations.open_wave(engine, admin, acme, "Spring 2027")
    organisations.open_wave(engine, admin, globex, "Autumn 2026")
    _crowd(engine, model, acme_code, {("Sales", None): 6})
    _crowd(engine, model, globex_code, {("IT", None): 2})

    assert dash.warm_open_waves(engine, model) == 2  # both open waves, the closed one not

    # Read ahead: the views read no response again.
    def unread(*_args: object) -> None:
        raise AssertionError("a response was read again")

    monkeypatch.setattr(store, "responses_since", unread)
    found = dash.dashboard(engine, admin, acme, model, course)
    assert found.figures is not None and found.figures.n == 6
    assert dash.dashboard(engine, admin, globex, model, course).figures is None  # 2 of 5: hidden
    assert dash.warm_open_waves(engine, model, budget_seconds=-1) == 0
