"""The organisation page (views/organisation.py): who may open it and which organisation, opening
and closing a measurement wave (its statistics stored; a count under the threshold never shown), the
invitation code, the lists with every problem named by its line, the anonymity threshold and the
target profile (managers and admins only; trainers read them), and an admin choosing the managers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from assessment.model import Model
from learning.content import load_course
from reporting.aggregate import Target
from services import dashboard as dash
from services import organisations as orgs
from services import workshops as ws
from storage import management as store
from tests import management_seed as seed
from tests.views import workshop_pages
from tests.views.management_pages import button, open_page, token_of
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
    code: str
    other: int  # another organisation, which the manager does not manage


@pytest.fixture
def site(engine: Engine) -> Site:
    admin = seed.user(engine, "ada", "admin")
    manager = seed.user(engine, "mia", "manager")
    organisation, code = seed.organisation(engine, admin, "Acme")
    other, _other_code = seed.organisation(engine, admin, "Other Co")
    orgs.set_manager(engine, admin, manager, organisation, True)
    return Site(admin, manager, organisation, code, other)


def organisation_page(tmp_path: Path, token: str | None, organisation: int | None = None) -> AppTest:
    params = {} if organisation is None else {"org": str(organisation)}
    return open_page(tmp_path / "site", "organisation.py", token, **params)


def test_without_a_login_the_page_shows_only_the_way_to_log_in(tmp_path: Path, engine: Engine, site: Site) -> None:
    at = organisation_page(tmp_path, None, site.organisation)
    assert not at.exception
    (warning,) = at.warning
    assert warning.value.startswith("This page is for managers, trainers, admins.")
    assert "Acme" not in shown_text(at) and not at.form


def test_a_manager_of_another_organisation_is_refused(tmp_path: Path, engine: Engine, site: Site) -> None:
    at = organisation_page(tmp_path, token_of(engine, "mia"), site.other)
    assert not at.exception
    (error,) = at.error
    assert "is not one of yours" in error.value
    assert not at.form and "Other Co" not in shown_text(at)
    # An id that exists nowhere reads the same.
    at = organisation_page(tmp_path, token_of(engine, "mia"), 9999)
    assert at.error[0].value == error.value.replace(str(site.other), "9999")


def test_a_manager_of_one_organisation_gets_it_without_choosing(tmp_path: Path, engine: Engine, site: Site) -> None:
    at = organisation_page(tmp_path, token_of(engine, "mia"))
    assert not at.exception
    assert at.query_params["org"] == [str(site.organisation)] or at.query_params["org"] == str(site.organisation)
    assert "Measurement waves" in [h.value for h in at.subheader]


def test_opening_and_closing_a_wave_stores_its_statistics(
    tmp_path: Path, engine: Engine, site: Site, model: Model
) -> None:
    token = token_of(engine, "mia")
    at = organisation_page(tmp_path, token, site.organisation)
    assert "No waves yet" in shown_text(at)
    at.text_input(key="wave_name").set_value("Spring 2027")
    button(at, "Open the wave").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "Wave opened: Spring 2027."
    (wave,) = orgs.waves_of(engine, site.manager, site.organisation)
    assert wave[0].closed_at is None
    # A second wave of the same name is refused, by name (the form opens no second wave while one is open).
    with pytest.raises(orgs.WaveError):
        orgs.open_wave(engine, site.manager, site.organisation, "spring 2027")
    for department in ("Sales", "Sales", "IT", "IT", "Care"):
        seed.respondent(engine, model, site.code, department, "Adviser", seed.level_answers(model, 2))
    at = organisation_page(tmp_path, token, site.organisation)
    table = at.dataframe[0].value
    assert list(table["Respondents"]) == ["5"] and list(table["State"]) == ["open"]
    button(at, "Close the wave").click().run()  # not ticked
    assert at.warning[0].value == "Tick the box to confirm, then close the wave."
    assert store_wave(engine, wave[0].id).closed_at is None
    at.checkbox(key="close_wave_sure").check()
    button(at, "Close the wave").click().run()
    assert not at.exception and not at.error
    closed = store_wave(engine, wave[0].id)
    assert closed.closed_at is not None and closed.statistics is not None
    loaded = dash.load_statistics(closed.statistics)
    assert loaded is not None and loaded[1].n == 5
    assert list(at.dataframe[0].value["State"]) == ["closed"]
    assert at.text_input(key="wave_name").value == ""  # a new wave may open now


def store_wave(engine: Engine, wave_id: int) -> orgs.StoredWave:
    with engine.connect() as connection:
        found = store.wave_by_id(connection, wave_id)
    assert found is not None
    return found


def test_a_wave_under_its_threshold_shows_no_count(tmp_path: Path, engine: Engine, site: Site, model: Model) -> None:
    orgs.open_wave(engine, site.manager, site.organisation, "Pilot")
    for _number in range(2):
        seed.respondent(engine, model, site.code, "Sales", None, seed.level_answers(model, 1))
    at = organisation_page(tmp_path, token_of(engine, "mia"), site.organisation)
    table = at.dataframe[0].value
    assert list(table["Respondents"]) == ["fewer than 5"]
    assert "2" not in set(table["Respondents"])


def test_the_lists_show_every_problem_by_line_and_save_when_right(tmp_path: Path, engine: Engine, site: Site) -> None:
    at = organisation_page(tmp_path, token_of(engine, "mia"), site.organisation)
    departments = at.text_area(key=f"list_departments_{site.organisation}")
    assert departments.value == "Sales\nIT\nCare"
    departments.set_value("Sales\nIT\nsales\n<b>x</b>")
    button(at, "Save the lists").click().run()
    assert not at.exception
    (error,) = at.error
    assert "Departments, line 3: this name is listed twice." in error.value
    assert "Departments, line 4: < > and control characters are not allowed." in error.value
    assert orgs.settings(engine, site.manager, site.organisation).departments == ("Sales", "IT", "Care")
    at.text_area(key=f"list_departments_{site.organisation}").set_value("Sales\n\nMarketing")
    at.text_area(key=f"list_titles_{site.organisation}").set_value("Lead\nAdviser")
    button(at, "Save the lists").click().run()
    assert not at.error
    saved = orgs.settings(engine, site.manager, site.organisation)
    assert (saved.departments, saved.job_titles) == (("Sales", "Marketing"), ("Lead", "Adviser"))
    assert at.text_area(key=f"list_departments_{site.organisation}").value == "Sales\nMarketing"


def test_a_threshold_of_2_is_refused_and_7_saved(tmp_path: Path, engine: Engine, site: Site) -> None:
    at = organisation_page(tmp_path, token_of(engine, "mia"), site.organisation)
    key = f"threshold_{site.organisation}"
    at.number_input(key=key).set_value(2)
    button(at, "Save the threshold").click().run()
    assert not at.exception
    (error,) = at.error
    assert error.value.startswith("Anonymity threshold: choose a whole number from 3 to 50")
    assert orgs.settings(engine, site.manager, site.organisation).anonymity_threshold == 5
    at.number_input(key=key).set_value(7)
    button(at, "Save the threshold").click().run()
    assert not at.error
    assert orgs.settings(engine, site.manager, site.organisation).anonymity_threshold == 7
    assert "applies to the next wave" in at.success[0].value


def test_targets_are_saved_and_read_back(tmp_path: Path, engine: Engine, site: Site, model: Model) -> None:
    token = token_of(engine, "mia")
    at = organisation_page(tmp_path, token, site.organisation)
    first, second = model.dimensions[0].id, model.dimensions[1].id
    assert at.selectbox(key=f"target_stage_{site.organisation}_{first}").value == ""
    at.selectbox(key=f"target_stage_{site.organisation}_{first}").set_value("run")
    at.selectbox(key=f"target_importance_{site.organisation}_{first}").set_value(5)
    at.selectbox(key=f"target_stage_{site.organisation}_{second}").set_value("walk")
    button(at, "Save the targets").click().run()
    assert not at.exception and not at.error
    targets = dash.dashboard(engine, site.manager, site.organisation, model, load_course(model)).targets
    assert targets[first] == Target("run", 5) and targets[second] == Target("walk", 3)
    assert targets[model.dimensions[2].id] == Target(None, 3)
    again = organisation_page(tmp_path, token, site.organisation)
    assert again.selectbox(key=f"target_stage_{site.organisation}_{first}").value == "run"
    assert again.selectbox(key=f"target_importance_{site.organisation}_{first}").value == 5


def test_a_trainer_reads_the_threshold_and_targets_but_cannot_change_them(
    tmp_path: Path, engine: Engine, site: Site, model: Model
) -> None:
    trainer = seed.user(engine, "tom", "trainer")
    ws.create_workshop(engine, site.admin, "Kick-off", site.organisation, seed.T0.date(), "en", "quick")
    assert orgs.visible_organisations(engine, trainer) == []  # the admin runs that workshop
    ws.create_workshop(engine, trainer, "Tom's", site.organisation, seed.T0.date(), "en", "quick")
    dash.set_targets(engine, site.manager, site.organisation, model, {model.dimensions[0].id: Target("fly", 4)})
    at = organisation_page(tmp_path, token_of(engine, "tom"), site.organisation)
    assert not at.exception
    assert not at.number_input
    assert not [b for b in at.button if b.label in ("Save the threshold", "Save the targets")]
    text = shown_text(at)
    assert "The threshold is **5**" in text and "Managers and admins set the targets." in text
    targets = at.dataframe[-1].value
    assert list(targets["Target stage"])[0] == model.stage("fly").name
    assert list(targets["Importance"])[0] == 4
    # A trainer runs waves, the invitation and the lists; the threshold and targets stay refused.
    assert at.text_input(key="wave_name") is not None
    with pytest.raises(orgs.NotAllowed):
        orgs.set_threshold(engine, trainer, site.organisation, 9)
    assert "Managers" not in [h.value for h in at.subheader]


def test_the_invitation_opens_closes_and_draws_a_new_code(tmp_path: Path, engine: Engine, site: Site) -> None:
    at = organisation_page(tmp_path, token_of(engine, "mia"), site.organisation)
    assert any(site.code in c.value for c in at.code)  # the join link
    assert f"http://localhost:8501/join?code={site.code}" in shown_text(at)
    button(at, "Close the invitation").click().run()
    assert not orgs.settings(engine, site.manager, site.organisation).invite_open
    assert at.success[0].value == "The invitation is closed."
    button(at, "New code").click().run()
    fresh = orgs.settings(engine, site.manager, site.organisation)
    assert fresh.invite_code != site.code and not fresh.invite_open
    button(at, "Open the invitation").click().run()
    assert orgs.settings(engine, site.manager, site.organisation).invite_open
    assert any(f"code={fresh.invite_code}" in c.value for c in at.code)


def test_an_admin_chooses_the_managers(tmp_path: Path, engine: Engine, site: Site) -> None:
    second = seed.user(engine, "max", "manager")
    seed.user(engine, "tia", "trainer")
    at = organisation_page(tmp_path, token_of(engine, "ada"), site.organisation)
    assert not at.exception
    chooser = at.multiselect(key=f"managers_{site.organisation}")
    assert chooser.value == [site.manager]
    assert set(chooser.options) == {"max", "mia"}  # managers only
    chooser.set_value([second])
    button(at, "Save the managers").click().run()
    assert not at.error
    assert orgs.managers(engine, site.admin, site.organisation) == [second]
    # The manager taken off no longer sees the organisation.
    refused = organisation_page(tmp_path, token_of(engine, "mia"))
    assert "not a manager of any organisation yet" in refused.info[0].value


def test_a_manager_does_not_see_the_managers_section(tmp_path: Path, engine: Engine, site: Site) -> None:
    at = organisation_page(tmp_path, token_of(engine, "mia"), site.organisation)
    assert "Managers" not in [h.value for h in at.subheader]
    assert not at.multiselect
