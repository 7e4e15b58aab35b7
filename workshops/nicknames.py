"""A participant's nickname in a workshop.

The rules, each refusal a NicknameError whose message names the problem:
- spaces are trimmed and runs of spaces collapsed to one; typographic apostrophes (’ ʼ, what
  phones type) become '; then 1 to 24 characters;
- letters of any script (with their combining marks), digits, spaces and . _ - ' only, and at
  least one letter or digit;
- < and > are refused with their own message (no HTML);
- a short name filter (blocked_names.txt: the file says how its lines match).

Two nicknames are the same in a workshop when their `nickname_key`s are: compared without case,
accents (Søren = Soren, Zoë = zoe) and width, with spaces collapsed.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources

MAX_LENGTH = 24
PUNCTUATION = frozenset(" ._-'")
APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'"}

EMPTY = "empty"
TOO_LONG = "too_long"
HTML = "html"
NOT_ALLOWED = "not_allowed"
NO_LETTER = "no_letter"
BLOCKED = "blocked"
TAKEN = "taken"

# Letters that do not come apart under NFKD, written as their plain Latin letters.
_UNACCENTED = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l", "ð": "d", "þ": "th", "ı": "i"})
# Digits people put in place of letters; 1 is tried as both i and l.
_LEET_I = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
_LEET_L = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t"})
_REPEATS = re.compile(r"(.)\1+")
_SEPARATORS = re.compile(r"[ ._\-']+")


class NicknameError(ValueError):
    """A nickname that cannot be used; `reason` is one of the constants above."""

    def __init__(self, reason: str, message: str, character: str | None = None) -> None:
        self.reason = reason
        self.character = character
        super().__init__(message)


def clean_nickname(typed: str) -> str:
    """The nickname as it will be shown, or NicknameError naming the problem."""
    text = unicodedata.normalize("NFC", typed)
    for curly, straight in APOSTROPHES.items():
        text = text.replace(curly, straight)
    name = " ".join(text.split())
    if not name:
        raise NicknameError(EMPTY, "Choose a nickname.")
    if "<" in name or ">" in name:
        raise NicknameError(HTML, "A nickname cannot contain < or >: no HTML, please.")
    for character in name:
        if not _allowed(character):
            raise NicknameError(
                NOT_ALLOWED,
                f"A nickname cannot contain '{character}': use letters, digits, spaces and . _ - ' only.",
                character=character,
            )
    if len(name) > MAX_LENGTH:
        raise NicknameError(TOO_LONG, f"A nickname has at most {MAX_LENGTH} characters; this one has {len(name)}.")
    if not any(character.isalnum() for character in name):
        raise NicknameError(NO_LETTER, "A nickname needs at least one letter or digit.")
    if is_blocked(name):
        raise NicknameError(BLOCKED, "This nickname is not allowed here; please choose another.")
    return name


def nickname_key(name: str) -> str:
    """The form two nicknames are compared in: no case, no accents, NFKC width, spaces collapsed."""
    return " ".join(_unaccented(unicodedata.normalize("NFKC", name)).split())


def check_unique(name: str, taken_keys: set[str] | frozenset[str]) -> None:
    """NicknameError when a participant of the workshop already has this nickname (by key)."""
    if nickname_key(name) in taken_keys:
        raise NicknameError(TAKEN, f"Someone in this workshop is already called '{name}'; please choose another.")


def is_blocked(name: str) -> bool:
    """True when the name filter refuses `name` (see blocked_names.txt)."""
    whole_words, anywhere = _blocked_lists()
    for form in _filter_forms(name):
        words = [word for word in _SEPARATORS.split(form) if word]
        squashed = "".join(words)
        if squashed in whole_words or any(word in whole_words for word in words):
            return True
        pieces = [*words, *_spelled_out(words)]
        if any(fragment in piece for fragment in anywhere for piece in pieces):
            return True
    return False


def _spelled_out(words: list[str]) -> list[str]:
    """Runs of one-letter words joined up: "f u c k you" spells "fuck"."""
    runs: list[str] = []
    current = ""
    for word in [*words, ""]:
        if len(word) == 1:
            current += word
        else:
            if len(current) > 1:
                runs.append(current)
            current = ""
    return runs


def _allowed(character: str) -> bool:
    category = unicodedata.category(character)
    return character in PUNCTUATION or category[0] in "LM" or category == "Nd"


def _unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNACCENTED))
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def _filter_form(text: str, leet: dict[int, str]) -> str:
    return _REPEATS.sub(r"\1", _unaccented(text).translate(leet))


def _filter_forms(name: str) -> set[str]:
    return {_filter_form(name, _LEET_I), _filter_form(name, _LEET_L)}


@functools.cache
def _blocked_lists() -> tuple[frozenset[str], tuple[str, ...]]:
    """(whole words, fragments matched anywhere), in the filter's form."""
    text = resources.files("workshops").joinpath("blocked_names.txt").read_text(encoding="utf-8")
    whole_words: set[str] = set()
    anywhere: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("*"):
            anywhere.append(_filter_form(line[1:], _LEET_I))
        else:
            whole_words.add(_filter_form(line, _LEET_I))
    return frozenset(whole_words), tuple(anywhere)
