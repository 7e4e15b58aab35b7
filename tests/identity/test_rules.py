"""Roles, usernames and the password policy."""

from __future__ import annotations

import pytest

from identity.errors import PasswordError, PasswordProblem, RoleError, UsernameError, UsernameProblem
from identity.rules import PASSWORD_MIN, Role, check_password, check_role, check_username


@pytest.mark.parametrize("raw", ["anna", "Anna.de-Vries_2", "abc", "a" * 40, "  Bob.Smith  ", "anna\n"])
def test_usernames_that_pass_come_back_lower_cased_and_trimmed(raw: str) -> None:
    assert check_username(raw) == raw.strip().lower()


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", UsernameProblem.EMPTY),
        ("   ", UsernameProblem.EMPTY),
        ("ab", UsernameProblem.TOO_SHORT),
        ("a" * 41, UsernameProblem.TOO_LONG),
        ("<b>anna</b>", UsernameProblem.HTML),
        ("an<na", UsernameProblem.HTML),
        ("anna smith", UsernameProblem.CHARACTERS),
        ("anna@example.org", UsernameProblem.CHARACTERS),
        ("аnna", UsernameProblem.CHARACTERS),  # a Cyrillic 'а'
    ],
)
def test_usernames_that_are_refused_name_the_rule(raw: str, problem: UsernameProblem) -> None:
    with pytest.raises(UsernameError) as refused:
        check_username(raw)
    assert refused.value.problem is problem
    assert (refused.value.minimum, refused.value.maximum) == (3, 40)


def test_roles_are_the_three_account_roles() -> None:
    assert {r.value for r in Role} == {"trainer", "manager", "admin"}
    assert check_role(" Admin ") is Role.ADMIN
    with pytest.raises(RoleError, match="participant"):
        check_role("participant")


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", PasswordProblem.TOO_SHORT),
        ("x" * (PASSWORD_MIN - 1), PasswordProblem.TOO_SHORT),
        ("a" * 20, PasswordProblem.ONE_CHARACTER),
        ("Anna.de-Vries", PasswordProblem.SAME_AS_USERNAME),
    ],
)
def test_weak_passwords_are_refused_with_the_rule(password: str, problem: PasswordProblem) -> None:
    with pytest.raises(PasswordError) as refused:
        check_password(password, "anna.de-vries")
    assert refused.value.problem is problem
    assert password not in str(refused.value)
    assert str(PASSWORD_MIN) in str(refused.value) or problem is not PasswordProblem.TOO_SHORT


def test_a_long_passphrase_passes_without_composition_rules() -> None:
    assert check_password("correct horse battery staple", "anna") == "correct horse battery staple"
