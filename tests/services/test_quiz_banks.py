"""services.quiz_banks on SQLite and PostgreSQL: who may preview, import and delete; the size limit,
the encoding and the format of an upload; what a preview shows (questions, skipped lines, notes);
bank ids that are taken; replacing and deleting (not while a live run uses the bank); the course
that joins imported banks, also in another process; tags; downloads as GIFT and Moodle XML."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine

from learning.content import Course
from quizzes.gift import parse_gift
from quizzes.model import Bank, Option, Question, ShortAnswer
from services import accounts, live
from services import quiz_banks as qb
from services import workshops as ws
from storage.engine import make_engine

pytestmark = pytest.mark.usefixtures("cheap_management")

AT = datetime(2026, 12, 20, 9, 0, tzinfo=timezone.utc)
PASSWORD = "correct horse battery"
GIFT = b"""\
// A week of the course, exported from Moodle.
$CATEGORY: $course$/top/Week 1 quiz

::Sky:: The sky is blue on a clear day. {T}

::Strategy:: Describe your social media strategy. {}

::Capital:: Which city is the capital of France? {=Paris ~London ~Berlin}

::Network:: Name a social network. {=Mastodon =Bluesky}
"""


def _user(engine: Engine, name: str, role: str = "trainer") -> int:
    return accounts.create_user(engine, name, None, role, PASSWORD).id


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    qb._IMPORTED.forget()


def _tagged_bank() -> Bank:
    return Bank(
        id="tagged",
        title="Tagged",
        lesson="",
        feedback="instant",
        pass_percent=70,
        questions=(
            Question("q1", "truefalse", "One?", answer=True, tags=("week-1", "easy")),
            Question(
                "q2",
                "single",
                "Two?",
                options=(Option("a", "Yes", correct=True), Option("b", "No")),
                tags=("week-2",),
            ),
            Question("q3", "short", "Three?", accept=(ShortAnswer("three"),), tags=("week-1",)),
        ),
    )


# Reading a file: no database -------------------------------------------------------------------


def test_a_preview_lists_the_questions_and_every_skipped_line() -> None:
    found = qb.read_quiz_file("week 1.gift", GIFT)
    assert found.source_format == "gift" and found.size == len(GIFT)
    assert [(q.type, q.title) for q in found.questions] == [
        ("truefalse", "Sky"),
        ("single", "Capital"),
        ("short", "Network"),
    ]
    assert [line for line, _why in found.skipped] == [6]
    assert "essay" in found.skipped[0][1].lower()
    assert (found.suggested_title, found.suggested_id) == ("Week 1 quiz", "week-1-quiz")


def test_the_title_comes_from_the_file_name_without_a_category() -> None:
    found = qb.read_quiz_file("moodle_export-week2.txt", b"::A:: Yes? {T}\n")
    assert (found.source_format, found.suggested_title) == ("gift", "Moodle export week2")


def test_a_file_over_the_limit_is_refused_naming_the_limit() -> None:
    with pytest.raises(qb.FileTooLarge) as refused:
        qb.read_quiz_file("big.gift", b"x" * (qb.MAX_BYTES + 1))
    assert (refused.value.size, refused.value.limit) == (qb.MAX_BYTES + 1, 5 * 1024 * 1024)
    with pytest.raises(qb.FileTooLarge):
        qb.read_quiz_file("small.gift", GIFT, limit=10)


def test_utf8_with_a_bom_is_read_and_other_encodings_are_refused_with_the_line() -> None:
    assert len(qb.read_quiz_file("bom.gift", b"\xef\xbb\xbf" + GIFT).questions) == 3
    latin1 = "::A:: Ein Apfel? {T}\n\n::B:: Grüße? {F}\n".encode("latin-1")
    with pytest.raises(qb.NotUtf8) as refused:
        qb.read_quiz_file("latin1.gift", latin1)
    assert refused.value.line == 3


def test_empty_files_and_files_with_nothing_importable_are_refused() -> None:
    with pytest.raises(qb.EmptyFile):
        qb.read_quiz_file("empty.gift", b"  \n\n")
    with pytest.raises(qb.NothingToImport) as nothing:
        qb.read_quiz_file("essays.gift", b"::E1:: Tell us. {}\n\n::E2:: And more. {}\n")
    assert [line for line, _why in nothing.value.skipped] == [1, 3]


def test_the_format_follows_the_content_then_the_name() -> None:
    xml = b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz></quiz>'
    assert qb.source_format("export.txt", xml) == "xml"
    assert qb.source_format("export.gift", b"\xef\xbb\xbf  <quiz>\n</quiz>") == "xml"
    assert qb.source_format("export.XML", b"::A:: Yes? {T}") == "xml"
    assert qb.source_format("export.gift", GIFT) == "gift"
    assert qb.source_format("export", GIFT) == "gift"


def test_a_moodle_xml_file_is_previewed_and_a_broken_one_refused_with_the_readers_reason() -> None:
    xml = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Week 2</text></category></question>
  <question type="truefalse">
    <name><text>Sky</text></name>
    <questiontext format="html"><text>The sky is blue.</text></questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
  <question type="essay">
    <name><text>Strategy</text></name>
    <questiontext format="html"><text>Describe it.</text></questiontext>
  </question>
</quiz>
"""
    found = qb.read_quiz_file("week2.xml", xml)
    assert found.source_format == "xml" and found.suggested_title == "Week 2"
    assert [(q.type, q.title) for q in found.questions] == [("truefalse", "Sky")]
    assert [line for line, _why in found.skipped] == [10]
    with pytest.raises(qb.UnreadableFile) as unreadable:
        qb.read_quiz_file("broken.xml", b"<?xml version='1.0'?><quiz><question>")
    assert unreadable.value.source_format == "xml" and unreadable.value.detail
    laughs = b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><quiz>&b;</quiz>'
    with pytest.raises(qb.UnreadableFile):
        qb.read_quiz_file("laughs.xml", laughs)


