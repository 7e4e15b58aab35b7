"""Nicknames: the rules, the name filter, and duplicates within a workshop."""

from __future__ import annotations

import pytest

from workshops.nicknames import (
    BLOCKED,
    EMPTY,
    HTML,
    NO_LETTER,
    NOT_ALLOWED,
    TAKEN,
    TOO_LONG,
    NicknameError,
    check_unique,
    clean_nickname,
    is_blocked,
    nickname_key,
)


def refusal(typed: str) -> NicknameError:
    with pytest.raises(NicknameError) as caught:
        clean_nickname(typed)
    return caught.value


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("Søren", "Søren"),
        ("Zoë", "Zoë"),
        ("  Anne   de  Vries ", "Anne de Vries"),
        ("O’Brien", "O'Brien"),  # a phone's apostrophe
        ("Jean-Luc", "Jean-Luc"),
        ("dr._who_2", "dr._who_2"),
        ("Zoe\u0308", "Zoë"),  # a combining diaeresis becomes the one character
        ("李雷", "李雷"),
        ("प्रिया", "प्रिया"),  # Devanagari needs its combining marks
        ("Ærø Åse", "Ærø Åse"),
        ("X", "X"),
        ("7", "7"),
        ("A" * 24, "A" * 24),
        ("Dick", "Dick"),  # a Dutch and English given name, not a word on the list
        ("Kutlu", "Kutlu"),
        ("Frank Anker", "Frank Anker"),  # "kanker" only across the space
        ("Nigar", "Nigar"),
        ("Scunthorpe", "Scunthorpe"),
        ("Hancock", "Hancock"),
    ],
)
def test_allowed_nicknames(typed: str, shown: str) -> None:
    assert clean_nickname(typed) == shown


@pytest.mark.parametrize("typed", ["", "   ", "\n\t"])
def test_an_empty_nickname(typed: str) -> None:
    error = refusal(typed)
    assert (error.reason, str(error)) == (EMPTY, "Choose a nickname.")


@pytest.mark.parametrize("typed", ["<b>Anna</b>", "<script>alert(1)</script>", "Anna>", "a < b"])
def test_html_is_refused(typed: str) -> None:
    error = refusal(typed)
    assert (error.reason, str(error)) == (HTML, "A nickname cannot contain < or >: no HTML, please.")


def test_too_long_says_how_long() -> None:
    error = refusal("A" * 25)
    assert (error.reason, str(error)) == (TOO_LONG, "A nickname has at most 24 characters; this one has 25.")


def test_the_length_counts_after_collapsing_spaces() -> None:
    assert clean_nickname("Anna" + " " * 30 + "Bakker") == "Anna Bakker"


@pytest.mark.parametrize(
    ("typed", "character"), [("Anna&Bob", "&"), ("anna@x", "@"), ("😀", "😀"), ("a\u200bb", "\u200b")]
)
def test_other_characters_are_named(typed: str, character: str) -> None:
    error = refusal(typed)
    assert error.reason == NOT_ALLOWED
    assert error.character == character
    assert str(error) == f"A nickname cannot contain '{character}': use letters, digits, spaces and . _ - ' only."


@pytest.mark.parametrize("typed", ["...", "-_-", "'"])
def test_a_letter_or_digit_is_needed(typed: str) -> None:
    error = refusal(typed)
    assert (error.reason, str(error)) == (NO_LETTER, "A nickname needs at least one letter or digit.")


@pytest.mark.parametrize(
    "typed",
    [
        # English
        "shit",
        "Big Bitch",
        "FUCKFACE",
        "f u c k you",
        "s.h.i.t",
        "Sh1t",
        "5HIT",
        "shiiit",
        "wanker",
        # Dutch
        "kut",
        "Kees de Lul",
        "kankerlijer",
        "klootzak99",
        "godverdomme",
        # Danish
        "kælling",
        "kaelling",
        "Røvhul",
        "rovhul",
        "Pik",
        "lort",
        "fisse",
    ],
)
def test_the_name_filter_in_each_language(typed: str) -> None:
    error = refusal(typed)
    assert (error.reason, str(error)) == (BLOCKED, "This nickname is not allowed here; please choose another.")
    assert is_blocked(typed)


def test_the_blocked_list_is_read_without_its_comments() -> None:
    assert not is_blocked("English")
    assert not is_blocked("Purpose")
    assert not is_blocked("word")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Søren", "soren"),
        ("Zoë", "ZOE"),
        ("Zoe\u0308", "Zoë"),
        ("Ærø", "aero"),
        ("Anne  de Vries", "anne de vries"),
        ("Ｓoren", "Soren"),
        ("STRASSE", "straße"),
    ],
)
def test_duplicate_keys_ignore_case_accents_and_width(one: str, other: str) -> None:
    assert nickname_key(one) == nickname_key(other)


@pytest.mark.parametrize(("one", "other"), [("Anna", "Anne"), ("Anna-Marie", "Anna Marie"), ("Jan1", "Jan")])
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert nickname_key(one) != nickname_key(other)


def test_a_taken_nickname_is_refused_by_key() -> None:
    taken = {nickname_key("Søren"), nickname_key("Zoë")}
    check_unique("Anna", taken)
    with pytest.raises(NicknameError) as caught:
        check_unique("soren", taken)
    assert caught.value.reason == TAKEN
    assert str(caught.value) == "Someone in this workshop is already called 'soren'; please choose another."
