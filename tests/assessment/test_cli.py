"""`python -m assessment`: exit codes, messages and JSON, both as a subprocess and via main(argv)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from assessment.__main__ import COURSE_CHECK_HINT, main
from assessment.loader import DEFAULT_MODEL_PATH
from assessment.model import Mode, Model
from assessment.scoring import normalise_answers, score
from tests.assessment.conftest import REAL_MODEL_MISSING, SYNTHETIC_TOML, line_of, replace_once

PROJECT = Path(__file__).resolve().parents[2]

ANSWERS = {
    "p.crawl.1": "fully", "c.crawl.1": "partly", "c.crawl.2": "largely",  # crawl 6 of 9: reached
    "p.walk.1": "partly", "p.walk.2": "dont_know",
    "t.cred.1": 4, "t.cred.2": "2", "t.tone.1": 5, "t.pat.1": "dont_know",
    "check.a": "yes", "check.b": "partly", "check.c": "no",
}  # fmt: skip


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assessment", *args],
        cwd=PROJECT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def broken_model(write_model) -> tuple[Path, str]:
    text = replace_once(SYNTHETIC_TOML, 'text = "Staff have been trained."', 'txt = "Staff have been trained."')
    text = replace_once(text, 'stage = "walk"', 'stage = "jog"', occurrence=2)
    return write_model(text), text


def answers_file(tmp_path: Path, document: object, name: str = "answers.json") -> Path:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return path


# check ---------------------------------------------------------------------------------


def test_check_real_model_subprocess() -> None:
    if not DEFAULT_MODEL_PATH.exists():
        pytest.skip(REAL_MODEL_MISSING)
    completed = run("check")
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("model.toml: OK - ")
    assert completed.stdout.splitlines()[-1] == COURSE_CHECK_HINT
    assert completed.stderr == ""


def test_check_honours_smm_model_path(broken_model: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The model the site would load is the one checked: a broken draft named in SMM_MODEL_PATH fails."""
    path, text = broken_model
    monkeypatch.setenv("SMM_MODEL_PATH", str(path))
    completed = run("check")
    assert completed.returncode == 1
    assert f"{path}:{line_of(text, 'jog')}: dimensions[0].statements[2].stage: " in completed.stderr
    assert completed.stdout == ""


