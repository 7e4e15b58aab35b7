"""Moodle XML import and export for quiz banks. Pure functions: the caller reads and writes files.

Import follows Moodle's own reader (question/format/xml/format.php, and qtype_ordering's
import_from_xml) so that a file means here what it means in Moodle:

- ``<quiz>`` holds ``<question type="...">`` elements; ``type="category"`` sets the category
  (``$course$/top/...``; the last one is the bank's);
- multichoice (``<single>``: one answer or several; each answer's ``fraction`` its credit in
  percent and its ``<feedback>``), truefalse (the feedback of the true and the false answer),
  shortanswer (``<usecase>``, answers at fractional credit with feedback, ``*`` a wildcard),
  numerical (answers with ``<tolerance>``, ``*`` any other number; units are left out with a
  note), matching (``<subquestion>``s; one with no text is an extra right-hand answer, a
  distractor) and ordering (the answers in their right order) are read; shuffling, answer
  numbering, penalties and hints are not the site's (hints are left out with a note);
- ``<name>`` is the title, ``<idnumber>`` the question id (when it is a valid, unused id);
  ``<generalfeedback>`` the explanation; ``<correctfeedback>``, ``<partiallycorrectfeedback>``
  and ``<incorrectfeedback>`` the combined feedback; ``<tags>`` the free tags, where the site's
  own keys are tags too: ``check:<id>`` one of the question's checks, ``statement:``, ``stage:``
  and ``variant_of:`` its stage placement and variant keys;
- a text's ``format``: html is reduced to text as the GIFT reader does (quizzes.gift.html_to_text,
  which has nh3 make it well-formed first: line breaks kept, ``<pre>`` a fenced block, a link's web
  address after its text, scripts and the like left out with a note); plain_text, markdown,
  moodle_auto_format and wiki_like texts are taken as written;
- pictures in the question text (``<img>``) are kept as the question's images when their bytes are
  a PNG, JPEG, GIF or WebP picture (quizzes.images): a ``<file>`` of the text named by
  ``@@PLUGINFILE@@/name``, a ``data:`` URL, Moodle 1.9's ``<image_base64>``, or a file beside
  the XML file (`files`, by relative path). Anything else, and pictures in other texts, are left
  out with a note naming the question and the file.

What the site cannot give (essay, description, calculated, cloze, drag and drop, random...) is
skipped and reported with the line of its ``<question>``. A file that is not well-formed XML,
declares a DTD (entities: billion laughs, external files), nests too deep, holds too many elements
or is too big is refused as a whole with `error`, before it can cost time or memory; so are texts
too long or with too much HTML to reduce in about a second. Every message, on import and on export,
is in the language of the visit (i18n).

Export writes what Moodle's reader takes back: texts as HTML (paragraphs, ``<br>`` line breaks,
``<pre>`` for fenced blocks; plain_text where HTML would not keep the text as written), pictures as
``<file>`` elements with ``@@PLUGINFILE@@`` links, ordering as qtype_ordering with every item shown
and ``ABSOLUTE_POSITION`` grading (a share of the credit for each item in its right position: the
site's own scoring). Keys Moodle XML has no place for are left out with a warning.
"""

from __future__ import annotations

import html
import math
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote
from xml.etree.ElementTree import ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden  # type: ignore[import-untyped]
from defusedxml.ElementTree import DefusedXMLParser  # type: ignore[import-untyped]

from content.ids import QUIZ_ID
from quizzes import images as pictures
from quizzes.gift import (
    FENCE,
    HTML_TAG,
    N_,
    NUMBER,
    _,
    format_number,
    html_to_text,
    multiple_weights,
    ngettext,
    number_text,
    site_tags,
    slug,
    split_tags,
)
from quizzes.importing import QuizExport, QuizImport, option_ids, site_weights, unique_id
from quizzes.model import Bank, Image, NumericAnswer, Option, OrderItem, Pair, Question, ShortAnswer

MAX_XML_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 64  # Moodle XML nests about 6 deep
MAX_ELEMENTS = 100_000  # about 2,000 questions; reading that many takes about half a second
# The texts (<text> elements) of a file: reducing their HTML to text takes about 0.2 seconds a MB,
# and about 10 microseconds per tag or entity ("<", ">" and "&"); 2,000 questions in HTML have
# about 100,000 of these. Moodle writes pictures apart, in <file> elements, which are not counted.
MAX_TEXT_CHARS = 5_000_000
MAX_MARKUP = 100_000
MAX_PICTURES = 20  # <img> read in one text

# The Moodle question types the site gives; "match" is an older name of "matching".
_TYPES = ("multichoice", "truefalse", "shortanswer", "numerical", "matching", "match", "ordering")
_NOT_GIVEN = {
    "essay": N_("essay needs a person to grade it; the site cannot give it"),
    "description": N_("description (text without an answer) is not a question"),
    "cloze": N_("cloze (embedded answers) is not a question type the site gives"),
    "multianswer": N_("cloze (embedded answers) is not a question type the site gives"),
    "random": N_("a random question draws from a Moodle category; the site cannot give it"),
}
_PLAIN_FORMATS = ("moodle_auto_format", "plain_text", "markdown", "wiki_like")
_RENDERED_HTML = ("moodle_auto_format", "markdown")  # Moodle renders HTML tags in these; the site shows them
# Moodle's grade list (question_bank::fraction_options_full): its import refuses other fractions.
_MOODLE_GRADES = (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571,
                  12.5, 11.11111, 10, 5, 0)  # fmt: skip
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# ------------------------------------------------------------------------------------------ reading XML


