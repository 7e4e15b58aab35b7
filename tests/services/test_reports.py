"""The management report's use case on SQLite and PostgreSQL: an organisation with a closed and an open
wave, departments (two hidden by the threshold and the sibling rule), targets and a plan, made into a
PDF (read back with poppler), charts as PNG and SVG, CSV files and a workbook; hidden groups have no
figure in any of them; under the threshold the report shows none at all."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from assessment.model import Model
from learning.content import Course
from reporting import pdf
from reporting.aggregate import Target
from reporting.management_report import report_files
from reporting.plan import Status, make_action
from reporting.tables import stage_name
from services import dashboard as dash
from services import organisations, reports
from tests.management_seed import level_answers, organisation, respondent, user

TODAY = date(2026, 12, 3)
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=timezone.utc)
ORGANISATION = "Acme & Søn #1"
FIRST_WAVE = "Spring 2026"
SECOND_WAVE = "Autumn 2026"
ACTION = "Run the listening workshop for the care team"

pytestmark = [
    pytest.mark.usefixtures("cheap_management"),
    pytest.mark.skipif(
        shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
        reason="poppler-utils (pdftotext, pdftoppm) is not installed: the PDF cannot be read back",
    ),
]


@dataclass(frozen=True)
class Seeded:
    admin: int
    organisation: int
    first_wave: int
    second_wave: int


def seed(engine: Engine, model: Model) -> Seeded:
    """Acme: a closed wave of 6 (Sales and IT at the first stage), then an open wave of 16: Sales 6 at
    the second stage, IT 5 at the third, Care 2 and Legal 3 at the top stage (Care is under the
    threshold of 5, Legal is hidden with it by the sibling rule); targets and two plan actions."""
    admin = user(engine, "root", "admin")
    org, code = organisation(engine, admin, ORGANISATION, departments=("Sales", "IT", "Care", "Legal"))
    first = organisations.open_wave(engine, admin, org, FIRST_WAVE, now=datetime(2026, 3, 1, tzinfo=timezone.utc))
    for department in ("Sales",) * 3 + ("IT",) * 3:
        respondent(engine, model, code, department, "Adviser", level_answers(model, 1))
    dash.close_wave(engine, admin, org, first.id, model)
    second = organisations.open_wave(engine, admin, org, SECOND_WAVE, now=datetime(2026, 10, 1, tzinfo=timezone.utc))
    crowd = [("Sales", 2)] * 6 + [("IT", 3)] * 5 + [("Care", 4)] * 2 + [("Legal", 4)] * 3
    for department, level in crowd:
        respondent(engine, model, code, department, "Adviser", level_answers(model, level, listening=1))
    dash.set_targets(
        engine,
        admin,
        org,
        model,
        {"strategy": Target("fly", 5), "listening": Target("run", 4), "content": Target("run", 2)},
    )
    for title, dimension, status in (
        (ACTION, "listening", Status.IN_PROGRESS),
        ("Write a social media policy", None, Status.OPEN),
    ):
        action = make_action(
            title, "Two sessions.", "Head of care", date(2027, 2, 1), status, TODAY, dimension=dimension, baseline=1.0
        )
        dash.save_action(engine, admin, org, action, wave_id=second.id)
    return Seeded(admin, org, first.id, second.id)


def pdftotext(document: bytes) -> str:
    text = subprocess.run(["pdftotext", "-", "-"], input=document, capture_output=True, check=True)
    return text.stdout.decode()


def test_the_report_has_every_section_and_hides_what_the_dashboard_hides(
    engine: Engine, model: Model, course: Course, tmp_path: Path
) -> None:
    seeded = seed(engine, model)
    files = report_files(
        model, reports.management_report(engine, seeded.admin, seeded.organisation, model, course, now=NOW), "en"
    )

    text = pdftotext(files.pdf)
    flat = " ".join(text.split())
    assert ORGANISATION in flat
    for heading in (
        "Where the organisation stands",
        "The maturity profile",
        "Agreement",
        "Departments",
        "The 4 T's and the checklist",
        "Priorities: the gaps to the target",
        "The trend over waves",
        "The 90-day plan",
    ):
        assert heading in flat, heading
    assert "radar" in flat.lower()
    assert FIRST_WAVE in flat and SECOND_WAVE in flat
    assert ACTION in flat
    assert "Privacy" in flat and "at least 5 respondents" in flat
    assert stage_name(model, "walk") in flat
    assert "16 respondents" in flat
    # Hidden departments: named as hidden, never with a count or a median.
    assert "Hidden to keep respondents anonymous: Care, Legal." in flat
    assert "Respondents 6 5 hidden (fewer than 5) hidden (fewer than 5)" in flat  # the heat map's table
    assert "Care (n =" not in flat and "Legal (n =" not in flat and "n = 2" not in flat and "n = 3" not in flat

    # The pages turn into pictures.
    pages = tmp_path / "pages"
    pages.mkdir()
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-", str(pages / "p")], input=files.pdf, check=True)
    assert len(list(pages.glob("p-*.png"))) >= 4

    # Charts: PNG and SVG of each.
    names = set(files.charts)
    assert any(name.startswith("statements-") and name.endswith(".svg") for name in names)
    for key in ("stages", "radar", "agreement", "departments", "trend"):
        assert {f"{key}.png", f"{key}.svg"} <= names
    assert all(files.charts[n].startswith(b"\x89PNG") for n in names if n.endswith(".png"))
    with zipfile.ZipFile(io.BytesIO(files.charts_zip)) as archive:
        assert len(archive.namelist()) == len(names)
        assert all(n.startswith(files.stem) for n in archive.namelist())
    assert files.stem == "management-report-acme-soen-1-autumn-2026-2026-12-03"

    # Data: hidden departments' rows carry no figure in the CSV or the workbook.
    departments = list(csv.reader(io.StringIO(files.data["departments.csv"].decode("utf-8-sig"))))
    heading, rows = departments[0], {row[0]: row for row in departments[1:]}
    assert heading[:4] == ["Department", "Shown", "Respondents", "Stage"]
    for hidden in ("Care", "Legal"):
        assert rows[hidden][1] == "hidden (fewer than 5)" and set(rows[hidden][2:]) == {""}
    assert rows["Sales"][2] == "6" and rows["IT"][2] == "5"
    book = load_workbook(io.BytesIO(files.xlsx))
    sheet = book["Departments"]
    by_name = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert all(value is None for value in by_name["Care"][2:]) and by_name["Sales"][2] == 6
    assert {"About", "Stages", "Dimensions", "Answers per statement", "Trend", "90-day plan"} <= set(book.sheetnames)
    with zipfile.ZipFile(io.BytesIO(files.data_csv_zip)) as archive:
        assert f"{files.stem}-plan.csv" in archive.namelist()
    trend = list(csv.reader(io.StringIO(files.data["trend.csv"].decode("utf-8-sig"))))
    assert [row[0] for row in trend[1:]] == [FIRST_WAVE, SECOND_WAVE]
    assert [row[2] for row in trend[1:]] == ["6", "16"]


def test_the_document_shows_the_radar_overlays_and_the_plan(engine: Engine, model: Model, course: Course) -> None:
    seeded = seed(engine, model)
    board = dash.dashboard(engine, seeded.admin, seeded.organisation, model, course)
    data = reports.report_input(board, course, NOW)
    from reporting.management_report import report_document

    document = report_document(model, data, "en")
    figures = [b for b in document.blocks if isinstance(b, pdf.Figure)]
    assert [f.caption.split(":")[0] for f in figures][:2] == ["Respondents by their own stage", "The maturity radar"]
    radar = figures[1]
    assert radar.table is not None
    assert radar.table.columns[-2:] == (f"Previous wave: {FIRST_WAVE}", "Target")  # no benchmark: one organisation
    assert radar.width * 620 == pytest.approx(460, abs=20)  # the radar is drawn at 460 px, a little over
    assert all(f.description.strip() for f in figures)
    assert all("<svg" in f.svg for f in figures)
    plan = next(b for b in document.blocks if isinstance(b, pdf.Table) and b.caption == "Actions")
    assert [row[0] for row in plan.rows] == [ACTION, "Write a social media policy"]
    assert plan.rows[0][4] == "In progress"
    gaps = next(b for b in document.blocks if isinstance(b, pdf.Table) and b.caption.startswith("Prioritised gaps"))
    # The largest weighted gap first: listening (median 1.0, target run = 3, importance 4: 2.0 x 4), then
    # strategy (3.0 to fly = 4, importance 5: 1.0 x 5); content (3.0, target run) has no gap.
    assert [(row[0], row[3], row[5]) for row in gaps.rows] == [
        (model.dimension("listening").name, "2.0", "8.0"),
        (model.dimension("strategy").name, "1.0", "5.0"),
    ]
    # In Dutch when asked: dates and numbers the Dutch way (a decimal comma).
    dutch = report_files(
        model, reports.management_report(engine, seeded.admin, seeded.organisation, model, course, now=NOW), "nl"
    )
    text = " ".join(pdftotext(dutch.pdf).split())
    assert "3 december 2026" in text and "3,0" in text and "3.0" not in text


def test_under_the_threshold_the_report_says_so_and_shows_no_figure(
    engine: Engine, model: Model, course: Course
) -> None:
    admin = user(engine, "root", "admin")
    org, code = organisation(engine, admin, "Tiny Ltd")
    organisations.open_wave(engine, admin, org, "Only wave")
    for _ in range(4):
        respondent(engine, model, code, "Sales", None, level_answers(model, 3))
    files = report_files(model, reports.management_report(engine, admin, org, model, course, now=NOW), "en")
    text = " ".join(pdftotext(files.pdf).split())
    assert "Fewer than 5 respondents" in text
    assert "Tiny Ltd" in text and "Only wave" in text
    for stage in model.stages:
        assert stage.name not in text
    assert "4 respondents" not in text and " 4 " not in text.replace("1 / ", "")
    assert files.charts == {}
    assert set(files.data) == {"about.csv", "plan.csv", "data.xlsx"}
    about = files.data["about.csv"].decode("utf-8-sig")
    assert "Respondents," in about and ",4" not in about


def test_the_operator_report_needs_no_account_and_finds_waves_by_name(
    engine: Engine, model: Model, course: Course
) -> None:
    seeded = seed(engine, model)
    listed = reports.list_organisations_and_waves(engine)
    assert [entry["name"] for entry in listed] == [ORGANISATION]
    waves = listed[0]["waves"]
    assert [(w["name"], w["respondents"]) for w in waves] == [(FIRST_WAVE, 6), (SECOND_WAVE, 16)]
    assert waves[0]["closed_at"] is not None and waves[1]["closed_at"] is None
    found = reports.find_organisation(engine, ORGANISATION.upper())
    assert found.id == seeded.organisation
    assert reports.find_organisation(engine, str(seeded.organisation)).name == ORGANISATION
    with pytest.raises(reports.UnknownOrganisation):
        reports.find_organisation(engine, "Nobody")
    files = report_files(
        model, reports.operator_report(engine, seeded.organisation, FIRST_WAVE, model, course, now=NOW)
    )
    text = " ".join(pdftotext(files.pdf).split())
    assert FIRST_WAVE in text and "6 respondents" in text
    with pytest.raises(reports.UnknownWave):
        reports.operator_report(engine, seeded.organisation, "Winter 2030", model, course, now=NOW)
    with pytest.raises(reports.UnknownOrganisation):
        reports.operator_report(engine, 9999, None, model, course, now=NOW)
