"""Use cases of quiz banks a trainer uploads in the site (issue 17): read a GIFT or Moodle XML file
into a preview (nothing stored), import it as a bank, delete it, and download any bank, file or
imported, as GIFT or Moodle XML, whole or only the questions with a tag.

Only an active trainer or an admin may preview, import or delete; a bank is replaced or deleted by
the trainer who imported it or by an admin. An imported bank is kept as the bank TOML the loader
reads (quizzes.bank_toml), so it is the same Bank as a file's, and it joins the course's banks
(`join_course`) through a process-wide cache that notices another process's import within
`CACHE_SECONDS` (one small query per interval, whatever the number of visitors).

Errors are typed and carry their figures; the pages word them. The readers' own notes (why a
question was skipped, what an import lost or an export leaves out) come from the readers, already in
the language of the visit.
"""

from __future__ import annotations

import re
import sys
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import NamedTuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from sqlalchemy import Engine
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import IntegrityError

from content.ids import LESSON_ID, QUIZ_ID
from content.problems import Problem
from content.toml_lines import key_lines
from identity.rules import TRAINING_ROLES, Role
from learning.content import Course
from quizzes.bank_toml import bank_to_toml
from quizzes.gift import export_gift, parse_gift, slug
from quizzes.importing import NotUtf8Text, QuizImport, suggested_title, utf8_text
from quizzes.live import Phase
from quizzes.loader import parse_bank
from quizzes.model import Bank, Question
from quizzes.moodle_xml import export_moodle_xml, parse_moodle_xml
from storage import accounts as accounts_store
from storage import quiz_banks as store
from storage.engine import reading, transaction
from storage.quiz_banks import ImportedBankInfo, StoredImportedBank
from storage.schema import BANK_TITLE_MAX, SOURCE_NAME_MAX

__all__ = [
    "CACHE_SECONDS",
    "FORMATS",
    "GIFT",
    "MAX_BYTES",
    "UPLOAD_TYPES",
    "XML",
    "BANK_TITLE_MAX",
    "BankIdTaken",
    "BankInUse",
    "BrokenImport",
    "EmptyFile",
    "ExportedFile",
    "FileTooLarge",
    "ImportedBankInfo",
    "ImportedSet",
    "InvalidBankValues",
    "NotAllowed",
    "NotUtf8",
    "NothingToImport",
    "Preview",
    "QuizBankError",
    "UnknownBank",
    "UnreadableFile",
    "bank_tags",
    "delete_bank",
    "export",
    "import_bank",
    "imported_banks",
    "is_imported",
    "join_course",
    "list_imported",
    "preview",
    "question_types",
    "questions_tagged",
    "read_quiz_file",
]

GIFT = "gift"
XML = "xml"
FORMATS = (GIFT, XML)
UPLOAD_TYPES = ("gift", "txt", "xml")  # the file names an upload accepts (st.file_uploader's type)
MAX_BYTES = 5 * 1024 * 1024  # an uploaded file; Moodle XML with embedded pictures is the big case
IMPORTED_FILE_PREFIX = "imported:"  # Bank.file of an imported bank: "imported:<bank id>"
_XML_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<(?:\?xml|quiz[\s>/]|!--)")


# Errors ------------------------------------------------------------------------------------------


class QuizBankError(Exception):
    """Something a trainer can act on; the page words it from the fields."""


class NotAllowed(QuizBankError):
    def __init__(self, action: str) -> None:
        super().__init__(f"you may not {action}: only a trainer or an admin may (an imported bank: who imported it)")
        self.action = action


class FileTooLarge(QuizBankError):
    def __init__(self, size: int, limit: int = MAX_BYTES) -> None:
        super().__init__(f"the file has {size} bytes; at most {limit} are read")
        self.size = size
        self.limit = limit


class EmptyFile(QuizBankError):
    def __init__(self) -> None:
        super().__init__("the file is empty")


class NotUtf8(QuizBankError):
    def __init__(self, line: int, byte: int) -> None:
        super().__init__(f"line {line}: not UTF-8 text (byte {byte}); save the file as UTF-8")
        self.line = line
        self.byte = byte


class UnreadableFile(QuizBankError):
    """The reader could not read the file at all (not XML, hostile XML, ...): its message."""

    def __init__(self, source_format: str, detail: str) -> None:
        super().__init__(f"the {source_format} file cannot be read: {detail}")
        self.source_format = source_format
        self.detail = detail


class NothingToImport(QuizBankError):
    """No question of the file can be imported: `skipped` holds each one's line and reason."""

    def __init__(self, skipped: list[tuple[int, str]]) -> None:
        super().__init__(f"no question can be imported ({len(skipped)} skipped)")
        self.skipped = skipped


