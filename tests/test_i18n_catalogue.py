"""The committed template is current and the catalogue tooling (scripts/i18n) does what it says."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

import i18n

PROJECT = Path(__file__).resolve().parents[1]


def _load_tool():
    spec = importlib.util.spec_from_file_location("i18n_tool", PROJECT / "scripts" / "i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A tiny project with the site's babel.cfg and one page."""
    shutil.copy(PROJECT / "babel.cfg", tmp_path / "babel.cfg")
    (tmp_path / "page.py").write_text(
        "from i18n import N_, _, ngettext\n\n"
        'TITLE = N_("Marked title")\n'
        'print(_("Hello {name}").format(name="x"), ngettext("{n} item", "{n} items", 2))\n',
        encoding="utf-8",
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_page.py").write_text('_("not a site string")\n', encoding="utf-8")
    (tmp_path / "locales").mkdir()
    tool.extract(tmp_path)
    return tmp_path


def _po(project: Path, language: str, translations: dict[str, object]) -> Path:
    with open(project / tool.POT, "rb") as handle:
        template = read_po(handle)
    catalog = Catalog(locale=language, domain=tool.DOMAIN, fuzzy=False)
    for message in template:
        if message.id:
            catalog.add(message.id, translations.get(message.id if isinstance(message.id, str) else message.id[0]))
    path = project / "locales" / language / "LC_MESSAGES" / f"{tool.DOMAIN}.po"
    path.parent.mkdir(parents=True)
    with open(path, "wb") as handle:
        write_po(handle, catalog)
    return path


def test_the_committed_template_matches_the_source() -> None:
    assert tool.pot_problems() == []


def test_every_shipped_catalogue_is_well_formed() -> None:
    assert tool.catalogue_problems() == []


def test_extraction_takes_the_three_keywords_and_skips_tests(project: Path) -> None:
    with open(project / tool.POT, "rb") as handle:
        ids = [message.id for message in read_po(handle) if message.id]
    assert ids == ["Hello {name}", "Marked title", ("{n} item", "{n} items")]


def test_a_new_string_without_extraction_fails_the_check(project: Path) -> None:
    assert tool.pot_problems(project) == []
    (project / "more.py").write_text('from i18n import _\n\n_("Brand new")\n', encoding="utf-8")
    problems = tool.pot_problems(project)
    assert problems[0] == "not in locales/site.pot: 'Brand new'"
    assert tool.check(project) == 1


def test_a_catalogue_with_other_placeholders_fails_the_check(project: Path) -> None:
    path = _po(project, "de", {"Hello {name}": "Hallo {Name}", "Marked title": "Markierter Titel"})
    (problem,) = tool.catalogue_problems(project)
    assert problem.startswith(f"{path}:")
    assert problem.endswith("'Hello {name}': placeholders ['Name'] differ from the English ['name']")


def test_a_catalogue_marked_fuzzy_is_reported_as_not_compiled(project: Path) -> None:
    path = _po(project, "de", {})
    path.write_text("#, fuzzy\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert tool.catalogue_problems(project) == [
        f"{path}: the header is marked fuzzy, so Babel skips the whole catalogue"
    ]


def test_a_released_language_must_be_complete(project: Path) -> None:
    _po(project, "de", {"Hello {name}": "Hallo {name}"})
    assert tool.catalogue_problems(project) == []  # partial is fine: German is not released
    path = _po(project, "nl", {"Hello {name}": "Hallo {name}"})
    problems = tool.catalogue_problems(project)
    assert len(problems) == 2  # the title and the plural
    assert any(
        p.startswith(f"{path}:") and "'Marked title': not translated (nl is a released language" in p for p in problems
    )


def test_a_fuzzy_entry_counts_as_untranslated_in_a_released_language(project: Path) -> None:
    path = _po(
        project,
        "da",
        {"Hello {name}": "Hej {name}", "Marked title": "Markeret titel", "{n} item": ("{n} ting", "{n} ting")},
    )
    assert tool.catalogue_problems(project) == []
    text = path.read_text(encoding="utf-8").replace('msgid "Marked title"', '#, fuzzy\nmsgid "Marked title"')
    path.write_text(text, encoding="utf-8")
    (problem,) = tool.catalogue_problems(project)
    assert "'Marked title': not translated" in problem


def test_update_and_compile_make_a_language_available(
    project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _po(project, "da", {"Marked title": "Markeret titel"})
    (project / "page.py").write_text(
        (project / "page.py").read_text(encoding="utf-8") + '_("Later")\n', encoding="utf-8"
    )
    tool.extract(project)
    tool.update(project)
    with open(project / "locales" / "da" / "LC_MESSAGES" / "site.po", "rb") as handle:
        assert "Later" in read_po(handle)
    tool.compile_catalogues(project)
    monkeypatch.setenv("SMM_LOCALE_DIR", str(project / "locales"))
    assert i18n.available_languages() == ["en", "da"]
    assert i18n.translations("da").gettext("Marked title") == "Markeret titel"
