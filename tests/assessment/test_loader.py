"""The loader: a valid file loads; every mistake is reported as file:line: key.path: problem."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assessment.loader import DEFAULT_MODEL_PATH, check_model, load_model
from assessment.model import MaturityStatement, Mode, Model
from content.files import display_path
from content.problems import ContentError, Problem
from content.toml_lines import key_lines, line_for
from tests.assessment.conftest import (
    CHECKLIST_IDS,
    MATURITY_IDS,
    QUICK_MATURITY_IDS,
    REAL_MODEL_MISSING,
    SYNTHETIC_TOML,
    TEE_IDS,
    line_of,
    replace_once,
)

WriteModel = Callable[[str], Path]


def problems_of(path: Path) -> list[Problem]:
    model, problems = check_model(path)
    assert model is None, "a file with problems must not give a model"
    assert problems, "expected at least one problem"
    return problems


def find(problems: list[Problem], path: str) -> Problem:
    matching = [p for p in problems if p.path == path]
    assert matching, f"no problem at {path!r}; got:\n" + "\n".join(str(p) for p in problems)
    return matching[0]


# A valid file ---------------------------------------------------------------------


def test_valid_file_loads(write_model: WriteModel) -> None:
    model, problems = check_model(write_model(SYNTHETIC_TOML))
    assert problems == []
    assert model is not None
    assert model.title == "Synthetic test model"
    assert [s.id for s in model.stages] == ["crawl", "walk", "run", "fly"]
    assert [d.id for d in model.dimensions] == ["people", "content"]
    assert [t.id for t in model.tees] == ["credibility", "trust", "tone", "patience"]
    assert [s.id for s in model.maturity_statements()] == list(MATURITY_IDS)
    assert [s.id for s in model.maturity_statements(Mode.QUICK)] == list(QUICK_MATURITY_IDS)
    assert [s.id for s in model.tee_statements()] == list(TEE_IDS)
    assert [i.id for i in model.checklist] == list(CHECKLIST_IDS)
    assert [s.id for s in model.dimension("people").cell("walk")] == ["p.walk.1", "p.walk.2"]
    assert [s.id for s in model.dimension("people").cell("walk", Mode.QUICK)] == ["p.walk.1"]
    assert model.item("t.tone.1").reverse is True
    assert model.item("t.tone.2").reverse is False
    assert model.item("p.walk.2").quick is False
    assert model.checklist_item("check.b").kind == "dont"
    assert model.timing.seconds_per_tee == 8


def test_load_model_returns_the_same_as_check_model(write_model: WriteModel) -> None:
    path = write_model(SYNTHETIC_TOML)
    assert load_model(path) == check_model(path)[0]


# One mistake at a time ------------------------------------------------------------
#
# Each case: (mutation of the valid text, key path, message, a needle that finds the
# expected line in the MUTATED text, occurrence of that needle).

BAD_FILES = [
    pytest.param(
        lambda t: replace_once(t, 'text = "Staff have been trained."', 'txt = "Staff have been trained."'),
        "dimensions[0].statements[1].txt",
        "unknown key (expected one of: id, stage, text, help, quick, may_not_apply)",
        ("txt = ", 1),
        id="unknown-key-typo",
    ),
    pytest.param(
        lambda t: replace_once(t, 'text = "Staff have been trained."', 'txt = "Staff have been trained."'),
        "dimensions[0].statements[1]",
        "missing required key 'text'",
        ("[[dimensions.statements]]", 2),
        id="typo-also-means-missing-key",
    ),
    pytest.param(
        lambda t: replace_once(t, 'help = "Within the guidelines."\n', ""),
        "dimensions[0].statements[4]",
        "missing required key 'help'",
        ("[[dimensions.statements]]", 5),
        id="missing-required-field",
    ),
    pytest.param(
        lambda t: replace_once(t, 'title = "Synthetic test model"\n', ""),
        "meta",
        "missing required key 'title'",
        ("[meta]", 1),
        id="missing-meta-title",
    ),
    pytest.param(
        lambda t: replace_once(t, 'id = "c.run.2"', 'id = "p.walk.2"'),
        "dimensions[1].statements[4].id",
        'duplicate id "p.walk.2" (first used at dimensions[0].statements[2])',
        ('id = "p.walk.2"', 2),
        id="duplicate-id",
    ),
    pytest.param(
        lambda t: replace_once(t, 'id = "check.c"', 'id = "t.pat.1"'),
        "checklist[2].id",
        'duplicate id "t.pat.1" (first used at tees[3].statements[0])',
        ('id = "t.pat.1"', 2),
        id="duplicate-id-across-sections",
    ),
    pytest.param(
        lambda t: replace_once(
            t,
            '[[dimensions.statements]]\nid = "c.fly.1"\nstage = "fly"\n'
            'text = "Customers create most content."\nhelp = "Communities."\nquick = true\n\n',
            "",
        ),
        "dimensions[1]",
        'dimension "content" has no statement for stage "fly"',
        ("[[dimensions]]", 2),
        id="cell-without-statement",
    ),
    pytest.param(
        lambda t: replace_once(t, 'stage = "walk"', 'stage = "jog"', occurrence=2),
        "dimensions[0].statements[2].stage",
        'expected one of crawl, walk, run, fly, got "jog"',
        ('stage = "jog"', 1),
        id="bad-stage-name",
    ),
    pytest.param(
        lambda t: replace_once(t, 'help = "Planned, not left over."', 'help = "Planned, not left over."\nquick = true'),
        "dimensions[0]",
        'dimension "people" at stage "walk" needs exactly one statement with quick = true for the quick scan, has 2',
        ("[[dimensions]]", 1),
        id="two-quick-statements-in-a-cell",
    ),
    pytest.param(
        lambda t: replace_once(
            t,
            'id = "p.run.1"\nstage = "run"\ntext = "Several teams take part."\n'
            'help = "Not only marketing."\nquick = true',
            'id = "p.run.1"\nstage = "run"\ntext = "Several teams take part."\n'
            'help = "Not only marketing."\nquick = "yes"',
        ),
        "dimensions[0].statements[3].quick",
        'expected true or false, got "yes"',
        ('quick = "yes"', 1),
        id="wrong-type-bool",
    ),
    pytest.param(
        lambda t: replace_once(t, "seconds_per_tee = 8", 'seconds_per_tee = "8"'),
        "timing.seconds_per_tee",
        'expected a whole number, got "8"',
        ('seconds_per_tee = "8"', 1),
        id="wrong-type-int",
    ),
    pytest.param(
        lambda t: replace_once(t, 'text = "We answer every question."', "text = 42"),
        "tees[1].statements[0].text",
        "expected text, got 42",
        ("text = 42", 1),
        id="wrong-type-text",
    ),
    pytest.param(
        lambda t: replace_once(t, 'help = "A named person."', 'help = "   "'),
        "dimensions[0].statements[0].help",
        "must not be empty",
        ('help = "   "', 1),
        id="empty-text",
    ),
    pytest.param(
        lambda t: replace_once(t, 'id = "patience"', 'id = "patiense"'),
        "tees[3].id",
        'expected one of credibility, trust, tone, patience, got "patiense"',
        ('id = "patiense"', 1),
        id="bad-tee-id",
    ),
    pytest.param(
        lambda t: replace_once(
            t,
            'help = "Reverse-keyed."\nreverse = true\n\n',
            'help = "Reverse-keyed."\nreverse = true\nquick = true\n\n',
        ),
        "tees[0]",
        'T "credibility" needs exactly one statement with quick = true',
        ("[[tees]]", 1),
        id="tee-with-two-quick-statements",
    ),
    pytest.param(
        lambda t: replace_once(t, 'kind = "dont"', 'kind = "do not"'),
        "checklist[1].kind",
        'expected "do" or "dont", got "do not"',
        ('kind = "do not"', 1),
        id="bad-checklist-kind",
    ),
    pytest.param(
        lambda t: replace_once(t, 'group = "accounts"', 'group = "twitter"'),
        "checklist[2].group",
        'expected a group of [[checklist_groups]] (workshop, facebook, accounts), got "twitter"',
        ('group = "twitter"', 1),
        id="bad-checklist-group",
    ),
    pytest.param(
        lambda t: replace_once(t, 'id = "c.walk.1"', 'id = "C Walk"'),
        "dimensions[1].statements[2].id",
        '"C Walk" is not a valid id (lowercase letters, digits, ".", "-", "_")',
        ('id = "C Walk"', 1),
        id="invalid-id",
    ),
    pytest.param(
        lambda t: replace_once(t, 'id = "fly"', 'id = "soar"'),
        "stages[3].id",
        'expected one of crawl, walk, run, fly, got "soar"',
        ('id = "soar"', 1),
        id="bad-stage-id",
    ),
    pytest.param(
        lambda t: replace_once(t, "may_not_apply = true", 'may_not_apply = "yes"'),
        "dimensions[1].statements[4].may_not_apply",
        'expected true or false, got "yes"',
        ('may_not_apply = "yes"', 1),
        id="may-not-apply-not-a-bool",
    ),
    pytest.param(
        lambda t: (
            replace_once(
                t,
                'help = "A named person."\nquick = true',
                'help = "A named person."\nquick = true\nmay_not_apply = true',
            )
            .replace(
                'help = "At least the basics."\nquick = true',
                'help = "At least the basics."\nquick = true\nmay_not_apply = true',
            )
            .replace(
                'help = "Not only marketing."\nquick = true',
                'help = "Not only marketing."\nquick = true\nmay_not_apply = true',
            )
            .replace(
                'help = "Within the guidelines."\nquick = true',
                'help = "Within the guidelines."\nquick = true\nmay_not_apply = true',
            )
        ),
        "dimensions[0]",
        'dimension "people" needs at least one statement with quick = true that is not marked may_not_apply',
        ("[[dimensions]]", 1),
        id="every-quick-statement-may-not-apply",
    ),
    pytest.param(
        lambda t: replace_once(t, 'title = "Your Facebook page"\n', ""),
        "checklist_groups[1]",
        "missing required key 'title'",
        ("[[checklist_groups]]", 2),
        id="checklist-group-without-title",
    ),
    pytest.param(
        lambda t: replace_once(t, 'id = "accounts"\ntitle', 'id = "workshop"\ntitle'),
        "checklist_groups[2].id",
        'duplicate id "workshop" (first used at checklist_groups[0])',
        ('id = "workshop"', 2),
        id="duplicate-checklist-group",
    ),
    pytest.param(
        lambda t: replace_once(t, "schema_version = 1", "schema_version = 2"),
        "schema_version",
        "expected 1, got 2",
        ("schema_version = 2", 1),
        id="wrong-schema-version",
    ),
]


@pytest.mark.parametrize(("mutate", "key_path", "message", "where"), BAD_FILES)
def test_bad_file_names_file_line_and_key_path(
    write_model: WriteModel, mutate: Callable[[str], str], key_path: str, message: str, where: tuple[str, int]
) -> None:
    text = mutate(SYNTHETIC_TOML)
    path = write_model(text)
    problem = find(problems_of(path), key_path)
    expected_line = line_of(text, *where)
    assert problem.message == message
    assert problem.file == display_path(path) == str(path)
    assert problem.line == expected_line
    assert str(problem) == f"{path}:{expected_line}: {key_path}: {message}"


def test_bad_stage_name_is_the_only_problem(write_model: WriteModel) -> None:
    """The walk cell still has p.walk.1, so "jog" must not cascade into other messages."""
    text = replace_once(SYNTHETIC_TOML, 'stage = "walk"', 'stage = "jog"', occurrence=2)
    path = write_model(text)
    assert [str(p) for p in problems_of(path)] == [
        f"{path}:{line_of(text, 'jog')}: dimensions[0].statements[2].stage: "
        'expected one of crawl, walk, run, fly, got "jog"'
    ]


def test_toml_syntax_error_gives_its_line(write_model: WriteModel) -> None:
    text = replace_once(SYNTHETIC_TOML, 'name = "Trust"', 'name "Trust"')
    path = write_model(text)
    problems = problems_of(path)
    assert len(problems) == 1
    problem = problems[0]
    line = line_of(text, 'name "Trust"')
    assert problem.line == line
    assert problem.path == ""
    assert problem.message.startswith("not valid TOML: ")
    assert "(column " in problem.message
    assert str(problem).startswith(f"{path}:{line}: not valid TOML: ")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "model.toml"
    model, problems = check_model(path)
    assert model is None
    assert [str(p) for p in problems] == [f"{path}: file not found"]
    with pytest.raises(ContentError) as raised:
        load_model(path)
    assert str(raised.value) == f"{path}: file not found"


def test_file_that_is_not_utf8(write_model: WriteModel) -> None:
    path = write_model("")
    path.write_bytes(b'schema_version = 1\ntitle = "\xff\xfe"\n')
    problems = problems_of(path)
    assert len(problems) == 1
    assert (problems[0].line, problems[0].message) == (2, "not UTF-8 text (byte 28); save the file as UTF-8")


def test_display_path_is_relative_to_the_project() -> None:
    assert display_path(DEFAULT_MODEL_PATH) == "assessment/model.toml"


def test_all_problems_are_reported_in_one_run(write_model: WriteModel) -> None:
    text = SYNTHETIC_TOML
    text = replace_once(text, 'text = "Staff have been trained."', 'txt = "Staff have been trained."')
    text = replace_once(text, 'id = "c.run.2"', 'id = "p.walk.2"')
    text = replace_once(text, 'stage = "walk"', 'stage = "jog"', occurrence=2)
    text = replace_once(text, "seconds_per_tee = 8", 'seconds_per_tee = "8"')
    text = replace_once(text, 'help = "Reverse-keyed."\nreverse = true\n\n', "reverse = true\n\n")  # t.cred.2
    text = replace_once(text, 'group = "accounts"', 'group = "twitter"')
    path = write_model(text)
    with pytest.raises(ContentError) as raised:
        load_model(path)
    problems = raised.value.problems
    expected = {
        ("dimensions[0].statements[1].txt", line_of(text, "txt = ")),
        ("dimensions[0].statements[1]", line_of(text, "[[dimensions.statements]]", 2)),
        ("dimensions[0].statements[2].stage", line_of(text, 'stage = "jog"')),
        # p.walk.1 is unusable (no text) and p.walk.2 has a bad stage, so the walk cell is empty:
        ("dimensions[0]", line_of(text, "[[dimensions]]")),
        ("dimensions[1].statements[4].id", line_of(text, 'id = "p.walk.2"', 2)),
        ("timing.seconds_per_tee", line_of(text, "seconds_per_tee")),
        ("tees[0].statements[1]", line_of(text, "[[tees.statements]]", 2)),
        ("checklist[2].group", line_of(text, 'group = "twitter"')),
    }
    assert {(p.path, p.line) for p in problems} >= expected
    # Every problem is placed on a line, and the exception text lists them all.
    assert all(p.line for p in problems)
    assert str(raised.value).splitlines() == [str(p) for p in problems]
    # Nothing else: the loader does not invent problems either.
    assert len(problems) == len(expected)


def swap_walk_and_run(text: str) -> str:
    text = replace_once(text, 'id = "walk"', 'id = "tmp"')
    text = replace_once(text, 'id = "run"', 'id = "walk"')
    return replace_once(text, 'id = "tmp"', 'id = "run"')


def test_stages_in_the_wrong_order(write_model: WriteModel) -> None:
    problems = problems_of(write_model(swap_walk_and_run(SYNTHETIC_TOML)))
    assert [p.message for p in problems] == [
        "expected the stages crawl, walk, run, fly once each in that order, got crawl, run, walk, fly"
    ]
    assert problems[0].path == "stages"


def test_wrong_set_of_tees(write_model: WriteModel) -> None:
    text = replace_once(SYNTHETIC_TOML, 'id = "patience"', 'id = "trust"')
    problems = problems_of(write_model(text))
    assert {(p.path, p.message) for p in problems} == {
        ("tees[3].id", 'duplicate id "trust" (first used at tees[1])'),
        (
            "tees",
            "expected the four T's credibility, trust, tone, patience once each, got credibility, trust, tone, trust",
        ),
    }


@pytest.mark.parametrize(
    ("mutate", "key_path", "header"),
    [
        pytest.param(swap_walk_and_run, "stages", "[[stages]]", id="stages-out-of-order"),
        pytest.param(
            lambda t: replace_once(t, 'id = "patience"', 'id = "trust"'), "tees", "[[tees]]", id="tees-wrong-set"
        ),
    ],
)
def test_list_level_problems_have_a_line(
    write_model: WriteModel, mutate: Callable[[str], str], key_path: str, header: str
) -> None:
    text = mutate(SYNTHETIC_TOML)
    assert find(problems_of(write_model(text)), key_path).line == line_of(text, header)


def test_a_table_where_a_list_of_tables_is_expected(write_model: WriteModel) -> None:
    text = replace_once(SYNTHETIC_TOML, "[[checklist]]", "[checklist]")
    text = text.split("[checklist]")[0] + '[checklist]\nid = "x"\n'
    problems = [p for p in problems_of(write_model(text)) if p.path == "checklist"]
    assert problems, "no problem at checklist"
    # One mistake, one message.
    assert [p.message for p in problems] == ["expected a list, got a table"]
    assert {p.line for p in problems} == {line_of(text, "[checklist]")}


def test_checklist_groups_and_may_not_apply_are_loaded(synthetic_model_path: Path) -> None:
    model = load_model(synthetic_model_path)
    assert [(g.id, g.title) for g in model.checklist_groups] == [
        ("workshop", "Do's and don'ts"), ("facebook", "Your Facebook page"), ("accounts", "Accounts and policy"),
    ]  # fmt: skip
    assert model.checklist_group("facebook").title == "Your Facebook page"
    assert [s.id for s in model.maturity_statements() if s.may_not_apply] == ["c.run.2"]
    assert model.item("c.run.2").values()[-1] == "na"
    assert "na" not in model.item("c.run.1").values()


def test_missing_checklist_groups(write_model: WriteModel) -> None:
    text = SYNTHETIC_TOML.replace(
        SYNTHETIC_TOML[SYNTHETIC_TOML.index("[[checklist_groups]]") : SYNTHETIC_TOML.index("[[checklist]]")], ""
    )
    messages = [str(p) for p in problems_of(write_model(text))]
    assert any(m.endswith("missing required key 'checklist_groups'") for m in messages), messages
    assert any('checklist[0].group: expected a group of [[checklist_groups]] (none defined), got "workshop"' in m
               for m in messages), messages  # fmt: skip


def test_missing_top_level_list(write_model: WriteModel) -> None:
    text = SYNTHETIC_TOML.split("[[checklist]]")[0]
    messages = [str(p) for p in problems_of(write_model(text))]
    assert any(m.endswith("missing required key 'checklist'") for m in messages), messages


@pytest.mark.parametrize(
    ("mutate", "key_path"),
    [
        pytest.param(
            lambda t: replace_once(t, "schema_version = 1", 'schema_version = 1\ntitel = "x"'),
            "titel",
            id="unknown-top-level-key",
        ),
        pytest.param(
            lambda t: replace_once(t, "schema_version = 1", 'schema_version = "1"'),
            "schema_version",
            id="top-level-wrong-type",
        ),
    ],
)
def test_top_level_problems_have_a_line(write_model: WriteModel, mutate: Callable[[str], str], key_path: str) -> None:
    text = mutate(SYNTHETIC_TOML)
    problems = problems_of(write_model(text))
    problem = find(problems, key_path)
    assert problem.line == line_of(text, key_path)


# toml_lines ----------------------------------------------------------------------

NESTED = '''\
title = "x"
intro = """
[[not_a_table]]
fake = "not a key"
"""
tags = [
  "a",
  "b]", # a comment with ] in it
  ["nested", "array"],
]
after = 1

[meta]
name = "m"
one_line = """all on one line"""
next = 2

[[dimensions]]
id = "d0"

[[dimensions.statements]]
id = "d0s0"
text = \'\'\'
id = "inside a literal string"
\'\'\'

[[dimensions.statements]]
id = "d0s1"

[dimensions.statements.extra]
note = "a sub-table of d0s1"

[[dimensions]]
id = "d1"
values = [1, 2,
  3]

[[dimensions.statements]]
"quoted key" = "q"
id = "d1s0"

[[tees]]
id = "t0"
'''


def test_key_lines_on_nested_arrays_strings_and_arrays() -> None:
    assert key_lines(NESTED) == {
        "": 1,
        "title": 1,
        "intro": 2,
        "tags": 6,
        "after": 11,
        "meta": 13,
        "meta.name": 14,
        "meta.one_line": 15,
        "meta.next": 16,
        "dimensions[0]": 18,
        "dimensions[0].id": 19,
        "dimensions[0].statements[0]": 21,
        "dimensions[0].statements[0].id": 22,
        "dimensions[0].statements[0].text": 23,
        "dimensions[0].statements[1]": 27,
        "dimensions[0].statements[1].id": 28,
        "dimensions[0].statements[1].extra": 30,
        "dimensions[0].statements[1].extra.note": 31,
        "dimensions[1]": 33,
        "dimensions[1].id": 34,
        "dimensions[1].values": 35,
        "dimensions[1].statements[0]": 38,
        "dimensions[1].statements[0].quoted key": 39,
        "dimensions[1].statements[0].id": 40,
        "tees[0]": 42,
        "tees[0].id": 43,
    }


def test_key_lines_counts_lines_like_an_editor() -> None:
    lines = NESTED.splitlines()
    for path, number in key_lines(NESTED).items():
        key = path.rsplit(".", 1)[-1].split("[")[0]
        assert key.strip('"') in lines[number - 1] or key in lines[number - 1], (path, number)


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("dimensions[1].statements[0].id", 40),  # exact
        ("dimensions[1].statements[0].help", 38),  # missing key: its table
        ("dimensions[1].statements[3].id", 33),  # unknown element: the enclosing element
        ("dimensions[0].statements[1].extra.gone", 30),
        ("meta.nothing", 13),
        ("nothing", 1),  # the document itself
        ("", 1),
    ],
)
def test_line_for_falls_back_to_the_nearest_ancestor(path: str, line: int | None) -> None:
    assert line_for(key_lines(NESTED), path) == line


def test_key_lines_literal_string_with_bracket_in_multiline_array() -> None:
    text = "x = [\n  '[',\n]\ny = 1\n"
    assert key_lines(text) == {"": 1, "x": 1, "y": 4}


# The real content -------------------------------------------------------------------


def test_real_model_loads_without_problems() -> None:
    if not DEFAULT_MODEL_PATH.exists():
        pytest.skip(REAL_MODEL_MISSING)
    model, problems = check_model(DEFAULT_MODEL_PATH)
    assert [str(p) for p in problems] == []
    assert model is not None
    assert [s.id for s in model.stages] == ["crawl", "walk", "run", "fly"]
    assert [t.id for t in model.tees] == ["credibility", "trust", "tone", "patience"]
    for dimension in model.dimensions:
        for stage in model.stages:
            assert len(dimension.cell(stage.id, Mode.QUICK)) == 1


# Ids that lessons and quiz banks rely on (SPEC section 4): they keep their id and their stage.
SPEC_PLACEMENTS = {
    "conversation.run.2": "run",
    "conversation.fly.1": "fly",
    "measurement.walk.2": "walk",
    "innovation.fly.2": "fly",
    "content.run.1": "run",
}


def test_real_model_keeps_the_placements_the_course_relies_on(real_model: Model) -> None:
    for statement_id, stage in SPEC_PLACEMENTS.items():
        statement = real_model.item(statement_id)
        assert isinstance(statement, MaturityStatement), statement_id
        assert statement.stage == stage, statement_id


def test_real_model_not_applicable_and_groups(real_model: Model) -> None:
    may_not_apply = {s.id for s in real_model.maturity_statements() if s.may_not_apply}
    assert {"community.fly.2", "innovation.fly.2"} <= may_not_apply
    # The quick scan asks one statement per cell; it always applies, so no cell of a quick scan is
    # ever left out of a score by a "not applicable" answer.
    assert not any(s.may_not_apply for s in real_model.maturity_statements(Mode.QUICK))
    assert [g.id for g in real_model.checklist_groups] == ["workshop", "facebook", "accounts"]
    assert {i.group for i in real_model.checklist} == {"workshop", "facebook", "accounts"}