@dataclass
class _Node:
    """An element with the line of its start tag (ElementTree keeps no line numbers)."""

    tag: str
    attrib: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def find(self, tag: str) -> _Node | None:
        return next((child for child in self.children if child.tag == tag), None)

    def findall(self, tag: str) -> list[_Node]:
        return [child for child in self.children if child.tag == tag]

    def value(self, tag: str, default: str = "") -> str:
        """The trimmed text of the first `tag` child (Moodle's getpath), or `default`."""
        child = self.find(tag)
        return child.text.strip() if child is not None else default

    def text_of(self, tag: str) -> str:
        """The trimmed text of the <text> in the first `tag` child."""
        child = self.find(tag)
        return child.value("text") if child is not None else ""


class _Refused(Exception):
    """The file is refused as a whole; the message says why."""


class _Builder:
    """The parser's target: builds _Node trees, recording lines, within the depth and size limits."""

    def __init__(self) -> None:
        self.stack: list[_Node] = []
        self.root: _Node | None = None
        self.count = 0
        self.markup = 0
        self.text_chars = 0
        self.line: Callable[[], int] = lambda: 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.count += 1
        if self.count > MAX_ELEMENTS:
            raise _Refused(
                _("line {line}: more than {limit} elements; refused").format(
                    line=self.line(), limit=format_number(MAX_ELEMENTS)
                )
            )
        if len(self.stack) >= MAX_DEPTH:
            raise _Refused(
                _("line {line}: elements nested more than {limit} deep; refused").format(
                    line=self.line(), limit=MAX_DEPTH
                )
            )
        node = _Node(tag, dict(attrib), self.line())
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def end(self, tag: str) -> None:
        self.stack.pop()

    def data(self, text: str) -> None:
        if not self.stack:
            return
        if self.stack[-1].tag == "text":
            self.text_chars += len(text)
            if self.text_chars > MAX_TEXT_CHARS:
                raise _Refused(
                    _("line {line}: the texts are longer than {limit} characters together; refused").format(
                        line=self.stack[-1].line, limit=format_number(MAX_TEXT_CHARS)
                    )
                )
            self.markup += text.count("<") + text.count(">") + text.count("&")
            if self.markup > MAX_MARKUP:
                raise _Refused(
                    _("line {line}: more than {limit} HTML tags and entities in the texts; refused").format(
                        line=self.stack[-1].line, limit=format_number(MAX_MARKUP)
                    )
                )
        self.stack[-1].parts.append(text)

    def close(self) -> _Node | None:
        return self.root


def _read_tree(data: bytes) -> _Node:
    """The document's tree; raises _Refused for what is not safe, well-formed XML."""
    if len(data) > MAX_XML_BYTES:
        raise _Refused(
            _("the file is {size}; at most {limit} is read").format(
                size=pictures.megabytes(len(data)), limit=pictures.megabytes(MAX_XML_BYTES)
            )
        )
    builder = _Builder()
    # forbid_dtd: Moodle XML has no <!DOCTYPE>, and a DTD is where entity bombs and external entities live.
    parser: Any = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    expat = parser.parser
    builder.line = lambda: int(expat.CurrentLineNumber)
    try:
        parser.feed(data)
        root = parser.close()
    except DTDForbidden:
        raise _Refused(
            _(
                "line {line}: the file declares a document type (<!DOCTYPE ...>); Moodle XML has none, "
                "and its entities can expand without end or read other files: refused"
            ).format(line=builder.line())
        ) from None
    except (EntitiesForbidden, ExternalReferenceForbidden):  # pragma: no cover - a DTD is refused first
        raise _Refused(_("line {line}: the file declares entities; refused").format(line=builder.line())) from None
    except ParseError as error:
        line, column = error.position
        reason = str(error).split(":", 1)[0]
        raise _Refused(
            _("not well-formed XML at line {line}, column {column}: {reason}").format(
                line=line, column=column + 1, reason=reason
            )
        ) from None
    except RecursionError:  # pragma: no cover - the depth limit comes first
        raise _Refused(_("elements nested too deep; refused")) from None
    if root is None:  # pragma: no cover - expat reports a document without elements
        raise _Refused(_("no XML element in the file"))
    return root  # type: ignore[no-any-return]


# ------------------------------------------------------------------------------------------ import


class _Skip(Exception):
    """This question cannot be imported; the message says why."""


@dataclass
class _Context:
    """What reading one question needs besides its element."""

    label: str
    files: Mapping[str, bytes] | None
    notes: list[str]
    budget: list[int]  # bytes of pictures the bank may still take, shared by all questions
    images: list[Image] = field(default_factory=list)
    seen_sources: set[str] = field(default_factory=set)

    def note(self, text: str) -> None:
        self.notes.append(_("{note}: {question}").format(note=text, question=self.label))


def parse_moodle_xml(data: bytes, source: str = "<xml>", files: Mapping[str, bytes] | None = None) -> QuizImport:
    """Read Moodle XML. Never raises for bad content: problems end up in `error`, `skipped` and
    `warnings`. `files`: the files beside the XML file by relative path, for <img src="pics/a.png">."""
    result = QuizImport(source=source)
    try:
        root = _read_tree(data)
    except _Refused as refused:
        result.error = str(refused)
        return result
    if root.tag != "quiz":
        result.error = _("line {line}: not Moodle XML: the document is <{tag}>, not <quiz>").format(
            line=root.line, tag=root.tag
        )
        return result
    used: set[str] = set()
    budget = [pictures.MAX_BANK_IMAGE_BYTES]
    for node in root.children:
        if node.tag != "question":
            result.warnings.append((node.line, _("<{tag}> is not a question; left out").format(tag=node.tag)))
            continue
        kind = node.attrib.get("type", "").strip()
        if kind == "category":
            path = _category(node)
            if path:
                result.categories.append(path)
            continue
        notes: list[str] = []
        try:
            question = _question(node, kind, used, len(result.questions) + 1, files, notes, budget)
        except _Skip as reason:
            result.skipped.append((node.line, str(reason)))
        else:
            used.add(question.id)
            result.questions.append(question)
            result.warnings.extend((node.line, note) for note in notes)
    return result


