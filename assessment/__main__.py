"""Command line for trainers and scripts.

    python -m assessment check            validate the model file (exit 1 with the messages); lessons,
                                          quiz banks and their coverage: python -m learning check;
                                          --language nl: that overlay only (default: all found)
    python -m assessment model --json     the model as JSON
    python -m assessment score FILE       score a JSON answers file ("-" reads standard input), or a
                                          results page's JSON download, which it scores afresh; "na"
                                          (not applicable) is taken for statements marked may_not_apply

The model file is `--model`, else `SMM_MODEL_PATH`, else the bundled one: the file the site
would use. Exit codes: 0 success, 1 content problems, 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from assessment.check import check_model_file
from assessment.loader import load_model, model_path
from assessment.model import Mode, Model
from assessment.overlay import check_languages
from assessment.scoring import normalise_answers, score
from content.overlay import language_argument
from content.problems import ContentError
from content.report import EXIT_CONTENT, report_problems

EXIT_INPUT = 2
INPUT_KEYS = ("mode", "answers")
# The results page's JSON download carries these beside mode and answers; they are read past, and
# the scores are worked out again, so a download can be checked against the rules as it stands.
DOWNLOAD_KEYS = ("organisation", "round", "completed_at", "shown", "scores")


def model_as_dict(model: Model) -> dict[str, Any]:
    """Everything a script needs to build an answers file."""
    items: list[dict[str, Any]] = []
    for dimension in model.dimensions:
        for statement in dimension.statements:
            items.append(
                {
                    "id": statement.id,
                    "section": "maturity",
                    "dimension": dimension.id,
                    "stage": statement.stage,
                    "tee": None,
                    "reverse_keyed": False,
                    "kind": None,
                    "quick": statement.quick,
                    "may_not_apply": statement.may_not_apply,
                    "text": statement.text,
                    "help": statement.help,
                    "values": list(statement.values()),
                }
            )
    for tee in model.tees:
        for tee_statement in tee.statements:
            items.append(
                {
                    "id": tee_statement.id,
                    "section": "tee",
                    "dimension": None,
                    "stage": None,
                    "tee": tee.id,
                    "reverse_keyed": tee_statement.reverse,
                    "kind": None,
                    "quick": tee_statement.quick,
                    "text": tee_statement.text,
                    "help": tee_statement.help,
                    "values": [1, 2, 3, 4, 5, "dont_know"],
                }
            )
    for item in model.checklist:
        items.append(
            {
                "id": item.id,
                "section": "checklist",
                "dimension": None,
                "stage": None,
                "tee": None,
                "reverse_keyed": False,
                "kind": item.kind,
                "group": item.group,
                "source": item.source,
                "quick": True,
                "text": item.text,
                "help": item.help,
                "values": ["yes", "partly", "no", "na"],
            }
        )
    return {
        "title": model.title,
        "stages": [
            {"id": s.id, "name": s.name, "tagline": s.tagline, "description": s.description, "next_step": s.next_step}
            for s in model.stages
        ],
        "dimensions": [{"id": d.id, "name": d.name, "description": d.description} for d in model.dimensions],
        "tees": [{"id": t.id, "name": t.name, "description": t.description} for t in model.tees],
        "checklist_groups": [{"id": g.id, "title": g.title} for g in model.checklist_groups],
        "estimated_minutes": {m.value: model.estimated_minutes(m) for m in Mode},
        "items": items,
    }


# The assessment package sits below lessons, quizzes and learning and imports none of them, so its
# CLI checks the model alone and names the command that checks the rest.
COURSE_CHECK_HINT = "Lessons, quiz banks and their coverage of the model: python -m learning check"


def _check(path: Path, languages: list[str] | None = None) -> int:
    model = check_model_file(path, sys.stdout, sys.stderr)
    if model is None:
        return EXIT_CONTENT
    overlay_problems = check_languages(model, path, languages, sys.stdout)
    if overlay_problems:
        return report_problems(overlay_problems, sys.stderr)
    print(COURSE_CHECK_HINT)
    return 0


def _read_answers_file(name: str) -> dict[str, Any]:
    """Read and shape-check the answers file; raise ValueError with a readable message."""
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"{name}: file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"{name}: cannot read the file: {error}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{name}:{error.lineno}: not valid JSON: {error.msg} (column {error.colno})") from None
    except RecursionError:
        raise ValueError(f"{name}: not valid JSON: nested too deeply") from None
    except ValueError as error:  # e.g. a number longer than Python's limit on integer digits
        raise ValueError(f"{name}: not valid JSON: {error}") from None
    if not isinstance(document, dict):
        raise ValueError(f'{name}: expected a JSON object with "answers", got {type(document).__name__}')
    unknown = sorted(set(document) - {*INPUT_KEYS, *DOWNLOAD_KEYS})
    if unknown:
        raise ValueError(
            f'{name}: unknown key(s) {", ".join(unknown)} (expected "mode" and "answers", '
            f"or a results download with {', '.join(DOWNLOAD_KEYS)} as well)"
        )
    if not isinstance(document.get("answers"), dict):
        raise ValueError(f'{name}: "answers" must be an object mapping item ids to values')
    return document


def _score(path: Path, answers_file: str) -> int:
    try:
        model = load_model(path)
    except ContentError as error:
        print(error, file=sys.stderr)
        return EXIT_CONTENT
    try:
        document = _read_answers_file(answers_file)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT
    mode_name = document.get("mode", "full")
    if mode_name not in ("full", "quick"):
        print(f'error: {answers_file}: "mode" must be "full" or "quick", got {mode_name!r}', file=sys.stderr)
        return EXIT_INPUT
    answers, errors = normalise_answers(model, document["answers"])
    if errors:
        for message in errors:
            print(f"error: {answers_file}: answers.{message}", file=sys.stderr)
        return EXIT_INPUT
    result = score(model, answers, Mode(mode_name))
    print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assessment", description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, help="model file (default: SMM_MODEL_PATH, else the bundled one)")
    commands = parser.add_subparsers(dest="command", required=True)
    check_command = commands.add_parser("check", help="validate the model file; exit 1 with the messages")
    # Accepted so that scripts written when `check` also read the lessons keep working.
    check_command.add_argument("--model-only", action="store_true", help=argparse.SUPPRESS)
    check_command.add_argument(
        "--language", type=language_argument, help="check this language's overlay only (default: every one found)"
    )
    model_command = commands.add_parser("model", help="print the model")
    model_command.add_argument("--json", action="store_true", required=True, help="as JSON")
    score_command = commands.add_parser("score", help="score a JSON answers file")
    score_command.add_argument("file", help='{"mode": "full"|"quick", "answers": {...}}; "-" for stdin')
    args = parser.parse_args(argv)
    path: Path = args.model or model_path()

    if args.command == "check":
        return _check(path, [args.language] if args.language else None)
    if args.command == "model":
        try:
            model = load_model(path)
        except ContentError as error:
            print(error, file=sys.stderr)
            return EXIT_CONTENT
        print(json.dumps(model_as_dict(model), indent=2, ensure_ascii=False))
        return 0
    return _score(path, args.file)


if __name__ == "__main__":
    sys.exit(main())
