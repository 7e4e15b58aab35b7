"""Use cases of live quizzes (issue 14): a trainer starts a run of a bank in a workshop and drives
it; participants of the workshop take a seat and answer; the presenter and the phones read the
run's state back from the database, so any page of any process rebuilds it.

Each function is one transaction under the retry policy (`storage.engine`). The rules (phases,
points, ranking) are in `quizzes.live`. Who may do what is checked here: the controls on the
workshop's trainer or an admin (`services.workshops.owned_workshop`), a seat and an answer on the
participant's resume token and the workshop it joined; a run of another workshop is the same
UnknownRun as a run that does not exist. Times are the server's: an answer's time is when it
reached the server, measured from when the question opened.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from math import isfinite

from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from quizzes import live as rules
from quizzes.attempt import encode
from quizzes.grading import Response, grade, matching_offer
from quizzes.live import Action, ControlRefused, Phase, Placed
from quizzes.model import Bank, Question
from services.rules import check_token, token_hash
from services.workshops import NotAllowed, owned_workshop
from storage import learning as learning_store
from storage import live as store
from storage import respondents as respondents_store
from storage import workshops as workshops_store
from storage.engine import reading, transaction
from storage.errors import TokenError
from storage.live import StoredAnswer, StoredPlayer, StoredRun
from storage.schema import RESPONSE_MAX

__all__ = [
    "Ack",
    "Action",
    "AnswerRefused",
    "ControlRefused",
    "LiveError",
    "NoRun",
    "NotAllowed",
    "NotSeated",
    "Phase",
    "PlayerView",
    "PresenterView",
    "Refusal",
    "RunBusy",
    "RunState",
    "StaleControl",
    "UnknownBank",
    "UnknownRun",
    "cached_current_run_id",
    "cached_run_state",
    "control",
    "current_run",
    "final_view",
    "join_run",
    "leaderboard_shown",
    "player_view",
    "presenter_view",
    "run_state",
    "runs_of_workshop",
    "seated_view",
    "set_leaderboard",
    "standings",
    "start_run",
    "submit_answer",
    "workshop_of",
]


def _now() -> datetime:
    return datetime.now(timezone.utc)


# Errors ------------------------------------------------------------------------------------------


class LiveError(Exception):
    """Base of the errors of this module that pages turn into messages."""


class UnknownRun(LiveError):
    """No such run, or a run of another workshop than the one asked about: the same message, so a
    guessed id tells nothing."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f"no live quiz with id {run_id} in this workshop")
        self.run_id = run_id


class UnknownBank(LiveError):
    def __init__(self, bank_id: str) -> None:
        super().__init__(f"no quiz bank {bank_id!r}; choose one from the list")
        self.bank_id = bank_id


class RunBusy(LiveError):
    """The workshop already has a run that has not ended."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f"live quiz {run_id} of this workshop is still going; end it before starting another")
        self.run_id = run_id


class StaleControl(LiveError):
    """A control pressed on a presenter view that was behind the run (a double click of "next",
    or a second presenter window that already moved on): nothing was done."""

    def __init__(self, action: Action, seen: int, current: int) -> None:
        super().__init__(f"{action.value!r} was pressed on an older view of the run (version {seen}, now {current})")
        self.action = action


class NotSeated(LiveError):
    """The visitor cannot take part: no valid resume token, or it joined no workshop."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)


class NoRun(LiveError):
    """The visitor's workshop has no live quiz going."""

    def __init__(self) -> None:
        super().__init__("your workshop has no live quiz going right now")


class Refusal(StrEnum):
    LATE = "late"  # the question's time was up (or the trainer closed it) before the answer arrived
    NOT_OPEN = "not_open"  # no question is open, or it is another question than the one answered
    NOT_YET = "not_yet"  # a late joiner answering the question that was open when they joined
    BAD_RESPONSE = "bad_response"  # an option that is not one of the question's, or a malformed answer
    NO_SEAT = "no_seat"  # not a player of this run


class AnswerRefused(LiveError):
    """An answer that counts nowhere; `reason` says why, for the phone's message."""

    def __init__(self, reason: Refusal, detail: str = "") -> None:
        super().__init__(f"answer refused ({reason.value}){': ' + detail if detail else ''}")
        self.reason = reason
        self.detail = detail