def _category(node: _Node) -> str:
    """The path of a category question: <category><text>path</text></category> (or the older
    <category>path</category>)."""
    element = node.find("category")
    if element is None:
        return ""
    path = element.value("text") if element.find("text") is not None else element.text.strip()
    return " ".join(path.split())


def _label(name: str, prompt: str = "") -> str:
    plain = " ".join((name or prompt).split())
    return f'"{plain[:50]}…"' if len(plain) > 50 else f'"{plain}"'


def _question(
    node: _Node,
    kind: str,
    used: set[str],
    number: int,
    files: Mapping[str, bytes] | None,
    notes: list[str],
    budget: list[int],
) -> Question:
    name = " ".join(node.text_of("name").split())
    shown = name or reduce_html(node.text_of("questiontext"))[0]
    label = _label(shown) if shown else f'<question type="{kind}">'
    if kind not in _TYPES:
        if kind in _NOT_GIVEN:
            why = _(_NOT_GIVEN[kind])
        else:
            why = _('question type "{kind}" is not one the site gives').format(kind=kind)
        raise _Skip(_("{reason}: {question}").format(reason=why, question=label))
    context = _Context(label, files, notes, budget)
    text_element = node.find("questiontext")
    default_format = text_element.attrib.get("format", "html").strip() if text_element is not None else "html"
    prompt = _text(text_element, "html", context, _("the question text"), keep_pictures=True)
    _old_image(node, context)
    if not prompt:
        raise _Skip(_("the question has no text: {question}").format(question=label))

    def texts(tag: str, what: str) -> str:
        return _text(node.find(tag), default_format, context, what)

    common: dict[str, Any] = {
        "prompt": prompt,
        "explanation": texts("generalfeedback", _("the general feedback")),
        "feedback_right": texts("correctfeedback", _("the feedback for a right response")),
        "feedback_partly": texts("partiallycorrectfeedback", _("the feedback for a partly right response")),
        "feedback_wrong": texts("incorrectfeedback", _("the feedback for a wrong response")),
    }
    if kind == "multichoice":
        kind, fields = _choice(node, default_format, context)
    elif kind == "truefalse":
        kind, fields = "truefalse", _true_false(node, default_format, context)
    elif kind == "shortanswer":
        kind, fields = "short", _short(node, default_format, context)
    elif kind == "numerical":
        kind, fields = "numerical", _numerical(node, default_format, context)
    elif kind in ("matching", "match"):
        kind, fields = "matching", _matching(node, default_format, context)
    else:
        kind, fields = "ordering", _ordering(node, default_format, context)

    hints = [hint for hint in node.findall("hint") if hint.value("text")]
    if hints:
        context.note(
            ngettext(
                "{count} hint left out: the site gives no hints",
                "{count} hints left out: the site gives no hints",
                len(hints),
            ).format(count=len(hints))
        )
    grade = node.value("defaultgrade", "1")
    if NUMBER.fullmatch(grade) and float(grade) != 1:
        context.note(
            _("default mark {mark} left out: every question here counts the same").format(
                mark=number_text(float(grade))
            )
        )

    question_id = _identity(node.value("idnumber"), name, used, number, context)
    tags = split_tags(" ".join(tag.value("text").split()) for tag in _tag_nodes(node))
    return Question(
        id=question_id,
        type=kind,
        title="" if name == question_id else name,
        checks=tuple(dict.fromkeys(tags.checks)),
        tags=tags.free,
        images=tuple(context.images),
        statement=tags.keys.get("statement", ""),
        stage=tags.keys.get("stage", ""),
        variant_of=tags.keys.get("variant_of", ""),
        **common,
        **fields,
    )


def _tag_nodes(node: _Node) -> list[_Node]:
    tags = node.find("tags")
    return tags.findall("tag") if tags is not None else []


def _identity(idnumber: str, name: str, used: set[str], number: int, context: _Context) -> str:
    """The question id: the ID number when it is a valid unused id, else a slug of the name, else
    qNNN; made unique."""
    wanted = ""
    if idnumber:
        if not QUIZ_ID.is_valid(idnumber):
            context.note(_('ID number "{id}" is not a valid question id; a new id is used').format(id=idnumber))
        elif idnumber in used:
            context.note(_('ID number "{id}" is used twice; a new id is used').format(id=idnumber))
        else:
            wanted = idnumber
    return unique_id(wanted or slug(name) or f"q{number:03d}", used)


# ------------------------------------------------------------------------------------------ texts


def reduce_html(raw: str) -> tuple[str, list[tuple[str, str]], list[str]]:
    """The text of an HTML fragment (quizzes.gift.html_to_text, in linear time however broken the
    markup), the (src, alt) of its pictures in order, and the elements whose content is lost
    (scripts, frames...; pictures are read apart)."""
    dropped: list[str] = []
    found: list[tuple[str, str]] = []
    text = html_to_text(raw, dropped, found)
    return text, found, [name for name in dropped if name != "img"]


def _embedded_files(element: _Node) -> dict[str, str]:
    """The base64 <file> elements of a text, by path and name ("/name.png")."""
    found: dict[str, str] = {}
    for item in element.findall("file"):
        name = item.attrib.get("name", "").strip()
        path = item.attrib.get("path", "/").strip() or "/"
        if name and item.attrib.get("encoding", "base64").strip() == "base64":
            found.setdefault(posixpath.join(path if path.startswith("/") else "/" + path, name), item.text)
    return found


