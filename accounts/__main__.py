"""python -m accounts: accounts for trainers, managers and admins (docs/accounts.md).

  create-user NAME --role trainer|manager|admin [--display-name "..."]
  set-password NAME
  list-users

The password is never an argument (it would stay in the shell's history and show in the process
list): it is read from standard input when that is not a terminal (its first line), else asked
for twice without echo. Exit 0 when done, 2 for input that is refused (the message says what is
wrong), 1 when the database cannot be used.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TextIO

from accounts.database import BAD_INPUT, UNAVAILABLE, open_engine_or_explain
from identity.errors import AccountError
from services import accounts
from services.accounts import StorageBusy, TextFieldError


class _Refused(Exception):
    pass


def read_password(stdin: TextIO = sys.stdin) -> str:
    if not stdin.isatty():
        line = stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise _Refused("no password on standard input (its first line is read)")
        return password
    first = getpass.getpass("Password: ")
    second = getpass.getpass("Same password again: ")
    if first != second:
        raise _Refused("the two passwords differ; nothing was changed")
    return first


def _text_problem(error: TextFieldError) -> str:
    if error.problem.value == "too_long":
        return f"the display name has {error.length} characters; at most {error.limit} are allowed"
    if error.problem.value == "html":
        return "the display name cannot contain HTML"
    return "the display name cannot contain control characters"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m accounts",
        description="Accounts for trainers, managers and admins. Passwords are read from standard input or asked for.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-user", help="make an account (the first admin, say)")
    create.add_argument("name", help="username: 3-40 letters, digits, '.', '_' or '-'; case does not matter")
    create.add_argument("--role", required=True, choices=["trainer", "manager", "admin"])
    create.add_argument("--display-name", default=None, help="the name shown on pages (default: the username)")
    password = commands.add_parser("set-password", help="give an account a new password; ends its sessions")
    password.add_argument("name")
    commands.add_parser("list-users", help="every account, its role and whether it is active")
    args = parser.parse_args(argv)

    engine = open_engine_or_explain()
    if engine is None:
        return UNAVAILABLE
    try:
        if args.command == "list-users":
            users = accounts.list_users(engine)
            if not users:
                print("no accounts yet; make the first with: python -m accounts create-user NAME --role admin")
            for user in users:
                state = "active" if user.active else "switched off"
                print(f"{user.username:<40} {user.role.value:<8} {state:<12} {user.display_name}")
            return 0
        if args.command == "create-user":
            secret = read_password()
            user = accounts.create_user(engine, args.name, args.display_name, args.role, secret)
            print(f"created {user.role.value} {user.username!r} ({user.display_name})")
            return 0
        user = accounts.find_user(engine, args.name)
        secret = read_password()
        accounts.change_password(engine, user.id, secret)
        print(f"new password set for {user.username!r}; their sessions were ended")
        return 0
    except (AccountError, _Refused) as error:
        print(f"error: {error}", file=sys.stderr)
        return BAD_INPUT
    except TextFieldError as error:
        print(f"error: {_text_problem(error)}", file=sys.stderr)
        return BAD_INPUT
    except StorageBusy:
        print("error: the database is busy or unreachable; nothing was changed, try again", file=sys.stderr)
        return UNAVAILABLE
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
