"""`python -m accounts` in a subprocess, on a SQLite file: the password comes from standard input
(never an argument, never printed), refused input exits 2 with a message and no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from storage import migrate
from storage.engine import make_engine

PROJECT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "accounts.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    return path


def run(database: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "SMM_SQLITE_PATH": str(database)}
    return subprocess.run(
        [sys.executable, "-m", "accounts", *args],
        cwd=PROJECT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_first_admin_is_made_with_the_password_from_standard_input(database: Path) -> None:
    made = run(database, "create-user", "Root", "--role", "admin", "--display-name", "The Admin", stdin=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    assert "created admin 'root'" in made.stdout
    assert PASSWORD not in made.stdout + made.stderr
    listed = run(database, "list-users")
    assert listed.returncode == 0 and "root" in listed.stdout and "admin" in listed.stdout
    assert "The Admin" in listed.stdout


def test_the_password_can_be_changed_from_standard_input(database: Path) -> None:
    assert run(database, "create-user", "anna", "--role", "trainer", stdin=PASSWORD).returncode == 0
    changed = run(database, "set-password", "ANNA", stdin="another long password\nignored second line\n")
    assert changed.returncode == 0, changed.stderr
    assert "new password set for 'anna'" in changed.stdout


def test_the_password_is_never_an_argument(database: Path) -> None:
    tried = run(database, "create-user", "anna", "--role", "admin", "--password", PASSWORD)
    assert tried.returncode == 2 and "unrecognized arguments" in tried.stderr


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("create-user", "a b", "--role", "admin"), PASSWORD, "only letters a-z, digits"),
        (("create-user", "<b>x</b>", "--role", "admin"), PASSWORD, "cannot contain HTML"),
        (("create-user", "anna", "--role", "admin"), "short", "at least 12 characters"),
        (("create-user", "anna", "--role", "admin"), "anna", "at least 12 characters"),
        (("create-user", "anna", "--role", "admin"), "x" * 20, "one character repeated"),
        (("create-user", "anna", "--role", "admin"), "", "no password on standard input"),
        (("create-user", "anna", "--role", "participant"), PASSWORD, "invalid choice"),
        (("create-user", "anna", "--role", "admin", "--display-name", "<i>A</i>"), PASSWORD, "cannot contain HTML"),
        (("set-password", "nobody"), PASSWORD, "no account named 'nobody'"),
    ],
)
def test_refused_input_exits_2_with_the_reason_and_no_traceback(
    database: Path, args: tuple[str, ...], stdin: str, message: str
) -> None:
    done = run(database, *args, stdin=stdin)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    if stdin:
        assert stdin not in done.stderr.replace("anna", "")


def test_a_duplicate_user_is_refused_in_any_case(database: Path) -> None:
    assert run(database, "create-user", "anna", "--role", "trainer", stdin=PASSWORD).returncode == 0
    again = run(database, "create-user", "ANNA", "--role", "admin", stdin=PASSWORD)
    assert again.returncode == 2 and "the username 'anna' is taken" in again.stderr


def test_a_database_behind_names_the_upgrade_command(tmp_path: Path) -> None:
    done = run(tmp_path / "empty.sqlite3", "list-users")
    assert done.returncode == 1
    assert "python -m storage upgrade" in done.stderr and "Traceback" not in done.stderr


class _Terminal:
    def isatty(self) -> bool:
        return True

    def readline(self) -> str:  # pragma: no cover - a terminal is never read directly
        raise AssertionError("a terminal's password is asked for with getpass")


def test_at_a_terminal_the_password_is_asked_for_twice_without_echo(monkeypatch: pytest.MonkeyPatch) -> None:
    from accounts import __main__ as cli

    answers = iter([PASSWORD, PASSWORD, PASSWORD, "something else entirely"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt: next(answers))
    assert cli.read_password(_Terminal()) == PASSWORD  # type: ignore[arg-type]
    with pytest.raises(cli._Refused, match="differ"):
        cli.read_password(_Terminal())  # type: ignore[arg-type]
