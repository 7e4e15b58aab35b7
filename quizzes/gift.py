"""Moodle GIFT import and export for quiz banks. Pure functions, no I/O.

Import follows Moodle's own reader (question/format/gift/format.php) so that a
file means here what it means in Moodle:

- questions are separated by blank lines; lines starting with ``//`` are comments;
- ``::Title::`` names a question; ``[html]``, ``[markdown]``, ``[plain]`` and
  ``[moodle]`` at the start of a text give its format. HTML is reduced to text
  (the site never renders quiz HTML): ``<br>`` and block ends become line breaks,
  a ``<pre>`` block becomes a block fenced by ``` lines with its lines and spaces
  kept, and a note says what was left out, such as scripts and images, and which
  tags in a ``[moodle]`` or ``[markdown]`` text, where Moodle would render them,
  are shown as typed. The line breaks of other texts are kept;
- the answer block ``{...}`` decides the type: ``{}`` essay, ``{#...}`` numerical,
  any ``~`` multiple choice (single with ``=``, multiple answers with ``~%n%``
  weights and no ``=``), ``=a -> b`` matching (``= -> c``: an extra right-hand
  answer, a distractor), ``T``/``TRUE``/``F``/``FALSE`` true/false, anything else
  short answer; text after the block makes it a "missing word" question, shown
  with ``_____`` where the block was;
- ``%n%`` after ``=`` gives a short answer or a number partial credit; ``#`` starts
  answer feedback, ``####`` the general feedback (the explanation); a short answer
  ``*`` matches anything (a catch-all), and ``*`` inside one any run of characters;
  a number ``*``, or ``~#feedback`` after the numbers, is the catch-all number that
  carries the feedback for any other number;
- ``\\~ \\= \\# \\{ \\} \\:`` and ``\\\\`` are literal characters, ``\\n`` a new line;
- ``$CATEGORY: path`` sets the category (the last one is the bank's);
- in the comment lines of a question, ``[id:...]`` gives the question id (Moodle's
  ID number) and ``[tag:...]`` a free tag, as in Moodle; the site's own keys are
  tags too: ``[tag:check:...]`` one of its ``checks``, ``[tag:statement:...]``,
  ``[tag:stage:...]`` and ``[tag:variant_of:...]`` its question-level stage
  placement and variant keys.

GIFT cannot carry some of what a bank holds; export leaves it out with a warning
per question: an option's, pair's or item's ``statement``/``stage``, case-sensitive
short answers (Moodle reads GIFT answers without case), images and combined
feedback. An ordering question is written as a matching of its items to their
positions 1, 2, ... with a comment; Moodle's own ordering type needs Moodle XML.

What the site cannot ask (essays, descriptions) and what is broken (an unclosed
brace, no right answer, a number that is not one) is skipped and reported with
its line; the rest of the file is still read. What is read with a loss (partial
credit in a single choice, a negative short-answer credit) is imported and
reported as a warning. Every such message, and every export warning, is in the
language of the visit (i18n); the comments written into a GIFT file are English.
"""

from __future__ import annotations

import dataclasses
import html
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import nh3

from content.ids import QUIZ_ID
from quizzes.importing import QuizExport, QuizImport, option_ids, site_weights, unique_id
from quizzes.model import Bank, NumericAnswer, Option, Pair, Question, ShortAnswer

BLANK = "_____"
_FORMAT = re.compile(r"\[(moodle|html|plain|markdown)\]")
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_WEIGHT = re.compile(r"%(-?\d+(?:\.\d*)?)%")
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_ID_TOKEN = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f])+)\]")
# Moodle's tag token: no control characters, < > or backquote; "\]" is a literal "]".
_TAG_TOKEN = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f])+)\]")
_NOT_IN_TAG = re.compile(r"[<>`\x00-\x1f\x7f]")
CHECK_TAG = "check:"
# Question keys carried as Moodle tags, "[tag:<key>:<value>]"; the last one of each key counts.
KEY_TAGS = ("statement", "stage", "variant_of")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}

# Escaped control characters become private-use placeholders while the structure is read.
_ESCAPES = {"\\": "\ue000", "~": "\ue001", "=": "\ue002", "#": "\ue003", "{": "\ue004", "}": "\ue005", ":": "\ue006"}
_NEWLINE = "\ue007"
_RESTORE = str.maketrans({**{v: k for k, v in _ESCAPES.items()}, _NEWLINE: "\n"})


