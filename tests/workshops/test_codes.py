"""Join codes: the alphabet, the draw, and reading what a participant types."""

from __future__ import annotations

from collections import Counter

import pytest

from workshops.codes import (
    ALPHABET,
    EMPTY,
    LENGTH,
    LOOK_ALIKE,
    NOT_ALLOWED,
    WRONG_LENGTH,
    CodeError,
    is_code,
    new_code,
    normalise_code,
)


def test_the_alphabet_leaves_out_the_look_alikes() -> None:
    assert len(ALPHABET) == 31 == len(set(ALPHABET))
    assert not set("IOL01") & set(ALPHABET)
    assert ALPHABET == "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def test_a_new_code_has_six_characters_of_the_alphabet() -> None:
    code = new_code()
    assert len(code) == LENGTH == 6
    assert is_code(code)
    assert normalise_code(code) == code


def test_draws_stay_in_the_alphabet_and_spread_over_it() -> None:
    draws = [new_code() for _ in range(3000)]
    counts = Counter("".join(draws))
    assert set(counts) == set(ALPHABET)  # every character turns up, none from outside
    expected = 3000 * LENGTH / len(ALPHABET)  # about 581 each
    assert all(0.7 * expected < count < 1.3 * expected for count in counts.values()), counts
    assert len(set(draws)) > 2990  # 887 million codes: repeats are rare


@pytest.mark.parametrize(
    "typed",
    ["ABC234", "abc234", " abc 234 ", "ABC-234", "abc_234", "a.b.c.2.3.4", "ＡＢＣ２３４", "abc\u2013234", "Abc\t234"],
)
def test_what_people_type_becomes_the_code(typed: str) -> None:
    assert normalise_code(typed) == "ABC234"


@pytest.mark.parametrize(
    "typed", ["https://example.org/join?code=ABC234", "example.org/join?code=abc-234", "/join?code=ABC234&x=1"]
)
def test_a_pasted_join_link_gives_its_code(typed: str) -> None:
    assert normalise_code(typed) == "ABC234"


def refusal(typed: str) -> CodeError:
    with pytest.raises(CodeError) as caught:
        normalise_code(typed)
    return caught.value


@pytest.mark.parametrize("typed", ["", "   ", " - "])
def test_nothing_typed(typed: str) -> None:
    error = refusal(typed)
    assert error.reason == EMPTY
    assert str(error) == "Type the workshop code: 6 letters and digits."


@pytest.mark.parametrize(("typed", "length"), [("ABC23", 5), ("A", 1), ("ABC2345", 7), ("abc 234 5", 7)])
def test_the_wrong_length_says_how_many_were_typed(typed: str, length: int) -> None:
    error = refusal(typed)
    assert error.reason == WRONG_LENGTH
    assert error.length == length
    assert str(error) == f"A code has 6 characters; you typed {length}."


@pytest.mark.parametrize(
    ("typed", "character", "kind", "hint"),
    [
        ("ABC2O4", "O", "letter", "Q or D"),
        ("abc2o4", "O", "letter", "Q or D"),
        ("ABC204", "0", "digit", "Q or D"),
        ("ABCI34", "I", "letter", "J or T"),
        ("abcl34", "L", "letter", "J or T"),
        ("ABC134", "1", "digit", "J or 7"),
    ],
)
def test_a_look_alike_is_named_with_what_it_may_have_been(typed: str, character: str, kind: str, hint: str) -> None:
    error = refusal(typed)
    assert error.reason == LOOK_ALIKE
    assert error.character == character
    assert str(error) == (
        f"The code cannot contain the {kind} '{character}': codes leave out O, 0, I, L and 1, "
        f"which are easy to mix up; did you mean {hint}?"
    )


def test_characters_are_checked_before_the_length() -> None:
    assert refusal("AB0").reason == LOOK_ALIKE


@pytest.mark.parametrize(("typed", "character"), [("ABC#34", "#"), ("ABCÉ34", "É"), ("ABC/34", "/"), ("ABC😀34", "😀")])
def test_other_characters_are_named(typed: str, character: str) -> None:
    error = refusal(typed)
    assert error.reason == NOT_ALLOWED
    assert error.character == character
    assert str(error) == f"The code cannot contain '{character}': a code has only letters and digits."


@pytest.mark.parametrize("text", ["abc234", "ABC23", "ABC2345", "ABC-34", "ABCO34", ""])
def test_is_code_takes_only_the_canonical_form(text: str) -> None:
    assert not is_code(text)
