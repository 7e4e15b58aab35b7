"""The management dashboard page in AppTest: a manager sees their organisation's dashboard and not
another's, whatever the address says; a trainer sees the organisations they hold a workshop for; a
department under the threshold is marked hidden and shows none of its numbers; a refused filter
says why and shows no figures; a wave under the threshold shows the same page whatever its count;
and no participant's nickname appears anywhere on the page.

A logged-in user reaches the page through app.py's navigation (the session's login token, as the
login form leaves it); the organisations, waves and respondents are made through the services."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from assessment.model import Model
from identity import passwords
from services import accounts, organisations
from services import dashboard as dash
from services import workshops as ws
from storage.errors import StorageBusy
from tests.management_seed import PASSWORD, level_answers, organisation, respondent, user
from tests.room_seed import participant
from tests.views.conftest import APP
from tests.views.workshop_pages import page_selectboxes

NICKNAMES = ("Zyxwort", "Quibbler", "Velmaroo", "Ottoline", "Brambleton", "Fizzwick")
SCORE = re.compile(r"\d[.,]\d")  # a median as the page writes it


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    dash.clear_cache()


def login(engine: Engine, name: str, role: str) -> tuple[int, str]:
    user_id = user(engine, name, role)
    token, _user = accounts.authenticate(engine, name, PASSWORD, None)
    return user_id, token


def open_dashboard(token: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["staff_token"] = token
    at.run()
    at.query_params.update(params)
    return at.switch_page("views/dashboard.py").run()


def walk(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from walk(child)


def rendered(at: AppTest) -> str:
    """Every element of the page's main area, as its protobuf text: labels, values, tables, chart specs."""
    return "\n".join(str(getattr(node, "proto", "")) for node in walk(at.main))


def charts(at: AppTest) -> list[Any]:
    return [node for node in walk(at.main) if getattr(node, "type", "") == "vega_lite_chart"]


def headline(at: AppTest) -> tuple[str, str]:
    """The headline's stage and number of respondents."""
    metrics = {m.label: m.value for m in at.metric}
    return metrics["Stage"], metrics["Respondents"]


def table_with(at: AppTest, *columns: str) -> Any:
    for frame in at.dataframe:
        if all(column in frame.value.columns for column in columns):
            return frame.value
    raise AssertionError(f"no table with columns {columns}: {[list(f.value.columns) for f in at.dataframe]}")


def crowd(
    engine: Engine, model: Model, code: str, sizes: dict[tuple[str | None, str | None], int], level: int = 2
) -> None:
    for (department, job_title), count in sizes.items():
        for _ in range(count):
            respondent(engine, model, code, department, job_title, level_answers(model, level))


@pytest.fixture
def admin(engine: Engine) -> int:
    return user(engine, "root", "admin")


def admin_token(engine: Engine) -> str:
    """A login token of the `admin` fixture's account."""
    token, _user = accounts.authenticate(engine, "root", PASSWORD, None)
    return token


def test_a_manager_sees_their_organisation_and_no_other(engine: Engine, model: Model, admin: int) -> None:
    acme, acme_code = organisation(engine, admin, "Acme")
    globex, globex_code = organisation(engine, admin, "Globex")
    for org in (acme, globex):
        organisations.open_wave(engine, admin, org, "Spring 2027")
    crowd(engine, model, acme_code, {("Sales", None): 5})
    crowd(engine, model, globex_code, {("IT", None): 6}, level=3)
    mia, token = login(engine, "mia", "manager")
    organisations.set_manager(engine, admin, mia, acme, True)

    # Her only organisation is chosen by itself, and the address then names it.
    at = open_dashboard(token)
    assert not at.exception
    assert at.query_params["org"] == str(acme)
    assert any(m.value == "Acme" for m in at.markdown if m.value.startswith("###")) or "Acme" in rendered(at)
    assert {m.label: m.value for m in at.metric}["Respondents"] == "5"
    assert any(info.value.startswith("**Privacy.**") for info in at.info)
    assert f"plan?org={acme}" in rendered(at) and f"organisation?org={acme}" in rendered(at)

    # Another organisation's id, and one that does not exist: the same refusal, nothing of either.
    refusals = []
    for other in (globex, 9999):
        at = open_dashboard(token, org=str(other))
        assert not at.exception
        assert len(at.error) == 1
        refusals.append(at.error[0].value.replace(str(other), "ID"))
        assert not at.metric and not at.dataframe
        assert "Globex" not in rendered(at) and not charts(at)
    assert refusals[0] == refusals[1]
    assert refusals[0].startswith("Organisation ID is not one of yours")
    # Not a number at all.
    at = open_dashboard(token, org="1; drop")
    assert not at.exception and len(at.error) == 1 and not at.metric