# Messages are translated when they are made, into the visit's language. i18n is imported then and
# not with this module: the use cases import the readers, and never translate at import time.
def _(message: str) -> str:
    from i18n import _ as translate

    return translate(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    from i18n import ngettext as translate

    return translate(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a message for extraction; it is translated with _() where it is shown."""
    return message


def format_number(value: int) -> str:
    """A whole number with the visit's digit grouping: 100,000 (en), 100.000 (nl)."""
    from i18n import format_decimal

    return format_decimal(value)


# The GIFT reader's and writer's results are the shared import and export results.
GiftImport = QuizImport
GiftExport = QuizExport


class _Skip(Exception):
    """This question cannot be imported; the message says why."""


# ---------------------------------------------------------------------------------------------- import


def parse_gift(text: str, source: str = "<gift>") -> GiftImport:
    """Read GIFT text. Never raises for bad content: problems end up in `skipped` and `warnings`."""
    result = GiftImport(source=source)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    used: set[str] = set()
    for block in _blocks(text):
        # Lines are kept as written: the spaces at the start of a line matter inside an HTML <pre>.
        content = [(n, line) for n, line in block if not line.strip().startswith("//")]
        comments = [line.strip() for _, line in block if line.strip().startswith("//")]
        if content and content[0][1].strip().startswith("$CATEGORY:"):
            name = _restore(_protect(content[0][1].strip()[len("$CATEGORY:") :])).strip()
            if name:
                result.categories.append(name)
            content = content[1:]
        if not content:
            continue
        line = content[0][0]
        notes: list[str] = []
        try:
            question = _question("\n".join(t for _, t in content), comments, used, len(result.questions) + 1, notes)
        except _Skip as reason:
            result.skipped.append((line, str(reason)))  # notes on a skipped question would only be noise
        else:
            used.add(question.id)
            result.questions.append(question)
            result.warnings.extend((line, note) for note in notes)
    return result


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """Lines grouped into questions: a blank (or white) line ends a question."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            current.append((number, line))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _protect(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair == "\\n":
            out.append(_NEWLINE)
            i += 2
        elif len(pair) == 2 and pair[0] == "\\" and pair[1] in _ESCAPES:
            out.append(_ESCAPES[pair[1]])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _restore(text: str) -> str:
    return text.translate(_RESTORE)


def _label(text: str) -> str:
    plain = " ".join(_restore(text).split())
    return f'"{plain[:50]}…"' if len(plain) > 50 else f'"{plain}"'


def _question(raw: str, comments: list[str], used: set[str], number: int, notes: list[str]) -> Question:
    text = _protect(raw).strip()
    title = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise _Skip(_("the title is not closed with '::': {question}").format(question=_label(text)))
        title = " ".join(_restore(text[2:end]).split())
        text = text[end + 2 :].strip()
    label = f'"{title}"' if title else _label(text)

    start, end = text.find("{"), text.find("}")
    if start < 0 and end < 0:
        raise _Skip(
            _("description (text without an answer block {{...}}) is not a question: {question}").format(question=label)
        )
    if start < 0:
        raise _Skip(_("'}}' without '{{' (write a literal brace as \\}}): {question}").format(question=label))
    if end < 0:
        raise _Skip(_("unclosed brace: '{{' without '}}': {question}").format(question=label))
    if end < start:
        raise _Skip(_("'}}' comes before '{{' (write a literal brace as \\}}): {question}").format(question=label))
    answer = text[start + 1 : end]
    before, after = text[:start], text[end + 1 :]
    if "{" in answer:
        raise _Skip(
            _("'{{' inside the answer block (write a literal brace as \\{{): {question}").format(question=label)
        )
    if "{" in after or "}" in after:
        raise _Skip(_("more than one answer block, or an unescaped brace after it: {question}").format(question=label))
    prompt_raw = before + after if not after else before + BLANK + after

    answer = answer.strip()
    general = ""
    separator = answer.rfind("####")
    if separator >= 0:
        general = answer[separator + 4 :]
        answer = answer[:separator].strip()

    seen: list[tuple[str, str]] = []  # HTML kept as text outside [html], or left out of an [html] text
    prompt, fmt = _formatted(prompt_raw, seen=seen)
    explanation = _formatted(general, fmt, seen)[0]
    if not prompt:
        raise _Skip(_("the question has no text: {question}").format(question=label))
    label = f'"{title}"' if title else _label(prompt)
    if not answer:
        raise _Skip(
            _("essay ({{}} with no answers) needs a person to grade it; the site cannot give it: {question}").format(
                question=label
            )
        )

    common: dict[str, Any] = {"prompt": prompt, "explanation": explanation, "title": title}
    if answer.startswith("#"):
        kind, fields = "numerical", _numerical(answer[1:], fmt, label, notes, seen)
    elif "~" in answer:
        kind, fields = _choice(answer, fmt, label, notes, seen)
    elif "=" in answer and "->" in answer:
        kind, fields = "matching", _matching(answer, fmt, label, notes, seen)
    elif answer.split("#", 1)[0].strip() in _TRUE_FALSE:
        kind, fields = "truefalse", _true_false(answer, fmt, seen)
    else:
        kind, fields = "short", _short(answer, fmt, label, notes, seen)
    shown = list(dict.fromkeys(tag for kind_, tag in seen if kind_ == "shown"))
    shown = [tag for tag in shown if not tag.startswith("</")] or shown
    if shown:
        notes.append(
            _(
                "HTML {tags} is shown as typed, not as HTML: the site does not render HTML "
                "(mark the text [html] to import it as plain text): {question}"
            ).format(tags=", ".join(shown[:3]), question=label)
        )
    dropped = list(dict.fromkeys(tag for kind_, tag in seen if kind_ == "dropped"))
    if dropped:
        notes.append(
            _("[html] text read as plain text without its {tags}: {question}").format(
                tags=", ".join(dropped), question=label
            )
        )

    tags = split_tags(_tag_values(comments))
    return Question(
        id=_identity(title, comments, used, number, notes),
        type=kind,
        checks=tags.checks,
        tags=tags.free,
        statement=tags.keys.get("statement", ""),
        stage=tags.keys.get("stage", ""),
        variant_of=tags.keys.get("variant_of", ""),
        **common,
        **fields,
    )


def _formatted(raw: str, default: str = "moodle", seen: list[tuple[str, str]] | None = None) -> tuple[str, str]:
    """A text part without its [format] marker, as plain text; and its format (for the parts after it).

    `seen` collects ("shown", tag) for HTML tags in a [moodle] or [markdown] text (Moodle renders them,
    the site shows them as typed) and ("dropped", <name>) for what an [html] text lost (scripts, images).
    """
    text = raw.strip()
    fmt = default
    marker = _FORMAT.match(text)
    if marker:
        fmt = marker.group(1)
        text = text[marker.end() :]
    dropped: list[str] = []
    if fmt == "html":
        # Escapes are plain characters to HTML; an escaped \n is a line break only inside <pre>.
        text = html_to_text(_restore(text), dropped)
    else:
        # Each line of the file is trimmed; the line breaks stay, written or escaped (\n).
        text = _restore("\n".join(line.strip() for line in text.split("\n")))
    text = text.strip()
    if seen is not None:
        seen.extend(("dropped", f"<{name}>") for name in dropped)
        if fmt in ("moodle", "markdown"):
            seen.extend(("shown", tag.group()) for tag in HTML_TAG.finditer(text))
    return text, fmt


def _split_feedback(body: str, fmt: str, seen: list[tuple[str, str]]) -> tuple[str, str]:
    text, _hash, feedback = body.partition("#")
    return _formatted(text, fmt, seen)[0], _formatted(feedback, fmt, seen)[0]


def _weight(body: str) -> tuple[float | None, str]:
    match = _WEIGHT.match(body)
    if not match:
        return None, body
    return float(match.group(1)), body[match.end() :].strip()


def _choice(
    answer: str, fmt: str, label: str, notes: list[str], seen: list[tuple[str, str]]
) -> tuple[str, dict[str, Any]]:
    pieces = re.split(r"(?=[~=])", answer)
    lead = pieces[0].strip()
    answers: list[tuple[str, float, str, str]] = []  # marker, weight, text, feedback
    if lead:
        text, feedback = _split_feedback(lead, fmt, seen)
        notes.append(
            _('text "{text}" before the first ~ or = is read as a wrong answer: {question}').format(
                text=text, question=label
            )
        )
        answers.append(("~", 0.0, text, feedback))
    for piece in pieces[1:]:
        marker, body = piece[0], piece[1:].strip()
        weight, body = _weight(body)
        if marker == "=":
            if weight is not None:
                raise _Skip(
                    _("'=%n%' in a choice question: write ~%n% for a weighted answer: {question}").format(
                        question=label
                    )
                )
            weight = 100.0
        elif weight is None:
            weight = 0.0
        if not -100 <= weight <= 100:
            raise _Skip(_("weight {weight:g}% is outside -100..100: {question}").format(weight=weight, question=label))
        text, feedback = _split_feedback(body, fmt, seen)
        if not text:
            raise _Skip(_("an answer has no text: {question}").format(question=label))
        answers.append((marker, weight, text, feedback))
    if len(answers) < 2:
        raise _Skip(_("a choice question needs at least two answers: {question}").format(question=label))
    ids = option_ids(len(answers))

    if "=" in answer:  # Moodle: one answer can be chosen
        right = [a for a in answers if a[1] >= 100]
        if len(right) != 1:
            raise _Skip(
                ngettext(
                    "{count} answer is fully right; single choice takes exactly one "
                    "(give several right answers ~%n% weights and no =): {question}",
                    "{count} answers are fully right; single choice takes exactly one "
                    "(give several right answers ~%n% weights and no =): {question}",
                    len(right),
                ).format(count=len(right), question=label)
            )
        for _marker, weight, text, _unused in answers:
            if weight and weight < 100:
                notes.append(
                    _(
                        '{weight:g}% credit for "{text}" dropped: single choice gives full or no credit: {question}'
                    ).format(weight=weight, text=text, question=label)
                )
        options = tuple(
            Option(i, text, weight >= 100, feedback)
            for i, (_, weight, text, feedback) in zip(ids, answers, strict=True)
        )
        return "single", {"options": options}

    positive = sum(a[1] for a in answers if a[1] > 0)
    if positive == 0:
        raise _Skip(
            _("no right answer: mark it with = or give right answers ~%n% weights: {question}").format(question=label)
        )
    if positive < 99.9:
        raise _Skip(
            _("the positive weights add up to {total:g}%, not 100%: {question}").format(total=positive, question=label)
        )
    if positive > 100.1:
        notes.append(
            _("the positive weights add up to {total:g}%; credit is capped at 100%: {question}").format(
                total=positive, question=label
            )
        )
    options = tuple(
        Option(i, text, weight > 0, feedback, weight)
        for i, (_, weight, text, feedback) in zip(ids, answers, strict=True)
    )
    return "multiple", {"options": options}


def _matching(answer: str, fmt: str, label: str, notes: list[str], seen: list[tuple[str, str]]) -> dict[str, Any]:
    pieces = answer.split("=")
    if not pieces[0].strip():
        pieces = pieces[1:]
    pairs: list[Pair] = []
    extra: list[str] = []
    for piece in pieces:
        if "->" not in piece:
            raise _Skip(
                _("matching answer {answer} has no '->': {question}").format(answer=_label(piece), question=label)
            )
        left_raw, right_raw = piece.split("->", 1)
        left = _formatted(left_raw, fmt, seen)[0]
        right = _restore(right_raw).strip()
        if not right:
            raise _Skip(
                _("matching answer {answer} has nothing after '->': {question}").format(
                    answer=_label(piece), question=label
                )
            )
        if left:
            pairs.append(Pair(f"p{len(pairs) + 1}", left, right))
        else:
            extra.append(right)
    if len(pairs) < 2:
        raise _Skip(_("a matching question needs at least two pairs: {question}").format(question=label))
    # Moodle offers each distinct right-hand answer once: an extra one that repeats another adds nothing.
    rights = {pair.right for pair in pairs}
    distractors = tuple(dict.fromkeys(right for right in extra if right not in rights))
    return {"pairs": tuple(pairs), "distractors": distractors}


def _true_false(answer: str, fmt: str, seen: list[tuple[str, str]]) -> dict[str, Any]:
    parts = answer.split("#", 2) + ["", ""]
    value = _TRUE_FALSE[parts[0].strip()]
    wrong = _formatted(parts[1], fmt, seen)[0]
    right = _formatted(parts[2], fmt, seen)[0]
    # Moodle: the first feedback is for the wrong answer, the second for the right one.
    if value:
        return {"answer": True, "feedback_true": right, "feedback_false": wrong}
    return {"answer": False, "feedback_true": wrong, "feedback_false": right}


def _short(answer: str, fmt: str, label: str, notes: list[str], seen: list[tuple[str, str]]) -> dict[str, Any]:
    key = answer.split("#", 1)[0].strip()
    if key.upper() in _TRUE_FALSE:
        notes.append(
            _("{{{key}}} is read as a short answer, as Moodle does; write {{{upper}}}: {question}").format(
                key=key, upper=key.upper(), question=label
            )
        )
    pieces = answer.split("=")
    if not pieces[0].strip():
        pieces = pieces[1:]
    accept: list[ShortAnswer] = []
    for piece in pieces:
        weight, body = _weight(piece.strip())
        weight = 100.0 if weight is None else weight
        if not -100 <= weight <= 100:
            raise _Skip(_("weight {weight:g}% is outside -100..100: {question}").format(weight=weight, question=label))
        text, feedback = _split_feedback(body, fmt, seen)
        if not text:
            raise _Skip(_("an answer has no text: {question}").format(question=label))
        if weight < 0:  # Moodle grades a short answer from 0: a negative credit gives what 0% gives
            notes.append(
                _('{weight:g}% credit for answer "{text}" read as 0%: a short answer takes 0..100%: {question}').format(
                    weight=weight, text=text, question=label
                )
            )
            weight = 0.0
        accept.append(ShortAnswer(text, weight, feedback))
    if not any(a.weight >= 100 for a in accept):
        raise _Skip(_("no fully right answer: {question}").format(question=label))
    return {"accept": tuple(accept)}


def _numerical(body: str, fmt: str, label: str, notes: list[str], seen: list[tuple[str, str]]) -> dict[str, Any]:
    # Moodle: everything from the first ~ on is the feedback for any other number (after its #).
    other: NumericAnswer | None = None
    wrong_at = body.find("~")
    if wrong_at >= 0:
        feedback = _formatted(body[wrong_at + 1 :].partition("#")[2], fmt, seen)[0]
        other = NumericAnswer(weight=0.0, feedback=feedback, any_number=True)
        body = body[:wrong_at]
    pieces = body.split("=")
    if not pieces[0].strip():
        pieces = pieces[1:]
    if not pieces:
        raise _Skip(_("a numerical question needs at least one number: {question}").format(question=label))
    numbers: list[NumericAnswer] = []
    for piece in pieces:
        weight, rest = _weight(piece.strip())
        weight = 100.0 if weight is None else weight
        if not 0 <= weight <= 100:
            raise _Skip(_("weight {weight:g}% is outside 0..100: {question}").format(weight=weight, question=label))
        number_text, _hash, feedback_raw = rest.partition("#")
        number_text = _restore(number_text).strip()
        feedback = _formatted(feedback_raw, fmt, seen)[0]
        if number_text == "*":
            numbers.append(NumericAnswer(weight=weight, feedback=feedback, any_number=True))
        else:
            numbers.append(_number(number_text, weight, feedback, label))
    if other is not None:
        numbers.append(other)
    if not any(n.weight >= 100 for n in numbers):
        raise _Skip(_("no fully right number (one needs 100% credit): {question}").format(question=label))
    return {"numbers": tuple(numbers)}


def _float(text: str, label: str) -> float:
    text = text.strip()
    if not NUMBER.fullmatch(text):
        raise _Skip(_('"{text}" is not a number: {question}').format(text=text, question=label))
    value = float(text)
    if not math.isfinite(value):  # 1e400: too big for a float, and "inf" does not read back
        raise _Skip(_('"{text}" is not a finite number: {question}').format(text=text, question=label))
    return value


def _number(text: str, weight: float, feedback: str, label: str) -> NumericAnswer:
    if text.find("..") > 0:
        low, high = text.split("..", 1)
        minimum, maximum = _float(low, label), _float(high, label)
        if minimum > maximum:
            raise _Skip(
                _("range {text}: the low end is above the high end: {question}").format(text=text, question=label)
            )
        return NumericAnswer(min=minimum, max=maximum, weight=weight, feedback=feedback)
    if text.find(":") > 0:
        value_text, tolerance_text = text.split(":", 1)
        value, tolerance = _float(value_text, label), _float(tolerance_text, label)
        if tolerance < 0:
            raise _Skip(
                _("tolerance {tolerance} is negative: {question}").format(
                    tolerance=tolerance_text.strip(), question=label
                )
            )
        return NumericAnswer(value=value, tolerance=tolerance, weight=weight, feedback=feedback)
    return NumericAnswer(value=_float(text, label), weight=weight, feedback=feedback)


def slug(text: str, limit: int = 40) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")


def _identity(title: str, comments: list[str], used: set[str], number: int, notes: list[str]) -> str:
    """The question id: the [id:...] comment, else a slug of the title, else qNNN, made unique."""
    joined = "\n".join(comments)
    wanted = ""
    given = _ID_TOKEN.search(joined)
    if given:
        wanted = given.group(1).replace("\\]", "]").strip()
        if not QUIZ_ID.is_valid(wanted):
            notes.append(_("[id:{id}] is not a valid question id; a new id is used").format(id=wanted))
            wanted = ""
        elif wanted in used:
            notes.append(_("[id:{id}] is used twice; a new id is used").format(id=wanted))
            wanted = ""
    return unique_id(wanted or slug(title) or f"q{number:03d}", used)


def _tag_values(comments: list[str]) -> list[str]:
    """The [tag:...] tokens of the comment lines, in order, as Moodle reads them (trimmed, "\\]" is "]")."""
    return [t.replace("\\]", "]").strip() for t in _TAG_TOKEN.findall("\n".join(comments))]


def _site_key(tag: str) -> bool:
    """A tag that carries one of the site's keys: check:<id>, statement:, stage: or variant_of:<value>."""
    key, colon, value = tag.partition(":")
    return bool(colon and value.strip() and (key == CHECK_TAG[:-1] or key in KEY_TAGS))


def site_tags(question: Question) -> list[str]:
    """The site's own keys of a question as Moodle tags: its checks, then statement, stage, variant_of."""
    tags = [f"{CHECK_TAG}{check}" for check in question.checks]
    return tags + [f"{key}:{getattr(question, key)}" for key in KEY_TAGS if getattr(question, key)]


@dataclass(frozen=True)
class SiteTags:
    """A question's Moodle tags as the site reads them."""

    checks: tuple[str, ...]  # check:<id>, in order
    keys: dict[str, str]  # statement:, stage:, variant_of:<value>; the last of each key counts
    free: tuple[str, ...]  # every other tag, each once


def split_tags(tags: Iterable[str]) -> SiteTags:
    """Moodle tags (trimmed) into the site's checks and keys and the free tags: a tag that names a
    key but no value ("check:") is a free tag like any other."""
    checks: list[str] = []
    keys: dict[str, str] = {}
    free: list[str] = []
    for tag in tags:
        key, _colon, value = tag.partition(":")
        if not _site_key(tag):
            if tag and tag not in free:
                free.append(tag)
        elif key == CHECK_TAG[:-1]:
            checks.append(value.strip())
        else:
            keys[key] = value.strip()
    return SiteTags(tuple(checks), keys, tuple(free))


FENCE = "```"
_WEB_ADDRESS = re.compile(r"(?:https?://|mailto:)[^\s<>()]+$", re.IGNORECASE)


class _Pre:
    """The raw text of a <pre> block, spaces and line breaks as written."""

    def __init__(self) -> None:
        self.text = ""


class _TextOnly(HTMLParser):
    """The text of an HTML fragment: tags dropped, entities decoded, block ends as line breaks, <pre>
    blocks kept apart with their spaces and lines."""

    BLOCKS = frozenset(
        {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "footer", "h1",
         "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "section", "table",
         "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
    )  # fmt: skip
    HIDDEN = frozenset({"script", "style", "template", "head", "title"})
    CONTENT = frozenset({"img", "iframe", "object", "embed", "video", "audio", "svg", "canvas"})  # lost as text

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str | _Pre] = []
        self.hidden = 0
        self.pre = 0  # depth of <pre> elements
        self.dropped: list[str] = []
        self.links: list[tuple[str, int]] = []  # open <a>: its web address, where its text starts
        self.pictures: list[tuple[str, str]] = []  # (src, alt) of each <img>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN or tag in self.CONTENT:
            self.dropped.append(tag)
        self._picture(tag, attrs)
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag == "pre":
            self.pre += 1
            if self.pre == 1:
                self.parts.append(_Pre())
        elif tag == "a" and not self.pre:
            href = (dict(attrs).get("href") or "").strip()
            self.links.append((href if _WEB_ADDRESS.match(href) else "", len(self.parts)))
        else:
            self._break(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.CONTENT:
            self.dropped.append(tag)
        self._picture(tag, attrs)
        self._break(tag)

    def _picture(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img" and not self.hidden:
            found = dict(attrs)
            self.pictures.append(((found.get("src") or "").strip(), found.get("alt") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            if not self.pre:
                self.parts.append("\n")
        elif tag == "a" and self.links and not self.pre:
            # A link's target is kept as text after it, "text (address)", unless the text is the address.
            href, start = self.links.pop()
            shown = " ".join("".join(p for p in self.parts[start:] if isinstance(p, str)).split())
            if href and shown != href:
                self.parts.append(f" ({href})")
        elif tag != "br":  # a <br> has no end tag (nh3 reads a stray </br> as a <br>, as browsers do)
            self._break(tag)

    def _break(self, tag: str) -> None:
        if tag not in self.BLOCKS:
            return
        if self.pre:  # inside <pre> only a <br> breaks the line; the text's own line breaks do the rest
            if tag == "br":
                self._pre_block().text += "\n"
        else:
            self.parts.append("\n")

    def _pre_block(self) -> _Pre:
        block = self.parts[-1]
        assert isinstance(block, _Pre)
        return block

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if self.pre:
            self._pre_block().text += data
        else:
            self.parts.append(re.sub(r"\s+", " ", data))


# The fragment is first rewritten by nh3 (html5ever, in linear time) into well-formed markup, as a
# browser reads it: Python's html.parser takes time quadratic in some broken markup (100 KB of
# "<a<a<a..." took 14 seconds), never in well-formed markup. nh3 keeps the tags _TextOnly reads, with
# only a link's href and a picture's src and alt, and drops comments; other tags go, their text stays.
_READ_TAGS = frozenset(_TextOnly.BLOCKS | _TextOnly.HIDDEN | _TextOnly.CONTENT | {"pre", "a"})
_READ_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}}
_READ_SCHEMES = {"http", "https", "mailto", "data"}
_PRE_START = re.compile(r"<pre\b[^<>]*>", re.IGNORECASE)


def _well_formed(fragment: str) -> str:
    # html5ever drops a line break right after <pre>, as _TextOnly does: one more keeps the text's own.
    prepared = _PRE_START.sub(lambda match: match.group() + "\n", fragment)
    return nh3.clean(
        prepared,
        tags=set(_READ_TAGS),
        clean_content_tags=set(),
        attributes={tag: set(names) for tag, names in _READ_ATTRIBUTES.items()},
        url_schemes=set(_READ_SCHEMES),
        link_rel=None,
    )


def html_to_text(fragment: str, dropped: list[str] | None = None, pictures: list[tuple[str, str]] | None = None) -> str:
    """Text of an HTML fragment, for showing as text. Never returns markup that was markup.

    Block ends and <br> become line breaks (empty lines are dropped), runs of spaces one space, and a
    <pre> block a block fenced by ``` lines, its lines and spaces as written (as in HTML, a line break
    right after <pre> and one right before </pre> are not part of it). `dropped` receives the names of
    the elements whose content is lost (scripts, styles, images...), `pictures` the (src, alt) of each
    <img> in order. Time is linear in the fragment's length, however broken its markup.
    """
    parser = _TextOnly()
    parser.feed(_well_formed(fragment))
    parser.close()
    if dropped is not None:
        dropped.extend(dict.fromkeys(parser.dropped))
    if pictures is not None:
        pictures.extend(parser.pictures)
    lines: list[str] = []
    flowing: list[str] = []

    def flush() -> None:
        for line in "".join(flowing).split("\n"):
            if line.split():
                lines.append(" ".join(line.split()))
        flowing.clear()

    for part in parser.parts:
        if isinstance(part, _Pre):
            flush()
            body = part.text.removeprefix("\n").removesuffix("\n")
            lines += [FENCE, *body.split("\n"), FENCE]
        else:
            flowing.append(part)
    flush()
    return "\n".join(lines)


def text_to_html(text: str) -> str | None:
    """HTML that html_to_text reads back as `text`, with each ``` fenced block as a <pre>; None when
    the text has no fenced block, or holds what HTML would not keep (empty lines, runs of spaces)."""
    lines = text.split("\n")
    if FENCE not in lines:
        return None
    out: list[str] = []
    flowing: list[str] = []
    fenced: list[str] | None = None
    for line in lines:
        if fenced is None and line == FENCE:
            if flowing:
                out.append("<br>".join(flowing))
                flowing = []
            fenced = []
        elif fenced is not None and line == FENCE:
            out.append("<pre>\n" + html.escape("\n".join(fenced), quote=False) + "\n</pre>")
            fenced = None
        elif fenced is not None:
            fenced.append(line)
        else:
            flowing.append(html.escape(line, quote=False))
    if fenced is not None:
        return None  # an unclosed fence is not a block
    if flowing:
        out.append("<br>".join(flowing))
    written = "".join(out)
    return written if html_to_text(written) == text else None


# ---------------------------------------------------------------------------------------------- export


def bank_to_gift(bank: Bank) -> str:
    """The bank as GIFT text; see export_gift for the warnings."""
    return export_gift(bank).text


def export_gift(bank: Bank) -> GiftExport:
    """The bank as GIFT. Every question is written; what GIFT cannot carry is left out with a warning."""
    warnings: list[str] = []
    header = " ".join(f"Quiz bank {bank.id}: {bank.title}".split())
    blocks = [f"// {header}\n// Exported as Moodle GIFT. Lines starting with // are comments."]
    if bank.category:
        blocks.append(f"$CATEGORY: {' '.join(bank.category.split())}")
    for question in bank.questions:
        blocks.append(_export_question(question, warnings))
    return GiftExport("\n\n".join(blocks) + "\n", warnings, [])


def escape(text: str) -> str:
    """Text with GIFT's control characters escaped and line breaks as \\n."""
    out = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        out = out.replace(char, "\\" + char)
    return out.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _out(text: str, default: str = "moodle") -> str:
    """A text part as Moodle reads it back, in a question whose text has format `default` (the format of
    every part without a marker of its own): a ``` fenced block goes as [html] with a <pre>; a leading
    [html], // or %50% is kept literal by a [moodle] marker, HTML tags by a [plain] one."""
    as_html = text_to_html(text)
    if as_html is not None:
        return ("" if default == "html" else "[html]") + escape(as_html)
    escaped = escape(text)
    if HTML_TAG.search(text):  # the site shows tags as typed; so does Moodle in [plain], not in [moodle]
        return ("" if default == "plain" else "[plain]") + escaped
    start = text.lstrip()  # Moodle trims a text before it reads these
    if default == "html" or _FORMAT.match(start) or start.startswith("//") or _WEIGHT.match(start):
        return "[moodle]" + escaped
    return escaped


def _format_of(written: str, default: str = "moodle") -> str:
    marker = _FORMAT.match(written)
    return marker.group(1) if marker else default


def number_text(value: float) -> str:
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _feedback(text: str, fmt: str) -> str:
    return f"#{_out(text, fmt)}" if text else ""


def _comment_token(text: str) -> str:
    return " ".join(text.split()).replace("]", "\\]")


def _as_matching(question: Question) -> Question:
    """An ordering question as Moodle can read it from GIFT: a matching of each item to its position."""
    pairs = tuple(Pair(f"p{n}", item.text, str(n)) for n, item in enumerate(question.items, 1))
    return dataclasses.replace(question, type="matching", items=(), pairs=pairs)


_ORDERING_NOTE = N_(
    "ordering question {id} written as a matching of its items to their positions 1 to {count}: "
    "Moodle's own ordering question type needs Moodle XML"
)


def _export_question(question: Question, warnings: list[str]) -> str:
    lines: list[str] = []
    if question.type == "ordering":
        values = {"id": question.id, "count": len(question.items)}
        warnings.append(_(_ORDERING_NOTE).format(**values))
        lines.append(f"// {_ORDERING_NOTE.format(**values)}")  # the file's comments are English, as its header
    lost = _left_out(question)
    if lost:
        warnings.append(
            _("question {id}: {lost} left out (GIFT has no place for them)").format(
                id=question.id, lost="; ".join(lost)
            )
        )

    tokens = [f"[id:{_comment_token(question.id)}]"]
    tokens += [f"[tag:{_comment_token(tag)}]" for tag in question.tags if _carried_tag(tag) and not _site_key(tag)]
    tokens += [f"[tag:{_comment_token(tag)}]" for tag in site_tags(question)]
    lines.append(f"// {' '.join(tokens)}")

    if question.type == "ordering":
        question = _as_matching(question)
    prompt = _out(question.prompt)
    fmt = _format_of(prompt)
    answers = _export_answers(question, fmt, warnings)
    if question.explanation:
        answers.append(f"####{_out(question.explanation, fmt)}")
    opening = "{#" if question.type == "numerical" else "{"
    block = opening + "\n" + "".join(f"\t{line}\n" for line in answers) + "}"

    head = f"::{escape(' '.join(question.title.split()))}::" if question.title else ""
    before, blank, after = prompt.partition(BLANK)
    if blank and after.strip() and BLANK not in after:
        lines.append(f"{head}{before}{block}{after}")  # missing word: the answers stand where the blank is
    else:
        lines.append(f"{head}{prompt}{block}")
    return "\n".join(lines)


def _carried_tag(tag: str) -> bool:
    """Whether a free tag reads back from a GIFT comment as the same free tag."""
    token = _comment_token(tag)  # Moodle trims a tag; a "\\" at its end would escape the closing "]"
    return token == tag.replace("]", "\\]") and not _NOT_IN_TAG.search(tag) and not token.endswith("\\")


def _left_out(question: Question) -> list[str]:
    """What of the question GIFT cannot carry, one phrase each."""
    lost: list[str] = []
    placed = [o.id for o in question.options if o.statement or o.stage]
    placed += [p.id for p in question.pairs if p.statement or p.stage]
    placed += [i.id for i in question.items if i.statement or i.stage]
    if placed:
        lost.append(_("the statement/stage of {ids}").format(ids=", ".join(placed)))
    if question.case_sensitive:
        lost.append(_("case sensitivity (Moodle compares GIFT short answers without case)"))
    if question.images:
        count = len(question.images)
        lost.append(ngettext("{count} image", "{count} images", count).format(count=count))
    if question.feedback_right or question.feedback_partly or question.feedback_wrong:
        lost.append(_("the combined feedback (right, partly right, wrong)"))
    bad = [tag for tag in question.tags if not _carried_tag(tag) or _site_key(tag)]
    if bad:
        lost.append(ngettext("tag {tags}", "tags {tags}", len(bad)).format(tags=", ".join(repr(tag) for tag in bad)))
    return lost


def _export_answers(question: Question, fmt: str, warnings: list[str]) -> list[str]:
    kind = question.type
    if kind == "single":
        return [f"{'=' if o.correct else '~'}{_out(o.text, fmt)}{_feedback(o.feedback, fmt)}" for o in question.options]
    if kind == "multiple":
        weights = multiple_weights(question)
        lines = []
        for option, weight in zip(question.options, weights, strict=True):
            mark = f"~%{number_text(weight)}%" if weight else "~"
            lines.append(f"{mark}{_out(option.text, fmt)}{_feedback(option.feedback, fmt)}")
        return lines
    if kind == "truefalse":
        if question.answer:
            right, wrong, word = question.feedback_true, question.feedback_false, "TRUE"
        else:
            right, wrong, word = question.feedback_false, question.feedback_true, "FALSE"
        line = word
        if wrong or right:
            line += f"#{_out(wrong, fmt)}" if wrong else "#"
        if right:
            line += f"#{_out(right, fmt)}"
        return [line]
    if kind == "short":
        lines = []
        for accepted in question.accept:
            if "->" in accepted.text:
                warnings.append(
                    _('question {id}: answer "{text}" has "->"; Moodle reads it as matching').format(
                        id=question.id, text=accepted.text
                    )
                )
            mark = "=" if accepted.weight == 100 else f"=%{number_text(accepted.weight)}%"
            lines.append(f"{mark}{_out(accepted.text, fmt)}{_feedback(accepted.feedback, fmt)}")
        return lines
    if kind == "matching":
        lines = []
        for pair in question.pairs:
            if "->" in pair.left:
                warnings.append(
                    _('question {id}: "{text}" contains "->"; Moodle splits the pair there').format(
                        id=question.id, text=pair.left
                    )
                )
            lines.append(f"={_out(pair.left, fmt)} -> {escape(pair.right)}")
        lines += [f"= -> {escape(distractor)}" for distractor in question.distractors]
        return lines
    if kind == "numerical":
        lines = []
        last = len(question.numbers) - 1
        for position, number in enumerate(question.numbers):
            weight_mark = "" if number.weight == 100 else f"%{number_text(number.weight)}%"
            if number.any_number and number.weight == 0 and position == last:
                lines.append(f"~#{_out(number.feedback, fmt)}" if number.feedback else "~")
                continue  # Moodle's own way to write the feedback for any other number
            if number.any_number:
                value = "*"
            elif number.min is not None and number.max is not None:
                value = f"{number_text(number.min)}..{number_text(number.max)}"
            else:
                value = number_text(number.value or 0.0)
                if number.tolerance:
                    value += f":{number_text(number.tolerance)}"
            lines.append(f"={weight_mark}{value}{_feedback(number.feedback, fmt)}")
        return lines
    raise ValueError(f"unknown question type {kind}")


def multiple_weights(question: Question) -> list[float]:
    """Moodle weights for a multiple-answer question; without weights, the site's own scoring as weights."""
    if any(o.weight is not None for o in question.options):
        return [o.weight or 0.0 for o in question.options]
    return site_weights([o.correct for o in question.options])
