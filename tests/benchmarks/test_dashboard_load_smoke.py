"""benchmarks/dashboard_load.py, small: 300 completed assessments, one organisation of 100 in two
departments and two job titles, five others; one repetition on SQLite and one on PostgreSQL.

Nothing here looks at timings. It checks what the command promises: the data it says it made is in the
figures it reports (rounds, respondents, organisations, answers), every scenario was measured as often
as asked, the cold view's profile read every response of the organisation once, and the printed table
has a row per scenario. The PostgreSQL run is skipped when no PostgreSQL answers (tests/postgres.py),
unless SMM_REQUIRE_POSTGRES=1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from assessment.loader import load_model, model_path
from assessment.model import Mode
from tests.benchmarks.generators import run_generator
from tests.postgres import POSTGRES_URL, REQUIRE_POSTGRES

ROUNDS = 300
ORGANISATION = 100
OTHERS = 5
FIRST_WAVE = 80  # 0.8 of the organisation answered its first wave too
REPEAT = 2
ALWAYS = (
    "trivial",
    "raw_select",
    "responses_of",
    *(f"dashboard_{view}_{cache}" for view in ("none", "department", "department_job") for cache in ("cold", "warm")),
    "dashboard_none_cold_gc_off",
    "dashboard_none_cold_frozen",
    "dashboard_none_after_completion",
    "read_ahead",
    "dashboard_none_after_read_ahead",
    "pdf_cold",
    "pdf_warm",
    "section_read",
    "section_json",
    "section_load",
    "section_load_gc_off",
    "section_shown_views",
    "section_organisation_figures",
    "section_department_figures",
)


def dashboard_load(tmp_path: Path, database: str, *extra: str) -> tuple[dict[str, Any], str]:
    return run_generator(
        "dashboard_load.py",
        tmp_path / "dashboard.json",
        "--respondents", str(ROUNDS),
        "--organisation", str(ORGANISATION),
        "--other-organisations", str(OTHERS),
        "--departments", "2",
        "--job-titles", "2",
        "--databases", database,
        "--repeat", str(REPEAT),
        "--warmup", "0",
        *extra,
    )  # fmt: skip


def check(figures: dict[str, Any], database: str, output: str) -> None:
    assert output.startswith("exit 0"), output
    assert list(figures["databases"]) == [database], output
    found = figures["databases"][database]
    items = len(load_model(model_path()).item_ids(Mode.FULL))
    assert found["data"]["counts"] == {
        "completed_rounds": ROUNDS,
        "respondents": ROUNDS - FIRST_WAVE,
        "organisations": 1 + OTHERS,
        "organisation_respondents": ORGANISATION,
        "organisation_first_wave": FIRST_WAVE,
        "other_respondents": ROUNDS - ORGANISATION - FIRST_WAVE,
        "wave_responses": ROUNDS,
        "answers": ORGANISATION * items,
        "rounds_with_scores": ORGANISATION,
        "distinct_answer_sets": 240,
    }, output
    assert found["data"]["seconds"]["total"] > 0, output
    assert found["filters"]["department"] and found["filters"]["job_title"], output

    scenarios = found["scenarios"]
    page = found["page"].startswith("views/dashboard.py")
    expected = set(ALWAYS) | ({"page_cold", "page_warm"} if page else set())
    assert set(scenarios) == expected, output
    for key, row in scenarios.items():
        assert row["n"] == REPEAT, (key, output)
        assert row["median_ms"] > 0, (key, output)
        assert row["x_trivial"] is not None, (key, output)

    assert set(found["collections"]) == {f"dashboard_{view}_cold" for view in ("none", "department", "department_job")}
    profile = found["profile_cold"]["functions"]
    assert profile["assessment.response_summary.load"]["calls"] == ORGANISATION, output
    assert profile["storage.management.responses_since"]["calls"] == 1, output

    printed = output.split("\n", 1)[1]
    for heading in ("trivial page", "raw driver SELECT", "dashboard(), organisation, cold", "PDF report, cold"):
        assert heading in printed, (heading, output)
    assert f"{database} median ms" in printed, output


def test_dashboard_load_on_sqlite(tmp_path: Path) -> None:
    figures, output = dashboard_load(tmp_path, "sqlite")
    check(figures, "sqlite", output)


def test_dashboard_load_on_postgresql(tmp_path: Path) -> None:
    admin = create_engine(POSTGRES_URL)
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        reason = f"PostgreSQL at {POSTGRES_URL} does not answer: {str(error.orig).strip().splitlines()[0]}"
        if REQUIRE_POSTGRES:
            pytest.fail(f"{reason} (SMM_REQUIRE_POSTGRES=1)", pytrace=False)
        pytest.skip(reason)
    finally:
        admin.dispose()
    figures, output = dashboard_load(tmp_path, "postgresql", "--postgres-url", POSTGRES_URL)
    check(figures, "postgresql", output)
