"""Lesson loading (front matter, every problem with file:line:key), rendering and search."""

from __future__ import annotations

from pathlib import Path

import pytest

from lessons.loader import load_lesson, load_lessons, split_front_matter
from lessons.render import render_markdown
from lessons.search import search

GOOD = """+++
id = "listening"
title = "Listening and knowing your audience"
summary = "Find where people talk about you."
minutes = 8
level = "foundation"
sources = ["003", "001"]
quiz = "listening"

[covers]
cells = ["listening.crawl"]
tees = ["trust"]
checklist = ["check.listen"]
+++

## Where conversations happen

Search with keywords and their synonyms[^1].

| tool | use |
|---|---|
| alerts | free monitoring |

[^1]: Workshop slides (003).
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_lesson_loads_with_its_front_matter(tmp_path: Path) -> None:
    lesson, problems = load_lesson(write(tmp_path, "06-listening.md", GOOD))
    assert problems == []
    assert lesson is not None
    assert (lesson.id, lesson.order, lesson.minutes, lesson.sources) == ("listening", 6, 8, ("003", "001"))
    assert lesson.covers.cells == ("listening.crawl",)
    assert lesson.body.lstrip().startswith("## Where conversations happen")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("minutes = 8", "minuts = 8"), ":5: minuts: unknown key"),
        (('level = "foundation"', 'level = "expert"'), ":6: level: expected one of foundation, practice, advanced"),
        (('sources = ["003", "001"]', 'sources = ["003", "999"]'), ":7: sources[1]: expected one of"),
        (('quiz = "listening"\n', ""), "missing required key 'quiz'"),
        (('title = "Listening and knowing your audience"', "title = 3"), ":3: title: expected text, got 3"),
        (('cells = ["listening.crawl"]', 'cels = ["listening.crawl"]'), ":11: covers.cels: unknown key"),
        (
            ('summary = "Find where people talk about you."', 'summary = "unclosed'),
            ":4: front matter is not valid TOML",
        ),
    ],
    ids=["unknown-key", "bad-level", "bad-source", "missing-field", "wrong-type", "unknown-covers-key", "toml-error"],
)
def test_front_matter_problems_name_file_line_and_key(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    path = write(tmp_path, "06-listening.md", GOOD.replace(*change))
    lesson, problems = load_lesson(path)
    assert lesson is None
    messages = [str(p) for p in problems]
    assert any(expected in m and "06-listening.md" in m for m in messages), messages


def test_missing_front_matter_is_reported(tmp_path: Path) -> None:
    lesson, problems = load_lesson(write(tmp_path, "01-x.md", "## No front matter\n"))
    assert lesson is None
    assert "no front matter" in str(problems[0])


def test_one_broken_lesson_does_not_hide_the_others(tmp_path: Path) -> None:
    write(tmp_path, "01-good.md", GOOD)
    write(tmp_path, "02-broken.md", GOOD.replace('id = "listening"', 'id = "broken"').replace("minutes = 8", ""))
    write(tmp_path, "03-dup.md", GOOD)
    lessons, problems = load_lessons(tmp_path)
    assert [lesson.id for lesson in lessons] == ["listening"]
    text = "\n".join(str(p) for p in problems)
    assert "02-broken.md" in text and "missing required key 'minutes'" in text
    assert 'duplicate lesson id "listening"' in text


def test_split_front_matter_reports_body_line() -> None:
    front, body, body_line = split_front_matter("+++\na = 1\n+++\nbody\n")  # type: ignore[misc]
    assert (front, body, body_line) == ("a = 1\n", "body\n", 4)


def test_rendering_keeps_tables_footnotes_and_toc() -> None:
    rendered = render_markdown(GOOD.split("+++", 2)[2])
    assert "<table>" in rendered.html and "<td>alerts</td>" in rendered.html
    assert '<div class="lesson-table" style="overflow-x: auto"><table>' in rendered.html, "tables scroll on phones"
    assert rendered.html.count("lesson-table") == rendered.html.count("<table>")
    assert 'id="fn:1"' in rendered.html
    assert [h.title for h in rendered.toc] == ["Where conversations happen"]


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="#" onclick="alert(1)">x</a>',
        "<iframe src='https://example.org'></iframe>",
        "<style>body{display:none}</style>",
        '<table style="position:fixed;top:0"><tr><td>x</td></tr></table>',
        '<div class="lesson-table" style="position:fixed">x</div>',
    ],
)
def test_html_and_script_in_markdown_never_reach_the_page(hostile: str) -> None:
    html = render_markdown(f"Text {hostile} more").html.lower()
    for forbidden in ("<script", "onerror", "javascript:", "onclick", "<iframe", "<style", "<img", "position"):
        assert forbidden not in html


def test_search_ranks_title_hits_first(tmp_path: Path) -> None:
    write(tmp_path, "01-a.md", GOOD)
    other = (
        GOOD.replace('id = "listening"', 'id = "webcare"')
        .replace("Listening and knowing your audience", "Webcare and conversation")
        .replace("Search with keywords", "KLM answers within an hour; listening matters")
    )
    write(tmp_path, "02-b.md", other)
    lessons, problems = load_lessons(tmp_path)
    assert problems == []
    assert [h.lesson.id for h in search(lessons, "listening")] == ["listening", "webcare"]
    assert [h.lesson.id for h in search(lessons, "KLM hour")] == ["webcare"]
    assert search(lessons, "   ") == []
    assert search(lessons, "nonexistentword") == []
    assert "KLM" in search(lessons, "klm")[0].snippet


def test_a_short_search_word_matches_whole_words_only() -> None:
    """As prefixes, "4" and "t" would match half of every lesson; "4 T" must find the 4 T's lesson first."""
    lessons, problems = load_lessons()
    assert problems == []
    assert search(lessons, "4 T")[0].lesson.id == "four-ts-dos-donts"
    assert search(lessons, "4 T's")[0].lesson.id == "four-ts-dos-donts"
    assert search(lessons, "KLM")[0].lesson.id == "cases"