class InvalidBankValues(QuizBankError):
    """The id, title or lesson typed for the bank: `problems` maps each field to its problem code
    ("empty", "too long", "grammar", "unknown") and `detail` says it in English."""

    def __init__(self, problems: dict[str, str], detail: str) -> None:
        super().__init__(detail)
        self.problems = problems


class BankIdTaken(QuizBankError):
    def __init__(self, bank_id: str, imported: bool) -> None:
        where = "an imported bank" if imported else "a quiz bank of the site's files"
        super().__init__(f'the bank id "{bank_id}" is taken by {where}; choose another')
        self.bank_id = bank_id
        self.imported = imported


class UnknownBank(QuizBankError):
    def __init__(self, bank_id: str) -> None:
        super().__init__(f'no imported bank has the id "{bank_id}"; it may have been deleted already')
        self.bank_id = bank_id


class BankInUse(QuizBankError):
    def __init__(self, bank_id: str, runs: int) -> None:
        super().__init__(f'{runs} live quiz run(s) of "{bank_id}" have not ended; end them first')
        self.bank_id = bank_id
        self.runs = runs


class BrokenImport(QuizBankError):
    """The bank made from the file does not read back as a bank (a reader's fault): the problems."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


# Who may ----------------------------------------------------------------------------------------


def _staff(connection: Connection, user_id: int, action: str) -> accounts_store.StoredUser:
    """An active trainer or admin, else NotAllowed."""
    user = accounts_store.active_user_in(connection, user_id, (role.value for role in TRAINING_ROLES))
    if user is None:
        raise NotAllowed(action)
    return user


def _may_change(user: accounts_store.StoredUser, info: ImportedBankInfo, action: str) -> None:
    if user.role != Role.ADMIN.value and info.imported_by_user_id != user.id:
        raise NotAllowed(action)


def _now() -> datetime:
    return datetime.now(timezone.utc)


# Reading a file ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    """What an uploaded file would import; nothing of it is stored."""

    filename: str
    source_format: str  # gift | xml
    size: int
    result: QuizImport
    suggested_id: str
    suggested_title: str

    @property
    def questions(self) -> list[Question]:
        return self.result.questions

    @property
    def skipped(self) -> list[tuple[int, str]]:
        return self.result.skipped

    @property
    def warnings(self) -> list[tuple[int, str]]:
        return self.result.warnings


def source_format(filename: str, data: bytes) -> str:
    """GIFT or Moodle XML: what the file holds decides (an XML declaration, a <quiz> element or an
    XML comment first), else its name (.xml); everything else is read as GIFT (.gift, .txt)."""
    if _XML_START.match(data[:4096]):
        return XML
    return XML if filename.lower().endswith(".xml") else GIFT


def read_quiz_file(filename: str, data: bytes, limit: int = MAX_BYTES) -> Preview:
    """The preview of an uploaded file. FileTooLarge, EmptyFile, NotUtf8 (GIFT), UnreadableFile or
    NothingToImport when there is nothing to show but the reasons."""
    if len(data) > limit:
        raise FileTooLarge(len(data), limit)
    if not data.strip():
        raise EmptyFile()
    kind = source_format(filename, data)
    if kind == XML:
        result = parse_moodle_xml(data, filename)
    else:
        try:
            text = utf8_text(data)
        except NotUtf8Text as error:
            raise NotUtf8(error.line, error.byte) from None
        result = parse_gift(text, filename)
    if result.error:
        raise UnreadableFile(kind, result.error)
    if not result.questions:
        raise NothingToImport(list(result.skipped))
    title = suggested_title(result.category, filename)[:BANK_TITLE_MAX]
    return Preview(filename, kind, len(data), result, slug(title) or "imported", title)


def preview(engine: Engine, user_id: int, filename: str, data: bytes, limit: int = MAX_BYTES) -> Preview:
    """`read_quiz_file` for an active trainer or admin only (NotAllowed for anyone else)."""
    reading(engine, lambda connection: _staff(connection, user_id, "import quiz banks"))
    return read_quiz_file(filename, data, limit)


# Importing --------------------------------------------------------------------------------------


def parse_stored(bank_id: str, bank_toml: str) -> tuple[Bank | None, list[Problem]]:
    """A stored bank's TOML read back as the loader reads a file."""
    shown = f"{IMPORTED_FILE_PREFIX}{bank_id}"
    try:
        document = tomllib.loads(bank_toml)
    except tomllib.TOMLDecodeError as error:
        return None, [Problem(shown, None, "", f"not valid TOML: {error}")]
    return parse_bank(document, shown, key_lines(bank_toml))


