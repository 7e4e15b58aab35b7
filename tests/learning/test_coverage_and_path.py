"""Coverage checks both ways, and the learning path's order, on a small model."""

from __future__ import annotations

from pathlib import Path

from assessment.loader import load_model
from assessment.scoring import Gap
from learning.content import Course
from learning.coverage import coverage_problems, targets
from learning.path import learning_path, links_for_gap, start_here
from lessons.loader import Covers, Lesson
from quizzes.model import Bank, Option, Question

MODEL_TOML = (
    """schema_version = 1
[meta]
title = "t"
intro = "i"
[timing]
seconds_per_maturity = 15
seconds_per_tee = 8
seconds_per_checklist = 8
"""
    + "".join(
        f'[[stages]]\nid = "{s}"\nname = "{s}"\ntagline = "t"\ndescription = "d"\nnext_step = "n"\n'
        for s in ("crawl", "walk", "run", "fly")
    )
    + "".join(
        f'[[dimensions]]\nid = "{d}"\nname = "{d}"\ndescription = "d"\n'
        + "".join(
            f'[[dimensions.statements]]\nid = "{d}.{s}.1"\nstage = "{s}"\ntext = "x"\nhelp = "h"\nquick = true\n'
            for s in ("crawl", "walk", "run", "fly")
        )
        for d in ("strategy", "content")
    )
    + "".join(
        f'[[tees]]\nid = "{t}"\nname = "{t}"\ndescription = "d"\n'
        f'[[tees.statements]]\nid = "{t}.1"\ntext = "x"\nhelp = "h"\nquick = true\n'
        for t in ("credibility", "trust", "tone", "patience")
    )
    + '[[checklist_groups]]\nid = "workshop"\ntitle = "Checklist"\n\n'
    + '[[checklist]]\nid = "check.answer"\nkind = "do"\ngroup = "workshop"\nsource = "003"\ntext = "x"\nhelp = "h"\n'
)


def model(tmp_path: Path):  # noqa: ANN201
    path = tmp_path / "model.toml"
    path.write_text(MODEL_TOML, encoding="utf-8")
    return load_model(path)


def lesson(lesson_id: str, order: int, cells=(), tees=(), checklist=(), quiz=None) -> Lesson:  # noqa: ANN001
    return Lesson(
        lesson_id,
        order,
        lesson_id.title(),
        "s",
        5,
        "foundation",
        ("003",),
        quiz or lesson_id,
        Covers(tuple(cells), tuple(tees), tuple(checklist)),
        "## Body\n",
        f"{lesson_id}.md",
        12,
    )


def bank(bank_id: str, checks: list[str], lesson_id: str | None = None) -> Bank:
    questions = tuple(
        Question(f"q{i}", "single", "?", checks=(c,), options=(Option("a", "A", True), Option("b", "B")))
        for i, c in enumerate(checks)
    )
    return Bank(
        bank_id, bank_id, lesson_id if lesson_id is not None else bank_id, "instant", 70, questions, f"{bank_id}.toml"
    )


def test_complete_coverage_has_no_problems(tmp_path: Path) -> None:
    m = model(tmp_path)
    everything = list(targets(m))
    cells = [t for t, kind in targets(m).items() if kind == "cell"]
    lessons = (
        lesson("all", 1, cells=cells, tees=["credibility", "trust", "tone", "patience"], checklist=["check.answer"]),
    )
    assert coverage_problems(m, lessons, (bank("all", everything),)) == []


def test_gaps_in_coverage_and_broken_links_are_all_reported(tmp_path: Path) -> None:
    m = model(tmp_path)
    lessons = (
        lesson("one", 1, cells=["strategy.crawl", "strategy.jog"], tees=["honesty"], quiz="missing-bank"),
        lesson("orphan", 2),
    )
    banks = (bank("one", ["strategy.crawl", "nothing.here"], lesson_id="one"), bank("stray", [], lesson_id=""))
    messages = [str(p) for p in coverage_problems(m, lessons, banks)]
    text = "\n".join(messages)
    assert 'covers.cells[1]: "strategy.jog" is not a cell of the assessment model' in text
    assert 'covers.tees[0]: "honesty" is not a tee' in text
    assert 'quiz: no quiz bank with id "missing-bank"' in text
    assert 'questions[1].checks[0]: "nothing.here" is not an item' in text
    assert "content.fly: no lesson teaches this cell" in text
    assert "check.answer: no quiz question checks this checklist" in text
    assert "orphan.md: covers: nothing links to this lesson" in text
    assert "stray.toml: lesson: nothing links to this quiz" in text


def test_links_for_gap_put_the_lessons_own_quiz_first() -> None:
    gap = Gap("maturity", dimension="strategy", stage="crawl", coverage=0.3)
    lessons = (lesson("intro", 1, cells=["strategy.crawl"], quiz="intro"), lesson("other", 2, cells=["content.run"]))
    banks = (bank("another", ["strategy.crawl"]), bank("intro", ["strategy.crawl"]))
    links = links_for_gap(gap, lessons, banks)
    assert [x.id for x in links.lessons] == ["intro"]
    assert [b.id for b in links.banks] == ["intro", "another"]


