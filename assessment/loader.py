"""Read the maturity model from TOML and check it thoroughly.

`load_model()` returns a `Model` or raises `ContentError` listing every problem,
each as `file:line: key.path: what is wrong`. The site shows those messages on
an error page; `python -m assessment check` prints them.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from assessment.model import (
    STAGE_IDS,
    TEE_IDS,
    ChecklistGroup,
    ChecklistItem,
    Dimension,
    MaturityStatement,
    Model,
    Stage,
    Tee,
    TeeStatement,
    Timing,
)
from assessment.overlay import translate_model
from content.files import display_path, read_toml
from content.ids import MODEL_ID
from content.problems import ContentError, Field, Problem, ProblemLog
from content.toml_lines import key_lines

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "model.toml"
SCHEMA_VERSION = 1

_TOP = (
    Field("schema_version", int),
    Field("meta", dict),
    Field("timing", dict),
    Field("stages", list),
    Field("dimensions", list),
    Field("tees", list),
    Field("checklist_groups", list),
    Field("checklist", list),
)
_META = (Field("title", str), Field("intro", str))
_TIMING = (
    Field("seconds_per_maturity", int),
    Field("seconds_per_tee", int),
    Field("seconds_per_checklist", int),
)
_STAGE = (
    Field("id", str),
    Field("name", str),
    Field("tagline", str),
    Field("description", str),
    Field("next_step", str),
)
_DIMENSION = (Field("id", str), Field("name", str), Field("description", str), Field("statements", list))
_MATURITY_STATEMENT = (
    Field("id", str),
    Field("stage", str),
    Field("text", str),
    Field("help", str),
    Field("quick", bool, required=False),
    Field("may_not_apply", bool, required=False),
)
_TEE = (Field("id", str), Field("name", str), Field("description", str), Field("statements", list))
_TEE_STATEMENT = (
    Field("id", str),
    Field("text", str),
    Field("help", str),
    Field("reverse", bool, required=False),
    Field("quick", bool, required=False),
)
_CHECKLIST_GROUP = (Field("id", str), Field("title", str))
_CHECKLIST_ITEM = (
    Field("id", str),
    Field("kind", str),
    Field("group", str),
    Field("source", str),
    Field("text", str),
    Field("help", str),
)


def model_path() -> Path:
    """The model file: `SMM_MODEL_PATH` when set (tests, trainers trying a draft), else the bundled one."""
    configured = os.environ.get("SMM_MODEL_PATH", "").strip()
    return Path(configured) if configured else DEFAULT_MODEL_PATH


def load_model(path: Path = DEFAULT_MODEL_PATH, language: str | None = None) -> Model:
    """The model; in `language` when an overlay `model.<language>.toml` sits beside it (assessment.overlay)."""
    model, problems = check_model(path)
    if problems or model is None:
        raise ContentError(problems)
    return translate_model(model, path, language)


def check_model(path: Path = DEFAULT_MODEL_PATH) -> tuple[Model | None, list[Problem]]:
    """Parse and validate; return the model (if usable) and every problem found."""
    shown = display_path(path)
    document, text, problems = read_toml(path, shown)
    if document is None:
        return None, problems
    log = ProblemLog(shown, key_lines(text))
    model = _build(document, log, file_version(path))
    return (model if not log.problems else None), log.problems


def file_version(path: Path) -> str:
    """The version of a model file: the SHA-256 of its bytes, 64 hex digits (assessment.version)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _build(document: dict[str, Any], log: ProblemLog, version: str) -> Model | None:
    top = log.read_table(document, "", _TOP)
    if top is not None and top["schema_version"] != SCHEMA_VERSION:
        log.add("schema_version", f"expected {SCHEMA_VERSION}, got {top['schema_version']}")
    meta = log.read_table(document.get("meta", {}), "meta", _META)
    timing = log.read_table(document.get("timing", {}), "timing", _TIMING)
    seen_ids: dict[str, str] = {}
    stages = _stages(log.present_list(document, "stages"), log)
    dimensions = _dimensions(log.present_list(document, "dimensions"), log, seen_ids)
    tees = _tees(log.present_list(document, "tees"), log, seen_ids)
    groups = _checklist_groups(log.present_list(document, "checklist_groups"), log, seen_ids)
    checklist = _checklist(log.present_list(document, "checklist"), log, seen_ids, groups)
    if log.problems or meta is None or timing is None:
        return None
    return Model(
        title=meta["title"],
        intro=meta["intro"],
        timing=Timing(**timing),
        stages=stages,
        dimensions=dimensions,
        tees=tees,
        checklist=checklist,
        checklist_groups=groups,
        file=log.file,
        lines=log.lines,
        version=version,
    )


def _claim_id(item_id: str, path: str, log: ProblemLog, seen_ids: dict[str, str]) -> None:
    id_problem = MODEL_ID.problem(item_id)
    if id_problem:
        log.add(f"{path}.id", id_problem)
    if item_id in seen_ids:
        log.add(f"{path}.id", f'duplicate id "{item_id}" (first used at {seen_ids[item_id]})')
    else:
        seen_ids[item_id] = path


