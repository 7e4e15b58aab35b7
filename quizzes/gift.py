"""Moodle GIFT import and export for quiz banks. Pure functions, no I/O.

Import follows Moodle's own reader (question/format/gift/format.php) so that a
file means here what it means in Moodle:

- questions are separated by blank lines; lines starting with ``//`` are comments;
- ``::Title::`` names a question; ``[html]``, ``[markdown]``, ``[plain]`` and
  ``[moodle]`` at the start of a text give its format (HTML is reduced to plain
  text: the site never renders quiz HTML; a note says what it left out, such as
  scripts and images, and which tags in a ``[moodle]`` or ``[markdown]`` text,
  where Moodle would render them, are shown as typed);
- the answer block ``{...}`` decides the type: ``{}`` essay, ``{#...}`` numerical,
  any ``~`` multiple choice (single with ``=``, multiple answers with ``~%n%``
  weights and no ``=``), ``=a -> b`` matching, ``T``/``TRUE``/``F``/``FALSE``
  true/false, anything else short answer; text after the block makes it a
  "missing word" question, shown with ``_____`` where the block was;
- ``#`` starts answer feedback, ``####`` the general feedback (the explanation);
- ``\\~ \\= \\# \\{ \\} \\:`` and ``\\\\`` are literal characters, ``\\n`` a new line;
- ``$CATEGORY: path`` sets the category (the last one is the bank's);
- a ``// [id:...]`` comment gives the question id (Moodle's ID number), a
  ``// [tag:check:...]`` comment one of its ``checks``; ``[tag:statement:...]``,
  ``[tag:stage:...]`` and ``[tag:variant_of:...]`` its question-level stage placement
  and variant keys. GIFT has no place for keys on single answers or matching pairs:
  export leaves an option's or pair's ``statement``/``stage`` out, with a warning.

What the site cannot ask (essays, descriptions) and what is broken (an unclosed
brace, no right answer, a number that is not one) is skipped and reported with
its line; the rest of the file is still read. What is read with a loss (partial
credit where the site gives all or nothing, feedback the site has no place for)
is imported and reported as a warning.
"""

from __future__ import annotations

import math
import re
import unicodedata
from html.parser import HTMLParser
from typing import Any

from content.ids import QUIZ_ID
from quizzes.importing import QuizExport, QuizImport
from quizzes.model import Bank, NumericAnswer, Option, Pair, Question

BLANK = "_____"
_FORMAT = re.compile(r"\[(moodle|html|plain|markdown)\]")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_WEIGHT = re.compile(r"%(-?\d+(?:\.\d*)?)%")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_ID_TOKEN = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f])+)\]")
_TAG_TOKEN = re.compile(r"\[tag:((?:\\\]|[^\]<>\x00-\x1f])+)\]")
CHECK_TAG = "check:"
# Question keys carried as Moodle tags, "[tag:<key>:<value>]"; the last one of each key counts.
KEY_TAGS = ("statement", "stage", "variant_of")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}

