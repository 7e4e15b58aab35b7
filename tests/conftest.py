"""Fixtures shared across test packages."""

from tests.chromium import chromium  # noqa: F401 - the session's browser, a fixture