def test_a_search_snippet_reads_as_text_without_markdown_marks(tmp_path: Path) -> None:
    body = (
        "Webcare started with **three employees**[^ing]; later _six_ `FTE`, "
        "see [the ING case](https://example.org/ing) and ![a chart](chart.png).\n\n"
        "[^ing]: Course text (002).\n"
    )
    write(tmp_path, "01-a.md", GOOD.split("+++", 2)[0] + "+++" + GOOD.split("+++", 2)[1] + "+++\n" + body)
    lessons, problems = load_lessons(tmp_path)
    assert problems == []

    snippet = search(lessons, "webcare")[0].snippet

    assert snippet.startswith(
        "Webcare started with three employees; later six FTE, see the ING case and a chart. Course text (002)."
    )
    for mark in ("*", "_", "`", "[", "]", "(https", " ;", " ,", " ."):
        assert mark not in snippet


@pytest.mark.parametrize("query", ["needle", "alpha", "omega"])
def test_a_search_snippet_starts_and_ends_on_whole_words(tmp_path: Path, query: str) -> None:
    filler = " ".join(f"word{n:03d}" for n in range(80))
    body = f"alpha {filler} needle {filler} omega\n"
    write(tmp_path, "01-a.md", GOOD.split("+++", 2)[0] + "+++" + GOOD.split("+++", 2)[1] + "+++\n" + body)
    lessons, _ = load_lessons(tmp_path)

    snippet = search(lessons, query)[0].snippet

    assert query in snippet
    assert len(snippet) <= 162
    whole = set(body.split())
    assert all(word in whole for word in snippet.strip("…").split())


@pytest.mark.parametrize(("words", "expected"), [(10, 1), (199, 1), (301, 2), (1400, 7), (2000, 10)])
def test_reading_time_follows_the_words_of_the_body(tmp_path: Path, words: int, expected: int) -> None:
    text = GOOD.split("+++", 2)
    write(tmp_path, "01-a.md", f"+++{text[1]}+++\n" + " ".join(["word"] * words) + "\n")
    lessons, problems = load_lessons(tmp_path)
    assert problems == []
    assert lessons[0].reading_minutes == expected


def test_a_footnote_cited_three_times_has_one_link_back() -> None:
    rendered = render_markdown("a[^x] b[^x] c[^x]\n\n[^x]: the note")
    assert rendered.html.count("&#8617;") + rendered.html.count("↩") == 1
    assert 'href="#fnref:x"' in rendered.html  # back to the first citation
