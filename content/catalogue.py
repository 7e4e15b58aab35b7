"""The interface's translation catalogues (gettext, managed with Babel), checked like the overlays.

`locales/site.pot` is the template extracted from the source (`scripts/i18n extract`); a language
is `locales/<lang>/LC_MESSAGES/site.po`. Rules, each a problem at file:line:
- the header is not fuzzy (Babel would not compile the catalogue at all);
- a plural has as many forms as the language has (Babel's check; its printf-format check is not
  run: the site's strings use {braces} only, and "100 % of" would be taken for a `% o` format);
- a translation keeps the English's {placeholders}, no more and no fewer (a plural's forms other
  than the last may leave some out: "one gap" needs no {count});
- a released language (content.overlay.RELEASED_LANGUAGES) translates every string of the
  template, with nothing fuzzy; any other may be partial (its missing strings show in English).
The locale folder is `SMM_LOCALE_DIR`, else `locales/` at the project's root (as for the site).
"""

from __future__ import annotations

import os
import string
from pathlib import Path

from babel.messages.catalog import Catalog, Message, TranslationError
from babel.messages.checkers import num_plurals
from babel.messages.pofile import read_po

from content.files import display_path
from content.overlay import StringCount, Untranslated, is_released, untranslated_problems
from content.problems import Problem

DOMAIN = "site"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locales"


def locale_dir() -> Path:
    return Path(os.environ.get("SMM_LOCALE_DIR") or LOCALE_DIR)


def template_path(directory: Path) -> Path:
    return directory / f"{DOMAIN}.pot"


def catalogue_path(directory: Path, language: str) -> Path:
    return directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalogue_languages(directory: Path) -> list[str]:
    """Languages with a catalogue in `directory`, by code."""
    return sorted(p.parents[1].name for p in directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read_catalogue(path: Path, language: str | None = None) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def message_key(message: Message) -> str:
    """A message's id as one string: a plural's two forms joined by NUL, a context before EOT (as in
    a compiled catalogue), so "Practice" as a lesson level and as a column are two messages."""
    text = message.id if isinstance(message.id, str) else "\x00".join(message.id)
    return f"{message.context}\x04{text}" if message.context else text


def _forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def placeholders(text: str) -> set[str]:
    try:
        return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<unbalanced braces>"}


def _shown(message_id: str) -> str:
    first = message_id.split("\x00")[0].split("\x04")[-1]
    return repr(first if len(first) <= 70 else first[:67] + "...")


def _form_rules(message: Message) -> list[tuple[str, set[str], bool]]:
    """(translated form, the English placeholders it may use, whether it must use them all). A
    singular's translation uses the singular's; in a plural every form may use any of the English
    placeholders, but the last (the general plural) must use all the plural's ("{count} gaps from
    {first} to {last}" may say "one gap: {first}" for one)."""
    sources, targets = _forms(message.id), [t for t in _forms(message.string) if t]
    if len(sources) == 1:
        return [(target, placeholders(sources[0]), True) for target in targets]
    allowed = set().union(*(placeholders(s) for s in sources))
    rules = [(target, allowed, False) for target in targets[:-1]]
    return [*rules, (targets[-1], placeholders(sources[-1]), True)] if targets else rules


def is_translated(message: Message) -> bool:
    forms = _forms(message.string)
    return bool(forms) and all(forms) and not message.fuzzy


def has_interface(directory: Path, language: str) -> bool:
    """True when the interface belongs in `language`'s report: it has a catalogue or is released
    (a partial language without one is not offered on the site at all, so only its content counts)."""
    return is_released(language) or catalogue_path(directory, language).is_file()


def interface_part(language: str) -> tuple[dict[str, StringCount], list[Problem]]:
    """The interface's part of a language's report in the checks ({"interface": counts}) and the
    catalogue's problems; nothing for a language that has no catalogue and is not released."""
    if not has_interface(locale_dir(), language):
        return {}, []
    counts, problems = check_catalogue(locale_dir(), language)
    return {"interface": counts}, problems


def check_catalogue(directory: Path, language: str) -> tuple[StringCount, list[Problem]]:
    """How many of the template's strings `language`'s catalogue translates, and its problems (for a
    released language every untranslated or fuzzy string among them)."""
    template_file = template_path(directory)
    template = {message_key(m) for m in read_catalogue(template_file) if m.id} if template_file.is_file() else set()
    path = catalogue_path(directory, language)
    where = display_path(path)
    if not path.is_file():
        missing = tuple(Untranslated(where, _shown(key)) for key in sorted(template))
        counts = StringCount(len(template), 0, missing)
        return counts, untranslated_problems(language, counts)
    catalog = read_catalogue(path, language)
    problems: list[Problem] = []
    if catalog.fuzzy:
        problems.append(Problem(where, None, "", "the header is marked fuzzy, so Babel skips the whole catalogue"))
    for message in catalog:
        if message.id and message.string:
            try:
                num_plurals(catalog, message)
            except TranslationError as error:
                problems.append(Problem(where, message.lineno, _shown(message_key(message)), str(error)))
    by_key = {message_key(m): m for m in catalog if m.id}
    for key, message in by_key.items():
        for form, expected, exact in _form_rules(message):
            if exact and placeholders(form) != expected or not placeholders(form) <= expected:
                problems.append(
                    Problem(
                        where,
                        message.lineno,
                        _shown(key),
                        f"placeholders {sorted(placeholders(form))} differ from the English {sorted(expected)}",
                    )
                )
    missing = tuple(
        Untranslated(where, _shown(key), by_key[key].lineno if key in by_key else None)
        for key in sorted(template)
        if key not in by_key or not is_translated(by_key[key])
    )
    counts = StringCount(len(template), len(template) - len(missing), missing)
    return counts, [*problems, *untranslated_problems(language, counts)]