@pytest.mark.parametrize("command", [["model", "--json"], ["score", "-"]], ids=["model", "score"])
def test_other_commands_honour_smm_model_path(
    broken_model: tuple[Path, str], monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    path, text = broken_model
    monkeypatch.setenv("SMM_MODEL_PATH", str(path))
    completed = run(*command, stdin='{"answers": {}}')
    assert completed.returncode == 1
    assert f"{path}:{line_of(text, 'jog')}: " in completed.stderr


def test_model_option_wins_over_smm_model_path(
    synthetic_model_path: Path, broken_model: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMM_MODEL_PATH", str(broken_model[0]))
    completed = run("--model", str(synthetic_model_path), "check")
    assert completed.returncode == 0, completed.stderr


def test_check_real_model_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    if not DEFAULT_MODEL_PATH.exists():
        pytest.skip(REAL_MODEL_MISSING)
    code, out, err = run_main(capsys, "check")
    assert code == 0, err
    assert "OK" in out


@pytest.mark.usefixtures("no_catalogues")
def test_check_synthetic_model(synthetic_model_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = (
        "model.toml: OK - 11 maturity statements in 2 dimensions, 6 4 T statements, 3 checklist items.\n"
        f"{COURSE_CHECK_HINT}\n"
    )
    completed = run("--model", str(synthetic_model_path), "check", "--model-only")
    assert (completed.returncode, completed.stdout, completed.stderr) == (0, expected, "")
    assert run_main(capsys, "--model", str(synthetic_model_path), "check", "--model-only") == (0, expected, "")


def test_check_broken_model_subprocess(broken_model: tuple[Path, str]) -> None:
    path, text = broken_model
    completed = run("--model", str(path), "check")
    assert completed.returncode == 1
    assert completed.stdout == ""
    lines = completed.stderr.splitlines()
    assert f"{path}:{line_of(text, 'txt = ')}: dimensions[0].statements[1].txt: unknown key" in completed.stderr
    assert (
        f"{path}:{line_of(text, 'jog')}: dimensions[0].statements[2].stage: "
        'expected one of crawl, walk, run, fly, got "jog"'
    ) in lines
    assert lines[-1] == f"{len(lines) - 1} problem(s) found."
    assert all(line.startswith(f"{path}:") for line in lines[:-1])


def test_check_broken_model_in_process(broken_model: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    path, text = broken_model
    code, out, err = run_main(capsys, "--model", str(path), "check")
    assert code == 1
    assert out == ""
    assert f"{path}:{line_of(text, 'jog')}: dimensions[0].statements[2].stage: " in err


@pytest.mark.parametrize("command", [["model", "--json"], ["score", "-"]], ids=["model", "score"])
def test_other_commands_on_a_broken_model_exit_1(
    broken_model: tuple[Path, str], capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    path, text = broken_model
    completed = run("--model", str(path), *command, stdin='{"answers": {}}')
    assert completed.returncode == 1
    assert f"{path}:{line_of(text, 'jog')}: " in completed.stderr
    assert completed.stdout == ""


def test_missing_model_file_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "missing.toml"
    completed = run("--model", str(path), "check")
    assert completed.returncode == 1
    assert f"{path}: file not found" in completed.stderr


# model --json ---------------------------------------------------------------------------

ITEM_KEYS = {"id", "section", "dimension", "stage", "tee", "reverse_keyed", "kind"}


def test_model_json_synthetic(synthetic_model_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    completed = run("--model", str(synthetic_model_path), "model", "--json")
    assert completed.returncode == 0, completed.stderr
    data = json.loads(completed.stdout)
    assert run_main(capsys, "--model", str(synthetic_model_path), "model", "--json")[1] == completed.stdout
    assert [s["id"] for s in data["stages"]] == ["crawl", "walk", "run", "fly"]
    assert [d["id"] for d in data["dimensions"]] == ["people", "content"]
    items = {item["id"]: item for item in data["items"]}
    assert all(set(item) >= ITEM_KEYS for item in data["items"])
    assert {k: items["p.walk.2"][k] for k in ITEM_KEYS} == {
        "id": "p.walk.2", "section": "maturity", "dimension": "people", "stage": "walk", "tee": None,
        "reverse_keyed": False, "kind": None,
    }  # fmt: skip
    assert {k: items["t.tone.1"][k] for k in ITEM_KEYS} == {
        "id": "t.tone.1", "section": "tee", "dimension": None, "stage": None, "tee": "tone",
        "reverse_keyed": True, "kind": None,
    }  # fmt: skip
    assert items["t.tone.2"]["reverse_keyed"] is False
    assert {k: items["check.b"][k] for k in ITEM_KEYS} == {
        "id": "check.b", "section": "checklist", "dimension": None, "stage": None, "tee": None,
        "reverse_keyed": False, "kind": "dont",
    }  # fmt: skip
    assert [item["id"] for item in data["items"]][:3] == ["p.crawl.1", "p.walk.1", "p.walk.2"]
    assert len(data["items"]) == 20


def test_model_json_real() -> None:
    if not DEFAULT_MODEL_PATH.exists():
        pytest.skip(REAL_MODEL_MISSING)
    completed = run("model", "--json")
    assert completed.returncode == 0, completed.stderr
    data = json.loads(completed.stdout)
    assert [s["id"] for s in data["stages"]] == ["crawl", "walk", "run", "fly"]
    assert data["dimensions"]
    sections = {item["section"] for item in data["items"]}
    assert sections == {"maturity", "tee", "checklist"}
    for item in data["items"]:
        assert set(item) >= ITEM_KEYS
        if item["section"] == "maturity":
            assert item["dimension"] and item["stage"] in ("crawl", "walk", "run", "fly")
        elif item["section"] == "tee":
            assert item["tee"] in ("credibility", "trust", "tone", "patience")
            assert isinstance(item["reverse_keyed"], bool)
        else:
            assert item["kind"] in ("do", "dont")
    assert len({item["id"] for item in data["items"]}) == len(data["items"])


def test_model_without_json_flag_is_a_usage_error() -> None:
    completed = run("model")
    assert completed.returncode == 2
    assert "--json" in completed.stderr


# score ----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["full", "quick"])
def test_score_matches_the_scoring_module(
    synthetic_model: Model, synthetic_model_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str
) -> None:
    path = answers_file(tmp_path, {"mode": mode, "answers": ANSWERS})
    completed = run("--model", str(synthetic_model_path), "score", str(path))
    assert completed.returncode == 0, completed.stderr
    data = json.loads(completed.stdout)
    assert run_main(capsys, "--model", str(synthetic_model_path), "score", str(path))[1] == completed.stdout

    assert {"stage", "stage_coverage", "dimensions", "tees", "checklist", "gaps"} <= set(data)
    assert {"compliance", "failed"} <= set(data["checklist"])
    normalised, errors = normalise_answers(synthetic_model, ANSWERS)
    assert errors == []
    result = score(synthetic_model, normalised, Mode(mode))
    assert data == json.loads(json.dumps(result.to_dict()))
    assert data["mode"] == mode
    assert data["stage"] == result.stage
    assert data["stage_coverage"] == {s.id: round(float(s.coverage), 4) for s in result.stages}
    for dimension in result.dimensions:
        assert data["dimensions"][dimension.id]["score"] == round(dimension.score, 4)
    for tee in result.tees:
        assert data["tees"][tee.id]["score"] == (None if tee.score is None else round(tee.score, 4))
    assert data["checklist"]["compliance"] == 0.5
    assert data["checklist"]["failed"] == ["check.c", "check.b"]
    assert [g["kind"] for g in data["gaps"]][-2:] == ["checklist", "checklist"]


def test_score_numbers_by_hand(synthetic_model_path: Path, tmp_path: Path) -> None:
    """The same answers, checked against hand-worked numbers rather than the scoring module."""
    full = json.loads(run("--model", str(synthetic_model_path), "score",
                          str(answers_file(tmp_path, {"answers": ANSWERS}))).stdout)  # fmt: skip
    assert full["mode"] == "full"  # the default
    assert full["stage"] == "crawl"  # crawl 3+1+2 = 6 of 9; walk 1+0 = 1 of 9
    assert full["stage_coverage"] == {"crawl": 0.6667, "walk": 0.1111, "run": 0.0, "fly": 0.0}
    assert full["dimensions"]["people"]["score"] == round(1 + 1 / 6, 4)
    assert full["tees"]["credibility"]["score"] == 75.0  # 4 and 6-2: mean 4
    assert full["tees"]["tone"]["score"] == 0.0  # 6-5 = 1
    assert full["gaps"] == [
        {"kind": "maturity", "dimension": "content", "stage": "crawl", "coverage": 0.5},
        {"kind": "maturity", "dimension": "content", "stage": "walk", "coverage": 0.0},
        {"kind": "maturity", "dimension": "people", "stage": "walk", "coverage": 0.1667},
        {"kind": "tee", "tee": "tone", "score": 0.0},
        {"kind": "checklist", "item": "check.c", "answer": "no"},
        {"kind": "checklist", "item": "check.b", "answer": "partly"},
    ]
    quick = json.loads(run("--model", str(synthetic_model_path), "score",
                           str(answers_file(tmp_path, {"mode": "quick", "answers": ANSWERS}))).stdout)  # fmt: skip
    assert quick["stage"] == "crawl"  # quick crawl 3+1 = 4 of 6; walk 1 of 6
    assert quick["stage_coverage"] == {"crawl": 0.6667, "walk": 0.1667, "run": 0.0, "fly": 0.0}
    assert quick["tees"]["credibility"]["score"] == 75.0  # t.cred.1 only
    assert (quick["asked"], quick["answered"]) == (15, 9)  # 3 maturity + 3 T + 3 checklist


def test_score_reads_standard_input(synthetic_model_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    document = json.dumps({"answers": ANSWERS})
    completed = run("--model", str(synthetic_model_path), "score", "-", stdin=document)
    assert completed.returncode == 0, completed.stderr
    monkeypatch.setattr(sys, "stdin", io.StringIO(document))
    assert run_main(capsys, "--model", str(synthetic_model_path), "score", "-") == (0, completed.stdout, "")


@pytest.mark.parametrize("mode", ["full", "quick"])
def test_a_results_download_scores_to_the_scores_it_carries(
    synthetic_model: Model, synthetic_model_path: Path, tmp_path: Path, mode: str
) -> None:
    """The results page's JSON download is itself an answers file: scored again, it gives its own scores."""
    from datetime import datetime, timezone

    from reporting.export import answers_and_scores_json

    normalised, errors = normalise_answers(synthetic_model, ANSWERS)
    assert errors == []
    result = score(synthetic_model, normalised, Mode(mode))
    download = answers_and_scores_json(synthetic_model, normalised, result, 2, datetime.now(timezone.utc), "Acme")
    path = tmp_path / "maturity-round-2.json"
    path.write_text(download, encoding="utf-8")

    completed = run("--model", str(synthetic_model_path), "score", str(path))
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == json.loads(download)["scores"]


def test_score_real_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not DEFAULT_MODEL_PATH.exists():
        pytest.skip(REAL_MODEL_MISSING)
    from assessment.loader import load_model

    model = load_model()
    answers = {s.id: "fully" for s in model.maturity_statements()}
    answers.update({i.id: "yes" for i in model.checklist})
    for mode in ("full", "quick"):
        path = answers_file(tmp_path, {"mode": mode, "answers": answers}, f"{mode}.json")
        completed = run("score", str(path))
        assert completed.returncode == 0, completed.stderr
        data = json.loads(completed.stdout)
        assert data["stage"] == "fly"
        assert data["checklist"]["compliance"] == 1.0
        assert data == json.loads(json.dumps(score(model, answers, Mode(mode)).to_dict()))
        assert run_main(capsys, "score", str(path))[0] == 0


BAD_INPUT = [
    pytest.param("{not json", "answers.json:1: not valid JSON: ", id="not-json"),
    # Not only JSONDecodeError: deep nesting raises RecursionError, a 5000-digit number a plain ValueError.
    pytest.param("[" * 100_000, "answers.json: not valid JSON: nested too deeply", id="nested-too-deep"),
    pytest.param(
        '{"answers": {"t.cred.1": ' + "9" * 5000 + "}}",
        "answers.json: not valid JSON: Exceeds the limit",
        id="integer-too-long",
    ),
    pytest.param([1, 2], 'expected a JSON object with "answers", got list', id="not-an-object"),
    pytest.param({"mode": "full"}, '"answers" must be an object mapping item ids to values', id="missing-answers"),
    pytest.param({"answers": ["p.crawl.1"]}, '"answers" must be an object', id="answers-not-an-object"),
    pytest.param({"answers": {}, "extra": 1}, 'unknown key(s) extra (expected "mode" and "answers"', id="unknown-key"),
    pytest.param({"answers": {}, "scores ": {}}, "unknown key(s) scores  (expected", id="download-key-misspelt"),
    pytest.param({"answers": {"nope": "fully"}}, 'answers.unknown item id "nope"', id="unknown-id"),
    pytest.param(
        {"answers": {"p.crawl.1": "yes"}},
        "answers.p.crawl.1: expected one of none, partly, largely, fully, dont_know, got 'yes'",
        id="bad-maturity-value",
    ),
    pytest.param(
        {"answers": {"t.cred.1": 7}},
        'answers.t.cred.1: expected a whole number from 1 to 5 or "dont_know"',
        id="bad-tee-value",
    ),
    pytest.param({"answers": {"t.cred.1": True}}, "got True", id="bool-tee-value"),
    pytest.param(
        {"answers": {"check.a": "fully"}},
        "answers.check.a: expected one of yes, partly, no, na",
        id="bad-checklist-value",
    ),
    pytest.param({"mode": "fast", "answers": {}}, '"mode" must be "full" or "quick", got \'fast\'', id="bad-mode"),
]


@pytest.mark.parametrize(("document", "message"), BAD_INPUT)
def test_bad_input_exits_2(
    synthetic_model_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], document: object, message: str
) -> None:
    path = answers_file(tmp_path, document)
    completed = run("--model", str(synthetic_model_path), "score", str(path))
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.startswith(f"error: {path}")
    assert message in completed.stderr
    assert "Traceback" not in completed.stderr
    code, out, err = run_main(capsys, "--model", str(synthetic_model_path), "score", str(path))
    assert (code, out) == (2, "")
    assert message in err


def test_every_bad_answer_is_reported(synthetic_model_path: Path, tmp_path: Path) -> None:
    path = answers_file(tmp_path, {"answers": {"nope": "x", "p.crawl.1": "maybe", "check.a": "yes", "t.pat.1": 0}})
    completed = run("--model", str(synthetic_model_path), "score", str(path))
    assert completed.returncode == 2
    assert len(completed.stderr.splitlines()) == 3


def test_answers_file_not_found(synthetic_model_path: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "nowhere.json"
    completed = run("--model", str(synthetic_model_path), "score", str(path))
    assert completed.returncode == 2
    assert completed.stderr.strip() == f"error: {path}: file not found"
    assert run_main(capsys, "--model", str(synthetic_model_path), "score", str(path)) == (
        2, "", f"error: {path}: file not found\n",
    )  # fmt: skip


def test_superscript_digit_answer_exits_2(synthetic_model_path: Path, tmp_path: Path) -> None:
    path = answers_file(tmp_path, {"answers": {"t.cred.1": "²"}})
    completed = run("--model", str(synthetic_model_path), "score", str(path))
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr


def test_no_command_is_a_usage_error() -> None:
    completed = run()
    assert completed.returncode == 2
    assert "usage:" in completed.stderr


# Not applicable ---------------------------------------------------------------------------


def test_model_json_exposes_may_not_apply_and_checklist_groups(synthetic_model_path: Path) -> None:
    completed = run("--model", str(synthetic_model_path), "model", "--json")
    assert completed.returncode == 0, completed.stderr
    data = json.loads(completed.stdout)
    maturity = {item["id"]: item for item in data["items"] if item["section"] == "maturity"}
    assert {item_id for item_id, item in maturity.items() if item["may_not_apply"]} == {"c.run.2"}
    assert maturity["c.run.2"]["values"] == ["none", "partly", "largely", "fully", "dont_know", "na"]
    assert maturity["c.run.1"]["values"] == ["none", "partly", "largely", "fully", "dont_know"]
    assert data["checklist_groups"] == [
        {"id": "workshop", "title": "Do's and don'ts"},
        {"id": "facebook", "title": "Your Facebook page"},
        {"id": "accounts", "title": "Accounts and policy"},
    ]


def test_model_json_real_flags_may_not_apply() -> None:
    if not DEFAULT_MODEL_PATH.exists():
        pytest.skip(REAL_MODEL_MISSING)
    data = json.loads(run("model", "--json").stdout)
    flagged = {item["id"] for item in data["items"] if item["section"] == "maturity" and item["may_not_apply"]}
    assert {"community.fly.2", "innovation.fly.2", "policy.run.4", "conversation.run.2"} <= flagged
    assert all(isinstance(item["may_not_apply"], bool) for item in data["items"] if item["section"] == "maturity")


def test_score_takes_na_for_a_statement_that_may_not_apply(synthetic_model_path: Path, tmp_path: Path) -> None:
    """c.run.2 answered "na" leaves the content run cell: c.run.1 alone decides it."""
    answers = {"c.run.1": "largely", "c.run.2": "na"}
    completed = run("--model", str(synthetic_model_path), "score", str(answers_file(tmp_path, {"answers": answers})))
    assert completed.returncode == 0, completed.stderr
    data = json.loads(completed.stdout)
    content = data["dimensions"]["content"]
    assert content["coverage"]["run"] == 0.6667  # 2 of 3: one applicable statement
    assert content["not_applicable"] == 1
    assert content["unanswered"] == 4  # c.crawl.1, c.crawl.2, c.walk.1, c.fly.1; c.run.2 is not unanswered
    run_stage = data["stages"][2]
    assert (run_stage["statements"], run_stage["not_applicable"], run_stage["points"]) == (2, 1, 2)


def test_score_refuses_na_for_a_statement_that_always_applies(synthetic_model_path: Path, tmp_path: Path) -> None:
    path = answers_file(tmp_path, {"answers": {"c.run.1": "na"}})
    completed = run("--model", str(synthetic_model_path), "score", str(path))
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert 'answers.c.run.1: "na" (not applicable) is only accepted for statements marked may_not_apply' in (
        completed.stderr
    )