def _text(element: _Node | None, default_format: str, context: _Context, what: str, keep_pictures: bool = False) -> str:
    """A text element (<text> with its format and files) as the site's text. Pictures are taken
    into context.images when `keep_pictures`, else left out with a note."""
    if element is None:
        return ""
    raw = element.value("text")
    fmt = element.attrib.get("format", default_format).strip() or default_format
    embedded = _embedded_files(element)
    if fmt not in _PLAIN_FORMATS:  # html, and what Moodle does not know, which it reads as html
        text, found, lost = reduce_html(raw)
        for src, alt in found[:MAX_PICTURES]:
            _picture(src, alt, embedded, context, what, keep_pictures)
        if len(found) > MAX_PICTURES:
            extra = len(found) - MAX_PICTURES
            context.note(
                ngettext(
                    "{count} picture in {what} left out: at most {limit} are read",
                    "{count} pictures in {what} left out: at most {limit} are read",
                    extra,
                ).format(count=extra, what=what, limit=MAX_PICTURES)
            )
        if lost:
            context.note(
                _("{what} read as text without its {tags}").format(
                    what=what, tags=", ".join(f"<{tag}>" for tag in lost)
                )
            )
    else:
        text = raw
        if fmt in _RENDERED_HTML:
            shown = list(
                dict.fromkeys(tag.group() for tag in HTML_TAG.finditer(text) if not tag.group().startswith("</"))
            )
            if shown:
                context.note(
                    _("HTML {tags} in {what} is shown as typed: the site does not render HTML").format(
                        tags=", ".join(shown[:3]), what=what
                    )
                )
    for path in embedded:
        context.note(
            _("file {file} in {what} left out: the text does not show it").format(file=path.lstrip("/"), what=what)
        )
    return text.strip()


def _picture(src: str, alt: str, embedded: dict[str, str], context: _Context, what: str, keep: bool) -> None:
    """Take one <img> of a text: resolve its bytes, check them, keep them as an image."""
    shown = src if len(src) < 60 else src[:40] + "…"
    if src.startswith("@@PLUGINFILE@@"):
        path = unquote(src[len("@@PLUGINFILE@@") :].split("?", 1)[0])
        name = path
        encoded = embedded.pop(path, None)
        if encoded is None:
            context.note(
                _("picture {file} in {what} left out: the file is not in the XML").format(
                    file=path.lstrip("/"), what=what
                )
            )
            return
        if not keep:
            context.note(
                _("picture {file} in {what} left out: the site shows pictures with the question text only").format(
                    file=path.lstrip("/"), what=what
                )
            )
            return
        data, problem = pictures.decode_base64(encoded)
        claimed = ""
    elif src.lower().startswith("data:"):
        header, comma, payload = src[5:].partition(",")
        name, claimed = "image", header.split(";", 1)[0].strip().lower()
        if not keep:
            context.note(
                _("a data: picture in {what} left out: the site shows pictures with the question text only").format(
                    what=what
                )
            )
            return
        if not comma or ";base64" not in header.lower():
            context.note(_("a data: picture in {what} left out: only base64 data is read").format(what=what))
            return
        data, problem = pictures.decode_base64(unquote(payload))
    elif re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", src, re.IGNORECASE):
        context.note(
            _("picture {picture} in {what} left out: pictures on other sites are not fetched").format(
                picture=shown, what=what
            )
        )
        return
    else:
        relative = posixpath.normpath(unquote(src.split("?", 1)[0].split("#", 1)[0]))
        name = relative
        if not keep:
            context.note(
                _("picture {picture} in {what} left out: the site shows pictures with the question text only").format(
                    picture=shown, what=what
                )
            )
            return
        if not src or relative.startswith(("/", "..")) or relative == ".":
            context.note(
                _("picture {picture} in {what} left out: only files in the XML file's folder are read").format(
                    picture=shown, what=what
                )
            )
            return
        if context.files is None:
            context.note(
                _("picture {file} in {what} left out: it is a file beside the XML file, which was not given").format(
                    file=relative, what=what
                )
            )
            return
        found = context.files.get(relative)
        if found is None:
            context.note(
                _("picture {file} in {what} left out: no such file beside the XML file").format(
                    file=relative, what=what
                )
            )
            return
        data, problem, claimed = found, "", ""
    if src in context.seen_sources:
        return
    label = name.rsplit("/", 1)[-1] or "picture"
    image = None
    if not problem:
        image, problem = pictures.make_image(label, data, alt, claimed)
    if image is None:
        context.note(_("picture {file} in {what} left out: {problem}").format(file=label, what=what, problem=problem))
        return
    size = pictures.stored_size(image)  # as the loader counts it
    if size > context.budget[0]:
        context.note(
            _("picture {file} left out: the bank's pictures would pass {limit}").format(
                file=label, limit=pictures.megabytes(pictures.MAX_BANK_IMAGE_BYTES)
            )
        )
        return
    context.budget[0] -= size
    context.seen_sources.add(src)
    names = {kept.name for kept in context.images}
    stem, _dot, extension = image.name.rpartition(".")
    unique, counter = image.name, 2
    while unique in names:
        unique = f"{stem}-{counter}.{extension}"
        counter += 1
    context.images.append(Image(unique, image.media_type, image.data, image.alt))


def _old_image(node: _Node, context: _Context) -> None:
    """Moodle 1.9's picture: <image>name</image> with <image_base64>."""
    encoded = node.value("image_base64")
    name = node.value("image")
    if encoded and name:
        src = "@@PLUGINFILE@@/" + quote(name)
        _picture(src, "", {"/" + name: encoded}, context, _("the question"), keep=True)


