"""The demo tests run twice: on a SQLite file and on PostgreSQL (see tests/databases.py)."""

from tests.databases import database_url, engine  # noqa: F401 - fixtures
