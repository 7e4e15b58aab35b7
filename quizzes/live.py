"""The rules of a live quiz (issue 14): its phases and the trainer's controls, the points of an
answer, the streak bonus, and the ranking with shared places. Pure functions; the run's state is
stored by `storage.live` and driven by `services.live`.

A run goes lobby -> open -> closed -> reveal [-> leaderboard] -> open (next question) ... and after
the last question's reveal (or leaderboard) -> podium -> ended. An open question closes itself at
its deadline: `effective_phase` reads an open run past its deadline as closed, so no process has to
be awake at that moment for the answers after it to be refused.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)

# The timer of a question, in seconds: what a trainer may choose, and the default.
SECONDS_MIN = 5
SECONDS_MAX = 240
SECONDS_DEFAULT = 20
# Kahoot's rule: full points in the first half-second, then falling linearly to half at the deadline.
FULL_POINTS = 1000
FULL_POINTS_WITHIN_MS = 500
# The streak bonus (when the run has one): 100 points per right answer in a row before this one,
# at most 500, added to a right answer's points.
STREAK_STEP = 100
STREAK_MAX = 500
LEADERBOARD_SIZE = 5
PODIUM_SIZE = 3


class Phase(StrEnum):
    LOBBY = "lobby"
    OPEN = "open"  # the current question takes answers until its deadline
    CLOSED = "closed"  # no more answers; the distribution is shown, not yet the right answer
    REVEAL = "reveal"  # the right answer, the explanation; points have been added
    LEADERBOARD = "leaderboard"
    PODIUM = "podium"
    ENDED = "ended"


class Action(StrEnum):
    """The presenter's controls."""

    OPEN = "open"  # the first question, from the lobby
    CLOSE = "close"  # close the open question before its deadline
    REVEAL = "reveal"
    LEADERBOARD = "leaderboard"
    NEXT = "next"  # the next question
    PODIUM = "podium"  # after the last question
    END = "end"


class ControlRefused(Exception):
    """A control that the run's phase does not allow (e.g. "reveal" in the lobby, or a second
    "next" from a double click after the first had already moved on)."""

    def __init__(self, action: Action, phase: Phase) -> None:
        super().__init__(f"{action.value!r} is not possible while the run is {phase.value!r}")
        self.action = action
        self.phase = phase


def effective_phase(phase: Phase, deadline: datetime | None, now: datetime) -> Phase:
    """The phase as it is at `now`: an open question past its deadline is closed."""
    if phase is Phase.OPEN and deadline is not None and now >= deadline:
        return Phase.CLOSED
    return phase


def allowed_actions(
    phase: Phase, question_index: int | None, question_count: int, leaderboard: bool = True
) -> list[Action]:
    """The controls possible in a phase, in the order a presenter shows them."""
    last = question_index is not None and question_index >= question_count - 1
    if phase is Phase.LOBBY:
        return [Action.OPEN, Action.END] if question_count else [Action.END]
    if phase is Phase.OPEN:
        return [Action.CLOSE, Action.END]
    if phase is Phase.CLOSED:
        return [Action.REVEAL, Action.END]
    if phase is Phase.REVEAL:
        after = [Action.LEADERBOARD] if leaderboard else []
        return [*after, Action.PODIUM if last else Action.NEXT, Action.END]
    if phase is Phase.LEADERBOARD:
        return [Action.PODIUM if last else Action.NEXT, Action.END]
    if phase is Phase.PODIUM:
        return [Action.END]
    return []


@dataclass(frozen=True)
class Step:
    """Where a control takes the run: its new phase and question index, and whether the question
    (re)opens (a new deadline) or the points of the current question are to be added."""

    phase: Phase
    question_index: int | None
    opens_question: bool = False
    reveals: bool = False