# Escaped control characters become private-use placeholders while the structure is read.
_ESCAPES = {"\\": "\ue000", "~": "\ue001", "=": "\ue002", "#": "\ue003", "{": "\ue004", "}": "\ue005", ":": "\ue006"}
_NEWLINE = "\ue007"
_RESTORE = str.maketrans({**{v: k for k, v in _ESCAPES.items()}, _NEWLINE: "\n"})


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
        content = [(n, line.strip()) for n, line in block if not line.strip().startswith("//")]
        comments = [line.strip() for _, line in block if line.strip().startswith("//")]
        if content and content[0][1].startswith("$CATEGORY:"):
            name = _restore(_protect(content[0][1][len("$CATEGORY:") :])).strip()
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
            raise _Skip(f"the title is not closed with '::': {_label(text)}")
        title = " ".join(_restore(text[2:end]).split())
        text = text[end + 2 :].strip()
    label = f'"{title}"' if title else _label(text)

    start, end = text.find("{"), text.find("}")
    if start < 0 and end < 0:
        raise _Skip(f"description (text without an answer block {{...}}) is not a question: {label}")
    if start < 0:
        raise _Skip(f"'}}' without '{{' (write a literal brace as \\}}): {label}")
    if end < 0:
        raise _Skip(f"unclosed brace: '{{' without '}}': {label}")
    if end < start:
        raise _Skip(f"'}}' comes before '{{' (write a literal brace as \\}}): {label}")
    answer = text[start + 1 : end]
    before, after = text[:start], text[end + 1 :]
    if "{" in answer:
        raise _Skip(f"'{{' inside the answer block (write a literal brace as \\{{): {label}")
    if "{" in after or "}" in after:
        raise _Skip(f"more than one answer block, or an unescaped brace after it: {label}")
    prompt_raw = before + after if not after else before + BLANK + after

    answer = answer.strip()
    general = ""
    separator = answer.rfind("####")
    if separator >= 0:
        general = answer[separator + 4 :]
        answer = answer[:separator].strip()

    seen: list[tuple[str, str]] = []  # HTML kept as text outside [html], or left out of an [html] text
    prompt, fmt = _formatted(prompt_raw, seen=seen)
    explanation, _ = _formatted(general, fmt, seen)
    if not prompt:
        raise _Skip(f"the question has no text: {label}")
    label = f'"{title}"' if title else _label(prompt)
    if not answer:
        raise _Skip(f"essay ({{}} with no answers) needs a person to grade it; the site cannot give it: {label}")

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
            f"HTML {', '.join(shown[:3])} is shown as typed, not as HTML: the site does not render HTML "
            f"(mark the text [html] to import it as plain text): {label}"
        )
    dropped = list(dict.fromkeys(tag for kind_, tag in seen if kind_ == "dropped"))
    if dropped:
        notes.append(f"[html] text read as plain text without its {', '.join(dropped)}: {label}")

    question_id, checks = _identity(title, comments, used, number, notes)
    tags = _key_tags(comments)
    return Question(
        id=question_id,
        type=kind,
        checks=checks,
        statement=tags.get("statement", ""),
        stage=tags.get("stage", ""),
        variant_of=tags.get("variant_of", ""),
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
        text = html_to_text(text, dropped)
    text = _restore(text).strip()
    if seen is not None:
        seen.extend(("dropped", f"<{name}>") for name in dropped)
        if fmt in ("moodle", "markdown"):
            seen.extend(("shown", tag.group()) for tag in _HTML_TAG.finditer(text))
    return text, fmt


def _split_feedback(body: str, fmt: str, seen: list[tuple[str, str]]) -> tuple[str, str]:
    text, _, feedback = body.partition("#")
    return _formatted(text, fmt, seen)[0], _formatted(feedback, fmt, seen)[0]


def _weight(body: str) -> tuple[float | None, str]:
    match = _WEIGHT.match(body)
    if not match:
        return None, body
    return float(match.group(1)), body[match.end() :].strip()


def _ids(count: int) -> list[str]:
    def letters(n: int) -> str:
        name = ""
        while True:
            name = chr(ord("a") + n % 26) + name
            n = n // 26 - 1
            if n < 0:
                return name

    return [letters(i) for i in range(count)]


def _choice(
    answer: str, fmt: str, label: str, notes: list[str], seen: list[tuple[str, str]]
) -> tuple[str, dict[str, Any]]:
    pieces = re.split(r"(?=[~=])", answer)
    lead = pieces[0].strip()
    answers: list[tuple[str, float, str, str]] = []  # marker, weight, text, feedback
    if lead:
        text, feedback = _split_feedback(lead, fmt, seen)
        notes.append(f'text "{text}" before the first ~ or = is read as a wrong answer: {label}')
        answers.append(("~", 0.0, text, feedback))
    for piece in pieces[1:]:
        marker, body = piece[0], piece[1:].strip()
        weight, body = _weight(body)
        if marker == "=":
            if weight is not None:
                raise _Skip(f"'=%n%' in a choice question: write ~%n% for a weighted answer: {label}")
            weight = 100.0
        elif weight is None:
            weight = 0.0
        if not -100 <= weight <= 100:
            raise _Skip(f"weight {weight:g}% is outside -100..100: {label}")
        text, feedback = _split_feedback(body, fmt, seen)
        if not text:
            raise _Skip(f"an answer has no text: {label}")
        answers.append((marker, weight, text, feedback))
    if len(answers) < 2:
        raise _Skip(f"a choice question needs at least two answers: {label}")
    ids = _ids(len(answers))

    if "=" in answer:  # Moodle: one answer can be chosen
        right = [a for a in answers if a[1] >= 100]
        if len(right) != 1:
            raise _Skip(
                f"{len(right)} answers are fully right; single choice takes exactly one "
                f"(give several right answers ~%n% weights and no =): {label}"
            )
        for _, weight, text, _ in answers:
            if weight and weight < 100:
                notes.append(f'{weight:g}% credit for "{text}" dropped: single choice gives full or no credit: {label}')
        options = tuple(
            Option(i, text, weight >= 100, feedback)
            for i, (_, weight, text, feedback) in zip(ids, answers, strict=True)
        )
        return "single", {"options": options}

    positive = sum(a[1] for a in answers if a[1] > 0)
    if positive == 0:
        raise _Skip(f"no right answer: mark it with = or give right answers ~%n% weights: {label}")
    if positive < 99.9:
        raise _Skip(f"the positive weights add up to {positive:g}%, not 100%: {label}")
    if positive > 100.1:
        notes.append(f"the positive weights add up to {positive:g}%; credit is capped at 100%: {label}")
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
    for piece in pieces:
        if "->" not in piece:
            raise _Skip(f"matching answer {_label(piece)} has no '->': {label}")
        left_raw, right_raw = piece.split("->", 1)
        left, _ = _formatted(left_raw, fmt, seen)
        right = _restore(right_raw).strip()
        if not right:
            raise _Skip(f"matching answer {_label(piece)} has nothing after '->': {label}")
        if not left:
            notes.append(f'extra answer "{right}" (no left side) dropped: matching here has pairs only: {label}')
            continue
        pairs.append(Pair(f"p{len(pairs) + 1}", left, right))
    if len(pairs) < 2:
        raise _Skip(f"a matching question needs at least two pairs: {label}")
    return {"pairs": tuple(pairs)}


def _true_false(answer: str, fmt: str, seen: list[tuple[str, str]]) -> dict[str, Any]:
    parts = answer.split("#", 2) + ["", ""]
    value = _TRUE_FALSE[parts[0].strip()]
    wrong, _ = _formatted(parts[1], fmt, seen)
    right, _ = _formatted(parts[2], fmt, seen)
    # Moodle: the first feedback is for the wrong answer, the second for the right one.
    if value:
        return {"answer": True, "feedback_true": right, "feedback_false": wrong}
    return {"answer": False, "feedback_true": wrong, "feedback_false": right}


def _short(answer: str, fmt: str, label: str, notes: list[str], seen: list[tuple[str, str]]) -> dict[str, Any]:
    key = answer.split("#", 1)[0].strip()
    if key.upper() in _TRUE_FALSE:
        notes.append(f"{{{key}}} is read as a short answer, as Moodle does; write {{{key.upper()}}}: {label}")
    pieces = answer.split("=")
    if not pieces[0].strip():
        pieces = pieces[1:]
    accept: list[str] = []
    for piece in pieces:
        weight, body = _weight(piece.strip())
        weight = 100.0 if weight is None else weight
        if not -100 <= weight <= 100:
            raise _Skip(f"weight {weight:g}% is outside -100..100: {label}")
        text, feedback = _split_feedback(body, fmt, seen)
        if not text:
            raise _Skip(f"an answer has no text: {label}")
        if weight < 100:
            why = "a short answer lists right answers only" if weight <= 0 else "short answers give full or no credit"
            notes.append(f'answer "{text}" ({weight:g}% credit) dropped: {why}: {label}')
            continue
        if feedback:
            notes.append(f'feedback for answer "{text}" dropped: short answers have no per-answer feedback: {label}')
        if "*" in text:
            notes.append(f'"*" in answer "{text}" is matched literally, not as a wildcard: {label}')
        accept.append(text)
    if not accept:
        raise _Skip(f"no fully right answer: {label}")
    return {"accept": tuple(accept)}


def _numerical(body: str, fmt: str, label: str, notes: list[str], seen: list[tuple[str, str]]) -> dict[str, Any]:
    wrong_at = body.find("~")
    if wrong_at >= 0:
        if body[wrong_at:].strip("~# \n\t"):
            notes.append(f"feedback for any other number dropped: the site has no place for it: {label}")
        body = body[:wrong_at]
    pieces = body.split("=")
    if not pieces[0].strip():
        pieces = pieces[1:]
    if not pieces:
        raise _Skip(f"a numerical question needs at least one number: {label}")
    numbers: list[NumericAnswer] = []
    for piece in pieces:
        weight, rest = _weight(piece.strip())
        weight = 100.0 if weight is None else weight
        if not 0 <= weight <= 100:
            raise _Skip(f"weight {weight:g}% is outside 0..100: {label}")
        number_text, _, feedback_raw = rest.partition("#")
        number_text = _restore(number_text).strip()
        feedback, _ = _formatted(feedback_raw, fmt, seen)
        if number_text == "*":
            if feedback:
                notes.append(f"feedback for any other number dropped: the site has no place for it: {label}")
            continue
        numbers.append(_number(number_text, weight, feedback, label))
    if not numbers:
        raise _Skip(f"a numerical question needs at least one number: {label}")
    if not any(n.weight >= 100 for n in numbers):
        raise _Skip(f"no fully right number (one needs 100% credit): {label}")
    return {"numbers": tuple(numbers)}


def _float(text: str, label: str) -> float:
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        raise _Skip(f'"{text}" is not a number: {label}')
    value = float(text)
    if not math.isfinite(value):  # 1e400: too big for a float, and "inf" does not read back
        raise _Skip(f'"{text}" is not a finite number: {label}')
    return value


def _number(text: str, weight: float, feedback: str, label: str) -> NumericAnswer:
    if text.find("..") > 0:
        low, high = text.split("..", 1)
        minimum, maximum = _float(low, label), _float(high, label)
        if minimum > maximum:
            raise _Skip(f"range {text}: the low end is above the high end: {label}")
        return NumericAnswer(min=minimum, max=maximum, weight=weight, feedback=feedback)
    if text.find(":") > 0:
        value_text, tolerance_text = text.split(":", 1)
        value, tolerance = _float(value_text, label), _float(tolerance_text, label)
        if tolerance < 0:
            raise _Skip(f"tolerance {tolerance_text.strip()} is negative: {label}")
        return NumericAnswer(value=value, tolerance=tolerance, weight=weight, feedback=feedback)
    return NumericAnswer(value=_float(text, label), weight=weight, feedback=feedback)


def slug(text: str, limit: int = 40) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")


def _identity(
    title: str, comments: list[str], used: set[str], number: int, notes: list[str]
) -> tuple[str, tuple[str, ...]]:
    """The question id ([id:...] comment, else a slug of the title, else qNNN, made unique) and its checks."""
    joined = "\n".join(comments)
    checks = tuple(
        tag[len(CHECK_TAG) :].strip()
        for tag in (t.replace("\\]", "]").strip() for t in _TAG_TOKEN.findall(joined))
        if tag.startswith(CHECK_TAG) and tag[len(CHECK_TAG) :].strip()
    )
    wanted = ""
    given = _ID_TOKEN.search(joined)
    if given:
        wanted = given.group(1).replace("\\]", "]").strip()
        if not QUIZ_ID.is_valid(wanted):
            notes.append(f"[id:{wanted}] is not a valid question id; a new id is used")
            wanted = ""
        elif wanted in used:
            notes.append(f"[id:{wanted}] is used twice; a new id is used")
            wanted = ""
    base = wanted or slug(title) or f"q{number:03d}"
    candidate, counter = base, 2
    while candidate in used:
        candidate = f"{base}-{counter}"
        counter += 1
    return candidate, checks


def _key_tags(comments: list[str]) -> dict[str, str]:
    """statement, stage and variant_of from "[tag:<key>:<value>]" comments."""
    found: dict[str, str] = {}
    for tag in (t.replace("\\]", "]").strip() for t in _TAG_TOKEN.findall("\n".join(comments))):
        key, colon, value = tag.partition(":")
        if colon and key in KEY_TAGS and value.strip():
            found[key] = value.strip()
    return found


class _TextOnly(HTMLParser):
    """The text of an HTML fragment: tags dropped, entities decoded, block ends as line breaks."""

    BLOCKS = frozenset(
        {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "footer", "h1",
         "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table",
         "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
    )  # fmt: skip
    HIDDEN = frozenset({"script", "style", "template", "head", "title"})
    CONTENT = frozenset({"img", "iframe", "object", "embed", "video", "audio", "svg", "canvas"})  # lost as text

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.dropped: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN or tag in self.CONTENT:
            self.dropped.append(tag)
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.CONTENT:
            self.dropped.append(tag)
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(fragment: str, dropped: list[str] | None = None) -> str:
    """Plain text of an HTML fragment, for showing as text. Never returns markup that was markup.

    `dropped` receives the names of the elements whose content is lost (scripts, styles, images...).
    """
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    if dropped is not None:
        dropped.extend(dict.fromkeys(parser.dropped))
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------------------------------------- export


def bank_to_gift(bank: Bank) -> str:
    """The bank as GIFT text. Ordering questions become comments; see export_gift for the warnings."""
    return export_gift(bank).text


def export_gift(bank: Bank) -> GiftExport:
    warnings: list[str] = []
    header = " ".join(f"Quiz bank {bank.id}: {bank.title}".split())
    blocks = [f"// {header}\n// Exported as Moodle GIFT. Lines starting with // are comments."]
    if bank.category:
        blocks.append(f"$CATEGORY: {' '.join(bank.category.split())}")
    for question in bank.questions:
        blocks.append(_export_question(question, warnings))
    not_exported = [q.id for q in bank.questions if q.type == "ordering"]
    return GiftExport("\n\n".join(blocks) + "\n", warnings, not_exported)


def escape(text: str) -> str:
    """Text with GIFT's control characters escaped and line breaks as \\n."""
    out = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        out = out.replace(char, "\\" + char)
    return out.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _out(text: str) -> str:
    """A text part as Moodle reads it back: a leading [html], // or %50% is kept literal by a [moodle] marker,
    HTML tags by a [plain] one."""
    escaped = escape(text)
    if _HTML_TAG.search(text):  # the site shows tags as typed; so does Moodle in [plain], not in [moodle]
        return "[plain]" + escaped
    start = text.lstrip()  # Moodle trims a text before it reads these
    if _FORMAT.match(start) or start.startswith("//") or _WEIGHT.match(start):
        return "[moodle]" + escaped
    return escaped


def number_text(value: float) -> str:
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _feedback(text: str) -> str:
    return f"#{_out(text)}" if text else ""


def _comment_token(text: str) -> str:
    return " ".join(text.split()).replace("]", "\\]")


def _export_question(question: Question, warnings: list[str]) -> str:
    if question.type == "ordering":
        warnings.append(f"ordering question {question.id} not exportable to GIFT (written as a comment)")
        lines = [f"// ordering question {question.id} not exportable to GIFT"]
        lines += [f"// {line}" for line in question.prompt.splitlines() if line.strip()]
        lines += [f"// {position}. {' '.join(item.text.split())}" for position, item in enumerate(question.items, 1)]
        return "\n".join(lines)

    answers = _export_answers(question, warnings)
    if question.explanation:
        answers.append(f"####{_out(question.explanation)}")
    opening = "{#" if question.type == "numerical" else "{"
    block = opening + "\n" + "".join(f"\t{line}\n" for line in answers) + "}"

    prompt = _out(question.prompt)
    head = f"::{escape(' '.join(question.title.split()))}::" if question.title else ""
    before, blank, after = prompt.partition(BLANK)
    if blank and after.strip() and BLANK not in after:
        body = f"{head}{before}{block}{after}"  # missing word: the answers stand where the blank is
    else:
        body = f"{head}{prompt}{block}"
    tokens = [f"[id:{_comment_token(question.id)}]"]
    tokens += [f"[tag:{CHECK_TAG}{_comment_token(check)}]" for check in question.checks]
    tokens += [f"[tag:{key}:{_comment_token(getattr(question, key))}]" for key in KEY_TAGS if getattr(question, key)]
    dropped = [o.id for o in question.options if o.statement or o.stage]
    dropped += [p.id for p in question.pairs if p.statement or p.stage]
    if dropped:
        warnings.append(
            f"question {question.id}: the statement/stage of {', '.join(dropped)} left out (GIFT has no place for them)"
        )
    return f"// {' '.join(tokens)}\n{body}"


def _export_answers(question: Question, warnings: list[str]) -> list[str]:
    kind = question.type
    if kind == "single":
        return [f"{'=' if o.correct else '~'}{_out(o.text)}{_feedback(o.feedback)}" for o in question.options]
    if kind == "multiple":
        weights = _multiple_weights(question)
        lines = []
        for option, weight in zip(question.options, weights, strict=True):
            mark = f"~%{number_text(weight)}%" if weight else "~"
            lines.append(f"{mark}{_out(option.text)}{_feedback(option.feedback)}")
        return lines
    if kind == "truefalse":
        if question.answer:
            right, wrong, word = question.feedback_true, question.feedback_false, "TRUE"
        else:
            right, wrong, word = question.feedback_false, question.feedback_true, "FALSE"
        line = word
        if wrong or right:
            line += f"#{_out(wrong)}" if wrong else "#"
        if right:
            line += f"#{_out(right)}"
        return [line]
    if kind == "short":
        lines = []
        for accepted in question.accept:
            if "->" in accepted:
                warnings.append(f'question {question.id}: answer "{accepted}" has "->"; Moodle reads it as matching')
            lines.append(f"={_out(accepted)}")
        return lines
    if kind == "matching":
        lines = []
        for pair in question.pairs:
            if "->" in pair.left:
                warnings.append(f'question {question.id}: "{pair.left}" contains "->"; Moodle splits the pair there')
            lines.append(f"={_out(pair.left)} -> {escape(pair.right)}")
        return lines
    if kind == "numerical":
        lines = []
        for number in question.numbers:
            weight_mark = "" if number.weight == 100 else f"%{number_text(number.weight)}%"
            if number.min is not None and number.max is not None:
                value = f"{number_text(number.min)}..{number_text(number.max)}"
            else:
                value = number_text(number.value or 0.0)
                if number.tolerance:
                    value += f":{number_text(number.tolerance)}"
            lines.append(f"={weight_mark}{value}{_feedback(number.feedback)}")
        return lines
    raise ValueError(f"unknown question type {kind}")


def _multiple_weights(question: Question) -> list[float]:
    """Moodle weights for a multiple-answer question; without weights, the site's own scoring as weights."""
    if any(o.weight is not None for o in question.options):
        return [o.weight or 0.0 for o in question.options]
    right = sum(o.correct for o in question.options) or 1
    share = round(100 / right, 5)
    # Right minus wrong choices over the right ones, never below 0: the same as +share and -share, capped.
    return [share if o.correct else -share for o in question.options]