def _plain(element: _Node | None) -> str:
    """A plain text answer (shortanswer, numerical, a matching answer): its <text>, trimmed."""
    return element.value("text") if element is not None else ""


def _fraction(answer: _Node, context: _Context) -> float:
    raw = answer.attrib.get("fraction", "0").strip() or "0"
    if not NUMBER.fullmatch(raw):
        raise _Skip(
            _('answer credit (fraction) "{value}" is not a number: {question}').format(
                value=raw, question=context.label
            )
        )
    value = float(raw)
    if not math.isfinite(value):
        raise _Skip(
            _('answer credit (fraction) "{value}" is not a finite number: {question}').format(
                value=raw, question=context.label
            )
        )
    return value


def _answers(node: _Node, default_format: str, context: _Context, rich: bool) -> list[tuple[str, float, str, _Node]]:
    """(text, fraction in percent, feedback, element) of each <answer> with a text."""
    found = []
    for answer in node.findall("answer"):
        text = _text(answer, default_format, context, _("an answer")) if rich else _plain(answer)
        feedback = _text(answer.find("feedback"), default_format, context, _("an answer's feedback"))
        fraction = _fraction(answer, context)
        if text:  # Moodle leaves out answers without text
            found.append((text, fraction, feedback, answer))
    return found


def _choice(node: _Node, default_format: str, context: _Context) -> tuple[str, dict[str, Any]]:
    single = node.value("single", "true") not in ("false", "", "0")  # Moodle's trans_single
    answers = _answers(node, default_format, context, rich=True)
    if len(answers) < 2:
        raise _Skip(_("a choice question needs at least two answers: {question}").format(question=context.label))
    for _text, fraction, _feedback, _node in answers:
        if not -100 <= fraction <= 100:
            raise _Skip(
                _("answer credit {credit:g}% is outside -100..100: {question}").format(
                    credit=fraction, question=context.label
                )
            )
    ids = option_ids(len(answers))
    if single:
        right = [a for a in answers if a[1] >= 100]
        if len(right) != 1:
            raise _Skip(
                ngettext(
                    "{count} answer is fully right; single choice takes exactly one "
                    "(<single>false</single> makes several right answers a multiple-answer question): {question}",
                    "{count} answers are fully right; single choice takes exactly one "
                    "(<single>false</single> makes several right answers a multiple-answer question): {question}",
                    len(right),
                ).format(count=len(right), question=context.label)
            )
        for text, fraction, _feedback, _node in answers:
            if fraction and fraction < 100:
                context.note(
                    _('{credit:g}% credit for "{text}" left out: single choice gives full or no credit').format(
                        credit=fraction, text=text
                    )
                )
        options = tuple(
            Option(i, text, fraction >= 100, feedback)
            for i, (text, fraction, feedback, _) in zip(ids, answers, strict=True)
        )
        return "single", {"options": options}
    positive = sum(a[1] for a in answers if a[1] > 0)
    if positive < 99.9:
        raise _Skip(
            _("the positive answer credits add up to {total:g}%, not 100%: {question}").format(
                total=positive, question=context.label
            )
        )
    if positive > 100.1:
        context.note(
            _("the positive answer credits add up to {total:g}%; credit is capped at 100%").format(total=positive)
        )
    fractions = [a[1] for a in answers]
    correct = [fraction > 0 for fraction in fractions]
    # Credits that are the site's own scoring stay implicit, so that export and import give the same bank.
    implicit = all(abs(a - b) < 1e-9 for a, b in zip(fractions, site_weights(correct), strict=True))
    options = tuple(
        Option(i, text, fraction > 0, feedback, None if implicit else fraction)
        for i, (text, fraction, feedback, _) in zip(ids, answers, strict=True)
    )
    return "multiple", {"options": options}


def _true_false(node: _Node, default_format: str, context: _Context) -> dict[str, Any]:
    answers = node.findall("answer")
    if not answers:
        raise _Skip(_("a true/false question needs its answers: {question}").format(question=context.label))
    found: dict[str, tuple[float, str]] = {}
    old_style = False
    for position, answer in enumerate(answers[:2]):
        word = _plain(answer)
        if word not in ("true", "false"):  # Moodle: an old file, true first and false second
            old_style = True
            word = "true" if position == 0 else "false"
        feedback = _text(answer.find("feedback"), default_format, context, _("feedback"))
        found[word] = (_fraction(answer, context), feedback)
    if old_style:
        context.note(_("the answers are not named true and false; read as true first, false second, as Moodle does"))
    true_right = found["true"][0] >= 100 if "true" in found else None
    false_right = found["false"][0] >= 100 if "false" in found else None
    if true_right is not None and false_right is not None and true_right == false_right:
        why = _("both answers are right") if true_right else _("neither answer is right")
        raise _Skip(_("{reason}: {question}").format(reason=why, question=context.label))
    right = true_right if true_right is not None else not false_right
    return {
        "answer": right,
        "feedback_true": found.get("true", (0.0, ""))[1],
        "feedback_false": found.get("false", (0.0, ""))[1],
    }


def _short(node: _Node, default_format: str, context: _Context) -> dict[str, Any]:
    case = node.value("usecase", "0")
    accept: list[ShortAnswer] = []
    for text, fraction, feedback, _node in _answers(node, default_format, context, rich=False):
        if not 0 <= fraction <= 100:
            raise _Skip(
                _('credit {credit:g}% for answer "{text}" is outside 0..100: {question}').format(
                    credit=fraction, text=text, question=context.label
                )
            )
        accept.append(ShortAnswer(text, fraction, feedback))
    if not accept:
        raise _Skip(_("a short-answer question needs at least one answer: {question}").format(question=context.label))
    if not any(answer.weight >= 100 for answer in accept):
        raise _Skip(_("no fully right answer (one needs 100% credit): {question}").format(question=context.label))
    return {"accept": tuple(accept), "case_sensitive": case not in ("0", "", "false")}


