"""The model in another language: `assessment/model.<lang>.toml`, an overlay of strings only.

    [meta]                                  title, intro
    [stages.<stage id>]                     name, tagline, description, next_step
    [dimensions.<dimension id>]             name, description
    [statements."<statement id>"]           text, help   (maturity and 4 T statements alike)
    [tees.<T id>]                           name, description
    [checklist."<item id>"]                 text, help
    [checklist_groups.<group id>]           title        (once the model names its groups)

Everything else (ids, stages, quick, reverse, kind, group, source, timing) comes from the
English `model.toml`; see `content.overlay` for the rules. A model with no overlay for the
language is the English model itself.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from assessment.model import Model
from content.catalogue import catalogue_languages, interface_part, locale_dir
from content.files import display_path, read_toml
from content.overlay import (
    LANGUAGE,
    Level,
    OverlayLog,
    StringCount,
    Strings,
    count,
    is_master,
    language_report,
    read_strings,
    translated,
)
from content.problems import ContentError, Problem
from content.toml_lines import key_lines

_TEXT_HELP = {"text": str, "help": str}
LEVEL = Level(
    "model",
    tables={"meta": Level("meta", {"title": str, "intro": str})},
    keyed={
        "stages": Level("stage", {"name": str, "tagline": str, "description": str, "next_step": str}),
        "dimensions": Level("dimension", {"name": str, "description": str}),
        "statements": Level("statement", _TEXT_HELP),
        "tees": Level("T", {"name": str, "description": str}),
        "checklist": Level("checklist item", _TEXT_HELP),
        "checklist_groups": Level("checklist group", {"title": str}),
    },
)
# Keys of model.toml that are structure, not text: named as such when an overlay sets them.
STRUCTURAL = frozenset(
    {
        "schema_version",
        "timing",
        "seconds_per_maturity",
        "seconds_per_tee",
        "seconds_per_checklist",
        "id",
        "stage",
        "dimension",
        "tee",
        "quick",
        "reverse",
        "kind",
        "group",
        "source",
        "may_not_apply",
        "version",
    }
)


def overlay_path(model_file: Path, language: str) -> Path:
    """`model.toml` -> `model.nl.toml`, next to it."""
    return model_file.with_name(f"{model_file.stem}.{language}{model_file.suffix}")


def model_languages(model_file: Path) -> list[str]:
    """The languages with a model overlay next to `model_file`."""
    found = (
        p.name[len(model_file.stem) + 1 : -len(model_file.suffix)]
        for p in model_file.parent.glob(f"{model_file.stem}.*{model_file.suffix}")
    )
    return sorted(code for code in found if LANGUAGE.is_valid(code) and not is_master(code))


def has_overlay(model_file: Path, language: str | None) -> bool:
    return not is_master(language) and overlay_path(model_file, str(language)).is_file()


def _groups(model: Model) -> tuple[Any, ...]:
    # Checklist group titles belong to the model once it has them (issue 12); until then there is
    # nothing to translate and an overlay's [checklist_groups] names unknown ids.
    return tuple(getattr(model, "checklist_groups", ()))


def master(model: Model) -> Strings:
    """Every translatable string of the English model, by overlay key path."""
    strings: Strings = {("meta",): {"title": model.title, "intro": model.intro}}

    def add(section: str, objects: tuple[Any, ...], names: tuple[str, ...]) -> None:
        for obj in objects:
            strings[(section, obj.id)] = {name: getattr(obj, name, "") or "" for name in names}

    add("stages", model.stages, ("name", "tagline", "description", "next_step"))
    add("dimensions", model.dimensions, ("name", "description"))
    add("statements", model.maturity_statements(), ("text", "help"))
    add("statements", model.tee_statements(), ("text", "help"))
    add("tees", model.tees, ("name", "description"))
    add("checklist", model.checklist, ("text", "help"))
    add("checklist_groups", _groups(model), ("title",))
    return strings


def read_overlay(english: Model, path: Path) -> tuple[Strings, list[Problem]]:
    """The strings of one model overlay, and every problem with it (file:line: key: message)."""
    shown = display_path(path)
    document, text, problems = read_toml(path, shown)
    if document is None:
        return {}, problems
    log = OverlayLog(shown, key_lines(text))
    strings = read_strings(document, LEVEL, master(english), log, STRUCTURAL)
    return strings, log.problems


def apply(english: Model, strings: Strings) -> Model:
    """A copy of the English model with the overlay's strings; English wherever it has none."""
    if not strings:
        return english

    def each(section: str, objects: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(replace(obj, **translated(strings, (section, obj.id))) for obj in objects)

    dimensions = tuple(
        replace(d, **translated(strings, ("dimensions", d.id)), statements=each("statements", d.statements))
        for d in english.dimensions
    )
    tees = tuple(
        replace(t, **translated(strings, ("tees", t.id)), statements=each("statements", t.statements))
        for t in english.tees
    )
    changes: dict[str, Any] = {
        **translated(strings, ("meta",)),
        "stages": each("stages", english.stages),
        "dimensions": dimensions,
        "tees": tees,
        "checklist": each("checklist", english.checklist),
    }
    if _groups(english):
        changes["checklist_groups"] = each("checklist_groups", _groups(english))
    return replace(english, **changes)


def translate_model(english: Model, model_file: Path, language: str | None) -> Model:
    """The model in `language`: English with the overlay `model.<language>.toml` applied, or the English
    model itself when there is none. An overlay with problems raises ContentError, as the model does."""
    if not has_overlay(model_file, language):
        return english
    strings, problems = read_overlay(english, overlay_path(model_file, str(language)))
    if problems:
        raise ContentError(problems)
    return apply(english, strings)


def check_overlay(english: Model, model_file: Path, language: str) -> tuple[StringCount, list[Problem]]:
    """How many of the model's strings `language` translates, and the overlay's problems."""
    path = overlay_path(model_file, language)
    if not path.is_file():
        return count(master(english), {}, display_path(path)), []
    strings, problems = read_overlay(english, path)
    return count(master(english), strings, display_path(path)), problems


SHIPPED_MODEL = Path(__file__).resolve().parent / "model.toml"


def is_shipped_model(model_file: Path) -> bool:
    """True for the site's own model (a released language must translate all of it), not for a
    model file the site was pointed at instead."""
    return model_file.resolve() == SHIPPED_MODEL


def check_languages(model: Model, model_file: Path, languages: list[str] | None, out: TextIO) -> list[Problem]:
    """`python -m assessment check`: the interface catalogue and the model overlay of `languages`
    (None: every one found); one line of untranslated counts per language to `out`, and the
    problems (errors; for a released language each untranslated string too)."""
    problems: list[Problem] = []
    found = sorted({*model_languages(model_file), *catalogue_languages(locale_dir())})
    for language in found if languages is None else languages:
        if is_master(language):
            continue
        parts, interface_problems = interface_part(language)
        parts["model"], model_problems = check_overlay(model, model_file, language)
        line, missing = language_report(language, parts, {"model": is_shipped_model(model_file)})
        print(line, file=out)
        problems += [*interface_problems, *model_problems, *missing]
    return problems