# The run's state -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunState:
    """What phones and presenters follow: the run's phase at `now` (an open question past its
    deadline reads as closed), its question, its timer, and a version that changes with each step."""

    run_id: int
    workshop_id: int
    bank_id: str
    phase: Phase
    question_index: int | None
    question_ids: tuple[str, ...]
    seconds: int
    opened_at: datetime | None
    deadline_at: datetime | None
    version: int
    leaderboard: bool
    streak_bonus: bool
    read_at: datetime

    @property
    def question_count(self) -> int:
        return len(self.question_ids)

    @property
    def question_id(self) -> str | None:
        """The current question: the open one, or the one whose results are shown."""
        if self.question_index is None or self.phase in (Phase.LOBBY, Phase.PODIUM, Phase.ENDED):
            return None
        return self.question_ids[self.question_index]

    @property
    def is_last(self) -> bool:
        return self.question_index is not None and self.question_index >= self.question_count - 1

    def seconds_left(self, now: datetime | None = None) -> float:
        if self.phase is not Phase.OPEN or self.deadline_at is None:
            return 0.0
        return max(0.0, (self.deadline_at - (now or _now())).total_seconds())

    def actions(self) -> list[Action]:
        return rules.allowed_actions(self.phase, self.question_index, self.question_count, self.leaderboard)


def _state(run: StoredRun, now: datetime) -> RunState:
    phase = rules.effective_phase(Phase(run.phase), run.deadline_at, now)
    return RunState(
        run.id,
        run.workshop_id,
        run.bank_id,
        phase,
        run.question_index,
        run.question_ids,
        run.seconds_per_question,
        run.opened_at,
        run.deadline_at,
        run.version,
        run.leaderboard,
        run.streak_bonus,
        now,
    )


def run_state(engine: Engine, run_id: int, now: datetime | None = None) -> RunState | None:
    run = reading(engine, lambda connection: store.run_by_id(connection, run_id))
    return None if run is None else _state(run, now or _now())


def _database(engine: Engine) -> str:
    """The database an engine reaches, as a key of the process-wide caches: run ids and versions
    start at 1 in every database, so one process with engines on two (tests, tools) must not mix them."""
    return engine.url.render_as_string(hide_password=False)


class _RunCache:
    """The stored run rows read in the last `max_age` seconds, for the whole process: 300 phones
    following one run cost one query per interval, not 300. The phase is still worked out at each
    read, so a deadline is never late by the cache's age.

    When a row is too old, one caller reads it again and those asking meanwhile wait for that read
    instead of sending 300 queries at once. A control in this process puts its new row in (`put`),
    and a row read before it but stored after it never replaces it: versions only grow."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[tuple[str, int], tuple[float, StoredRun | None]] = {}
        self._loading: dict[tuple[str, int], threading.Lock] = {}

    def _fresh(self, key: tuple[str, int], max_age: float) -> tuple[float, StoredRun | None] | None:
        cached = self._rows.get(key)
        return cached if cached is not None and time.monotonic() - cached[0] < max_age else None

    def get(self, engine: Engine, run_id: int, max_age: float) -> StoredRun | None:
        key = (_database(engine), run_id)
        with self._lock:
            cached = self._fresh(key, max_age)
            if cached is not None:
                return cached[1]
            loading = self._loading.setdefault(key, threading.Lock())
        with loading:
            with self._lock:
                cached = self._fresh(key, max_age)
                if cached is not None:  # read by the caller this one waited for
                    return cached[1]
            run = reading(engine, lambda connection: store.run_by_id(connection, run_id))
            return self._store(key, run)

    def put(self, engine: Engine, run: StoredRun) -> None:
        self._store((_database(engine), run.id), run)

    def _store(self, key: tuple[str, int], run: StoredRun | None) -> StoredRun | None:
        with self._lock:
            cached = self._rows.get(key)
            if run is not None and cached is not None and cached[1] is not None and cached[1].version > run.version:
                run = cached[1]
            self._rows[key] = (time.monotonic(), run)
            if len(self._rows) > 256:  # runs that ended long ago
                oldest = min(self._rows, key=lambda k: self._rows[k][0])
                del self._rows[oldest]
                self._loading.pop(oldest, None)
        return run

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()


_RUNS = _RunCache()
# How old a cached run row may be when a phone or presenter asks (seconds): small beside the 2 s
# in which every phone must show a new question.
CACHE_SECONDS = 0.5


def cached_run_state(engine: Engine, run_id: int, max_age: float = CACHE_SECONDS) -> RunState | None:
    """`run_state` through the process-wide cache (a change made in this process is seen at once;
    one made in another process within `max_age`)."""
    run = _RUNS.get(engine, run_id, max_age)
    return None if run is None else _state(run, _now())


def current_run(engine: Engine, workshop_id: int, now: datetime | None = None) -> RunState | None:
    """The workshop's run that has not ended, if any."""
    run = reading(engine, lambda connection: store.active_run_of_workshop(connection, workshop_id, Phase.ENDED.value))
    return None if run is None else _state(run, now or _now())


