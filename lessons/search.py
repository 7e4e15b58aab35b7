"""Find lessons by the words in their title, summary and text.

Small enough to search in memory on every keystroke: words are lower-cased and
stripped of accents, every query word must occur (as a word prefix), and hits
in the title count more than hits in the summary, which count more than the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lessons.loader import Lesson

_WORD = re.compile(r"[\w']+", re.UNICODE)
_WEIGHTS = {"title": 5, "summary": 3, "body": 1}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    return _WORD.findall(_fold(text))


def _plain(markdown_text: str) -> str:
    text = re.sub(r"^\s*#+\s*", "", markdown_text, flags=re.MULTILINE)
    text = re.sub(r"\[\^?[^\]]*\]:?", " ", text)
    return re.sub(r"[*_`|>]", " ", text)


@dataclass(frozen=True)
class Hit:
    lesson: Lesson
    score: int
    snippet: str


def _snippet(body: str, words: list[str], width: int = 160) -> str:
    plain = " ".join(_plain(body).split())
    folded = _fold(plain)
    positions = [folded.find(w) for w in words if folded.find(w) >= 0]
    if not positions:
        return plain[:width] + ("…" if len(plain) > width else "")
    start = max(0, min(positions) - width // 3)
    end = min(len(plain), start + width)
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
                weight * sum(1 for w in fields[name] if w.startswith(term)) for name, weight in _WEIGHTS.items()
            )
            if term_score == 0:
                break
            score += term_score
        else:
            hits.append(Hit(lesson, score, _snippet(lesson.body, terms)))
    return sorted(hits, key=lambda hit: (-hit.score, lesson_order(hit.lesson)))


def lesson_order(lesson: Lesson) -> int:
    return lesson.order
