"""Join codes: six characters a trainer reads out and a participant types on a phone.

The alphabet leaves out the characters people mix up: the letters I, L and O and the digits 0 and 1.
Because none of the look-alikes is in the alphabet, a typed look-alike cannot be mapped to the
character that was meant (an O might be a Q or a D on the screen): it is refused, with a message
that names it and says which alphabet characters it might have been.

`normalise_code` accepts what people type: lower case, spaces, dashes, underscores and dots
anywhere ("abc-234", "ABC 234"), full-width forms (NFKC), and a pasted join link
("https://…/join?code=ABC234"). Anything else is a CodeError saying what is wrong; its `reason`
and fields carry the data, so the pages can word it in the visitor's language.
"""

from __future__ import annotations

import secrets
import unicodedata
from urllib.parse import parse_qs, urlsplit

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6

# A look-alike, and the alphabet characters it might have been on the screen.
LOOK_ALIKES = {"O": "Q or D", "0": "Q or D", "I": "J or T", "L": "J or T", "1": "J or 7"}
# Typed between the characters to group them; dropped.
SEPARATORS = frozenset(" -_.\u2010\u2011\u2012\u2013\u2014\u2212")

EMPTY = "empty"
LOOK_ALIKE = "look_alike"
NOT_ALLOWED = "not_allowed"
WRONG_LENGTH = "wrong_length"


class CodeError(ValueError):
    """A typed code that is not a join code; `reason` is one of the constants above."""

    def __init__(self, reason: str, message: str, character: str | None = None, length: int | None = None) -> None:
        self.reason = reason
        self.character = character
        self.length = length
        super().__init__(message)


def new_code() -> str:
    """A fresh code, each character drawn with `secrets` (31**6, about 887 million codes).

    Whether it is already taken is for storage to check (draw again on a collision)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def is_code(text: str) -> bool:
    """True when `text` is a code in its canonical form (as stored and shown)."""
    return len(text) == LENGTH and all(character in ALPHABET for character in text)


def normalise_code(typed: str) -> str:
    """The canonical code for what a participant typed, or CodeError saying what is wrong.

    Characters are checked before the length: "ABC2O4" is told about its O, not its length."""
    text = unicodedata.normalize("NFKC", typed).strip()
    text = _code_in_link(text)
    characters = [character.upper() for character in text if character not in SEPARATORS and not character.isspace()]
    if not characters:
        raise CodeError(EMPTY, "Type the workshop code: 6 letters and digits.")
    for character in characters:
        if character in LOOK_ALIKES:
            kind = "digit" if character.isdigit() else "letter"
            raise CodeError(
                LOOK_ALIKE,
                f"The code cannot contain the {kind} '{character}': codes leave out O, 0, I, L and 1, "
                f"which are easy to mix up; did you mean {LOOK_ALIKES[character]}?",
                character=character,
            )
        if character not in ALPHABET:
            raise CodeError(
                NOT_ALLOWED,
                f"The code cannot contain '{character}': a code has only letters and digits.",
                character=character,
            )
    if len(characters) != LENGTH:
        raise CodeError(
            WRONG_LENGTH,
            f"A code has {LENGTH} characters; you typed {len(characters)}.",
            length=len(characters),
        )
    return "".join(characters)


def _code_in_link(text: str) -> str:
    """The `code` parameter of a pasted link, or the text itself when it is not a link."""
    if "?" not in text and "://" not in text:
        return text
    values = parse_qs(urlsplit(text).query).get("code")
    return values[0] if values else text
