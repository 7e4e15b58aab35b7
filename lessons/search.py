"""Find lessons by the words in their title, summary and text.

Small enough to search in memory on every keystroke: words are lower-cased and
stripped of accents, every query word must occur (as a word prefix; a word of one
or two characters as a whole word), and hits in the title count more than hits in
the summary, which count more than the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lessons.directives import find_directives
from lessons.loader import Lesson

_WORD = re.compile(r"[\w']+", re.UNICODE)
_WEIGHTS = {"title": 5, "summary": 3, "body": 1}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    return _WORD.findall(_fold(text))


def _without_directives(markdown_text: str) -> str:
    """A ```ladder block's TOML ("dimension = ...") is not text anyone reads; what it shows comes from the
    model, which has its own words."""
    lines = markdown_text.splitlines()
    for directive in reversed(find_directives(markdown_text)):
        del lines[directive.start : directive.end]
    return "\n".join(lines)


def _plain(markdown_text: str) -> str:
    """The text a reader sees, near enough for matching and snippets (the trainer notes are not part of
    a lesson's body, so they are never searched)."""
    text = _without_directives(markdown_text)
    text = re.sub(r"^\s*#+\s*", "", text, flags=re.MULTILINE)
    text = re.sub(r"\[\^[^\]]*\]:?", "", text)  # footnote marks and labels
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images keep their text
    text = re.sub(r"[*_`]", "", text)  # emphasis marks sit against words and punctuation
    text = re.sub(r"[|>]", " ", text)  # table cells and quotes are separate phrases
    return re.sub(r"\s+([.,;:!?)])", r"\1", text)


def _matches(word: str, term: str) -> bool:
    """A prefix match, except for very short terms: as prefixes, "t" or "4" would match half the words
    of every lesson, so "4 T" would rank by how often words start with t. Those must be the whole word,
    or the word before an apostrophe ("t" finds "T's")."""
    if len(term) > 2:
        return word.startswith(term)
    return word == term or word.startswith(term + "'")


@dataclass(frozen=True)
class Hit:
    lesson: Lesson
    score: int
    snippet: str


def _snippet(body: str, words: list[str], width: int = 160) -> str:
    """About `width` characters around the first query word, cut at spaces, never inside a word."""
    plain = " ".join(_plain(body).split())
    folded = _fold(plain)  # same length as plain for the Latin scripts of the content
    found = [position for position in (folded.find(w) for w in words) if position >= 0]
    first = min(found, default=0)
    start = max(0, first - width // 3)
    if start:
        start = plain.find(" ", start, first) + 1 or start
    end = min(len(plain), start + width)
    if end < len(plain):
        space = plain.rfind(" ", first, end)
        end = space if space > first else end
    return ("…" if start else "") + plain[start:end].strip() + ("…" if end < len(plain) else "")


def search(lessons: tuple[Lesson, ...], query: str) -> list[Hit]:
    terms = _words(query)
    if not terms:
        return []
    hits = []
    for lesson in lessons:
        fields = {"title": _words(lesson.title), "summary": _words(lesson.summary), "body": _words(_plain(lesson.body))}
        score = 0
        for term in terms:
            term_score = sum(
                weight * sum(1 for w in fields[name] if _matches(w, term)) for name, weight in _WEIGHTS.items()
            )
            if term_score == 0:
                break
            score += term_score
        else:
            hits.append(Hit(lesson, score, _snippet(lesson.body, terms)))
    return sorted(hits, key=lambda hit: (-hit.score, lesson_order(hit.lesson)))


def lesson_order(lesson: Lesson) -> int:
    return lesson.order