def _stages(raw: list[Any] | None, log: ProblemLog) -> tuple[Stage, ...]:
    stages = []
    for index, table in enumerate(raw or []):
        values = log.read_table(table, f"stages[{index}]", _STAGE)
        if values is not None:
            stages.append(Stage(**values))
    found = [s.id for s in stages]
    if found and found != list(STAGE_IDS):
        for index, stage in enumerate(stages):
            if stage.id not in STAGE_IDS:
                log.add(f"stages[{index}].id", f'expected one of {", ".join(STAGE_IDS)}, got "{stage.id}"')
        if all(s in STAGE_IDS for s in found):
            log.add(
                "stages", f"expected the stages {', '.join(STAGE_IDS)} once each in that order, got {', '.join(found)}"
            )
    elif raw == []:
        log.add("stages", "no stages defined")
    return tuple(stages)


def _dimensions(raw: list[Any] | None, log: ProblemLog, seen_ids: dict[str, str]) -> tuple[Dimension, ...]:
    dimensions = []
    if raw == []:
        log.add("dimensions", "no dimensions defined")
    for index, table in enumerate(raw or []):
        path = f"dimensions[{index}]"
        values = log.read_table(table, path, _DIMENSION)
        if values is None:
            continue
        _claim_id(values["id"], path, log, seen_ids)
        statements = []
        for position, raw_statement in enumerate(values["statements"]):
            statement_path = f"{path}.statements[{position}]"
            statement = log.read_table(raw_statement, statement_path, _MATURITY_STATEMENT)
            if statement is None:
                continue
            _claim_id(statement["id"], statement_path, log, seen_ids)
            if statement["stage"] not in STAGE_IDS:
                log.add(
                    f"{statement_path}.stage",
                    f'expected one of {", ".join(STAGE_IDS)}, got "{statement["stage"]}"',
                )
                continue
            statements.append(MaturityStatement(dimension=values["id"], **statement))
        for stage in STAGE_IDS:
            cell = [s for s in statements if s.stage == stage]
            if not cell:
                log.add(path, f'dimension "{values["id"]}" has no statement for stage "{stage}"')
            elif sum(s.quick for s in cell) != 1:
                log.add(
                    path,
                    f'dimension "{values["id"]}" at stage "{stage}" needs exactly one statement '
                    f"with quick = true for the quick scan, has {sum(s.quick for s in cell)}",
                )
        if statements and all(s.may_not_apply for s in statements if s.quick):
            # Not-applicable answers leave a cell out of the dimension score; one quick statement that
            # always applies keeps every dimension scorable in both modes.
            log.add(
                path,
                f'dimension "{values["id"]}" needs at least one statement with quick = true '
                "that is not marked may_not_apply",
            )
        dimensions.append(Dimension(values["id"], values["name"], values["description"], tuple(statements)))
    return tuple(dimensions)


def _tees(raw: list[Any] | None, log: ProblemLog, seen_ids: dict[str, str]) -> tuple[Tee, ...]:
    tees = []
    for index, table in enumerate(raw or []):
        path = f"tees[{index}]"
        values = log.read_table(table, path, _TEE)
        if values is None:
            continue
        if values["id"] not in TEE_IDS:
            log.add(f"{path}.id", f'expected one of {", ".join(TEE_IDS)}, got "{values["id"]}"')
        _claim_id(values["id"], path, log, seen_ids)
        statements = []
        for position, raw_statement in enumerate(values["statements"]):
            statement_path = f"{path}.statements[{position}]"
            statement = log.read_table(raw_statement, statement_path, _TEE_STATEMENT)
            if statement is None:
                continue
            _claim_id(statement["id"], statement_path, log, seen_ids)
            statements.append(TeeStatement(tee=values["id"], **statement))
        if not statements:
            log.add(path, f'T "{values["id"]}" has no statements')
        elif sum(s.quick for s in statements) != 1:
            log.add(path, f'T "{values["id"]}" needs exactly one statement with quick = true')
        tees.append(Tee(values["id"], values["name"], values["description"], tuple(statements)))
    found = [t.id for t in tees]
    if raw is not None and len(tees) == len(raw) and sorted(found) != sorted(TEE_IDS):
        log.add("tees", f"expected the four T's {', '.join(TEE_IDS)} once each, got {', '.join(found) or 'none'}")
    return tuple(tees)


def _checklist_groups(raw: list[Any] | None, log: ProblemLog, seen_ids: dict[str, str]) -> tuple[ChecklistGroup, ...]:
    groups = []
    if raw == []:
        log.add("checklist_groups", "no checklist groups defined")
    for index, table in enumerate(raw or []):
        path = f"checklist_groups[{index}]"
        values = log.read_table(table, path, _CHECKLIST_GROUP)
        if values is None:
            continue
        _claim_id(values["id"], path, log, seen_ids)
        groups.append(ChecklistGroup(**values))
    return tuple(groups)


def _checklist(
    raw: list[Any] | None, log: ProblemLog, seen_ids: dict[str, str], groups: tuple[ChecklistGroup, ...]
) -> tuple[ChecklistItem, ...]:
    group_ids = [g.id for g in groups]
    items = []
    if raw == []:
        log.add("checklist", "no checklist items defined")
    for index, table in enumerate(raw or []):
        path = f"checklist[{index}]"
        values = log.read_table(table, path, _CHECKLIST_ITEM)
        if values is None:
            continue
        _claim_id(values["id"], path, log, seen_ids)
        usable = True
        if values["kind"] not in ("do", "dont"):
            log.add(f"{path}.kind", f'expected "do" or "dont", got "{values["kind"]}"')
            usable = False
        if values["group"] not in group_ids:
            known = ", ".join(group_ids) or "none defined"
            log.add(f"{path}.group", f'expected a group of [[checklist_groups]] ({known}), got "{values["group"]}"')
            usable = False
        if usable:
            items.append(ChecklistItem(**values))
    return tuple(items)
