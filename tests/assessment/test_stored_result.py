"""A stored result reads back as the Result it was, and a model's version is its file's hash;
the archived models load and carry the version their name says."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

import pytest

from assessment import stored_result, version
from assessment.demo import demo_answers
from assessment.loader import load_model
from assessment.model import Mode, Model
from assessment.scoring import normalise_answers, score

PROJECT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("mode", list(Mode))
@pytest.mark.parametrize("which", ["demo", "empty"])
def test_a_stored_result_reads_back_as_the_same_result(
    real_model: Model, synthetic_model: Model, mode: Mode, which: str
) -> None:
    for model in (real_model, synthetic_model):
        answers, errors = normalise_answers(model, demo_answers(model) if which == "demo" else {})
        assert errors == []
        result = score(model, answers, mode)
        back = stored_result.load(stored_result.dump(result))
        assert back == result
        assert back.to_dict() == result.to_dict()


def test_a_stored_result_that_is_not_one_is_refused(synthetic_model: Model) -> None:
    text = stored_result.dump(score(synthetic_model, {}))
    document = json.loads(text)
    del document["result"]["checklist"]
    for broken in ("", "[]", '{"format": 2, "result": {}}', json.dumps(document)):
        with pytest.raises(stored_result.StoredResultError):
            stored_result.load(broken)


def test_a_models_version_is_the_sha256_of_its_file_read_at_load(synthetic_model_path: Path) -> None:
    model = load_model(synthetic_model_path)
    expected = hashlib.sha256(synthetic_model_path.read_bytes()).hexdigest()
    assert model.version == expected
    assert version.model_version(model) == expected
    assert version.file_version(synthetic_model_path) == expected


def test_every_archived_model_loads_and_is_named_by_its_version() -> None:
    archived = sorted(version.ARCHIVE_DIR.glob("*.toml"))
    assert archived, "the model of the release before issue 12 is archived"
    for path in archived:
        full = hashlib.sha256(path.read_bytes()).hexdigest()
        assert path.stem == full[: version.SHORT], f"{path.name} was edited: its bytes are its version"
        assert version.archived_path(full) == path
        assert version.archived_model(full) is not None


def test_the_version_migration_0004_gives_old_rounds_is_archived() -> None:
    path = next((PROJECT / "storage" / "migrations" / "versions").glob("0004_*.py"))
    spec = importlib.util.spec_from_file_location("revision_0004", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert version.archived_path(module.PREVIOUS_MODEL_VERSION) is not None


def test_an_unknown_version_has_no_archive() -> None:
    assert version.archived_path("0" * 64) is None
    assert version.archived_path("not a version") is None
    assert version.archived_model("0" * 64) is None


def test_an_archive_gains_the_keys_the_format_added_since_in_memory_only() -> None:
    import tomllib

    path = sorted(version.ARCHIVE_DIR.glob("*.toml"))[0]
    text = path.read_text(encoding="utf-8")
    grown = version._with_later_keys(text)
    document = tomllib.loads(grown)
    groups = [g["id"] for g in document.get("checklist_groups", [])]
    if "[[checklist_groups]]" in text:
        assert grown == text
    else:
        assert groups == list(dict.fromkeys(item["group"] for item in document["checklist"]))
    assert version._with_later_keys(grown) == grown
    assert hashlib.sha256(path.read_bytes()).hexdigest().startswith(path.stem)