def _float(text: str, what: str, context: _Context) -> float:
    if not NUMBER.fullmatch(text):
        raise _Skip(
            _('{what} "{text}" is not a number: {question}').format(what=what, text=text, question=context.label)
        )
    value = float(text)
    if not math.isfinite(value):
        raise _Skip(
            _('{what} "{text}" is not a finite number: {question}').format(what=what, text=text, question=context.label)
        )
    return value


def _numerical(node: _Node, default_format: str, context: _Context) -> dict[str, Any]:
    numbers: list[NumericAnswer] = []
    for answer in node.findall("answer"):
        text = _plain(answer) or "*"  # Moodle: an empty answer is "*"
        fraction = _fraction(answer, context)
        deprecated = answer.value("fraction")  # an older form: the credit as 0..1 in an element
        if deprecated:
            fraction = _float(deprecated, _("answer credit"), context) * 100
        if not 0 <= fraction <= 100:
            raise _Skip(
                _('credit {credit:g}% for answer "{text}" is outside 0..100: {question}').format(
                    credit=fraction, text=text, question=context.label
                )
            )
        feedback = _text(answer.find("feedback"), default_format, context, _("an answer's feedback"))
        if text == "*":
            numbers.append(NumericAnswer(weight=fraction, feedback=feedback, any_number=True))
            continue
        value = _float(text, _("answer"), context)
        tolerance = abs(_float(answer.value("tolerance", "0") or "0", _("tolerance"), context))
        numbers.append(NumericAnswer(value=value, tolerance=tolerance, weight=fraction, feedback=feedback))
    if not numbers:
        raise _Skip(_("a numerical question needs at least one number: {question}").format(question=context.label))
    if not any(n.weight >= 100 and not n.any_number for n in numbers):
        raise _Skip(_("no fully right number (one needs 100% credit): {question}").format(question=context.label))
    units_element = node.find("units")
    units = [unit.value("unit_name") for unit in units_element.findall("unit")] if units_element is not None else []
    if any(units):
        context.note(
            _("units ({units}) left out: the site reads a plain number").format(units=", ".join(u for u in units if u))
        )
    return {"numbers": tuple(numbers)}


def _matching(node: _Node, default_format: str, context: _Context) -> dict[str, Any]:
    pairs: list[Pair] = []
    extra: list[str] = []
    for sub in node.findall("subquestion"):
        left = _text(sub, default_format, context, _("a matching item"))
        right = " ".join(_plain(sub.find("answer")).split())
        if not right:
            if left:
                raise _Skip(
                    _('matching item "{item}" has no answer: {question}').format(item=left, question=context.label)
                )
            continue
        if left:
            pairs.append(Pair(f"p{len(pairs) + 1}", left, right))
        else:
            extra.append(right)
    if len(pairs) < 2:
        raise _Skip(_("a matching question needs at least two pairs: {question}").format(question=context.label))
    rights = {pair.right for pair in pairs}
    distractors: list[str] = []
    for right in extra:
        if right in rights:
            context.note(
                _('extra answer "{answer}" left out: it is already the answer of an item').format(answer=right)
            )
        elif right in distractors:
            context.note(_('extra answer "{answer}" is given twice; kept once').format(answer=right))
        else:
            distractors.append(right)
    return {"pairs": tuple(pairs), "distractors": tuple(distractors)}


def _ordering(node: _Node, default_format: str, context: _Context) -> dict[str, Any]:
    # Moodle's import takes the answers in the file's order as the right order.
    answers = _answers(node, default_format, context, rich=True)
    if len(answers) < 2:
        raise _Skip(_("an ordering question needs at least two items: {question}").format(question=context.label))
    if any(answer[2] for answer in answers):
        context.note(_("feedback on single items left out: the site has no place for it"))
    select = node.value("selecttype").upper()
    count = node.value("selectcount")
    if select in ("RANDOM", "REL", "CONTIGUOUS", "CONTIG") and count.isdigit() and 0 < int(count) < len(answers):
        context.note(
            _("Moodle shows {count} of the {total} items; the site shows them all").format(
                count=count, total=len(answers)
            )
        )
    grading = node.value("gradingtype").upper()
    if grading and grading not in ("ABSOLUTE_POSITION", "ABSOLUTE", "ABS"):
        context.note(
            _(
                "grading {grading} becomes the site's: a share of the credit for each item in its right place "
                "(Moodle's ABSOLUTE_POSITION)"
            ).format(grading=grading)
        )
    items = tuple(OrderItem(f"i{n}", answer[0]) for n, answer in enumerate(answers, start=1))
    return {"items": items}


# ------------------------------------------------------------------------------------------ export


def export_moodle_xml(bank: Bank) -> QuizExport:
    """The bank as Moodle XML that Moodle's importer reads; `warnings` says what was left out."""
    warnings: list[str] = []
    header = _comment(f"Quiz bank {bank.id}: {bank.title}")
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>", f"<!-- {header} -->"]
    if bank.category:
        parts.append(
            '  <question type="category">\n'
            "    <category>\n"
            f"      <text>{_xml_text(bank.category, warnings, _('the category'))}</text>\n"
            "    </category>\n"
            '    <info format="moodle_auto_format">\n      <text></text>\n    </info>\n'
            "    <idnumber></idnumber>\n"
            "  </question>"
        )
    for question in bank.questions:
        parts.append(_export_question(question, warnings))
    parts.append("</quiz>")
    return QuizExport("\n".join(parts) + "\n", warnings, [])


