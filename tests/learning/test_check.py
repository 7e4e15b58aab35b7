"""`python -m learning check`: the whole content check, the model step shared with `python -m assessment check`."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assessment.loader import DEFAULT_MODEL_PATH, load_model
from learning.__main__ import main
from learning.check import check_content
from learning.content import load_course
from tests.assessment.conftest import REAL_MODEL_MISSING, SYNTHETIC_TOML, line_of, replace_once

PROJECT = Path(__file__).resolve().parents[2]
COURSE_SUMMARY = re.compile(r"^\d+ lessons, \d+ quiz banks, \d+ questions; ", re.MULTILINE)


def run(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", module, *args], cwd=PROJECT, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def broken_model(tmp_path: Path) -> tuple[Path, str]:
    text = replace_once(SYNTHETIC_TOML, 'stage = "walk"', 'stage = "jog"', occurrence=2)
    path = tmp_path / "model.toml"
    path.write_text(text, encoding="utf-8")
    return path, text


def test_the_bundled_content_loads_and_covers_the_model() -> None:
    """Loading and coverage: what the site itself needs. The content rules are the next test."""
    if not DEFAULT_MODEL_PATH.exists():
        pytest.skip(REAL_MODEL_MISSING)
    course = load_course(load_model(DEFAULT_MODEL_PATH))
    assert [str(p) for p in course.problems] == []


# The bundled content meets every content rule that is an error (hand-written ladders, exercises,
# near-duplicates, the course-wide option-length cue, stage placement). Warnings (trainer notes, a
# bank's option-length or wording cue, the true/false balance, placement text) may stand while writers
# work on them: they are printed, marked "warning:", and counted on the last line.
def test_the_bundled_content_passes() -> None:
    if not DEFAULT_MODEL_PATH.exists():
        pytest.skip(REAL_MODEL_MISSING)
    completed = run("learning", "check")
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("model.toml: OK - ")
    assert COURSE_SUMMARY.search(completed.stdout)
    lines = completed.stderr.splitlines()
    if lines:
        assert re.fullmatch(r"\d+ problem\(s\) found: 0 error\(s\), \d+ warning\(s\)\.", lines[-1]), lines[-1]
    errors = [line for line in lines[:-1] if ": warning: " not in line]
    assert errors == [], "\n".join(errors)


def test_a_broken_lesson_fails_the_check_with_its_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not DEFAULT_MODEL_PATH.exists():
        pytest.skip(REAL_MODEL_MISSING)
    lessons = tmp_path / "lessons"
    shutil.copytree(PROJECT / "lessons" / "content", lessons)
    broken = sorted(lessons.glob("*.md"))[0]
    text = broken.read_text(encoding="utf-8").replace("\nsummary = ", '\nsummry = "x"\nsummary = ', 1)
    broken.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setenv("SMM_LESSONS_DIR", str(lessons))
    code = check_content(DEFAULT_MODEL_PATH, out, err)
    assert code == 1
    assert out.getvalue().startswith("model.toml: OK - ")
    assert re.search(rf"{re.escape(broken.name)}:\d+: summry: unknown key", err.getvalue()), err.getvalue()
    assert re.search(r"\d+ problem\(s\) found[.:]", err.getvalue().splitlines()[-1])


def test_smm_model_path_is_checked_and_reported_as_by_the_assessment_check(
    broken_model: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One implementation: both commands print the same lines for the same broken model."""
    path, text = broken_model
    monkeypatch.setenv("SMM_MODEL_PATH", str(path))
    learning = run("learning", "check")
    assessment = run("assessment", "check")
    assert learning.returncode == assessment.returncode == 1
    assert f"{path}:{line_of(text, 'jog')}: dimensions[0].statements[2].stage: " in learning.stderr
    assert learning.stderr == assessment.stderr
    assert learning.stdout == assessment.stdout == ""


def test_the_model_option_names_the_model(broken_model: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    path, text = broken_model
    assert main(["--model", str(path), "check"]) == 1
    assert f"{path}:{line_of(text, 'jog')}: " in capsys.readouterr().err
