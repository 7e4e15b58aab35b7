"""Lesson directives: fenced blocks the renderer fills in from the assessment model.

A lesson never writes by hand which practice sits at which stage; it names what to show and the
model supplies it, so lessons, quizzes and the assessment cannot disagree:

    ```ladder
    dimension = "conversation"
    ```

is a table "Stage | In place at this stage" with the model's statements of that dimension at each
stage, and

    ```stages
    ```

the four stages themselves (name, tagline, description). The body of a block is TOML. A block that
cannot be expanded (bad TOML, an unknown key or dimension) is a problem for `python -m learning
check` and, on the page, a short note in its place instead of an error.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from assessment.model import Model
from content.files import parse_toml

KINDS = ("ladder", "stages")
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)\s*$")
_CLOSING = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*$")


@dataclass(frozen=True)
class Directive:
    kind: str  # "ladder" or "stages"
    start: int  # index of the opening fence's line in the text (0-based)
    end: int  # index of the line after the closing fence
    body: str
    dimension: str = ""  # ladder: the dimension id it names, when it names one
    problem: str = ""  # what is wrong with the block itself, "" when nothing is


@dataclass(frozen=True)
class DirectiveLabels:
    """The words a directive adds to the page, in the visitor's language (the view translates them)."""

    stage: str = "Stage"
    in_place: str = "In place at this stage"
    tagline: str = "In short"
    description: str = "What it means"
    may_not_apply: str = "(may not apply)"
    none_at_stage: str = "–"
    not_shown: str = "This part of the lesson cannot be shown: its source file has a mistake here."


def find_directives(text: str) -> list[Directive]:
    """Every ```ladder and ```stages block of a lesson's Markdown, outside other fenced code blocks."""
    lines = text.splitlines()
    found: list[Directive] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        marker, info = opening.group(2), opening.group(3)
        close = _closing(lines, index, marker)
        end = len(lines) if close is None else close + 1
        if info in KINDS:
            body = "\n".join(lines[index + 1 : close if close is not None else len(lines)])
            problem = "the block is not closed: end it with a line of " + marker if close is None else ""
            found.append(_parsed(Directive(info, index, end, body, problem=problem)))
        index = end
    return found


def _closing(lines: list[str], opening: int, marker: str) -> int | None:
    """The index of the line that closes the fence opened at `opening` with `marker`, None if none does."""
    for after in range(opening + 1, len(lines)):
        found = _CLOSING.match(lines[after])
        if found and found.group(1)[0] == marker[0] and len(found.group(1)) >= len(marker):
            return after
    return None


def prose_lines(text: str) -> list[tuple[int, str]]:
    """(index, line) of every line of `text` outside fenced blocks (directives and code)."""
    lines = text.splitlines()
    inside: set[int] = set()
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        marker = opening.group(2)
        close = _closing(lines, index, marker)
        last = len(lines) - 1 if close is None else close
        inside.update(range(index, last + 1))
        index = last + 1
    return [(number, line) for number, line in enumerate(lines) if number not in inside]


def _parsed(directive: Directive) -> Directive:
    if directive.problem:
        return directive
    table, problems = parse_toml(directive.body, "", what=f"the {directive.kind} block is not valid TOML")
    if table is None:
        return _with(directive, problem="; ".join(p.message for p in problems))
    if directive.kind == "stages":
        if table:
            return _with(directive, problem="a stages block takes no keys: leave it empty")
        return directive
    unknown = sorted(set(table) - {"dimension"})
    if unknown:
        return _with(directive, problem=f"unknown key '{unknown[0]}' in a ladder block (expected: dimension)")
    dimension = table.get("dimension")
    if not isinstance(dimension, str) or not dimension.strip():
        return _with(directive, problem='a ladder block needs dimension = "<dimension id of the model>"')
    return _with(directive, dimension=dimension)


def _with(directive: Directive, *, problem: str = "", dimension: str = "") -> Directive:
    return Directive(directive.kind, directive.start, directive.end, directive.body, dimension, problem)


def directive_problem(directive: Directive, model: Model) -> str:
    """What keeps this block from being expanded from `model`, "" when nothing does."""
    if directive.problem:
        return directive.problem
    if directive.kind == "ladder" and directive.dimension not in {d.id for d in model.dimensions}:
        known = ", ".join(d.id for d in model.dimensions)
        return f'no dimension "{directive.dimension}" in the assessment model (known: {known})'
    return ""


def directive_html(directive: Directive, model: Model | None, labels: DirectiveLabels) -> str:
    """The block as HTML built from the model (sanitised with the rest of the lesson), or the note."""
    if model is None or directive_problem(directive, model):
        return f'<p class="directive-problem"><em>{_text(labels.not_shown)}</em></p>'
    if directive.kind == "stages":
        rows = "".join(
            f"<tr><td><strong>{_text(s.name)}</strong></td><td>{_text(s.tagline)}</td>"
            f"<td>{_text(s.description)}</td></tr>"
            for s in model.stages
        )
        head = f"<th>{_text(labels.stage)}</th><th>{_text(labels.tagline)}</th><th>{_text(labels.description)}</th>"
        return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    dimension = model.dimension(directive.dimension)
    rows = ""
    for stage in model.stages:
        statements = dimension.cell(stage.id)
        entries = [
            _text(s.text) + (f" <em>{_text(labels.may_not_apply)}</em>" if s.may_not_apply else "") for s in statements
        ]
        cell = "<ul>" + "".join(f"<li>{e}</li>" for e in entries) + "</ul>" if entries else _text(labels.none_at_stage)
        rows += f"<tr><td><strong>{_text(stage.name)}</strong></td><td>{cell}</td></tr>"
    head = f"<th>{_text(labels.stage)}</th><th>{_text(labels.in_place)}</th>"
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _text(text: str) -> str:
    return html.escape(text, quote=False)