def _comment(text: str) -> str:
    return " ".join(text.replace("--", "- -").split())


def _xml_text(text: str, warnings: list[str], where: str) -> str:
    """Text for an XML element, in CDATA when it holds markup characters (as Moodle writes it)."""
    if _XML_INVALID.search(text):
        warnings.append(_("{where}: control characters left out (XML cannot hold them)").format(where=where))
        text = _XML_INVALID.sub("", text)
    if not any(char in text for char in "<>&"):
        return text
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _attribute(value: str) -> str:
    return html.escape(_XML_INVALID.sub("", value), quote=True)


def _paragraphs_html(text: str) -> str:
    """HTML for the site's text: paragraphs at empty lines, <br> at line breaks, <pre> for a block
    fenced by ``` lines."""
    lines = text.split("\n")
    blocks: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append("<p>" + "<br>\n".join(paragraph) + "</p>")
            paragraph.clear()

    position = 0
    while position < len(lines):
        line = lines[position]
        if line == FENCE:
            close = next((n for n in range(position + 1, len(lines)) if lines[n] == FENCE), None)
            if close is not None:
                flush()
                body = "\n".join(lines[position + 1 : close])
                blocks.append("<pre>\n" + html.escape(body, quote=False) + "\n</pre>")
                position = close + 1
                continue
        if line.strip():
            paragraph.append(html.escape(line, quote=False))
        else:
            flush()
        position += 1
    flush()
    if len(blocks) == 1 and "\n" not in text and not blocks[0].startswith("<pre>"):
        return blocks[0][len("<p>") : -len("</p>")]  # one line needs no paragraph
    return "\n".join(blocks)


def _text_parts(
    text: str, indent: str, warnings: list[str], where: str, images: tuple[Image, ...] = ()
) -> tuple[str, str]:
    """The format and the inner lines (<text> and <file>s) of a text element: html when the importer
    reads it back as written (and always with pictures), else plain_text, which Moodle shows as written."""
    if not text and not images:  # most feedback: nothing to write or to read back
        return "html", f"{indent}  <text></text>"
    written = _paragraphs_html(text)
    fmt = "html"
    if reduce_html(written)[0] != text:
        if images:
            warnings.append(
                _("{where}: its empty lines or runs of spaces become single ones in Moodle's HTML").format(where=where)
            )
        else:
            fmt, written = "plain_text", text
    files = ""
    if images:
        tags = "".join(
            f'<img src="@@PLUGINFILE@@/{quote(image.name)}" alt="{_attribute(image.alt)}">' for image in images
        )
        written = f"{written}\n<p>{tags}</p>" if written else f"<p>{tags}</p>"
        files = "".join(
            f'\n{indent}  <file name="{_attribute(image.name)}" path="/" encoding="base64">{image.data}</file>'
            for image in images
        )
    return fmt, f"{indent}  <text>{_xml_text(written, warnings, where)}</text>{files}"


def _rich_text(
    tag: str,
    text: str,
    indent: str,
    warnings: list[str],
    where: str,
    images: tuple[Image, ...] = (),
    attributes: str = "",
) -> str:
    fmt, inner = _text_parts(text, indent, warnings, where, images)
    return f'{indent}<{tag}{attributes} format="{fmt}">\n{inner}\n{indent}</{tag}>'


def _plain_text(tag: str, text: str, indent: str, warnings: list[str], where: str) -> str:
    return f"{indent}<{tag}>\n{indent}  <text>{_xml_text(text, warnings, where)}</text>\n{indent}</{tag}>"


def _grade(weight: float) -> str:
    return number_text(round(weight, 7))


def _check_grade(weight: float, question: Question, what: str, warnings: list[str]) -> None:
    if not any(abs(abs(weight) - grade) < 0.001 for grade in _MOODLE_GRADES):
        warnings.append(
            _(
                "question {id}: {what} gives {weight:g}% credit; Moodle's import takes only the credits "
                "of its list (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, ...)"
            ).format(id=question.id, what=what, weight=weight)
        )


def _answer(
    weight: float, text: str, feedback: str, warnings: list[str], where: str, rich: bool, extra: str = ""
) -> str:
    indent = "    "
    if rich:
        fmt, inner = _text_parts(text, indent, warnings, where)
    else:
        fmt, inner = "moodle_auto_format", f"{indent}  <text>{_xml_text(text, warnings, where)}</text>"
    feedback_element = _rich_text("feedback", feedback, indent + "  ", warnings, where)
    return (
        f'{indent}<answer fraction="{_grade(weight)}" format="{fmt}">\n{inner}\n{feedback_element}{extra}\n'
        f"{indent}</answer>"
    )


def _combined(question: Question, warnings: list[str]) -> list[str]:
    where = _("question {id}").format(id=question.id)
    return [
        _rich_text("correctfeedback", question.feedback_right, "    ", warnings, where),
        _rich_text("partiallycorrectfeedback", question.feedback_partly, "    ", warnings, where),
        _rich_text("incorrectfeedback", question.feedback_wrong, "    ", warnings, where),
    ]


