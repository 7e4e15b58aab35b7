"""The rules of a live quiz (quizzes/live.py): Kahoot's points, the streak bonus, the phases and the
presenter's controls, the deadline, and the ranking with shared places."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from quizzes import live
from quizzes.live import Action, ControlRefused, Phase, Placed

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)


# Points ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("elapsed_ms", [0, 1, 250, 499, 500])
def test_a_right_answer_in_the_first_half_second_gets_1000(elapsed_ms: int) -> None:
    assert live.points_for(1.0, elapsed_ms, 20) == 1000


@pytest.mark.parametrize(
    ("elapsed_ms", "seconds", "expected"),
    [
        (501, 20, 987),  # round(1000 * (1 - 0.02505)) = round(987.475)
        (1_000, 20, 975),
        (5_000, 20, 875),
        (10_000, 20, 750),
        (15_000, 20, 625),
        (19_999, 20, 500),  # 500.025
        (3_000, 10, 850),
        (7_500, 10, 625),
        (2_500, 5, 750),
        (120_000, 240, 750),
    ],
)
def test_a_right_answer_falls_linearly_to_half(elapsed_ms: int, seconds: int, expected: int) -> None:
    assert live.points_for(1.0, elapsed_ms, seconds) == expected
    assert expected == round(1000 * (1 - (elapsed_ms / (seconds * 1000)) / 2))


def test_at_and_past_the_deadline_a_right_answer_gets_500_and_no_time_counts_below_zero() -> None:
    assert live.points_for(1.0, 20_000, 20) == 500
    assert live.points_for(1.0, 25_000, 20) == 500  # clamped: never fewer than half
    assert live.points_for(1.0, -3_000, 20) == 1000  # a clock that went back: as at the start


@pytest.mark.parametrize("credit", [0.0, -0.5, -1.0])
@pytest.mark.parametrize("elapsed_ms", [0, 400, 10_000, 20_000])
def test_a_wrong_answer_gets_nothing(credit: float, elapsed_ms: int) -> None:
    assert live.points_for(credit, elapsed_ms, 20) == 0


def test_partial_credit_gets_its_share_of_the_points() -> None:
    assert live.points_for(0.5, 0, 20) == 500
    assert live.points_for(0.5, 10_000, 20) == 375
    assert live.points_for(1 / 3, 0, 20) == 333
    assert live.points_for(2 / 3, 5_000, 20) == round(875 * 2 / 3)  # 583
    assert live.points_for(0.25, 20_000, 20) == 125
    # More than full credit is full credit.
    assert live.points_for(1.5, 0, 20) == 1000


def test_the_right_answer_for_the_streak_is_full_credit() -> None:
    assert live.is_right(1.0)
    assert live.is_right(0.9995)
    assert not live.is_right(0.99)
    assert not live.is_right(0.5)
    assert not live.is_right(0.0)


def test_the_streak_bonus_grows_by_100_to_at_most_500() -> None:
    assert [live.streak_bonus(n) for n in range(8)] == [0, 100, 200, 300, 400, 500, 500, 500]
    assert live.streak_bonus(-2) == 0
    assert live.streak_bonus(1000) == live.STREAK_MAX


# Phases and controls ----------------------------------------------------------------------------

FOUR = 4  # questions in the run


@pytest.mark.parametrize(
    ("phase", "index", "leaderboard", "expected"),
    [
        (Phase.LOBBY, None, True, [Action.OPEN, Action.END]),
        (Phase.OPEN, 0, True, [Action.CLOSE, Action.END]),
        (Phase.CLOSED, 0, True, [Action.REVEAL, Action.END]),
        (Phase.REVEAL, 0, True, [Action.LEADERBOARD, Action.NEXT, Action.END]),
        (Phase.REVEAL, 0, False, [Action.NEXT, Action.END]),
        (Phase.REVEAL, 3, True, [Action.LEADERBOARD, Action.PODIUM, Action.END]),
        (Phase.REVEAL, 3, False, [Action.PODIUM, Action.END]),
        (Phase.LEADERBOARD, 1, True, [Action.NEXT, Action.END]),
        (Phase.LEADERBOARD, 3, True, [Action.PODIUM, Action.END]),
        (Phase.PODIUM, 3, True, [Action.END]),
        (Phase.ENDED, 3, True, []),
        (Phase.ENDED, None, True, []),
    ],
)
def test_the_controls_of_each_phase(phase: Phase, index: int | None, leaderboard: bool, expected: list[Action]) -> None:
    assert live.allowed_actions(phase, index, FOUR, leaderboard) == expected


def test_a_run_without_questions_can_only_end() -> None:
    assert live.allowed_actions(Phase.LOBBY, None, 0) == [Action.END]
    with pytest.raises(ControlRefused):
        live.apply(Action.OPEN, Phase.LOBBY, None, 0)


@pytest.mark.parametrize(
    ("action", "phase", "index", "step"),
    [
        (Action.OPEN, Phase.LOBBY, None, live.Step(Phase.OPEN, 0, opens_question=True)),
        (Action.END, Phase.LOBBY, None, live.Step(Phase.ENDED, None)),
        (Action.CLOSE, Phase.OPEN, 2, live.Step(Phase.CLOSED, 2)),
        (Action.END, Phase.OPEN, 2, live.Step(Phase.ENDED, 2)),
        (Action.REVEAL, Phase.CLOSED, 2, live.Step(Phase.REVEAL, 2, reveals=True)),
        (Action.END, Phase.CLOSED, 2, live.Step(Phase.ENDED, 2)),
        (Action.LEADERBOARD, Phase.REVEAL, 2, live.Step(Phase.LEADERBOARD, 2)),
        (Action.NEXT, Phase.REVEAL, 2, live.Step(Phase.OPEN, 3, opens_question=True)),
        (Action.NEXT, Phase.LEADERBOARD, 0, live.Step(Phase.OPEN, 1, opens_question=True)),
        (Action.PODIUM, Phase.REVEAL, 3, live.Step(Phase.PODIUM, 3)),
        (Action.PODIUM, Phase.LEADERBOARD, 3, live.Step(Phase.PODIUM, 3)),
        (Action.END, Phase.REVEAL, 1, live.Step(Phase.ENDED, 1)),
        (Action.END, Phase.LEADERBOARD, 1, live.Step(Phase.ENDED, 1)),
        (Action.END, Phase.PODIUM, 3, live.Step(Phase.ENDED, 3)),
    ],
)
def test_each_allowed_control_makes_its_step(action: Action, phase: Phase, index: int | None, step: live.Step) -> None:
    assert live.apply(action, phase, index, FOUR) == step


def test_every_control_not_allowed_in_a_phase_is_refused_naming_both() -> None:
    cases = [
        (Phase.LOBBY, None),
        (Phase.OPEN, 0),
        (Phase.CLOSED, 0),
        (Phase.REVEAL, 0),
        (Phase.REVEAL, 3),
        (Phase.LEADERBOARD, 0),
        (Phase.LEADERBOARD, 3),
        (Phase.PODIUM, 3),
        (Phase.ENDED, 3),
    ]
    refused = 0
    for phase, index in cases:
        for leaderboard in (True, False):
            allowed = live.allowed_actions(phase, index, FOUR, leaderboard)
            for action in Action:
                if action in allowed:
                    continue
                with pytest.raises(ControlRefused) as caught:
                    live.apply(action, phase, index, FOUR, leaderboard)
                assert (caught.value.action, caught.value.phase) == (action, phase)
                assert action.value in str(caught.value) and phase.value in str(caught.value)
                refused += 1
    assert refused > 80


def test_next_after_the_last_question_and_podium_before_it_are_refused() -> None:
    with pytest.raises(ControlRefused):
        live.apply(Action.NEXT, Phase.REVEAL, 3, FOUR)
    with pytest.raises(ControlRefused):
        live.apply(Action.PODIUM, Phase.REVEAL, 2, FOUR)
    with pytest.raises(ControlRefused):
        live.apply(Action.LEADERBOARD, Phase.REVEAL, 1, FOUR, leaderboard=False)


def test_a_double_next_is_refused_by_the_phase_it_left_behind() -> None:
    step = live.apply(Action.NEXT, Phase.REVEAL, 0, FOUR)
    with pytest.raises(ControlRefused):
        live.apply(Action.NEXT, step.phase, step.question_index, FOUR)


def test_an_open_question_reads_as_closed_from_its_deadline_on() -> None:
    deadline = T0 + timedelta(seconds=20)
    assert live.effective_phase(Phase.OPEN, deadline, T0) is Phase.OPEN
    assert live.effective_phase(Phase.OPEN, deadline, deadline - timedelta(microseconds=1)) is Phase.OPEN
    assert live.effective_phase(Phase.OPEN, deadline, deadline) is Phase.CLOSED
    assert live.effective_phase(Phase.OPEN, deadline, deadline + timedelta(hours=1)) is Phase.CLOSED
    assert live.effective_phase(Phase.OPEN, None, deadline) is Phase.OPEN
    for phase in Phase:
        if phase is not Phase.OPEN:
            assert live.effective_phase(phase, deadline, deadline + timedelta(seconds=1)) is phase


def test_past_the_deadline_close_is_refused_and_reveal_allowed() -> None:
    phase = live.effective_phase(Phase.OPEN, T0, T0 + timedelta(seconds=1))
    with pytest.raises(ControlRefused):
        live.apply(Action.CLOSE, phase, 0, FOUR)
    assert live.apply(Action.REVEAL, phase, 0, FOUR).reveals


# Ranking -----------------------------------------------------------------------------------------


def _places(placed: list[Placed]) -> list[tuple[int, object, int]]:
    return [(p.place, p.key, p.score) for p in placed]


def test_equal_scores_share_a_place_and_the_next_place_skips() -> None:
    ranked = live.ranking([("c", 500), ("a", 900), ("b", 900), ("d", 100)])
    assert _places(ranked) == [(1, "a", 900), (1, "b", 900), (3, "c", 500), (4, "d", 100)]
    ranked = live.ranking([("a", 900), ("b", 500), ("c", 500), ("d", 500), ("e", 100)])
    assert [p.place for p in ranked] == [1, 2, 2, 2, 5]


def test_within_a_place_the_tie_break_orders_else_the_given_order() -> None:
    scores = [(3, 700), (1, 700), (2, 700), (4, 800)]
    assert [p.key for p in live.ranking(scores)] == [4, 3, 1, 2]
    assert [p.key for p in live.ranking(scores, tie_break=[1, 2, 3, 4])] == [4, 1, 2, 3]
    # A key the tie break does not name goes last within its place.
    assert [p.key for p in live.ranking(scores, tie_break=[2, 1])] == [4, 2, 1, 3]
    assert [p.place for p in live.ranking(scores)] == [1, 2, 2, 2]


def test_nobody_and_everyone_at_zero() -> None:
    assert live.ranking([]) == []
    assert live.podium([]) == []
    assert live.leaderboard([]) == []
    zeros = live.ranking([("a", 0), ("b", 0)])
    assert [p.place for p in zeros] == [1, 1]
    assert live.podium(zeros) == []
    assert _places(live.leaderboard(zeros)) == [(1, "a", 0), (1, "b", 0)]


def test_the_leaderboard_is_the_top_five_and_those_tied_with_the_fifth() -> None:
    seven = live.ranking([(n, 1000 - 100 * n) for n in range(7)])
    assert [p.key for p in live.leaderboard(seven)] == [0, 1, 2, 3, 4]
    tied = live.ranking([("a", 9), ("b", 8), ("c", 7), ("d", 6), ("e", 5), ("f", 5), ("g", 5), ("h", 4)])
    board = live.leaderboard(tied)
    assert _places(board)[-3:] == [(5, "e", 5), (5, "f", 5), (5, "g", 5)]
    assert len(board) == 7
    # The fourth place shared by three: the fifth entry is in place 4, so all of 4 show, none of 7.
    shared = live.ranking([("a", 9), ("b", 8), ("c", 7), ("d", 6), ("e", 6), ("f", 6), ("g", 1)])
    assert [p.key for p in live.leaderboard(shared)] == ["a", "b", "c", "d", "e", "f"]
    assert len(live.leaderboard(live.ranking([("a", 1), ("b", 2)]))) == 2


def test_the_podium_holds_places_one_to_three_with_ties_and_no_zero() -> None:
    assert _places(live.podium(live.ranking([("a", 9), ("b", 9), ("c", 7), ("d", 5)]))) == [
        (1, "a", 9),
        (1, "b", 9),
        (3, "c", 7),
    ]
    four_thirds = live.ranking([("a", 9), ("b", 8), ("c", 7), ("d", 7), ("e", 7), ("f", 7), ("g", 1)])
    assert [p.key for p in live.podium(four_thirds)] == ["a", "b", "c", "d", "e", "f"]
    three_firsts = live.ranking([("a", 9), ("b", 9), ("c", 9), ("d", 8)])
    assert [p.key for p in live.podium(three_firsts)] == ["a", "b", "c"]  # d is fourth
    with_zeros = live.ranking([("a", 300), ("b", 0), ("c", 0)])
    assert _places(live.podium(with_zeros)) == [(1, "a", 300)]


# The timer -------------------------------------------------------------------------------------


@pytest.mark.parametrize("seconds", [5, 6, 20, 239, 240])
def test_a_timer_in_bounds_is_taken(seconds: int) -> None:
    assert live.check_seconds(seconds) == seconds


@pytest.mark.parametrize("raw", [4, 0, -20, 241, 10_000, 20.0, 7.5, "20", None, True, False, [20]])
def test_a_timer_out_of_bounds_or_not_a_whole_number_is_refused_naming_the_bounds(raw: object) -> None:
    with pytest.raises(ValueError, match="from 5 to 240"):
        live.check_seconds(raw)