def test_a_trainer_sees_only_the_organisations_of_their_workshops(engine: Engine, model: Model, admin: int) -> None:
    acme, acme_code = organisation(engine, admin, "Acme")
    globex, globex_code = organisation(engine, admin, "Globex")
    organisations.open_wave(engine, admin, acme, "Spring 2027")
    crowd(engine, model, acme_code, {("Sales", None): 5})
    otto, token = login(engine, "otto", "trainer")

    # No workshop yet: an empty state saying how to get one, no organisation.
    at = open_dashboard(token)
    assert not at.exception and not page_selectboxes(at) and not at.metric
    assert any("Hold a workshop for an organisation" in info.value for info in at.info)

    ws.create_workshop(engine, otto, "Kick-off", globex, date(2026, 12, 3), "en", "full")
    at = open_dashboard(token, org=str(acme))
    assert not at.exception and at.error[0].value.startswith(f"Organisation {acme} is not one of yours")
    assert not at.metric and not at.dataframe and "Acme" not in rendered(at)
    # Globex has no wave yet: said, with no figures.
    at = open_dashboard(token)
    assert not at.exception and at.query_params["org"] == str(globex)
    assert any("no measurement wave yet" in info.value for info in at.info)
    assert not at.metric


def test_a_small_department_is_hidden_with_none_of_its_numbers(engine: Engine, model: Model, admin: int) -> None:
    acme, code = organisation(engine, admin, "Acme")
    organisations.open_wave(engine, admin, acme, "Spring 2027")
    # IT (2) is under 5; Care (5) is hidden with it, or 13 - 6 would give IT away.
    crowd(engine, model, code, {("Sales", None): 6, ("IT", None): 2, ("Care", None): 5})
    at = open_dashboard(admin_token(engine), org=str(acme))
    assert not at.exception
    heat = table_with(at, "Dimension", "Sales (n = 6)")
    hidden = "hidden (fewer than 5)"
    assert list(heat.columns) == ["Dimension", "Sales (n = 6)", f"IT: {hidden}", f"Care: {hidden}"]
    for department in ("IT", "Care"):
        cells = list(heat[f"{department}: {hidden}"])
        assert cells == [hidden] * len(model.dimensions)
        assert not any(SCORE.search(cell) for cell in cells)
    assert all(SCORE.fullmatch(cell) for cell in heat["Sales (n = 6)"])
    page = rendered(at)
    for count in ("n = 2", "n = 5", "IT (2)", "Care (5)"):
        assert count not in page
    assert {m.label: m.value for m in at.metric}["Respondents"] == "13"

    # Asking for IT by the address: hidden, with the reason, and no figures at all.
    at = open_dashboard(admin_token(engine), org=str(acme), dept="IT")
    assert not at.exception
    assert [w.value for w in at.warning] == ["Fewer than 5 respondents are in this group, so it shows no figures."]
    assert not at.metric and not at.dataframe and not charts(at)


def test_a_refused_filter_says_why_and_shows_no_figures(engine: Engine, model: Model, admin: int) -> None:
    acme, code = organisation(engine, admin, "Acme")
    organisations.open_wave(engine, admin, acme, "Spring 2027")
    sizes: dict[tuple[str | None, str | None], int] = {
        ("Sales", "Manager"): 6,
        ("Sales", "Adviser"): 1,
        ("Care", "Adviser"): 7,
        ("Care", "Manager"): 6,
    }
    crowd(engine, model, code, sizes)
    token = admin_token(engine)

    # Sales (7) is shown; Sales x Manager (6) would leave its one adviser by subtraction: refused.
    at = open_dashboard(token, org=str(acme), dept="Sales")
    assert not at.exception and {m.label: m.value for m in at.metric}["Respondents"] == "7"
    at = open_dashboard(token, org=str(acme), dept="Sales", job="Manager")
    assert not at.exception
    [warning] = at.warning
    assert warning.value.startswith("This view is refused:")
    assert not at.metric and not at.dataframe and not charts(at)
    # The filter stays chosen, and a button clears it.
    assert at.selectbox(key="dash_department").value == "Sales"
    assert at.selectbox(key="dash_job").value == "Manager"
    at.button(key="dash_clear_filters").click().run()
    assert not at.exception and "dept" not in at.query_params and "job" not in at.query_params
    assert {m.label: m.value for m in at.metric}["Respondents"] == "20"

    # Choosing a filter puts it in the address.
    at.selectbox(key="dash_department").select("Care").run()
    assert not at.exception and at.query_params["dept"] == "Care"
    assert {m.label: m.value for m in at.metric}["Respondents"] == "13"


