"""Translation hook for every user-facing string.

English is the source language. Strings are marked with `_()` so that
`xgettext`/`pybabel extract` can collect them into `locales/<lang>/LC_MESSAGES/site.po`
when Dutch and Danish arrive; until a catalogue exists, `_()` returns the
English text. `SMM_LANGUAGE` selects the language for the whole process.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "site"


def _translation(language: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True)


_active = _translation(os.environ.get("SMM_LANGUAGE", "en"))


def _(message: str) -> str:
    return _active.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _active.ngettext(singular, plural, count)
