"""The 90-day plan page (views/plan.py): who may open it and which organisation, a manager accepting
a proposed action with an owner (each problem named by its field), editing its status, deleting it
only when confirmed, the plan as CSV and as iCalendar, and a trainer reading the plan only."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from assessment.model import Model
from learning.content import load_course
from reporting.aggregate import Target
from reporting.plan import Action, Status
from services import dashboard as dash
from services import organisations as orgs
from services import workshops as ws
from tests import management_seed as seed
from tests.views import workshop_pages
from tests.views.management_pages import button, downloaded, open_page, token_of
from tests.views.workshop_pages import shown_text


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    workshop_pages.cheap_passwords(monkeypatch)


@pytest.fixture
def engine(any_engine: Engine) -> Engine:
    """Every test on SQLite and on PostgreSQL, the page and the test on the same database."""
    return any_engine


@dataclass(frozen=True)
class Site:
    admin: int
    manager: int
    organisation: int
    other: int
    wave: int


@pytest.fixture
def site(engine: Engine, model: Model) -> Site:
    admin = seed.user(engine, "ada", "admin")
    manager = seed.user(engine, "mia", "manager")
    organisation, code = seed.organisation(engine, admin, "Acme & Co")
    other, _code = seed.organisation(engine, admin, "Other Co")
    orgs.set_manager(engine, admin, manager, organisation, True)
    wave = orgs.open_wave(engine, manager, organisation, "Spring")
    for department in ("Sales", "Sales", "IT", "IT", "Care"):
        seed.respondent(engine, model, code, department, "Adviser", seed.level_answers(model, 1))
    dash.set_targets(engine, manager, organisation, model, {d.id: Target("run", 3) for d in model.dimensions})
    return Site(admin, manager, organisation, other, wave.id)


def plan_page(tmp_path: Path, token: str | None, organisation: int | None = None) -> AppTest:
    params = {} if organisation is None else {"org": str(organisation)}
    return open_page(tmp_path / "site", "plan.py", token, **params)


def stored(engine: Engine, site: Site, model: Model) -> tuple[Action, ...]:
    return dash.dashboard(engine, site.manager, site.organisation, model, load_course(model)).actions


def add_action(engine: Engine, site: Site, model: Model, title: str = "Write a social media policy") -> int:
    action = Action(None, title, "", model.dimensions[0].id, "HR lead", date.today() + timedelta(days=30), Status.OPEN)
    return dash.save_action(engine, site.manager, site.organisation, action, site.wave)


def test_without_a_login_the_page_shows_only_the_way_to_log_in(tmp_path: Path, engine: Engine, site: Site) -> None:
    at = plan_page(tmp_path, None, site.organisation)
    assert not at.exception
    assert at.warning[0].value.startswith("This page is for managers, trainers, admins.")
    assert not at.button and "Acme" not in shown_text(at)


def test_a_manager_of_another_organisation_is_refused(tmp_path: Path, engine: Engine, site: Site) -> None:
    at = plan_page(tmp_path, token_of(engine, "mia"), site.other)
    assert not at.exception
    assert "is not one of yours" in at.error[0].value
    assert not [b for b in at.button if b.label == "Accept"]


def test_accepting_a_proposal_needs_an_owner_and_stores_it(
    tmp_path: Path, engine: Engine, site: Site, model: Model
) -> None:
    at = plan_page(tmp_path, token_of(engine, "mia"), site.organisation)
    assert not at.exception and not at.error
    assert "The plan has no actions yet." in shown_text(at)
    accepts = [b for b in at.button if b.label == "Accept"]
    assert accepts
    dimension = str(accepts[0].key).removeprefix("accept_")
    accepts[0].click().run()
    prefix = f"accept_{dimension}"
    proposed_title = at.text_input(key=f"{prefix}_title").value
    assert proposed_title and at.text_input(key=f"{prefix}_owner").value == ""
    button(at, "Add to the plan").click().run()  # no owner yet
    assert not at.exception
    assert "Owner: name who takes the action (a role or a person)" in at.error[0].value
    assert stored(engine, site, model) == ()
    at.text_input(key=f"{prefix}_owner").set_value("Communications lead")
    at.selectbox(key=f"{prefix}_status").set_value("in_progress")
    button(at, "Add to the plan").click().run()
    assert not at.exception and not at.error
    (action,) = stored(engine, site, model)
    assert (action.title, action.owner, action.status, action.source) == (
        proposed_title,
        "Communications lead",
        Status.IN_PROGRESS,
        "proposed",
    )
    assert action.dimension == dimension and action.baseline is not None
    table = at.dataframe[0].value
    assert list(table["Owner"]) == ["Communications lead"] and list(table["Status"]) == ["In progress"]
    assert list(table["Progress"])[0].startswith(f"{action.baseline:.1f} → ")
    assert not [b for b in at.button if b.key == f"accept_{dimension}"]  # no longer proposed


def test_editing_an_action_changes_its_status_and_a_title_problem_is_named(
    tmp_path: Path, engine: Engine, site: Site, model: Model
) -> None:
    action_id = add_action(engine, site, model)
    at = plan_page(tmp_path, token_of(engine, "mia"), site.organisation)
    at.text_input(key=f"edit_{action_id}_title").set_value("<b>policy</b>")
    button(at, "Save the action").click().run()
    assert "Action: < and > are not allowed (no HTML)." in at.error[0].value
    at.text_input(key=f"edit_{action_id}_title").set_value("Write a social media policy")
    at.selectbox(key=f"edit_{action_id}_status").set_value("done")
    button(at, "Save the action").click().run()
    assert not at.exception and not at.error
    (action,) = stored(engine, site, model)
    assert action.status is Status.DONE and action.owner == "HR lead"
    assert list(at.dataframe[0].value["Status"]) == ["Done"]


def test_deleting_an_action_needs_the_tick(tmp_path: Path, engine: Engine, site: Site, model: Model) -> None:
    action_id = add_action(engine, site, model)
    at = plan_page(tmp_path, token_of(engine, "mia"), site.organisation)
    button(at, "Delete the action").click().run()
    assert at.warning[0].value == "Tick the box to confirm, then delete the action."
    assert len(stored(engine, site, model)) == 1
    at.checkbox(key=f"delete_{action_id}_sure").check()
    button(at, "Delete the action").click().run()
    assert not at.exception and not at.error
    assert stored(engine, site, model) == ()
    assert "The plan has no actions yet." in shown_text(at)


def test_adding_an_action_by_hand(tmp_path: Path, engine: Engine, site: Site, model: Model) -> None:
    at = plan_page(tmp_path, token_of(engine, "mia"), site.organisation)
    at.text_input(key="add_title").set_value("Monthly content calendar")
    at.text_input(key="add_owner").set_value("Marketing")
    button(at, "Add the action").click().run()
    assert not at.exception and not at.error
    (action,) = stored(engine, site, model)
    assert (action.title, action.owner, action.source, action.dimension) == (
        "Monthly content calendar",
        "Marketing",
        "manual",
        None,
    )
    assert at.text_input(key="add_title").value == ""


def test_the_plan_downloads_as_csv_and_icalendar(
    tmp_path: Path, engine: Engine, site: Site, model: Model, media: list[MemoryMediaFileStorage]
) -> None:
    action_id = add_action(engine, site, model, title="Policy, first draft")
    at = plan_page(tmp_path, token_of(engine, "mia"), site.organisation)
    assert not at.exception
    content, name = downloaded(at, media, "Download the plan (CSV)")
    assert name == f"plan-acme-co-{date.today().isoformat()}.csv"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Action", "Detail", "Dimension", "Owner", "Due date", "Status"]
    assert rows[0][-2:] == ["Median now", "Change"]
    assert rows[1][:6] == [
        "Policy, first draft",
        "",
        model.dimensions[0].name,
        "HR lead",
        (date.today() + timedelta(days=30)).isoformat(),
        "Open",
    ]
    assert rows[1][-2] != ""  # the dimension's median now: the wave is shown
    calendar, ical_name = downloaded(at, media, "Due dates for your calendar (iCalendar)")
    assert ical_name == f"plan-acme-co-{date.today().isoformat()}.ics"
    text = calendar.decode()
    assert "BEGIN:VEVENT" in text and f"UID:plan-action-{action_id}@smm" in text
    assert "SUMMARY:Policy\\, first draft" in text
    assert f"DTSTART;VALUE=DATE:{(date.today() + timedelta(days=30)).strftime('%Y%m%d')}" in text


def test_a_trainer_reads_the_plan_but_cannot_change_it(
    tmp_path: Path, engine: Engine, site: Site, model: Model
) -> None:
    add_action(engine, site, model)
    trainer = seed.user(engine, "tom", "trainer")
    ws.create_workshop(engine, trainer, "Tom's", site.organisation, seed.T0.date(), "en", "quick")
    at = plan_page(tmp_path, token_of(engine, "tom"), site.organisation)
    assert not at.exception
    assert "You can read the plan" in at.info[0].value
    assert list(at.dataframe[0].value["Action"]) == ["Write a social media policy"]
    labels = {b.label for b in at.button}
    assert not labels & {"Accept", "Save the action", "Delete the action", "Add the action"}
    assert not at.text_input and not at.checkbox
    assert at.get("download_button")  # the plan to take away
    with pytest.raises(orgs.NotAllowed):
        dash.delete_action(engine, trainer, site.organisation, stored(engine, site, model)[0].id or 0)