def is_imported(bank: Bank) -> bool:
    return bank.file.startswith(IMPORTED_FILE_PREFIX)


def _checked_values(bank_id: str, title: str, lesson: str, lesson_ids: Collection[str] | None) -> tuple[str, str, str]:
    """The id, title and lesson as stored (trimmed; the title's runs of spaces as one), or
    InvalidBankValues with every problem."""
    bank_id, title, lesson = bank_id.strip(), " ".join(title.split()), lesson.strip()
    problems: dict[str, str] = {}
    if not bank_id:
        problems["id"] = "empty"
    elif not QUIZ_ID.pattern.fullmatch(bank_id):
        problems["id"] = "grammar"
    elif not QUIZ_ID.is_valid(bank_id):
        problems["id"] = "too long"
    if not title:
        problems["title"] = "empty"
    elif len(title) > BANK_TITLE_MAX:
        problems["title"] = "too long"
    if lesson and (not LESSON_ID.is_valid(lesson) or (lesson_ids is not None and lesson not in lesson_ids)):
        problems["lesson"] = "unknown"
    if problems:
        raise InvalidBankValues(problems, "; ".join(f"{field}: {code}" for field, code in problems.items()))
    return bank_id, title, lesson


def import_bank(
    engine: Engine,
    user_id: int,
    preview: Preview,
    bank_id: str,
    title: str,
    lesson: str = "",
    *,
    file_bank_ids: Collection[str] = (),
    lesson_ids: Collection[str] | None = None,
    replace_existing: bool = False,
    now: datetime | None = None,
) -> ImportedBankInfo:
    """Store the preview's questions as the bank `bank_id`. NotAllowed for anyone but an active
    trainer or admin; InvalidBankValues for an id, title or lesson that cannot be used; BankIdTaken
    for the id of a file bank (`file_bank_ids`, the course's) or, unless `replace_existing`, of an
    imported bank (replacing one: who imported it or an admin, and no live run of it going)."""
    bank_id, title, lesson = _checked_values(bank_id, title, lesson, lesson_ids)
    if bank_id in file_bank_ids:
        raise BankIdTaken(bank_id, imported=False)
    bank = preview.result.to_bank(bank_id, title, lesson=lesson)
    text = bank_to_toml(bank)
    checked, problems = parse_stored(bank_id, text)
    if checked is None or problems:
        raise BrokenImport(problems)
    at = now or _now()

    def work(connection: Connection) -> ImportedBankInfo:
        user = _staff(connection, user_id, "import quiz banks")
        info = ImportedBankInfo(bank_id, title, preview.source_format, preview.filename[:SOURCE_NAME_MAX], user.id, at)
        found = store.bank_by_id(connection, bank_id)
        if found is None:
            store.insert_bank(connection, StoredImportedBank(info, text))
            return info
        if not replace_existing:
            raise BankIdTaken(bank_id, imported=True)
        _may_change(user, found.info, "replace this imported bank")
        _refuse_in_use(connection, bank_id)
        store.replace_bank(connection, StoredImportedBank(info, text))
        return info

    try:
        info = transaction(engine, work)
    except IntegrityError:  # the same id imported at once by another click or trainer
        raise BankIdTaken(bank_id, imported=True) from None
    _IMPORTED.forget(engine)
    return info


def _refuse_in_use(connection: Connection, bank_id: str) -> None:
    runs = store.active_runs_using(connection, bank_id, Phase.ENDED.value)
    if runs:
        raise BankInUse(bank_id, runs)


def delete_bank(engine: Engine, user_id: int, bank_id: str) -> None:
    """Delete an imported bank: who imported it or an admin, while no live run of it is going
    (BankInUse). Attempts and finished runs keep their rows; they show the bank as gone."""

    def work(connection: Connection) -> None:
        user = _staff(connection, user_id, "delete imported quiz banks")
        found = store.bank_by_id(connection, bank_id)
        if found is None:
            raise UnknownBank(bank_id)
        _may_change(user, found.info, "delete this imported bank")
        _refuse_in_use(connection, bank_id)
        store.delete_bank(connection, bank_id)

    transaction(engine, work)
    _IMPORTED.forget(engine)


def list_imported(engine: Engine) -> list[ImportedBankInfo]:
    """Every imported bank's row (who imported it, from which file, when), by title."""
    return reading(engine, store.list_banks)


# The course's imported banks, per process ---------------------------------------------------------


@dataclass(frozen=True)
class ImportedSet:
    stamp: tuple[int, datetime | None]
    banks: tuple[Bank, ...]
    problems: tuple[Problem, ...]  # stored banks that no longer read as banks


