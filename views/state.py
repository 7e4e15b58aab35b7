"""Per-run state rebuilt from storage, and the resources kept per process.

Session state dies with the websocket, so nothing here trusts it beyond one
browser session: the resume token travels in the URL (`?t=...`), and on every
run the respondent, their round and their answers are read back from storage.
Answers that could not be saved (database busy) wait in `pending` and are
retried on the next run, so they are never dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import streamlit as st
from sqlalchemy import Engine

from assessment.demo import demo_answers
from assessment.loader import load_model, model_path
from assessment.model import Mode, Model
from assessment.overlay import has_overlay
from assessment.scoring import AnswerError, AnswerValue, normalise_answer
from content.overlay import MASTER_LANGUAGE
from i18n import _, current_language, ngettext
from learning.content import Course, content_dirs, load_course
from learning.overlay import has_course_overlay
from services import quiz_banks
from services import respondents as visits
from storage.engine import database_url, make_engine
from storage.errors import UNAVAILABLE_ERRORS, DataDeleted, StorageBusy, TokenError
from storage.migrate import check_schema
from storage.respondents import Respondent, Round
from views import messages

TOKEN_PARAM = "t"
SAMPLE_PARAM = "sample"
_PENDING = "pending_answers"


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    return make_engine(url)


@st.cache_resource(show_spinner=False)
def _schema_checked(url: str) -> str:
    """The schema's revision, checked once per process and database: SchemaBehind (or SchemaAhead)
    when it is not the one this code needs, which app.py turns into a page naming the command.
    A failed check is not cached, so the next run checks again."""
    return check_schema(_engine_for(url))


# What engine(), model() and course() found, per URL or path, for the process: every run asks for
# them (some several times), and a plain dict look-up costs a fraction of st.cache_resource's
# (which hashes its arguments and takes a lock on each call). Filled only after the cached call
# succeeded, so a failed schema check or a broken content file is tried again on the next run.
_READY: dict[tuple[str, ...], object] = {}
_Loaded = TypeVar("_Loaded")


def _once(key: tuple[str, ...], load: Callable[[], _Loaded]) -> _Loaded:
    if key not in _READY:
        _READY[key] = load()
    return _READY[key]  # type: ignore[return-value]


def engine() -> Engine:
    """One engine (and connection pool) per database URL for the whole process, on a schema at head."""
    url = database_url()

    def checked_engine() -> Engine:
        _schema_checked(url)
        return _engine_for(url)

    return _once(("engine", url), checked_engine)


@st.cache_resource(show_spinner=False)
def _model_from(path: str, language: str = MASTER_LANGUAGE) -> Model:
    return load_model(Path(path), language)


# Content follows the visit's language (i18n.current_language()). A language is loaded on its first
# visit and kept per process like English; a language with no overlay of the model (or of the
# lessons and banks) shares the English objects, so an English-only site loads nothing more.
def model(language: str | None = None) -> Model:
    """The loaded model in `language` (default: the visit's), once per process, file and language;
    English where no overlay translates it. A ContentError (in the model or its overlay) propagates
    to app.py, which shows the readable error page."""
    path = str(model_path())
    wanted = language or current_language()
    used = _once(
        ("model-language", path, wanted), lambda: wanted if has_overlay(Path(path), wanted) else MASTER_LANGUAGE
    )
    return _once(("model", path, used), lambda: _model_from(path, used))


@st.cache_resource(show_spinner=False)
def _course_for(model_file: str, lesson_dir: str, bank_dir: str, language: str = MASTER_LANGUAGE) -> Course:
    return load_course(model(language), Path(lesson_dir), Path(bank_dir), language)


def course(language: str | None = None) -> Course:
    """Lessons and quiz banks in `language` (default: the visit's), loaded once per process and
    language, English where no overlay translates them; broken files are left out and listed in
    problems. The banks trainers imported in the site follow the files' banks, as they were
    imported (no overlay translates them): see `_with_imported`."""
    lesson_dir, bank_dir = content_dirs()
    paths = (str(model_path()), str(lesson_dir), str(bank_dir))
    wanted = language or current_language()
    used = _once(
        ("course-language", *paths, wanted),
        lambda: wanted if has_course_overlay(lesson_dir, bank_dir, wanted) else MASTER_LANGUAGE,
    )
    files = _once(("course", *paths, used), lambda: _course_for(*paths, used))
    return _with_imported(("course", *paths, used), files)


# The course of each language with the imported banks joined, for the imported banks' stamp it was
# made at: a new Course only when an import or a deletion moved the stamp.
_JOINED: dict[tuple[str, ...], tuple[object, Course]] = {}


def _with_imported(key: tuple[str, ...], files: Course) -> Course:
    """`files` with the imported banks after its own, read through services.quiz_banks' process-wide
    cache: an import in this process shows at once, one in another process (a replica) within
    quiz_banks.CACHE_SECONDS. Before this process has checked its database (app.py does it before
    any page runs; the start-up warms the content first) the course is the files' alone, so reading
    content never opens a database by itself. A database that fails here leaves the files' course
    (logged); the page's own queries then show the usual message."""
    engine_key = ("engine", database_url())
    if engine_key not in _READY:
        return files
    try:
        imported = quiz_banks.imported_banks(engine())
    except UNAVAILABLE_ERRORS:
        logging.getLogger(__name__).exception("imported quiz banks could not be read")
        return files
    if not imported.banks and not imported.problems:
        return files
    joined = _JOINED.get(key)
    if joined is None or joined[0] != (id(files), imported.stamp):
        joined = ((id(files), imported.stamp), quiz_banks.join_course(files, imported))
        _JOINED[key] = joined
    return joined[1]


def show_course_problems(where: str) -> None:
    """A readable notice when some course content could not be used, without hiding the rest."""
    problems = course().problems
    if problems:
        with st.expander(
            ngettext(
                "{count} content problem: some lessons or quizzes may be missing",
                "{count} content problems: some lessons or quizzes may be missing",
                len(problems),
            ).format(count=len(problems)),
            icon=":material/warning:",
        ):
            st.code("\n".join(str(p) for p in problems), language=None, wrap_lines=True)
            st.caption(_("Run `python -m learning check` for the same list. ({where})").format(where=where))


@dataclass(frozen=True)
class Session:
    token: str
    respondent: Respondent
    round: Round
    rounds: list[Round]
    answers: dict[str, AnswerValue]

    @property
    def mode(self) -> Mode:
        return Mode(self.round.mode)

    @property
    def previous_round(self) -> Round | None:
        earlier = [r for r in self.rounds if r.number < self.round.number]
        return earlier[-1] if earlier else None


def sample_session(model_: Model) -> Session:
    """The sample the start page offers (`?sample=1`): an organisation that has reached Walk, answered
    in full. Computed on every visit and never stored, so it takes no one's place in a browser and
    adds no rows; it has no token, and id 0 is no respondent's or round's."""
    moment = datetime(2026, 1, 1, tzinfo=timezone.utc)
    respondent = Respondent(0, _("Sample organisation"), None, None, moment)
    first = Round(0, 0, 1, Mode.FULL.value, moment, moment)
    return Session("", respondent, first, [first], normalised(model_, demo_answers(model_)))


def token_from_request() -> str | None:
    raw = st.query_params.get(TOKEN_PARAM)
    if raw is None:
        return st.session_state.get("token")
    return raw


def remember_token(token: str) -> None:
    st.session_state["token"] = token
    if st.query_params.get(TOKEN_PARAM) != token:
        st.query_params[TOKEN_PARAM] = token


def sync_url() -> None:
    """Put this run's query parameters back in the address bar.

    A page link to the page already open (a quiz from the quiz list, a lesson from the lesson list,
    "All lessons" from a lesson) runs the page with the link's parameters but leaves the old address
    in the browser: a reload then showed the quiz list instead of the quiz being taken, or the lesson
    instead of the list, and a bookmark kept the wrong page."""
    st.query_params.from_dict(st.query_params.to_dict())


def forget_token() -> None:
    st.session_state.pop("token", None)
    st.query_params.pop(TOKEN_PARAM, None)


def normalised(model_: Model, stored: dict[str, str]) -> dict[str, AnswerValue]:
    """Answers as stored, normalised; values the model no longer knows are skipped, not fatal."""
    result: dict[str, AnswerValue] = {}
    for item_id, raw in stored.items():
        try:
            result[item_id] = normalise_answer(model_, item_id, raw)
        except AnswerError:
            continue  # an item removed from the model since: kept in storage, ignored here
    return result


def stored_answers(model_: Model, round_id: int) -> dict[str, AnswerValue]:
    """One round's answers as stored, normalised."""
    return normalised(model_, visits.round_answers(engine(), round_id))


def load_session(show_errors: bool = True) -> Session | None:
    """The respondent behind the URL's token, rebuilt from storage; None (with a message) if there is none."""
    token = token_from_request()
    if not token:
        return None
    engine_ = engine()
    flush_pending()
    try:
        visit = visits.load_visit(engine_, token)
    except TokenError as error:
        if show_errors:
            st.error(_("This resume link does not work: {reason}.").format(reason=messages.token(error)))
            st.caption(_("Check that you copied the whole link, or start a new assessment."))
        # Keep the bad token in the URL so the person can see and fix it; forget it for this session.
        st.session_state.pop("token", None)
        return None
    except StorageBusy:
        st.warning(
            _("The database is busy right now ({reason}). Reload the page in a moment.").format(reason=messages.busy())
        )
        st.stop()
    remember_token(token)
    return Session(token, visit.respondent, visit.round, visit.rounds, normalised(model(), visit.answers))


def save_answer(round_id: int, item_id: str, value: AnswerValue | None) -> None:
    """Store now; if the database is busy, keep the answer and retry on the next run."""
    pending: dict[tuple[int, str], AnswerValue | None] = st.session_state.setdefault(_PENDING, {})
    pending[(round_id, item_id)] = value
    flush_pending()


def flush_pending() -> None:
    pending: dict[tuple[int, str], AnswerValue | None] = st.session_state.get(_PENDING, {})
    for (round_id, item_id), value in list(pending.items()):
        try:
            visits.save_answer(engine(), round_id, item_id, None if value is None else str(value))
        except StorageBusy:
            st.session_state["storage_busy"] = True
            return
        except DataDeleted:
            pass  # the round was deleted (from another tab): drop the answer; load_session says why
        # Another flush of this session (a quick second click's run) may have stored and removed it
        # meanwhile, or put a newer value there: remove only what this one stored.
        if pending.get((round_id, item_id), value) == value:
            pending.pop((round_id, item_id), None)
    st.session_state["storage_busy"] = False


def show_storage_warning() -> None:
    pending = st.session_state.get(_PENDING, {})
    if pending:
        st.warning(
            ngettext(
                "The database is busy: {count} answer is kept on this page and will be saved on your next "
                "click. Please don't close the tab yet.",
                "The database is busy: {count} answers are kept on this page and will be saved on your next "
                "click. Please don't close the tab yet.",
                len(pending),
            ).format(count=len(pending)),
            icon=":material/hourglass_top:",
        )


def site_url() -> str:
    """The site's address as this visitor reached it: scheme, host and Streamlit's base path, without
    the page's path or query. Built from the root rather than by cutting known page names off the
    path, so an unknown page (Streamlit's "Page not found" runs the start page under it) or a page
    whose name ends like another ("workshop-results") still gives the site's own address."""
    found = urlsplit(st.context.url or "")
    if not found.scheme or not found.netloc:
        return "http://localhost:8501"
    base_path = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{found.scheme}://{found.netloc}" + (f"/{base_path}" if base_path else "")


def resume_url(token: str) -> str:
    return f"{site_url()}/?{TOKEN_PARAM}={token}"
