"""The id grammars of the content, and their one length limit.

Ids are stored: answers by model item id, lesson progress by lesson id, quiz
attempts by bank and question id, each in a String(80) column. So no id may be
longer than `MAX_LENGTH`, whatever its grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LENGTH = 80


@dataclass(frozen=True)
class IdGrammar:
    pattern: re.Pattern[str]
    allowed: str  # the characters, as a trainer reads them in a message

    def is_valid(self, value: str) -> bool:
        return len(value) <= MAX_LENGTH and self.pattern.fullmatch(value) is not None

    def problem(self, value: str, what: str = "id") -> str | None:
        """What is wrong with `value` as a `what` (e.g. "lesson id"), or None when it is valid."""
        if self.pattern.fullmatch(value) is None:
            return f'"{value}" is not a valid {what} ({self.allowed})'
        if len(value) > MAX_LENGTH:
            return f"the {what} is {len(value)} characters long; at most {MAX_LENGTH} are stored"
        return None


# Model items: dimensions, statements, T's and checklist items ("strategy.crawl.1", "check.listen").
MODEL_ID = IdGrammar(re.compile(r"[a-z0-9][a-z0-9._-]*"), 'lowercase letters, digits, ".", "-", "_"')
# Lessons: they also appear in URLs (?lesson=...).
LESSON_ID = IdGrammar(re.compile(r"[a-z0-9][a-z0-9-]*"), 'lowercase letters, digits and "-"')
# Quiz banks and questions, including ids kept from a Moodle GIFT file.
QUIZ_ID = IdGrammar(re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*"), 'letters, digits, "-", "_", "."')
