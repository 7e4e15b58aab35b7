"""Translation overlays in the course and in `python -m learning check`.

The course is loaded in a language (English wherever no overlay translates), its links always
checked on the English files; the check refuses overlay problems (errors, exit 1) and reports the
untranslated strings per language (a warning line, exit 0). Fixtures: tests/overlay_fixtures."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from assessment.loader import DEFAULT_MODEL_PATH, load_model
from assessment.overlay import overlay_path
from learning.__main__ import main
from learning.check import check_content
from learning.content import load_course
from learning.overlay import check_languages, overlay_languages
from lessons import loader as lesson_loader
from lessons.loader import CONTENT_DIR
from quizzes.loader import BANK_DIR
from tests.assessment.conftest import REAL_MODEL_MISSING, SYNTHETIC_TOML

PROJECT = Path(__file__).resolve().parents[2]
FIXTURES = PROJECT / "tests" / "overlay_fixtures"


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "model.toml"
    path.write_text(SYNTHETIC_TOML, encoding="utf-8")
    shutil.copy(FIXTURES / "model.xx.toml", overlay_path(path, "xx"))
    return path


def test_the_course_in_a_language_translates_what_its_overlays_give(model_file: Path) -> None:
    model = load_model(model_file)
    english = load_course(model, FIXTURES / "lessons", FIXTURES / "banks")
    translated = load_course(model, FIXTURES / "lessons", FIXTURES / "banks", language="xx")

    assert translated.lessons[0].title == "Een voorbeeldles"
    assert translated.banks[0].title == "Een voorbeeldquiz"
    assert translated.lesson("sample").id == english.lesson("sample").id  # type: ignore[union-attr]
    # Links are checked on the English files: the same problems, at the same files and lines.
    assert translated.problems == english.problems
    assert load_course(model, FIXTURES / "lessons", FIXTURES / "banks", language="yy") == english


def test_an_overlay_problem_joins_the_course_problems(model_file: Path, tmp_path: Path) -> None:
    banks = tmp_path / "banks"
    shutil.copytree(FIXTURES / "banks", banks)
    (banks / "xx" / "sample.toml").write_text('id = "sample"\n\n[questions.q01]\nchecks = []\n', "utf-8")
    model = load_model(model_file)
    english = load_course(model, FIXTURES / "lessons", banks)

    translated = load_course(model, FIXTURES / "lessons", banks, language="xx")

    assert translated.problems[: len(english.problems)] == english.problems
    assert [str(p) for p in translated.problems[len(english.problems) :]] == [
        f"{banks}/xx/sample.toml:4: questions.q01.checks: "
        "'checks' is structural: it comes from the English file and cannot be set in an overlay"
    ]
    assert translated.banks == english.banks  # the broken overlay costs only itself


@pytest.mark.usefixtures("no_catalogues")
def test_each_language_gets_one_line_of_untranslated_counts(model_file: Path) -> None:
    model = load_model(model_file)
    course = load_course(model, FIXTURES / "lessons", FIXTURES / "banks")
    dirs = (FIXTURES / "lessons", FIXTURES / "banks")
    out = io.StringIO()

    problems = check_languages(model, model_file, course.lessons, course.banks, dirs, None, out)

    assert problems == []
    model_strings = out.getvalue().split("(model ")[1].split(",")[0]  # "<untranslated> of <total>"
    untranslated, total = (int(n) for n in model_strings.split(" of "))
    assert untranslated == total - 3
    assert out.getvalue() == (
        f"warning: xx: {untranslated + 1 + 8} of {total + 3 + 13} strings untranslated "
        f"(model {untranslated} of {total}, lessons 1 of 3, quiz banks 8 of 13)\n"
    )
    assert overlay_languages(model_file, *dirs) == ["xx"]


@pytest.fixture
def real_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A copy of the real lessons and banks, used by the check through SMM_LESSONS_DIR and SMM_QUIZZES_DIR."""
    if not DEFAULT_MODEL_PATH.exists():
        pytest.skip(REAL_MODEL_MISSING)
    lessons, banks = tmp_path / "lessons", tmp_path / "banks"
    shutil.copytree(CONTENT_DIR, lessons, ignore=shutil.ignore_patterns("xx"))
    shutil.copytree(BANK_DIR, banks, ignore=shutil.ignore_patterns("xx"))
    monkeypatch.setenv("SMM_LESSONS_DIR", str(lessons))
    monkeypatch.setenv("SMM_QUIZZES_DIR", str(banks))
    return lessons, banks


def check(languages: list[str] | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = check_content(DEFAULT_MODEL_PATH, out, err, languages)
    return code, out.getvalue(), err.getvalue()


# The bundled content's own findings are whatever they are on the day: these tests compare the check's
# output with overlays to its output without them.


def test_the_real_check_finds_dutch_and_danish_complete(real_content: tuple[Path, Path]) -> None:
    code, out, err = check()
    assert code == 0, err
    lines = out.splitlines()
    for language in ("da", "nl"):
        (line,) = [line for line in lines if line.startswith(f"{language}: ")]
        assert line.startswith(f"{language}: all ") and "(interface 0 of " in line
    assert "untranslated" not in out + err


def test_a_string_missing_in_a_released_language_fails_the_real_check(
    real_content: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    lessons, _banks = real_content
    monkeypatch.setattr(lesson_loader, "CONTENT_DIR", lessons.resolve())  # the copy stands for the site's own
    overlay = next((lessons / "nl").glob("02-*.md"))
    text = overlay.read_text(encoding="utf-8")
    overlay.write_text(re.sub(r"(?m)^summary = .*\n", "", text, count=1), encoding="utf-8")
    code, out, err = check()
    assert code == 1
    assert f"{overlay}: summary: not translated (nl is a released language" in err
    assert "error: nl: 1 of " in out


def test_the_real_check_reports_and_refuses_overlays(real_content: tuple[Path, Path]) -> None:
    lessons, banks = real_content
    before = check()
    model = load_model()
    course = load_course(model)
    lesson, bank = course.lessons[0], course.banks[0]
    question = bank.questions[0]
    (lessons / "xx").mkdir()
    (lessons / "xx" / Path(lesson.file).name).write_text(f'+++\nid = "{lesson.id}"\ntitle = "T"\n+++\n', "utf-8")
    (banks / "xx").mkdir()
    overlay = banks / "xx" / f"{bank.id}.toml"
    overlay.write_text(f'id = "{bank.id}"\n\n[questions.{question.id}]\nprompt = "P"\n', "utf-8")

    code, out, err = check()
    assert (code, err) == (before[0], before[2])  # untranslated strings are a warning line, no problem
    added = out.removeprefix(before[1]).splitlines()
    assert len(added) == 1 and added[0].startswith("warning: xx: ")
    counts = re.search(r", lessons (\d+) of (\d+), ", added[0])
    assert counts and int(counts.group(1)) == int(counts.group(2)) - 1  # one lesson title translated

    overlay.write_text(f'id = "{bank.id}"\n\n[questions.{question.id}]\nprompt = "P"\ncorrect = true\n', "utf-8")
    code, out, err = check(["xx"])
    assert code == 1
    assert f"{overlay}:5: questions.{question.id}.correct: 'correct' is structural" in err

    code, out, _ = check(["yy"])  # asked for by name: reported even with no overlay at all
    assert out.splitlines()[-1].startswith("warning: yy: ")


def test_python_m_learning_check_takes_a_language(
    real_content: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--language", "da", "check"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("da: all ")
    with pytest.raises(SystemExit) as stopped:
        main(["--language", "Dansk", "check"])
    assert stopped.value.code == 2