class _CurrentRunCache:
    """The id of each workshop's run that has not ended, read in the last `max_age` seconds, for the
    whole process: phones waiting for the trainer to start a live quiz cost one query per interval.
    Keyed by database and workshop, as the run cache is."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids: dict[tuple[str, int], tuple[float, int | None]] = {}

    def get(self, engine: Engine, workshop_id: int, max_age: float) -> int | None:
        key = (_database(engine), workshop_id)
        with self._lock:
            cached = self._ids.get(key)
            if cached is not None and time.monotonic() - cached[0] < max_age:
                return cached[1]
        run = reading(
            engine, lambda connection: store.active_run_of_workshop(connection, workshop_id, Phase.ENDED.value)
        )
        run_id = None if run is None else run.id
        with self._lock:
            if len(self._ids) > 256:
                self._ids.clear()
            self._ids[key] = (time.monotonic(), run_id)
        return run_id

    def forget(self, engine: Engine, workshop_id: int) -> None:
        with self._lock:
            self._ids.pop((_database(engine), workshop_id), None)


_CURRENT = _CurrentRunCache()


def cached_current_run_id(engine: Engine, workshop_id: int, max_age: float = CACHE_SECONDS) -> int | None:
    """The id of the workshop's run that has not ended, if any, through a process-wide cache (a run
    started in this process is seen at once; one started in another process within `max_age`)."""
    return _CURRENT.get(engine, workshop_id, max_age)


def workshop_of(engine: Engine, token: str) -> int:
    """The id of the workshop the visitor of a resume token joined; NotSeated as `join_run`."""
    return reading(engine, lambda connection: _participant(connection, token)[1])


def runs_of_workshop(engine: Engine, user_id: int, workshop_id: int, now: datetime | None = None) -> list[RunState]:
    """Every run of a workshop, oldest first (the trainer's results)."""

    def work(connection: Connection) -> list[StoredRun]:
        owned_workshop(connection, user_id, workshop_id, "see this workshop's live quizzes")
        return store.runs_of_workshop(connection, workshop_id)

    at = now or _now()
    return [_state(run, at) for run in reading(engine, work)]


# The trainer's controls ------------------------------------------------------------------------


def start_run(
    engine: Engine,
    user_id: int,
    workshop_id: int,
    bank: Bank,
    *,
    seconds: int = rules.SECONDS_DEFAULT,
    streak_bonus: bool = False,
    question_count: int | None = None,
    now: datetime | None = None,
) -> RunState:
    """A new run of `bank` in the workshop, in its lobby: the first `question_count` questions of
    the bank (all by default) in the bank's order. RunBusy when a run of the workshop is still going;
    ValueError naming the bound for a timer or a count out of range."""
    rules.check_seconds(seconds)
    if not bank.questions:
        raise UnknownBank(bank.id)
    count = len(bank.questions) if question_count is None else question_count
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= len(bank.questions):
        raise ValueError(f"the number of questions must be from 1 to {len(bank.questions)}, got {question_count!r}")
    question_ids = [question.id for question in bank.questions[:count]]
    at = now or _now()

    def work(connection: Connection) -> StoredRun:
        owned_workshop(connection, user_id, workshop_id, "run a live quiz in this workshop")
        going = store.active_run_of_workshop(connection, workshop_id, Phase.ENDED.value)
        if going is not None:
            raise RunBusy(going.id)
        run_id = store.insert_run(
            connection, workshop_id, bank.id, user_id, question_ids, seconds, streak_bonus, Phase.LOBBY.value, at
        )
        run = store.run_by_id(connection, run_id)
        assert run is not None
        return run

    run = transaction(engine, work)
    _RUNS.put(engine, run)
    _CURRENT.forget(engine, workshop_id)
    return _state(run, at)


def _run_of(connection: Connection, user_id: int, run_id: int, action: str, for_update: bool = False) -> StoredRun:
    """The run when the user may drive it (its workshop's trainer or an admin); UnknownRun for a run
    that does not exist, NotAllowed for another trainer's."""
    run = store.run_by_id(connection, run_id, for_update=for_update)
    if run is None:
        raise UnknownRun(run_id)
    owned_workshop(connection, user_id, run.workshop_id, action)
    return run


def control(
    engine: Engine,
    user_id: int,
    run_id: int,
    action: Action,
    bank: Bank,
    *,
    seen_version: int | None = None,
    now: datetime | None = None,
) -> RunState:
    """Press a control. `seen_version` is the version of the run the presenter's view showed: when the
    run has moved on since (a double click, another window), StaleControl and nothing happens.
    ControlRefused when the phase does not allow the control. A reveal adds the points of the
    question's answers; the end counts each player's answers as a quiz attempt on their path.

    The end and the question it finds: a closed question (its time up, or closed by the trainer) has
    its answers final, so the end adds their points as a reveal would, and they count in the
    attempts. An open question is cut short: those who had not answered yet would be judged on a
    question they were still reading, so it counts for no one (no points, not in the attempts);
    its answers stay stored, without points, for the trainer's statistics.

    The run is moved first, on the version read (`store.move_run`'s expected version), and the
    points are added after, in the same transaction: on SQLite the reads before a transaction's
    first write see no lock, so two presses at once could both read the old phase and both reveal
    (points added twice) or both move on; the second now finds the version gone and changes nothing
    (StaleControl). Once the move holds the write lock (SQLite) or the row lock (PostgreSQL, where
    answers hold the row shared), no answer of the question can still be on its way in."""
    at = now or _now()

    def work(connection: Connection) -> StoredRun:
        run = _run_of(connection, user_id, run_id, "drive this live quiz", for_update=True)
        if seen_version is not None and seen_version != run.version:
            raise StaleControl(action, seen_version, run.version)
        phase = rules.effective_phase(Phase(run.phase), run.deadline_at, at)
        step = rules.apply(action, phase, run.question_index, len(run.question_ids), run.leaderboard)
        opened_at, deadline_at, closed_at = run.opened_at, run.deadline_at, run.closed_at
        if step.opens_question:
            opened_at, deadline_at, closed_at = at, at + timedelta(seconds=run.seconds_per_question), None
        elif action is Action.CLOSE or (step.phase is Phase.ENDED and phase is Phase.OPEN):
            closed_at = at
        moved_on = store.move_run(
            connection,
            run.id,
            phase=step.phase.value,
            question_index=step.question_index,
            opened_at=opened_at,
            deadline_at=deadline_at,
            closed_at=closed_at,
            ended_at=at if step.phase is Phase.ENDED else None,
            expected_version=run.version,
        )
        if not moved_on:
            current = store.run_by_id(connection, run.id)
            raise StaleControl(action, run.version, run.version if current is None else current.version)
        current_question = None if run.question_index is None else run.question_ids[run.question_index]
        ends_closed = step.phase is Phase.ENDED and phase is Phase.CLOSED
        if current_question is not None and (step.reveals or ends_closed):
            _add_points(connection, run, current_question)
        if step.phase is Phase.ENDED:
            asked = 0 if run.question_index is None else run.question_index + (0 if phase is Phase.OPEN else 1)
            _record_attempts(connection, run, bank, at, asked)
        moved = store.run_by_id(connection, run.id)
        assert moved is not None
        return moved

    run = transaction(engine, work)
    _RUNS.put(engine, run)
    if run.phase == Phase.ENDED.value:
        _CURRENT.forget(engine, run.workshop_id)
    return _state(run, at)


def _add_points(connection: Connection, run: StoredRun, question_id: str) -> None:
    """The reveal: each answer's points, and each player's score and streak. A player who did not
    answer a question they could have loses their streak."""
    index = run.question_ids.index(question_id)
    answers = {answer.respondent_id: answer for answer in store.answers_to(connection, run.id, question_id)}
    for player in store.players_of(connection, run.id):
        if player.first_question_index > index:
            continue  # joined after this question opened: it does not count for them
        answer = answers.get(player.respondent_id)
        if answer is None:
            store.set_score(connection, run.id, player.respondent_id, player.score, 0)
            continue
        points = rules.points_for(answer.credit, answer.elapsed_ms, run.seconds_per_question)
        right = rules.is_right(answer.credit)
        if right and run.streak_bonus:
            points += rules.streak_bonus(player.streak)
        store.set_points(connection, run.id, question_id, player.respondent_id, points)
        store.set_score(
            connection, run.id, player.respondent_id, player.score + points, player.streak + 1 if right else 0
        )


def _record_attempts(connection: Connection, run: StoredRun, bank: Bank, at: datetime, asked: int) -> None:
    """Each player's answers as a finished attempt at the bank, scored like a self-paced attempt over
    the first `asked` questions of the run, those that count (`control`), from the one they joined
    at (a question they did not answer counts 0)."""
    counted = set(run.question_ids[:asked])
    by_player: dict[int, list[StoredAnswer]] = {}
    for answer in store.answers_of_run(connection, run.id):
        if answer.question_id in counted:
            by_player.setdefault(answer.respondent_id, []).append(answer)
    for player in store.players_of(connection, run.id):
        questions = asked - player.first_question_index
        answers = by_player.get(player.respondent_id, [])
        if questions <= 0 and not answers:
            continue
        attempt = learning_store.insert_attempt(connection, player.respondent_id, bank.id, random.randrange(2**31), at)
        for answer in answers:
            learning_store.save_response(
                connection, attempt.id, answer.question_id, answer.response, answer.answered_at
            )
        credit = sum(answer.credit for answer in answers)
        percent = round(100 * credit / questions) if questions > 0 else 0
        learning_store.finish_attempt(connection, attempt.id, max(0, min(100, percent)), at)


def leaderboard_shown(engine: Engine, user_id: int, workshop_id: int) -> bool:
    """The workshop's setting that `set_leaderboard` changes (the start form shows it before a run)."""

    def work(connection: Connection) -> bool:
        owned_workshop(connection, user_id, workshop_id, "see this workshop's live quiz settings")
        return bool(store.leaderboard_of(connection, workshop_id))

    return reading(engine, work)


def set_leaderboard(engine: Engine, user_id: int, workshop_id: int, shown: bool) -> None:
    """Whether the workshop's live quizzes show the top five between questions."""

    def work(connection: Connection) -> None:
        owned_workshop(connection, user_id, workshop_id, "change this workshop's live quiz settings")
        store.set_leaderboard(connection, workshop_id, shown)

    transaction(engine, work)
    _RUNS.clear()


# Participants ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveSeat:
    run_id: int
    respondent_id: int
    nickname: str
    first_question_index: int
    score: int
    streak: int
    joined_now: bool = False  # this call gave the seat (False: it was theirs already)


def _participant(connection: Connection, token: str) -> tuple[int, int]:
    """(respondent id, workshop id) of a resume token; NotSeated when it is none or joined no workshop."""
    try:
        check_token(token)
    except TokenError as error:
        raise NotSeated("open the live quiz from your own link; this one holds no valid resume token") from error
    respondent = respondents_store.by_token_hash(connection, token_hash(token))
    if respondent is None:
        raise NotSeated("this resume link belongs to no one (the data may have been deleted)")
    seat = workshops_store.seat_of(connection, respondent.id)
    if seat is None:
        raise NotSeated("join a workshop first: live quizzes are played in a workshop")
    return respondent.id, seat.workshop_id


def _seat(player: StoredPlayer, joined_now: bool = False) -> LiveSeat:
    return LiveSeat(
        player.run_id,
        player.respondent_id,
        player.nickname,
        player.first_question_index,
        player.score,
        player.streak,
        joined_now,
    )


def _first_question(run: StoredRun, at: datetime) -> int:
    """The first question a player who joins at `at` plays: the first in the lobby, else the next."""
    phase = rules.effective_phase(Phase(run.phase), run.deadline_at, at)
    return 0 if phase is Phase.LOBBY or run.question_index is None else run.question_index + 1


def join_run(engine: Engine, token: str, now: datetime | None = None) -> tuple[RunState, LiveSeat]:
    """The seat of the visitor in their workshop's live run: theirs back if they had one (a refresh, a
    phone that slept, another process), else a new one with zero points that plays from the next
    question on (from the first in the lobby). NotSeated without a workshop; NoRun when none is going."""
    at = now or _now()

    def work(connection: Connection) -> tuple[StoredRun, LiveSeat]:
        respondent_id, workshop_id = _participant(connection, token)
        run = store.active_run_of_workshop(connection, workshop_id, Phase.ENDED.value)
        if run is None:
            raise NoRun()
        player = store.player(connection, run.id, respondent_id)
        if player is not None:
            return run, _seat(player)
        first = _first_question(run, at)
        joined = store.insert_player(connection, run.id, respondent_id, first, at)
        if joined:
            # The run as it is now that the seat is written (SQLite: the write lock, the read above
            # took none; PostgreSQL: the shared row lock keeps controls out until the commit): a
            # question opened or revealed in between moves the first question this player plays.
            again = store.run_by_id(connection, run.id, for_share=True)
            if again is not None and _first_question(again, at) != first:
                run = again
                store.set_first_question(connection, run.id, respondent_id, _first_question(again, at))
        player = store.player(connection, run.id, respondent_id)
        assert player is not None
        return run, _seat(player, joined_now=joined)

    run, seat = transaction(engine, work)
    return _state(run, at), seat


def check_response(question: Question, response: object) -> Response:
    """The response when it is one this question can take: its own option, item or pair ids, a
    boolean, a finite number, a short text. AnswerRefused(BAD_RESPONSE) naming the problem otherwise
    (a forged option id, a list for a single choice, ...)."""

    def bad(detail: str) -> AnswerRefused:
        return AnswerRefused(Refusal.BAD_RESPONSE, detail)

    kind = question.type
    if kind == "single":
        if not isinstance(response, str) or response not in {o.id for o in question.options}:
            raise bad(f"{response!r} is not an option of question {question.id!r}")
        return response
    if kind == "multiple":
        ids = {o.id for o in question.options}
        if not isinstance(response, list) or not all(isinstance(v, str) for v in response):
            raise bad("a multiple-answer question takes a list of option ids")
        if not set(response) <= ids or len(set(response)) != len(response):
            raise bad(f"{response!r} holds an id that is not an option of question {question.id!r}, or one twice")
        return list(response)
    if kind == "truefalse":
        if not isinstance(response, bool):
            raise bad("a true/false question takes true or false")
        return response
    if kind == "ordering":
        items = [item.id for item in question.items]
        if not isinstance(response, list) or sorted(map(str, response)) != sorted(items) or len(response) != len(items):
            raise bad(f"an ordering of question {question.id!r} must hold each of its items once")
        return [str(v) for v in response]
    if kind == "matching":
        pairs = {pair.id for pair in question.pairs}
        offered = set(matching_offer(question))
        if not isinstance(response, Mapping) or not set(response) <= pairs:
            raise bad(f"a matching of question {question.id!r} maps its own pairs")
        if not all(isinstance(v, str) and v in offered for v in response.values()):
            raise bad(f"a matching of question {question.id!r} picks from its own right-hand sides")
        return {str(k): str(v) for k, v in response.items()}
    if kind == "short":
        if not isinstance(response, str) or len(response) > 200:
            raise bad("a short answer is a text of at most 200 characters")
        return response
    if kind == "numerical":
        if isinstance(response, bool) or not isinstance(response, (int, float)):
            raise bad("a numerical question takes a finite number")
        try:
            number = float(response)
        except OverflowError:  # an integer too large for a float
            raise bad("a numerical question takes a finite number") from None
        if not isfinite(number):
            raise bad("a numerical question takes a finite number")
        return number
    raise bad(f"question type {kind!r} cannot be answered live")


@dataclass(frozen=True)
class Ack:
    """An answer the server holds: `first` is False when this was a second submission that changed
    nothing (the stored answer is the first one)."""

    answer: StoredAnswer
    first: bool


def submit_answer(
    engine: Engine, token: str, run_id: int, question_id: str, response: object, bank: Bank, now: datetime | None = None
) -> Ack:
    """Store a participant's answer to the open question, once. Refused (AnswerRefused, nothing
    stored) when the question is not the open one, its time is up, the participant joined after it
    opened, the response is not one the question can take, or the participant has no seat in the run;
    UnknownRun for a run of another workshop."""
    at = now or _now()

    def work(connection: Connection) -> Ack:
        respondent_id, workshop_id = _participant(connection, token)
        run = store.run_by_id(connection, run_id, for_share=True)
        if run is None or run.workshop_id != workshop_id:
            raise UnknownRun(run_id)
        player = store.player(connection, run.id, respondent_id)
        if player is None:
            raise AnswerRefused(Refusal.NO_SEAT, "take a seat in the live quiz first")
        if run.question_index is None or run.question_ids[run.question_index] != question_id:
            raise AnswerRefused(Refusal.NOT_OPEN, f"question {question_id!r} is not the one open")
        phase = rules.effective_phase(Phase(run.phase), run.deadline_at, at)
        if phase is not Phase.OPEN:
            earlier = store.answer_of(connection, run.id, question_id, respondent_id)
            if earlier is not None:  # a repeat of an answer that made it in time
                return Ack(earlier, first=False)
            reason = Refusal.LATE if Phase(run.phase) in (Phase.OPEN, Phase.CLOSED) else Refusal.NOT_OPEN
            raise AnswerRefused(reason)
        if player.first_question_index > run.question_index:
            raise AnswerRefused(Refusal.NOT_YET, "you joined while this question was open; the next one is yours")
        question = bank.question(question_id) if question_id in {q.id for q in bank.questions} else None
        if question is None or bank.id != run.bank_id:
            raise AnswerRefused(Refusal.NOT_OPEN, f"question {question_id!r} is not in this quiz")
        checked = check_response(question, response)
        encoded = encode(checked)
        if len(encoded) > RESPONSE_MAX:
            raise AnswerRefused(Refusal.BAD_RESPONSE, "the answer is too long")
        assert run.opened_at is not None
        elapsed_ms = max(0, round((at - run.opened_at).total_seconds() * 1000))
        credit = grade(question, checked).credit
        first = store.insert_answer(connection, run.id, question_id, respondent_id, encoded, at, elapsed_ms, credit)
        if first:
            # On SQLite the run was read before this transaction's first write, without a lock: a
            # close and a reveal may have come in between, and the reveal would never count this
            # answer. The insert holds the write lock now, so the run read again is the run as it is;
            # if it moved off this question, the answer was too late (and is rolled back).
            # (PostgreSQL's shared row lock already kept the controls out.)
            again = store.run_by_id(connection, run.id)
            if again is None or (again.phase, again.question_index, again.opened_at) != (
                run.phase,
                run.question_index,
                run.opened_at,
            ):
                raise AnswerRefused(Refusal.LATE, "the question closed while the answer was on its way")
        stored = store.answer_of(connection, run.id, question_id, respondent_id)
        assert stored is not None
        return Ack(stored, first)

    return transaction(engine, work)


# What the phone and the presenter show ---------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    nickname: str
    score: int
    place: int


class _StandingsCache:
    """The ranking of a run per version, for the whole process: it changes only at a reveal (and when
    someone joins), so 300 phones asking for their rank after a reveal cost one query."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ranked: dict[tuple[str, int, int, int], tuple[list[Placed], dict[int, StoredPlayer]]] = {}

    def get(
        self, key: tuple[str, int, int, int], load: Callable[[], list[StoredPlayer]]
    ) -> tuple[list[Placed], dict[int, StoredPlayer]]:
        with self._lock:
            if key in self._ranked:
                return self._ranked[key]
        players = load()
        by_id = {player.respondent_id: player for player in players}
        nicknames = sorted(players, key=lambda p: p.nickname.casefold())
        ranked = rules.ranking(
            [(p.respondent_id, p.score) for p in players], tie_break=[p.respondent_id for p in nicknames]
        )
        with self._lock:
            if len(self._ranked) > 64:
                self._ranked.clear()
            self._ranked[key] = (ranked, by_id)
        return ranked, by_id


_STANDINGS = _StandingsCache()


def standings(engine: Engine, run_id: int, version: int) -> tuple[list[Placed], dict[int, StoredPlayer]]:
    """Every player ranked (ties share a place), as of `version` of the run, and the players by id."""

    def load() -> list[StoredPlayer]:
        return reading(engine, lambda connection: store.players_of(connection, run_id))

    def count() -> int:
        return reading(engine, lambda connection: store.player_count(connection, run_id))

    return _STANDINGS.get((_database(engine), run_id, version, count()), load)


@dataclass(frozen=True)
class PlayerView:
    """What a phone shows: the run, the seat, the answer given to the current question (if any),
    and after the reveal its points, the player's score, place and the number of players."""

    state: RunState
    seat: LiveSeat
    answer: StoredAnswer | None
    place: int | None
    players: int
    plays_current: bool  # False for a late joiner while the question they joined during is on


def player_view(engine: Engine, token: str, now: datetime | None = None) -> PlayerView:
    """The phone's view, rebuilt from storage: takes (or gives back) the visitor's seat in their
    workshop's run. NotSeated / NoRun as `join_run`."""
    state, seat = join_run(engine, token, now)
    return _view_at(engine, state, seat)


def seated_view(engine: Engine, known: PlayerView, now: datetime | None = None) -> PlayerView | None:
    """The phone's view again, for a seat `player_view` gave in this session (`known`, the view the
    page showed last), without the seat's transaction: the run from the process-wide cache
    (`cached_run_state`), the answer to the current question and the standings read once per version
    of the run (kept from `known` while the version is the same: an answer the page stored since is
    put in `known` by the page, from `submit_answer`'s Ack), the seat's score from the standings.
    None when the run is gone, has ended or is another run: the caller asks `player_view`, which
    takes the seat again (or says NoRun). A page rebuilt from scratch (a refresh, another process)
    calls `player_view`."""
    state = cached_run_state(engine, known.state.run_id) if now is None else run_state(engine, known.state.run_id, now)
    if now is None and state is not None and state.version <= known.state.version:
        # Nothing new in this process's cache, yet something made the view run again: an event of
        # the push route, which another process may have served from a fresher read than this
        # process's cache (seen with two processes: phones stayed on the lobby until the deadline).
        # One read of the run's row by its key settles it, and refreshes the cache for the others.
        fresh = reading(engine, lambda connection: store.run_by_id(connection, known.state.run_id))
        if fresh is not None:
            _RUNS.put(engine, fresh)
        state = None if fresh is None else _state(fresh, _now())
    if state is None or state.phase is Phase.ENDED or state.workshop_id != known.state.workshop_id:
        return None
    if state.version < known.state.version:  # the cache is behind a read of another process's step
        return None
    seat = replace(known.seat, joined_now=False) if known.seat.joined_now else known.seat
    if state.version == known.state.version:
        # The same step of the run (an open question whose deadline passed is the same version).
        return replace(known, state=state, seat=seat)
    return _view_at(engine, state, seat)


def _view_at(engine: Engine, state: RunState, seat: LiveSeat) -> PlayerView:
    """The phone's view of a seat at a step of the run: the answer to the current question, and the
    place once the question's points are in."""
    question_id = state.question_id
    answer = None
    if question_id is not None:
        answer = reading(
            engine, lambda connection: store.answer_of(connection, state.run_id, question_id, seat.respondent_id)
        )
    place, players, seat = _ranked(engine, state, seat)
    plays = state.question_index is None or seat.first_question_index <= state.question_index
    return PlayerView(state, seat, answer, place, players, plays)


def _ranked(engine: Engine, state: RunState, seat: LiveSeat) -> tuple[int | None, int, LiveSeat]:
    """The seat's place, the number of players and the seat with its score, once the question's
    points are in (the reveal and after); (None, 0, the seat as it was) before."""
    if state.phase not in (Phase.REVEAL, Phase.LEADERBOARD, Phase.PODIUM, Phase.ENDED):
        return None, 0, seat
    ranked, by_id = standings(engine, state.run_id, state.version)
    place = next((entry.place for entry in ranked if entry.key == seat.respondent_id), None)
    current = by_id.get(seat.respondent_id)
    return place, len(ranked), seat if current is None else _seat(current)


def final_view(engine: Engine, token: str, run_id: int, now: datetime | None = None) -> PlayerView | None:
    """The phone's view of a run of the visitor's workshop that has ended, when they had a seat in it:
    their final score and place (a phone still showing the podium when the trainer ends the run).
    None for a run that has not ended or in which they did not play; NotSeated as `join_run`."""
    at = now or _now()

    def work(connection: Connection) -> tuple[StoredRun, StoredPlayer] | None:
        respondent_id, workshop_id = _participant(connection, token)
        run = store.run_by_id(connection, run_id)
        if run is None or run.workshop_id != workshop_id or Phase(run.phase) is not Phase.ENDED:
            return None
        player = store.player(connection, run.id, respondent_id)
        return None if player is None else (run, player)

    found = reading(engine, work)
    if found is None:
        return None
    run, player = found
    state = _state(run, at)
    ranked, _by_id = standings(engine, run.id, run.version)
    place = next((entry.place for entry in ranked if entry.key == player.respondent_id), None)
    return PlayerView(state, _seat(player), None, place, len(ranked), True)


@dataclass(frozen=True)
class PresenterView:
    """What the projector shows: the run, the players' nicknames (in the order they joined), how many
    answered the current question, how often each answer was given once it closed, and the
    leaderboard and podium as nicknames with scores and shared places."""

    state: RunState
    nicknames: list[str]
    answered: int
    distribution: dict[str, int] = field(default_factory=dict)  # encoded response -> count
    right_share: float | None = None  # the share of right answers among the answers, once closed
    leaderboard: list[Standing] = field(default_factory=list)
    podium: list[Standing] = field(default_factory=list)


def presenter_view(engine: Engine, user_id: int, run_id: int, now: datetime | None = None) -> PresenterView:
    at = now or _now()

    def work(connection: Connection) -> PresenterView:
        run = _run_of(connection, user_id, run_id, "present this live quiz")
        state = _state(run, at)
        players = store.players_of(connection, run.id)
        nicknames = [player.nickname for player in players]
        question_id = state.question_id
        answered = 0
        distribution: dict[str, int] = {}
        right_share = None
        if question_id is not None:
            answers = store.answers_to(connection, run.id, question_id)
            answered = len(answers)
            if state.phase is not Phase.OPEN:
                for answer in answers:
                    distribution[answer.response] = distribution.get(answer.response, 0) + 1
                right_share = sum(1 for a in answers if rules.is_right(a.credit)) / len(answers) if answers else None
        ranked = rules.ranking([(p.nickname, p.score) for p in players], tie_break=sorted(nicknames, key=str.casefold))
        board = [Standing(str(entry.key), entry.score, entry.place) for entry in rules.leaderboard(ranked)]
        stand = [Standing(str(entry.key), entry.score, entry.place) for entry in rules.podium(ranked)]
        return PresenterView(state, nicknames, answered, distribution, right_share, board, stand)

    return reading(engine, work)