def _export_question(question: Question, warnings: list[str]) -> str:
    where = _("question {id}").format(id=question.id)
    kind = {
        "single": "multichoice",
        "multiple": "multichoice",
        "truefalse": "truefalse",
        "short": "shortanswer",
        "numerical": "numerical",
        "matching": "matching",
        "ordering": "ordering",
    }[question.type]
    lines = [
        f"<!-- question: {_comment(question.id)} -->",
        f'  <question type="{kind}">',
        _plain_text("name", question.title or question.id, "    ", warnings, where),
        _rich_text("questiontext", question.prompt, "    ", warnings, where, question.images),
        _rich_text("generalfeedback", question.explanation, "    ", warnings, where),
        "    <defaultgrade>1</defaultgrade>",
        f"    <penalty>{'1' if kind == 'truefalse' else '0.3333333'}</penalty>",
        "    <hidden>0</hidden>",
        f"    <idnumber>{_xml_text(question.id, warnings, where)}</idnumber>",
    ]
    lines += _export_body(question, warnings)
    if kind in ("truefalse", "shortanswer", "numerical"):
        given = [
            name
            for name, text in (
                (_("right"), question.feedback_right),
                (_("partly right"), question.feedback_partly),
                (_("wrong"), question.feedback_wrong),
            )
            if text
        ]
        if given:
            warnings.append(
                _(
                    "{where}: the feedback for a {responses} response left out "
                    "(Moodle's {kind} question has no combined feedback)"
                ).format(where=where, responses=", ".join(given), kind=kind)
            )
    tags = [*site_tags(question), *question.tags]
    if tags:
        lines.append("    <tags>")
        lines += [f"      <tag><text>{_xml_text(tag, warnings, where)}</text></tag>" for tag in tags]
        lines.append("    </tags>")
    long_tags = [tag for tag in tags if len(tag) > 50]
    if long_tags:
        warnings.append(
            _("{where}: Moodle keeps the first 50 characters of a tag: {tags}").format(
                where=where, tags=", ".join(long_tags)
            )
        )
    dropped = [o.id for o in question.options if o.statement or o.stage]
    dropped += [p.id for p in question.pairs if p.statement or p.stage]
    dropped += [i.id for i in question.items if i.statement or i.stage]
    if dropped:
        warnings.append(
            _("{where}: the statement/stage of {ids} left out (Moodle XML has no place for them)").format(
                where=where, ids=", ".join(dropped)
            )
        )
    lines.append("  </question>")
    return "\n".join(lines)


def _export_body(question: Question, warnings: list[str]) -> list[str]:
    where = _("question {id}").format(id=question.id)
    kind = question.type
    if kind in ("single", "multiple"):
        if kind == "single":
            weights = [100.0 if option.correct else 0.0 for option in question.options]
        else:
            weights = multiple_weights(question)
        for option, weight in zip(question.options, weights, strict=True):
            _check_grade(weight, question, _('answer "{text}"').format(text=option.text), warnings)
        return [
            f"    <single>{'true' if kind == 'single' else 'false'}</single>",
            "    <shuffleanswers>false</shuffleanswers>",
            "    <answernumbering>abc</answernumbering>",
            "    <showstandardinstruction>0</showstandardinstruction>",
            *_combined(question, warnings),
            *(
                _answer(weight, option.text, option.feedback, warnings, where, rich=True)
                for option, weight in zip(question.options, weights, strict=True)
            ),
        ]
    if kind == "truefalse":
        return [
            _answer(100.0 if question.answer else 0.0, "true", question.feedback_true, warnings, where, rich=False),
            _answer(0.0 if question.answer else 100.0, "false", question.feedback_false, warnings, where, rich=False),
        ]
    if kind == "short":
        lines = [f"    <usecase>{1 if question.case_sensitive else 0}</usecase>"]
        for accepted in question.accept:
            _check_grade(accepted.weight, question, _('answer "{text}"').format(text=accepted.text), warnings)
            lines.append(_answer(accepted.weight, accepted.text, accepted.feedback, warnings, where, rich=False))
        return lines
    if kind == "numerical":
        lines = []
        for number in question.numbers:
            _check_grade(number.weight, question, _("a number"), warnings)
            if number.any_number:
                text, tolerance = "*", 0.0
            elif number.min is not None and number.max is not None:
                text, tolerance = number_text((number.min + number.max) / 2), (number.max - number.min) / 2
                warnings.append(
                    _(
                        "{where}: the range {low}..{high} is written as {value} ± {tolerance} (Moodle has no ranges)"
                    ).format(
                        where=where,
                        low=number_text(number.min),
                        high=number_text(number.max),
                        value=text,
                        tolerance=number_text(tolerance),
                    )
                )
            else:
                text, tolerance = number_text(number.value or 0.0), number.tolerance
            extra = f"\n      <tolerance>{number_text(tolerance)}</tolerance>"
            lines.append(_answer(number.weight, text, number.feedback, warnings, where, rich=False, extra=extra))
        return lines
    if kind == "matching":
        lines = ["    <shuffleanswers>true</shuffleanswers>", *_combined(question, warnings)]
        subquestions = [(pair.left, pair.right) for pair in question.pairs]
        subquestions += [("", distractor) for distractor in question.distractors]
        for left, right in subquestions:
            fmt, inner = _text_parts(left, "    ", warnings, where)
            answer = _plain_text("answer", right, "      ", warnings, where)
            lines.append(f'    <subquestion format="{fmt}">\n{inner}\n{answer}\n    </subquestion>')
        return lines
    if kind == "ordering":
        lines = [
            "    <layouttype>VERTICAL</layouttype>",
            "    <selecttype>ALL</selecttype>",
            f"    <selectcount>{len(question.items)}</selectcount>",
            # ABSOLUTE_POSITION: a share of the credit for each item in its right position, as the site grades.
            "    <gradingtype>ABSOLUTE_POSITION</gradingtype>",
            "    <showgrading>SHOW</showgrading>",
            "    <numberingstyle>none</numberingstyle>",
            *_combined(question, warnings),
        ]
        for position, item in enumerate(question.items, start=1):
            lines.append(_rich_text("answer", item.text, "    ", warnings, where, attributes=f' fraction="{position}"'))
        return lines
    raise ValueError(f"unknown question type {kind}")
