"""The model in another language: `model.<lang>.toml` beside the model, strings only, English as fallback.

The overlay is tests/overlay_fixtures/model.xx.toml (a stage name and two statements of the
synthetic model in conftest.py), copied beside a fresh copy of that model."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assessment.loader import load_model
from assessment.model import Mode
from assessment.overlay import check_languages, check_overlay, model_languages, overlay_path
from assessment.scoring import normalise_answers, score
from content.problems import ContentError
from tests.assessment.conftest import SYNTHETIC_TOML, line_of

PROJECT = Path(__file__).resolve().parents[2]
FIXTURE = PROJECT / "tests" / "overlay_fixtures" / "model.xx.toml"


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "model.toml"
    path.write_text(SYNTHETIC_TOML, encoding="utf-8")
    shutil.copy(FIXTURE, overlay_path(path, "xx"))
    return path


def write_overlay(model_file: Path, text: str) -> Path:
    path = overlay_path(model_file, "xx")
    path.write_text(text, encoding="utf-8")
    return path


def test_translated_strings_come_through_and_the_rest_stays_english(model_file: Path) -> None:
    english = load_model(model_file)
    translated = load_model(model_file, language="xx")

    assert translated.stage("walk").name == "Lopen"
    assert translated.item("p.crawl.1").text == "Iemand is verantwoordelijk voor sociale media."  # type: ignore[union-attr]
    assert translated.item("t.cred.1").text == "We beloven alleen wat we waarmaken."  # type: ignore[union-attr]
    assert translated.dimension("people").statements[0].text == translated.item("p.crawl.1").text  # type: ignore[union-attr]
    # Untranslated: English.
    assert translated.stage("walk").tagline == english.stage("walk").tagline
    assert translated.stage("crawl") == english.stage("crawl")
    assert translated.item("p.crawl.1").help == english.item("p.crawl.1").help  # type: ignore[union-attr]
    assert translated.item("c.walk.1") == english.item("c.walk.1")
    assert (translated.title, translated.intro) == (english.title, english.intro)
    assert translated.checklist == english.checklist


def test_ids_structure_and_scores_are_those_of_the_english_model(model_file: Path) -> None:
    """Answers are stored by item id: a translated model must ask the same items and score them alike."""
    english = load_model(model_file)
    translated = load_model(model_file, language="xx")
    for mode in Mode:
        assert translated.item_ids(mode) == english.item_ids(mode)
    assert [(s.id, s.dimension, s.stage, s.quick) for s in translated.maturity_statements()] == [
        (s.id, s.dimension, s.stage, s.quick) for s in english.maturity_statements()
    ]
    assert [(s.id, s.reverse, s.quick) for s in translated.tee_statements()] == [
        (s.id, s.reverse, s.quick) for s in english.tee_statements()
    ]
    assert (translated.file, translated.timing) == (english.file, english.timing)
    raw: dict[str, object] = {s.id: "largely" for s in english.maturity_statements()}
    raw |= {s.id: 4 for s in english.tee_statements()} | {i.id: "yes" for i in english.checklist}
    answers, errors = normalise_answers(translated, raw)
    assert not errors
    assert score(translated, answers).to_dict() == score(english, answers).to_dict()


def test_a_language_without_an_overlay_is_the_english_model(model_file: Path) -> None:
    english = load_model(model_file)
    assert load_model(model_file, language="yy") == english
    assert load_model(model_file, language="en") == english
    assert load_model(model_file) == english


def test_a_structural_key_is_refused_with_file_line_and_key(model_file: Path) -> None:
    text = '[statements."p.crawl.1"]\ntext = "Vertaald."\nstage = "fly"\n\n[stages.walk]\nquick = true\n'
    path = write_overlay(model_file, text)
    english = load_model(model_file)

    _, problems = check_overlay(english, model_file, "xx")

    assert [str(p) for p in problems] == [
        f'{path}:{line_of(text, "stage =")}: statements."p.crawl.1".stage: '
        "'stage' is structural: it comes from the English file and cannot be set in an overlay",
        f"{path}:{line_of(text, 'quick')}: stages.walk.quick: "
        "'quick' is structural: it comes from the English file and cannot be set in an overlay",
    ]
    with pytest.raises(ContentError) as raised:
        load_model(model_file, language="xx")
    assert raised.value.problems == problems


def test_an_unknown_id_is_refused(model_file: Path) -> None:
    text = (
        '[stages.walk]\nname = "Lopen"\n\n[statements."p.crawl.9"]\ntext = "Bestaat niet."\n\n'
        '[tees.speed]\nname = "Snelheid"\n'
    )
    path = write_overlay(model_file, text)

    _, problems = check_overlay(load_model(model_file), model_file, "xx")

    assert [str(p) for p in problems] == [
        f'{path}:4: statements."p.crawl.9": no English statement has the id "p.crawl.9"',
        f'{path}:7: tees.speed: no English T has the id "speed"',
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[[statements]]\nid = "p.crawl.1"\ntext = "x"\n',
            'statements: expected tables keyed by statement id, e.g. [statements."<id>"], not a list',
        ),
        ('[meta]\ntitle = ""\n', "meta.title: must not be empty (leave the key out to keep the English)"),
        ('[meta]\ntitel = "Zelftest"\n', "meta.titel: unknown key (an overlay takes here: title, intro)"),
        ("[timing]\nseconds_per_tee = 9\n", "timing: 'timing' is structural"),
        (
            '[checklist_groups.nosuch]\ntitle = "Tips"\n',
            'checklist_groups.nosuch: no English checklist group has the id "nosuch"',
        ),
        ("[meta\n", "not valid TOML"),
    ],
)
def test_every_other_mistake_is_a_problem_not_a_crash(model_file: Path, text: str, expected: str) -> None:
    write_overlay(model_file, text)
    _, problems = check_overlay(load_model(model_file), model_file, "xx")
    assert len(problems) == 1 and expected in str(problems[0]), problems


@pytest.mark.usefixtures("no_catalogues")
def test_the_untranslated_count(model_file: Path) -> None:
    english = load_model(model_file)
    statements = len(english.maturity_statements()) + len(english.tee_statements())
    total = 2 + 4 * len(english.stages) + 2 * len(english.dimensions) + 2 * statements + 2 * len(english.tees)
    total += 2 * len(english.checklist) + len(getattr(english, "checklist_groups", ()))  # a title each

    strings, problems = check_overlay(english, model_file, "xx")

    assert not problems
    assert (strings.total, strings.translated, strings.untranslated) == (total, 3, total - 3)
    out = io.StringIO()
    assert check_languages(english, model_file, None, out) == []
    assert out.getvalue() == f"warning: xx: {total - 3} of {total} strings untranslated\n"
    out = io.StringIO()
    check_languages(english, model_file, ["yy"], out)  # asked for, no overlay: all untranslated
    assert out.getvalue() == f"warning: yy: {total} of {total} strings untranslated\n"


def test_languages_are_found_beside_the_model(model_file: Path) -> None:
    (model_file.parent / "model.da.toml").write_text("", encoding="utf-8")
    (model_file.parent / "model.backup.toml").write_text("", encoding="utf-8")  # not a language code
    assert model_languages(model_file) == ["da", "xx"]


def run_check(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "assessment", *args]
    return subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=120)


def test_python_m_assessment_check_reports_each_language(model_file: Path) -> None:
    passed = run_check("--model", str(model_file), "check")
    assert passed.returncode == 0, passed.stderr
    assert "warning: xx: " in passed.stdout and " strings untranslated" in passed.stdout

    text = '[stages.walk]\nname = "Lopen"\nnext = "x"\n'
    path = write_overlay(model_file, text)
    failed = run_check("--model", str(model_file), "check", "--language", "xx")
    assert failed.returncode == 1
    assert f"{path}:3: stages.walk.next: unknown key" in failed.stderr

    assert run_check("--model", str(model_file), "check", "--language", "../nl").returncode == 2


@pytest.mark.usefixtures("no_catalogues")
def test_without_overlays_the_check_says_nothing_more(tmp_path: Path) -> None:
    path = tmp_path / "model.toml"
    path.write_text(SYNTHETIC_TOML, encoding="utf-8")
    completed = run_check("--model", str(path), "check")
    assert completed.returncode == 0
    assert "untranslated" not in completed.stdout and completed.stderr == ""