def test_under_the_threshold_the_page_does_not_depend_on_the_count(engine: Engine, model: Model, admin: int) -> None:
    acme, code = organisation(engine, admin, "Acme")
    organisations.open_wave(engine, admin, acme, "Spring 2027")
    token = admin_token(engine)
    pages = []
    for added in (2, 2):  # two respondents, then four
        crowd(engine, model, code, {("Sales", None): added})
        at = open_dashboard(token, org=str(acme))
        assert not at.exception
        assert any(
            info.value
            == "Fewer than 5 respondents have completed this wave so far: nothing is shown until at least 5 have."
            for info in at.info
        )
        assert not at.metric and not at.dataframe and not charts(at)
        pages.append(rendered(at))
    assert pages[0] == pages[1]


def test_no_nickname_appears(engine: Engine, model: Model, admin: int) -> None:
    acme, _code = organisation(engine, admin, "Acme")
    organisations.open_wave(engine, admin, acme, "Spring 2027")
    tina, token = login(engine, "tina", "trainer")
    workshop = ws.create_workshop(engine, tina, "Kick-off", acme, date(2026, 12, 3), "en", "full")
    for level, nickname in enumerate(NICKNAMES):
        participant(engine, model, workshop.code, nickname, level_answers(model, level % 5))
    for viewer in (token, admin_token(engine)):
        at = open_dashboard(viewer, org=str(acme))
        assert not at.exception
        assert {m.label: m.value for m in at.metric}["Respondents"] == str(len(NICKNAMES))
        page = rendered(at)
        assert charts(at)
        assert not any(nickname in page for nickname in NICKNAMES)


def test_the_wave_and_the_benchmark_are_in_the_address(engine: Engine, model: Model, admin: int) -> None:
    acme, code = organisation(engine, admin, "Acme")
    first = organisations.open_wave(engine, admin, acme, "Spring 2026")
    crowd(engine, model, code, {("Sales", None): 5}, level=1)
    dash.close_wave(engine, admin, acme, first.id, model)
    second = organisations.open_wave(engine, admin, acme, "Autumn 2026")
    crowd(engine, model, code, {("Sales", None): 6}, level=3)
    token = admin_token(engine)

    # The latest wave by default, with the trend over both and the previous wave named.
    at = open_dashboard(token, org=str(acme))
    assert not at.exception
    assert at.selectbox(key="dash_wave").value == second.id
    assert headline(at) == ("Run", "6")
    assert any(m.value == "In the previous wave, Spring 2026: Crawl, 5 respondents." for m in at.markdown)
    trend = table_with(at, "Dimension", "Spring 2026", "Autumn 2026")
    assert list(trend.iloc[0]) == [model.dimensions[0].name, "1.0", "3.0"]
    assert [p.options for p in at.pills] == [["Previous wave"]]  # no benchmark and no targets here

    # Choosing the first wave puts it in the address; it has no previous wave and no trend yet.
    at.selectbox(key="dash_wave").select(first.id).run()
    assert not at.exception and at.query_params["wave"] == str(first.id)
    assert headline(at) == ("Crawl", "5")
    assert not at.pills
    assert any(c.value == "The trend appears from the second wave on." for c in at.caption)

    # A wave of the address that is not this organisation's: said, and the latest shown.
    at = open_dashboard(token, org=str(acme), wave="9999", scope="sector")
    assert not at.exception
    assert [w.value for w in at.warning] == [
        "Wave 9999 is not one of this organisation's waves: the latest wave is shown."
    ]
    assert at.selectbox(key="dash_wave").value == second.id and "wave" not in at.query_params
    assert at.radio(key="dash_scope").value == "sector"
    assert any(c.value.startswith("No benchmark in this sector yet") for c in at.caption)