_NONE = ImportedSet((0, None), (), ())
# How old the process's list may be before the stamp is read again (seconds): a bank imported in
# another process appears within this; one imported in this process at once.
CACHE_SECONDS = 2.0


def _database(engine: Engine) -> URL:
    """The key of an engine's database in the cache: its URL (hashable; nothing is rendered per call)."""
    return engine.url


class _ImportedCache:
    """The imported banks for the whole process, per database. Every `max_age` one caller reads the
    stamp (count and newest imported_at) while the others wait for it; the texts are read and
    parsed again only when the stamp moved."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loading = threading.Lock()
        self._sets: dict[URL, tuple[float, ImportedSet]] = {}

    def get(self, engine: Engine, max_age: float) -> ImportedSet:
        key = _database(engine)
        with self._lock:
            cached = self._sets.get(key)
            if cached is not None and time.monotonic() - cached[0] < max_age:
                return cached[1]
        with self._loading:
            with self._lock:
                cached = self._sets.get(key)
                if cached is not None and time.monotonic() - cached[0] < max_age:
                    return cached[1]  # read by the caller this one waited for
            checked = time.monotonic()
            stamp = reading(engine, store.stamp)
            found = cached[1] if cached is not None and cached[1].stamp == stamp else _load(engine, stamp)
            with self._lock:
                self._sets[key] = (checked, found)
            return found

    def forget(self, engine: Engine | None = None) -> None:
        with self._lock:
            if engine is None:
                self._sets.clear()
            else:
                self._sets.pop(_database(engine), None)


def _load(engine: Engine, stamp: tuple[int, datetime | None]) -> ImportedSet:
    if stamp[0] == 0:
        return replace(_NONE, stamp=stamp)
    banks: list[Bank] = []
    problems: list[Problem] = []
    for stored in reading(engine, store.all_banks):
        bank, found = parse_stored(stored.info.id, stored.bank_toml)
        problems += found
        if bank is not None and not found:
            banks.append(bank)
    return ImportedSet(stamp, tuple(banks), tuple(problems))


_IMPORTED = _ImportedCache()


def imported_banks(engine: Engine, max_age: float = CACHE_SECONDS) -> ImportedSet:
    """The imported banks as the course shows them, through the process-wide cache."""
    return _IMPORTED.get(engine, max_age)


def join_course(course: Course, imported: ImportedSet) -> Course:
    """The course with the imported banks after its own. A file bank keeps its id: an imported bank
    with the same id (a file added after the import) is left out, with a problem saying so."""
    if not imported.banks and not imported.problems:
        return course
    own = {bank.id for bank in course.banks}
    joined = [bank for bank in imported.banks if bank.id not in own]
    clashes = [
        Problem(bank.file, None, "id", f'a quiz bank file has the id "{bank.id}" too; the file\'s bank is used')
        for bank in imported.banks
        if bank.id in own
    ]
    return replace(course, banks=(*course.banks, *joined), problems=(*course.problems, *imported.problems, *clashes))


# Looking at a bank and downloading it ------------------------------------------------------------


def bank_tags(bank: Bank) -> list[tuple[str, int]]:
    """The bank's tags with how many questions carry each, alphabetically (without case)."""
    counts: dict[str, int] = {}
    for question in bank.questions:
        for tag in dict.fromkeys(question.tags):
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts.items(), key=lambda item: (item[0].casefold(), item[0]))


def question_types(bank: Bank) -> dict[str, int]:
    """How many questions of each type, in the order the types first appear."""
    counts: dict[str, int] = {}
    for question in bank.questions:
        counts[question.type] = counts.get(question.type, 0) + 1
    return counts


def questions_tagged(bank: Bank, tag: str | None) -> Bank:
    """The bank with only the questions that carry `tag` (all of them for None or "")."""
    if not tag:
        return bank
    return replace(bank, questions=tuple(q for q in bank.questions if tag in q.tags))


class ExportedFile(NamedTuple):
    filename: str
    data: bytes
    warnings: list[str]


def export(bank: Bank, fmt: str, tag: str | None = None) -> ExportedFile:
    """The bank (or its questions with `tag`) as a GIFT or Moodle XML file: name, bytes (UTF-8) and
    what the format could not carry. ValueError for another format."""
    if fmt not in FORMATS:
        raise ValueError(f"expected one of {', '.join(FORMATS)}, got {fmt!r}")
    chosen = questions_tagged(bank, tag)
    made = export_gift(chosen) if fmt == GIFT else export_moodle_xml(chosen)
    name = bank.id + (f"-{slug(tag, 30) or 'tag'}" if tag else "")
    return ExportedFile(f"{name}.{fmt}", made.text.encode("utf-8"), list(made.warnings))
