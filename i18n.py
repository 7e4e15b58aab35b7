"""Translation and locale formatting for every user-facing string, per visit.

English is the source language: strings are marked with `_()` / `ngettext()` (or `N_()` where the
text is kept in a constant and translated where it is shown), `scripts/i18n` extracts them into
`locales/site.pot`, and a language is a catalogue `locales/<lang>/LC_MESSAGES/site.po` compiled to
`site.mo`.

Rules:
- The language belongs to the run, not the process: `set_language()` stores it in a ContextVar,
  and `_()`, `ngettext()` and the `format_*` helpers read it at call time. Streamlit runs each
  session's script (and its widget callbacks) in its own thread, and a thread starts with an
  empty context, so sessions never see each other's language.
- Nothing is translated at import time: a module-level label is an `N_()` constant or a function.
- One `gettext` translations object per (locale folder, language), loaded once per process.
- The locale folder is `SMM_LOCALE_DIR`, else `locales/` next to this file, read at call time.
"""

from __future__ import annotations

import functools
import gettext
import os
from collections.abc import Callable
from contextvars import ContextVar, Token
from datetime import date, datetime
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locales"
_DEFAULT_LOCALE_DIR = str(LOCALE_DIR)
DOMAIN = "site"
SOURCE_LANGUAGE = "en"

_language: ContextVar[str | None] = ContextVar("smm_language", default=None)
# Names the language of the run in progress when this context has none set: Streamlit runs widget
# callbacks before the page script sets the language, in a thread that may be new.
_run_language: Callable[[], str | None] = lambda: None  # noqa: E731 - a settable hook


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for extraction without translating it; translate it with `_()` where it is shown."""
    return message


def locale_dir() -> Path:
    return Path(os.environ.get("SMM_LOCALE_DIR") or LOCALE_DIR)


def available_languages() -> list[str]:
    """English plus every language with a compiled catalogue, English first, then by code."""
    directory = locale_dir()
    found = (
        sorted(p.name for p in directory.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file())
        if directory.is_dir()
        else []
    )
    return [SOURCE_LANGUAGE, *(code for code in found if code != SOURCE_LANGUAGE)]


def default_language() -> str:
    """The site's language when the visit names none: `SMM_LANGUAGE` if it has a catalogue, else English."""
    configured = (os.environ.get("SMM_LANGUAGE") or "").strip()
    if not configured or configured == SOURCE_LANGUAGE:
        return SOURCE_LANGUAGE
    return match_language(configured, available_languages()) or SOURCE_LANGUAGE


def set_language(code: str) -> Token[str | None]:
    """Make `code` the language of this run (this thread's context)."""
    return _language.set(code)


def set_run_language_source(source: Callable[[], str | None]) -> None:
    """Where `current_language()` looks when this context has no language set (see `_run_language`)."""
    global _run_language
    _run_language = source


def current_language() -> str:
    return _language.get() or _run_language() or default_language()


def match_language(tag: str | None, available: list[str]) -> str | None:
    """The available language a code or browser locale names: "nl-NL", "nl_NL" or "NL" -> "nl"."""
    if not tag:
        return None

    def normalise(code: str) -> str:
        return code.strip().replace("_", "-").lower()

    by_tag = {normalise(code): code for code in available}
    wanted = normalise(tag)
    return by_tag.get(wanted) or by_tag.get(wanted.split("-", 1)[0])


def resolve_language(
    chosen: str | None,
    stored: str | None,
    browser_locale: str | None,
    default: str | None,
    available: list[str],
    workshop: str | None = None,
) -> str:
    """The visit's language: the visitor's explicit choice, else the language kept with their token,
    else the language of the workshop whose link they came by, else their browser's, else the site
    default, else English; each only if it is available."""
    for candidate in (chosen, stored, workshop, browser_locale, default):
        match = match_language(candidate, available)
        if match:
            return match
    return SOURCE_LANGUAGE


@functools.lru_cache(maxsize=64)
def _translations_in(directory: str, language: str) -> gettext.NullTranslations:
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    return Translations.load(dirname=directory, locales=[language], domain=DOMAIN)


def translations(language: str | None = None) -> gettext.NullTranslations:
    return _translations_in(os.environ.get("SMM_LOCALE_DIR") or _DEFAULT_LOCALE_DIR, language or current_language())


def _(message: str) -> str:
    return translations().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations().ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """A message whose English is the same word as another's but whose translation is not: "Practice"
    as a lesson's level (nl Praktijk) and as a checklist item in a report column (nl Werkwijze)."""
    return translations().pgettext(context, message)


@functools.lru_cache(maxsize=64)
def _babel_locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(SOURCE_LANGUAGE)


def babel_locale(language: str | None = None) -> Locale:
    """The Babel locale of a language code (the active one by default); English if Babel does not know it."""
    return _babel_locale(language or current_language())


def language_name(code: str) -> str:
    """A language's name in that language, capitalised for a menu: "English", "Nederlands", "Dansk"."""
    name = _babel_locale(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def _fixed_digits(pattern: str, value: float, digits: int) -> str:
    parsed = babel_numbers.parse_pattern(pattern)
    parsed.frac_prec = (digits, digits)
    formatted: str = parsed.apply(value, babel_locale())
    return formatted


def format_decimal(value: float, digits: int = 0) -> str:
    """A number with exactly `digits` decimals in the active language: 2.35 -> "2.35" (en), "2,35" (nl)."""
    return _fixed_digits(babel_locale().decimal_formats[None].pattern, value, digits)


def format_percent(fraction: float, digits: int = 0) -> str:
    """A fraction as a percentage in the active language: 0.85 -> "85%" (en, nl), "85\u00a0%" (da)."""
    return _fixed_digits(babel_locale().percent_formats[None].pattern, fraction, digits)


def format_date(value: date | datetime, format: str = "medium") -> str:  # noqa: A002 - Babel's name
    return babel_dates.format_date(value, format=format, locale=babel_locale())


def format_datetime(value: datetime, format: str = "medium") -> str:  # noqa: A002 - Babel's name
    return babel_dates.format_datetime(value, format=format, locale=babel_locale())


# How a date field shows its date (Streamlit's date_input takes these three orders with "/", "-" or
# "."): day first with the language's separator; English keeps the unambiguous ISO order.
_DATE_FIELD_FORMATS = {"nl": "DD-MM-YYYY", "da": "DD.MM.YYYY"}


def date_field_format(language: str | None = None) -> str:
    """The `format` of a date field (st.date_input, a table's DateColumn) in the active language."""
    code = (language or current_language()).split("-")[0]
    return _DATE_FIELD_FORMATS.get(code, "YYYY-MM-DD")