def test_a_busy_database_is_said_without_a_traceback(
    engine: Engine, model: Model, admin: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    acme, code = organisation(engine, admin, "Acme")
    organisations.open_wave(engine, admin, acme, "Spring 2027")
    crowd(engine, model, code, {("Sales", None): 5})
    token = admin_token(engine)

    def busy(*_args: object, **_kwargs: object) -> dash.Dashboard:
        raise StorageBusy("the database stayed locked")

    # The dashboard's reading times out (as storage.engine.reading raises it after its retries).
    monkeypatch.setattr(dash, "dashboard", busy)
    at = open_dashboard(token, org=str(acme))
    assert not at.exception
    assert [w.value for w in at.warning] == [
        "The database cannot answer right now (the database is busy; nothing was lost, please try again). "
        "Reload the page in a moment."
    ]
    assert not at.metric and not at.dataframe and not charts(at)


def test_an_admin_chooses_among_every_organisation(engine: Engine, model: Model, admin: int) -> None:
    acme, code = organisation(engine, admin, "Acme")
    globex, _code = organisation(engine, admin, "Globex")
    organisations.open_wave(engine, admin, acme, "Spring 2027")
    crowd(engine, model, code, {("Sales", "Manager"): 5})
    at = open_dashboard(admin_token(engine), dept="Sales")
    assert not at.exception and not at.metric
    chooser = at.selectbox(key="management_organisation")
    assert chooser.options == ["Acme", "Globex"] and chooser.value is None
    # Choosing drops the previous organisation's filters from the address.
    chooser.select(acme).run()
    assert not at.exception and at.query_params["org"] == str(acme) and "dept" not in at.query_params
    assert headline(at) == ("Walk", "5")
    at.selectbox(key="management_organisation").select(globex).run()
    assert not at.exception and at.query_params["org"] == str(globex) and not at.metric


def test_the_report_downloads_as_pdf_charts_data_and_excel(
    engine: Engine, model: Model, admin: int, media: list[Any]
) -> None:
    from io import BytesIO
    from zipfile import ZipFile

    from openpyxl import load_workbook

    from tests.views.management_pages import downloaded

    acme, code = organisation(engine, admin, "Acme")
    organisations.open_wave(engine, admin, acme, "Spring 2027")
    crowd(engine, model, code, {("Sales", None): 5, ("IT", None): 2})
    at = open_dashboard(admin_token(engine), org=str(acme))
    assert not at.exception and not at.get("download_button")  # made only when asked for
    (prepare,) = [b for b in at.button if b.label == "Prepare the report"]
    at = prepare.click().run()
    assert not at.exception
    pdf, pdf_name = downloaded(at, media, "PDF")
    assert pdf.startswith(b"%PDF") and pdf_name is not None and pdf_name.endswith(".pdf") and "acme" in pdf_name
    charts, _name = downloaded(at, media, "Charts (PNG, SVG)")
    names = ZipFile(BytesIO(charts)).namelist()
    assert any(n.endswith("radar.png") for n in names) and any(n.endswith("radar.svg") for n in names)
    data, _name = downloaded(at, media, "Data (CSV)")
    assert any(n.endswith(".csv") for n in ZipFile(BytesIO(data)).namelist())
    excel, _name = downloaded(at, media, "Excel")
    book = load_workbook(BytesIO(excel))
    assert len(book.sheetnames) > 3
    # IT (2 people) is under the threshold: the workbook holds its name and no figure of it.
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            if "IT" in row:
                assert all(value in (None, "IT") or isinstance(value, str) for value in row), row


def test_the_plan_is_tracked_on_the_dashboard(engine: Engine, model: Model, admin: int) -> None:
    from reporting.aggregate import Target
    from reporting.plan import Status, make_action, open_proposals

    acme, code = organisation(engine, admin, "Acme")
    organisations.open_wave(engine, admin, acme, "Spring 2027")
    crowd(engine, model, code, {("Sales", None): 5}, level=1)
    first = model.dimensions[0].id
    dash.set_targets(engine, admin, acme, model, {first: Target("run", 5)})
    at = open_dashboard(admin_token(engine), org=str(acme))
    assert "No actions in the plan yet" in rendered(at)
    from learning.content import load_course

    board = dash.dashboard(engine, admin, acme, model, load_course(model))
    (proposal,) = open_proposals(model, board.plan_gaps, board.actions, date.today())
    accepted = make_action(
        proposal.title, proposal.detail, "Head of comms", proposal.due_on, Status.IN_PROGRESS, date.today(),
        dimension=first, source=proposal.source, baseline=proposal.baseline,
    )  # fmt: skip
    dash.save_action(engine, admin, acme, accepted)
    at = open_dashboard(admin_token(engine), org=str(acme))
    assert not at.exception
    text = rendered(at)
    assert "In progress: 1" in text and proposal.title in text and "Head of comms" in text
