"""Quiz banks in another language: `quizzes/bank/<lang>/<id>.toml`, an overlay of strings only.

    id = "four-stages"                          # required: the English bank it translates
    title = "..."
    [questions.q01]                             prompt, explanation, title, feedback_true,
                                                feedback_false, feedback_right, feedback_partly,
                                                feedback_wrong, distractors (a list: replaces
                                                the English), accept (see below)
    [questions.q01.options.a]                   text, feedback
    [questions.q03.items.i1]                    text      (ordering)
    [questions.q04.pairs.p1]                    left, right (matching)
    [questions.q01.images."chart.png"]          alt       (by the image's name)

`accept` is written as in the English bank: texts (full credit) or tables {text, weight,
feedback}; it replaces the English answers as a whole, since what a short answer may be differs by
language (`accept = ["Kruipen", "Crawl"]`). Everything else is structural and comes from the
English bank: type, correct, answer, weight, checks, order, statement, stage, variant_of,
case_sensitive, tags, numbers and an image's name, media type and data (see `content.overlay`
for the rules). The feedback of a numerical answer has no id yet and stays English. A bank
without an overlay stays English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from content.files import display_path, read_toml
from content.overlay import (
    MASTER_LANGUAGE,
    Level,
    OverlayLog,
    StringCount,
    Strings,
    count,
    is_master,
    read_strings,
    translated,
)
from content.problems import Problem, ProblemLog
from content.toml_lines import key_lines, line_for
from quizzes.loader import parse_accept
from quizzes.model import Bank, Question, ShortAnswer

LEVEL = Level(
    "bank",
    fields={"title": str},
    keyed={
        "questions": Level(
            "question",
            {
                "prompt": str,
                "explanation": str,
                "title": str,
                "feedback_true": str,
                "feedback_false": str,
                "feedback_right": str,
                "feedback_partly": str,
                "feedback_wrong": str,
                "distractors": list,
            },
            keyed={
                "options": Level("option", {"text": str, "feedback": str}),
                "items": Level("item", {"text": str}),
                "pairs": Level("pair", {"left": str, "right": str}),
                "images": Level("image", {"alt": str}),
            },
        )
    },
)
STRUCTURAL = frozenset(
    {
        "id",
        "lesson",
        "feedback",  # on the bank: "instant" or "end" (an option's feedback is text)
        "pass_percent",
        "category",
        "type",
        "checks",
        "correct",
        "answer",
        "weight",
        "order",
        "statement",
        "stage",
        "variant_of",
        "numbers",
        "value",
        "tolerance",
        "min",
        "max",
        "any_number",
        "case_sensitive",
        "tags",
        "name",
        "media_type",
        "data",
    }
)


@dataclass(frozen=True)
class BankOverlay:
    id: str
    strings: Strings
    file: str
    # The short answers of each question it gives `accept` for, by question id (its texts are in
    # `strings` too, for the count).
    answers: Mapping[str, tuple[ShortAnswer, ...]] = field(default_factory=dict)


def overlay_dir(directory: Path, language: str) -> Path:
    return directory / language


def master(bank: Bank) -> Strings:
    """Every translatable string of an English bank, by overlay key path (empty where the English has none)."""
    strings: Strings = {(): {"title": bank.title}}
    for q in bank.questions:
        key = ("questions", q.id)
        strings[key] = {
            "prompt": q.prompt,
            "explanation": q.explanation,
            "title": q.title,
            "feedback_true": q.feedback_true,
            "feedback_false": q.feedback_false,
            "feedback_right": q.feedback_right,
            "feedback_partly": q.feedback_partly,
            "feedback_wrong": q.feedback_wrong,
            "distractors": q.distractors,
            "accept": tuple(answer.text for answer in q.accept),
        }
        for option in q.options:
            strings[(*key, "options", option.id)] = {"text": option.text, "feedback": option.feedback}
        for image in q.images:
            strings[(*key, "images", image.name)] = {"alt": image.alt}
        for item in q.items:
            strings[(*key, "items", item.id)] = {"text": item.text}
        for pair in q.pairs:
            strings[(*key, "pairs", pair.id)] = {"left": pair.left, "right": pair.right}
    return strings


def read_bank_overlay(path: Path, banks: dict[str, Bank]) -> tuple[BankOverlay | None, list[Problem]]:
    """One overlay file against the English banks by id, or None and why it cannot be used."""
    shown = display_path(path)
    document, text, problems = read_toml(path, shown)
    if document is None:
        return None, problems
    lines = key_lines(text)
    bank_id = document.get("id")
    if not isinstance(bank_id, str) or not bank_id:
        return None, [Problem(shown, 1, "id", "missing the id of the English bank this file translates")]
    english = banks.get(bank_id)
    if english is None:
        return None, [Problem(shown, line_for(lines, "id"), "id", f'no English quiz bank has the id "{bank_id}"')]
    log = OverlayLog(shown, lines)
    body = {key: value for key, value in document.items() if key != "id"}
    body, answers = _take_answers(body, english, shown, lines, log)
    strings = read_strings(body, LEVEL, master(english), log, STRUCTURAL)
    for question_id, accepted in answers.items():
        strings.setdefault(("questions", question_id), {})["accept"] = tuple(answer.text for answer in accepted)
    for question in english.questions:
        if question.type != "matching":
            continue
        mine = _question(question, strings)
        if _right_groups(question) != _right_groups(mine):
            log.add(
                ("questions", question.id, "pairs"),
                "the right sides must repeat where the English ones repeat and differ where they differ: "
                "a matching answer is graded by the right side's text",
            )
        rights = {pair.right for pair in mine.pairs}
        clashing = [d for d in mine.distractors if d in rights]
        if clashing or len(set(mine.distractors)) < len(mine.distractors):
            log.add(
                ("questions", question.id, "distractors"),
                "each distractor must differ from the others and from every right side: "
                "a matching answer is graded by the right side's text",
            )
    return BankOverlay(bank_id, strings, shown, answers), log.problems


def _take_answers(
    body: dict[str, Any], english: Bank, shown: str, lines: Mapping[str, int], log: OverlayLog
) -> tuple[dict[str, Any], dict[str, tuple[ShortAnswer, ...]]]:
    """The overlay without its `accept` lists, and those lists read as the loader reads them."""
    questions = body.get("questions")
    if not isinstance(questions, dict):
        return body, {}
    known = {question.id: question for question in english.questions}
    answers: dict[str, tuple[ShortAnswer, ...]] = {}
    rest: dict[str, Any] = {}
    for question_id, table in questions.items():
        if not (isinstance(table, dict) and "accept" in table and question_id in known):
            rest[question_id] = table  # read_strings names whatever is wrong with it
            continue
        rest[question_id] = {key: value for key, value in table.items() if key != "accept"}
        key = ("questions", question_id, "accept")
        if not known[question_id].accept:
            log.add(key, "the English has no accept here, so there is nothing to translate")
        elif not isinstance(table["accept"], list) or not table["accept"]:
            log.add(key, "expected a list of accepted answers (texts, or tables {text, weight, feedback})")
        else:
            found = ProblemLog(shown, dict(lines))
            accepted = parse_accept(table["accept"], ".".join(key), found)
            log.problems += found.problems
            if not found.problems:
                answers[question_id] = tuple(accepted)
    return {**body, "questions": rest}, answers


def _right_groups(question: Question) -> frozenset[frozenset[str]]:
    """The pairs of a matching question grouped by equal right side (grading compares the texts)."""
    groups: dict[str, set[str]] = {}
    for pair in question.pairs:
        groups.setdefault(pair.right, set()).add(pair.id)
    return frozenset(frozenset(ids) for ids in groups.values())


def read_overlays(
    banks: tuple[Bank, ...], directory: Path, language: str
) -> tuple[dict[str, BankOverlay], list[Problem]]:
    """The usable overlays of `language` by bank id, and every problem (a file with one costs only itself)."""
    by_id = {bank.id: bank for bank in banks}
    found: dict[str, BankOverlay] = {}
    problems: list[Problem] = []
    folder = overlay_dir(directory, language)
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        overlay, file_problems = read_bank_overlay(path, by_id)
        problems += file_problems
        if overlay is None or file_problems:
            continue
        if overlay.id in found:
            message = f'bank "{overlay.id}" is translated twice (also in {found[overlay.id].file})'
            problems.append(Problem(overlay.file, 1, "id", message))
            continue
        found[overlay.id] = overlay
    return found, problems


def _question(q: Question, strings: Strings, answers: Mapping[str, tuple[ShortAnswer, ...]] | None = None) -> Question:
    key = ("questions", q.id)
    texts = {name: value for name, value in translated(strings, key).items() if name != "accept"}
    return replace(
        q,
        **texts,
        accept=(answers or {}).get(q.id, q.accept),
        options=tuple(replace(o, **translated(strings, (*key, "options", o.id))) for o in q.options),
        items=tuple(replace(i, **translated(strings, (*key, "items", i.id))) for i in q.items),
        pairs=tuple(replace(p, **translated(strings, (*key, "pairs", p.id))) for p in q.pairs),
        images=tuple(replace(i, **translated(strings, (*key, "images", i.name))) for i in q.images),
    )


def apply(bank: Bank, overlay: BankOverlay | None) -> Bank:
    """The bank with the overlay's strings, English wherever it gives none; ids, keys and order unchanged."""
    if overlay is None:
        return bank
    changes: dict[str, Any] = translated(overlay.strings, ())
    return replace(
        bank, **changes, questions=tuple(_question(q, overlay.strings, overlay.answers) for q in bank.questions)
    )


def translate_banks(
    banks: tuple[Bank, ...], directory: Path, language: str | None
) -> tuple[tuple[Bank, ...], list[Problem]]:
    """The banks in `language` (English where no overlay says otherwise) and the overlays' problems."""
    if is_master(language) or not overlay_dir(directory, str(language)).is_dir():
        return banks, []
    overlays, problems = read_overlays(banks, directory, str(language))
    return tuple(apply(bank, overlays.get(bank.id)) for bank in banks), problems


def check_overlays(banks: tuple[Bank, ...], directory: Path, language: str) -> tuple[StringCount, list[Problem]]:
    """How many of the banks' strings `language` translates, and the overlays' problems."""
    overlays, problems = read_overlays(banks, directory, language) if language != MASTER_LANGUAGE else ({}, [])
    total = StringCount()
    for bank in banks:
        overlay = overlays.get(bank.id)
        file = display_path(overlay_dir(directory, language) / f"{bank.id}.toml")
        total += count(master(bank), overlay.strings if overlay else {}, file)
    return total, problems