# Who may -----------------------------------------------------------------------------------------


def test_only_an_active_trainer_or_admin_may_preview_and_import(engine: Engine) -> None:
    manager = _user(engine, "maria", "manager")
    off = _user(engine, "otto")
    accounts.set_active(engine, off, False)
    found = qb.read_quiz_file("week 1.gift", GIFT)
    for user in (manager, off, 9999):
        with pytest.raises(qb.NotAllowed):
            qb.preview(engine, user, "week 1.gift", GIFT)
        with pytest.raises(qb.NotAllowed):
            qb.import_bank(engine, user, found, "week-1", "Week 1")
    assert qb.list_imported(engine) == []
    for user in (_user(engine, "anna"), _user(engine, "root", "admin")):
        assert len(qb.preview(engine, user, "week 1.gift", GIFT).questions) == 3


# Importing ---------------------------------------------------------------------------------------


def test_an_import_stores_the_bank_and_the_course_shows_it(engine: Engine, course: Course) -> None:
    anna = _user(engine, "anna")
    found = qb.preview(engine, anna, "week 1.gift", GIFT)
    file_ids = {bank.id for bank in course.banks}
    assert qb.imported_banks(engine).banks == ()
    assert qb.join_course(course, qb.imported_banks(engine)) is course  # nothing imported: the same object

    info = qb.import_bank(engine, anna, found, " week-1 ", "  Week   1 ", file_bank_ids=file_ids, now=AT)

    assert (info.id, info.title, info.source_format, info.source_name, info.imported_by_user_id, info.imported_at) == (
        "week-1", "Week 1", "gift", "week 1.gift", anna, AT,
    )  # fmt: skip
    assert qb.list_imported(engine) == [info]
    joined = qb.join_course(course, qb.imported_banks(engine))
    bank = joined.bank("week-1")
    assert bank is not None and qb.is_imported(bank)
    assert bank.questions == tuple(found.questions) and bank.category == "$course$/top/Week 1 quiz"
    assert joined.banks[: len(course.banks)] == course.banks and len(joined.banks) == len(course.banks) + 1


def test_another_process_sees_an_import_within_the_cache_interval(engine: Engine, database_url: str) -> None:
    """Two engines on one database stand for two processes: the second's cached list is read again
    when it is older than max_age; the importing process forgets its own at once."""
    other = make_engine(database_url)
    try:
        assert qb.imported_banks(other, max_age=60).banks == ()
        anna = _user(engine, "anna")
        qb.import_bank(engine, anna, qb.read_quiz_file("w.gift", GIFT), "week-1", "Week 1")
        assert [b.id for b in qb.imported_banks(engine, max_age=60).banks] == ["week-1"]
        qb._IMPORTED._sets = {k: v for k, v in qb._IMPORTED._sets.items() if k != qb._database(other)} | {
            qb._database(other): (0.0, qb.ImportedSet((0, None), (), ()))
        }  # the other process's list, read long ago
        assert [b.id for b in qb.imported_banks(other, max_age=60).banks] == ["week-1"]
    finally:
        other.dispose()


def test_ids_are_checked_and_taken_ids_refused(engine: Engine) -> None:
    anna = _user(engine, "anna")
    found = qb.read_quiz_file("w.gift", GIFT)
    with pytest.raises(qb.InvalidBankValues) as invalid:
        qb.import_bank(engine, anna, found, "week 1!", "", lesson="no such lesson", lesson_ids={"four-stages"})
    assert invalid.value.problems == {"id": "grammar", "title": "empty", "lesson": "unknown"}
    with pytest.raises(qb.InvalidBankValues) as invalid:
        qb.import_bank(engine, anna, found, "w" * 81, "T" * 201)
    assert invalid.value.problems == {"id": "too long", "title": "too long"}
    with pytest.raises(qb.BankIdTaken) as taken:
        qb.import_bank(engine, anna, found, "four-stages", "Week 1", file_bank_ids={"four-stages"})
    assert not taken.value.imported
    qb.import_bank(engine, anna, found, "week-1", "Week 1", lesson="four-stages", lesson_ids={"four-stages"})
    with pytest.raises(qb.BankIdTaken) as taken:
        qb.import_bank(engine, anna, found, "week-1", "Week 1 again")
    assert taken.value.imported
    assert [(b.id, b.title) for b in qb.list_imported(engine)] == [("week-1", "Week 1")]
    bank = qb.imported_banks(engine).banks[0]
    assert bank.lesson == "four-stages"