def apply(
    action: Action, phase: Phase, question_index: int | None, question_count: int, leaderboard: bool = True
) -> Step:
    """The step a control makes from an (effective) phase; ControlRefused when it is not allowed."""
    if action not in allowed_actions(phase, question_index, question_count, leaderboard):
        raise ControlRefused(action, phase)
    if action is Action.OPEN:
        return Step(Phase.OPEN, 0, opens_question=True)
    if action is Action.NEXT:
        return Step(Phase.OPEN, (question_index or 0) + 1, opens_question=True)
    if action is Action.CLOSE:
        return Step(Phase.CLOSED, question_index)
    if action is Action.REVEAL:
        return Step(Phase.REVEAL, question_index, reveals=True)
    if action is Action.LEADERBOARD:
        return Step(Phase.LEADERBOARD, question_index)
    if action is Action.PODIUM:
        return Step(Phase.PODIUM, question_index)
    return Step(Phase.ENDED, question_index)


def points_for(credit: float, elapsed_ms: int, seconds: int) -> int:
    """The points of an answer: none for a wrong one; for a right one
    round(1000 x (1 - (t / T) / 2)) at t seconds into a T-second timer, 1000 in the first
    half-second, times the share of credit for a partly right multiple-answer or ordering answer
    (as the self-paced grading gives it)."""
    if credit <= 0:
        return 0
    limit_ms = seconds * 1000
    elapsed = min(max(elapsed_ms, 0), limit_ms)
    base = FULL_POINTS if elapsed <= FULL_POINTS_WITHIN_MS else round(FULL_POINTS * (1 - (elapsed / limit_ms) / 2))
    return round(base * min(credit, 1.0))


def is_right(credit: float) -> bool:
    """A right answer for the streak: full credit (as `quizzes.grading.Graded.correct`)."""
    return credit >= 0.999


def streak_bonus(streak_before: int) -> int:
    """The bonus of a right answer after `streak_before` right answers in a row."""
    return min(STREAK_STEP * max(streak_before, 0), STREAK_MAX)


@dataclass(frozen=True)
class Placed:
    place: int  # 1 for the first; equal scores share a place, and the next place skips (1, 1, 3)
    key: Hashable
    score: int


def ranking(scores: Iterable[tuple[Key, int]], tie_break: Sequence[Key] | None = None) -> list[Placed]:
    """Everyone in order of score, highest first, equal scores sharing a place (competition
    ranking: 1, 1, 3). Within a place the order of `tie_break` (e.g. nicknames), else as given."""
    items = list(scores)
    order = {key: position for position, key in enumerate(tie_break or [key for key, _ in items])}
    items.sort(key=lambda item: (-item[1], order.get(item[0], len(order))))
    placed: list[Placed] = []
    for position, (key, score) in enumerate(items, start=1):
        place = placed[-1].place if placed and placed[-1].score == score else position
        placed.append(Placed(place, key, score))
    return placed


def podium(placed: Sequence[Placed]) -> list[Placed]:
    """Those on the podium: places 1 to 3, ties included (two firsts and a third, or four who share
    the third place). No one with zero points stands on it."""
    return [entry for entry in placed if entry.place <= PODIUM_SIZE and entry.score > 0]


def leaderboard(placed: Sequence[Placed]) -> list[Placed]:
    """The top five; those tied with the fifth are shown too."""
    if len(placed) <= LEADERBOARD_SIZE:
        return list(placed)
    cut = placed[LEADERBOARD_SIZE - 1].place
    return [entry for entry in placed if entry.place <= cut]


def check_seconds(raw: object) -> int:
    """A question's timer as a whole number of seconds in SECONDS_MIN..SECONDS_MAX; ValueError naming
    the bounds otherwise."""
    if isinstance(raw, bool) or not isinstance(raw, int) or not SECONDS_MIN <= raw <= SECONDS_MAX:
        raise ValueError(
            f"the timer must be a whole number of seconds from {SECONDS_MIN} to {SECONDS_MAX}, got {raw!r}"
        )
    return raw
