"""Fixtures shared across test packages."""

import pytest

from tests.chromium import chromium  # noqa: F401 - the session's browser, a fixture


@pytest.fixture
def no_catalogues(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No interface catalogues: a check of made-up content reports only the languages of its own
    overlays, not the site's Dutch and Danish (their catalogue and model are checked by the tests of
    the real content)."""
    monkeypatch.setenv("SMM_LOCALE_DIR", str(tmp_path_factory.mktemp("no-locales")))
