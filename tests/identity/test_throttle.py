"""The login throttle: five failures within fifteen minutes lock for fifteen minutes after the last."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

from identity import throttle

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_four_failures_do_not_lock() -> None:
    assert throttle.minutes_locked([at(0), at(1), at(2), at(3)], at(4)) == 0


def test_the_fifth_failure_locks_for_fifteen_minutes_counted_down_in_whole_minutes() -> None:
    failures = [at(0), at(1), at(2), at(3), at(4)]
    assert throttle.minutes_locked(failures, at(4)) == 15
    assert throttle.minutes_locked(failures, at(4.5)) == 15  # 14.5 rounds up
    assert throttle.minutes_locked(failures, at(18.9)) == 1
    assert throttle.minutes_locked(failures, at(19)) == 0


def test_failures_spread_wider_than_the_window_do_not_lock() -> None:
    assert throttle.minutes_locked([at(0), at(4), at(8), at(12), at(16)], at(16)) == 0


def test_the_lock_lasts_its_full_time_even_when_early_failures_leave_the_window() -> None:
    failures = [at(0), at(1), at(2), at(3), at(14)]
    assert throttle.minutes_locked(failures, at(16)) == 13
    assert throttle.minutes_locked(failures, at(29)) == 0


def test_failures_after_now_do_not_count() -> None:
    assert throttle.minutes_locked([at(1)] * 5, at(0)) == 0


def test_a_client_address_is_kept_only_as_its_sha256() -> None:
    subject = throttle.address_subject("192.0.2.7")
    assert subject == hashlib.sha256(b"192.0.2.7").hexdigest()
    assert len(subject) == 64 and "192.0.2.7" not in subject
