"""`python -m reports` in a subprocess, on a SQLite file: `list` prints the organisations and their
waves as JSON, `organisation` writes the PDF (and the charts and data when asked) without any account,
and every refusal is one line on standard error with exit code 2, never a traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from assessment.loader import load_model, model_path
from identity import passwords
from services import dashboard as dash
from storage import migrate
from storage.engine import make_engine
from tests.services.test_reports import FIRST_WAVE, ORGANISATION, SECOND_WAVE, seed

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site database with Acme's two waves (tests/services/test_reports.py: seed)."""
    path = tmp_path_factory.mktemp("reports") / "site.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    hasher = passwords.HASHER
    passwords.HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    try:
        migrate.upgrade(engine)
        dash.clear_cache()
        seed(engine, load_model())
    finally:
        passwords.HASHER = hasher
        engine.dispose()
    return path


def run(database: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reports", *args],
        cwd=PROJECT,
        env={"PATH": "/usr/bin:/bin", "SMM_SQLITE_PATH": str(database), **env},
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_list_prints_the_organisations_and_their_waves_as_json(database: Path) -> None:
    listed = run(database, "list")
    assert listed.returncode == 0, listed.stderr
    organisations = json.loads(listed.stdout)
    assert [o["name"] for o in organisations] == [ORGANISATION]
    assert [(w["name"], w["respondents"]) for w in organisations[0]["waves"]] == [(FIRST_WAVE, 6), (SECOND_WAVE, 16)]


def test_organisation_writes_the_pdf_charts_and_data(database: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "report.pdf"
    made = run(
        database,
        "organisation",
        ORGANISATION,
        "--wave",
        FIRST_WAVE,
        "--out",
        str(out),
        "--charts",
        str(tmp_path / "charts"),
        "--data",
        str(tmp_path / "data"),
    )
    assert made.returncode == 0, made.stderr
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert FIRST_WAVE in text and ORGANISATION in text
    charts = sorted(p.name for p in (tmp_path / "charts").iterdir())
    assert any(name.endswith("-radar.png") for name in charts) and any(name.endswith("-radar.svg") for name in charts)
    data = sorted(p.name for p in (tmp_path / "data").iterdir())
    assert any(name.endswith("-plan.csv") for name in data) and any(name.endswith(".xlsx") for name in data)
    # By id, the latest wave by default.
    again = run(database, "organisation", "1", "--out", str(tmp_path / "latest.pdf"), "--language", "nl")
    assert again.returncode == 0, again.stderr
    latest = subprocess.run(["pdftotext", str(tmp_path / "latest.pdf"), "-"], capture_output=True, text=True).stdout
    assert SECOND_WAVE in latest


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("organisation", "Nobody Ltd", "--out", "x.pdf"), "no organisation with the id or name 'Nobody Ltd'"),
        (("organisation", ORGANISATION, "--wave", "Winter 2031", "--out", "x.pdf"), "has no wave 'Winter 2031'"),
    ],
)
def test_unknown_organisation_or_wave_exits_2_with_one_line(
    database: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    refused = run(database, *(str(tmp_path / a) if a == "x.pdf" else a for a in args))
    assert refused.returncode == 2
    assert message in refused.stderr and "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.pdf").exists()


def test_a_database_behind_or_unreachable_exits_2_with_one_line(tmp_path: Path) -> None:
    behind = run(tmp_path / "empty.sqlite3", "list")
    assert behind.returncode == 2 and "python -m storage upgrade" in behind.stderr
    assert "Traceback" not in behind.stderr
    gone = run(tmp_path / "x.sqlite3", "list", SMM_DATABASE_URL="postgresql://127.0.0.1:1/none")
    assert gone.returncode == 2 and "cannot be reached" in gone.stderr and "Traceback" not in gone.stderr


def test_the_report_in_danish_has_danish_words_numbers_and_charts(database: Path, tmp_path: Path) -> None:
    from tests.views.test_every_page_translated import english_pieces

    out = tmp_path / "rapport.pdf"
    charts = tmp_path / "charts"
    made = run(
        database,
        "organisation",
        ORGANISATION,
        "--wave",
        FIRST_WAVE,
        "--out",
        str(out),
        "--language",
        "da",
        "--charts",
        str(charts),
    )
    assert made.returncode == 0, made.stderr
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    left = [p.piece for p in english_pieces("da") if p.pattern.search(flat)]
    assert left == []  # no English of the catalogue
    assert re.search(r"\b\d,\d\b", flat)  # medians with a decimal comma
    assert not re.search(r"(?<![\d.])\d\.\d{1,2}(?![\d.])", flat)  # and none with a decimal point
    assert re.search(
        r"\b\d{1,2}\. (januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december) \d{4}\b",
        flat,
    )
    radar = next(charts.glob("*-radar.svg")).read_text(encoding="utf-8")
    danish = load_model(model_path(), "da")
    assert danish.dimensions[0].name in radar and "Strategy and purpose" not in radar