def test_replacing_and_deleting_belong_to_who_imported_it_or_an_admin(engine: Engine) -> None:
    anna, ben, root = _user(engine, "anna"), _user(engine, "ben"), _user(engine, "root", "admin")
    first = qb.read_quiz_file("w.gift", GIFT)
    second = qb.read_quiz_file("w2.gift", b"::Only:: Just one? {T}\n")
    qb.import_bank(engine, anna, first, "week-1", "Week 1", now=AT)
    with pytest.raises(qb.NotAllowed):
        qb.import_bank(engine, ben, second, "week-1", "Week 1", replace_existing=True)
    with pytest.raises(qb.NotAllowed):
        qb.delete_bank(engine, ben, "week-1")
    qb.import_bank(engine, anna, second, "week-1", "Week one", replace_existing=True, now=AT + timedelta(hours=1))
    assert [len(b.questions) for b in qb.imported_banks(engine).banks] == [1]
    assert qb.list_imported(engine)[0].title == "Week one"
    qb.delete_bank(engine, root, "week-1")
    assert qb.list_imported(engine) == [] and qb.imported_banks(engine).banks == ()
    with pytest.raises(qb.UnknownBank):
        qb.delete_bank(engine, anna, "week-1")


def test_a_bank_a_live_run_uses_is_not_deleted_or_replaced(engine: Engine) -> None:
    anna = _user(engine, "anna")
    qb.import_bank(engine, anna, qb.read_quiz_file("w.gift", GIFT), "week-1", "Week 1")
    bank = qb.imported_banks(engine).banks[0]
    organisation = ws.create_organisation(engine, anna, "Acme", "retail", "10-49", "en", now=AT)
    workshop = ws.create_workshop(engine, anna, "Kick-off", organisation.id, date(2026, 12, 21), "en", "quick")
    run = live.start_run(engine, anna, workshop.id, bank)
    with pytest.raises(qb.BankInUse) as in_use:
        qb.delete_bank(engine, anna, "week-1")
    assert in_use.value.runs == 1
    with pytest.raises(qb.BankInUse):
        qb.import_bank(engine, anna, qb.read_quiz_file("w.gift", GIFT), "week-1", "Week 1", replace_existing=True)
    live.control(engine, anna, run.run_id, live.Action.END, bank)
    qb.delete_bank(engine, anna, "week-1")
    assert qb.list_imported(engine) == []


def test_a_file_bank_with_the_id_of_an_imported_one_wins(engine: Engine, course: Course) -> None:
    anna = _user(engine, "anna")
    qb.import_bank(engine, anna, qb.read_quiz_file("w.gift", GIFT), "four-stages", "Mine")  # before the file
    joined = qb.join_course(course, qb.imported_banks(engine))
    assert joined.banks == course.banks
    assert any("imported:four-stages" in str(p) and "file" in str(p) for p in joined.problems)


# Looking at a bank and downloading it -----------------------------------------------------------


def test_tags_filter_a_bank() -> None:
    bank = _tagged_bank()
    assert qb.bank_tags(bank) == [("easy", 1), ("week-1", 2), ("week-2", 1)]
    assert [q.id for q in qb.questions_tagged(bank, "week-1").questions] == ["q1", "q3"]
    assert qb.questions_tagged(bank, None) is bank and qb.questions_tagged(bank, "") is bank
    assert qb.questions_tagged(bank, "none").questions == ()
    assert qb.question_types(bank) == {"truefalse": 1, "single": 1, "short": 1}


def test_a_bank_downloads_as_gift_that_reads_back_the_same(course: Course) -> None:
    bank = course.banks[0]
    made = qb.export(bank, "gift")
    assert made.filename == f"{bank.id}.gift" and isinstance(made.warnings, list)
    again = parse_gift(made.data.decode("utf-8"), made.filename)
    assert [q.id for q in again.questions] == [q.id for q in bank.questions]
    tagged = qb.export(_tagged_bank(), "gift", tag="week-1")
    assert tagged.filename == "tagged-week-1.gift"
    assert [q.id for q in parse_gift(tagged.data.decode(), "t").questions] == ["q1", "q3"]
    with pytest.raises(ValueError):
        qb.export(bank, "docx")


def test_a_bank_downloads_as_moodle_xml_that_reads_back_the_same() -> None:
    bank = _tagged_bank()
    made = qb.export(bank, "xml")
    assert made.filename == "tagged.xml" and made.data.startswith(b"<?xml")
    found = qb.read_quiz_file(made.filename, made.data)
    assert found.source_format == "xml"
    assert [dataclasses.replace(q, id="") for q in found.questions] == [
        dataclasses.replace(q, id="") for q in bank.questions
    ]