def test_links_for_gap_put_the_lesson_most_about_its_dimension_first() -> None:
    gap = Gap("maturity", dimension="strategy", stage="crawl", coverage=0.3)
    lessons = (
        lesson("survey", 1, cells=["strategy.crawl", "content.crawl", "people.crawl"], quiz="survey"),
        lesson("strategy", 5, cells=["strategy.crawl", "strategy.walk", "strategy.run"], quiz="strategy"),
        lesson("cases", 9, cells=["strategy.crawl", "content.run"], quiz="cases"),
    )
    banks = (bank("cases", ["content.run"]), bank("strategy", ["strategy.walk"]), bank("survey", ["people.crawl"]))
    links = links_for_gap(gap, lessons, banks)
    assert [x.id for x in links.lessons] == ["strategy", "survey", "cases"]
    assert [b.id for b in links.banks] == ["strategy", "survey", "cases"]
    # A T or checklist gap has no dimension: module order.
    tee_lessons = (lesson("b", 2, tees=["trust"], quiz="b"), lesson("a", 1, tees=["trust"], quiz="a"))
    tee_links = links_for_gap(Gap("tee", tee="trust", score=40.0), tee_lessons, (bank("b", []), bank("a", [])))
    assert [x.id for x in tee_links.lessons] == ["a", "b"]
    assert [b.id for b in tee_links.banks] == ["a", "b"]


def test_learning_path_follows_gap_order_and_shows_progress() -> None:
    gaps = (
        Gap("maturity", dimension="strategy", stage="crawl", coverage=0.0),
        Gap("tee", tee="patience", score=40.0),
        Gap("checklist", item="check.answer", answer="no"),
    )
    lessons = (
        lesson("checklist-lesson", 1, checklist=["check.answer"]),
        lesson("patience-lesson", 2, tees=["patience"]),
        lesson("strategy-lesson", 9, cells=["strategy.crawl"], checklist=["check.answer"]),
        lesson("unrelated", 3, cells=["content.fly"]),
    )
    banks = (bank("strategy-lesson", ["strategy.crawl"]),)
    path = learning_path(gaps, lessons, banks, done={"patience-lesson"}, best={"strategy-lesson": 80})
    assert [step.lesson.id for step in path] == ["strategy-lesson", "patience-lesson", "checklist-lesson"]
    assert [len(step.gaps) for step in path] == [2, 1, 1]
    assert path[0].best_percent == 80 and path[0].bank is not None
    assert path[1].done and not path[0].done


def test_quizzes_are_listed_in_module_order_own_quiz_first_and_quizzes_of_no_lesson_last() -> None:
    lessons = (lesson("strategy", 5, quiz="strategy"), lesson("stages", 2, quiz="stages"))
    banks = (
        bank("orphan", [], lesson_id="none"),
        bank("a-fun-quiz", [], lesson_id="stages"),
        bank("strategy", []),
        bank("stages", []),
    )
    course = Course(lessons, banks, ())
    assert [b.id for b in course.banks_in_course_order()] == ["stages", "a-fun-quiz", "strategy", "orphan"]


def test_start_here_takes_the_first_three_gaps_with_one_lesson_and_one_quiz_each() -> None:
    gaps = (
        Gap("maturity", dimension="strategy", stage="crawl", coverage=0.0),
        Gap("maturity", dimension="content", stage="crawl", coverage=0.3),
        Gap("tee", tee="trust", score=40.0),
        Gap("checklist", item="check.answer", answer="no"),
    )
    lessons = (
        lesson("survey", 1, cells=["strategy.crawl", "content.crawl"], tees=["trust"], quiz="survey"),
        lesson("strategy", 5, cells=["strategy.crawl", "strategy.walk"], quiz="strategy"),
        lesson("content", 6, cells=["content.crawl", "content.walk"], quiz="no-such-quiz"),
    )
    banks = (
        bank("survey", ["strategy.crawl"]),
        bank("strategy", ["strategy.walk"]),
        bank("checks-content", ["content.crawl"]),
    )
    steps = start_here(gaps, lessons, banks)

    assert [step.number for step in steps] == [1, 2, 3]
    assert [step.gap for step in steps] == list(gaps[:3])
    # Strategy gap: the strategy lesson is most about strategy, and its own quiz goes with it.
    assert (steps[0].lesson.id, steps[0].bank.id) == ("strategy", "strategy")
    # Content gap: the content lesson has no quiz of its own; the first quiz listed for the gap.
    assert steps[1].lesson.id == "content"
    assert steps[1].bank.id == links_for_gap(gaps[1], lessons, banks).banks[0].id
    # T gap: only the survey teaches trust.
    assert (steps[2].lesson.id, steps[2].bank.id) == ("survey", "survey")


def test_start_here_with_fewer_gaps_or_no_lessons() -> None:
    gaps = (Gap("tee", tee="trust", score=40.0),)
    assert start_here((), (), ()) == []
    (only,) = start_here(gaps, (), ())
    assert (only.number, only.lesson, only.bank) == (1, None, None)
    assert len(start_here(gaps * 5, (), (), n=2)) == 2
