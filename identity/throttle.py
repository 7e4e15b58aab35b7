"""The login throttle: after MAX_FAILURES failed logins within WINDOW, for one account or from one
client address, logins for it are refused until LOCKOUT after the last failure. Refused attempts
are not counted, so the lock ends on time. Both counts are checked: a guesser trying many
accounts from one address meets the address count, many addresses against one account the
account's. A success clears the account's count (not the address's: one right password must not
wipe a guesser's record).

Client addresses are kept only as a SHA-256 (`address_subject`), never as an address."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from datetime import datetime, timedelta

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
# How far back a check needs to read failures; older ones can be deleted.
KEEP = WINDOW + LOCKOUT

ACCOUNT = "account"
ADDRESS = "address"


def address_subject(client_address: str) -> str:
    return hashlib.sha256(client_address.strip().encode("utf-8")).hexdigest()


def minutes_locked(failures: Iterable[datetime], now: datetime) -> int:
    """Whole minutes (rounded up, at least 1) until logins are allowed again; 0 when allowed now.
    A lock begins at any failure that completes MAX_FAILURES within WINDOW and lasts LOCKOUT."""
    times = sorted(at for at in failures if at <= now)
    until: datetime | None = None
    for last in range(MAX_FAILURES - 1, len(times)):
        if times[last] - times[last - MAX_FAILURES + 1] < WINDOW:
            end = times[last] + LOCKOUT
            until = end if until is None or end > until else until
    if until is None or until <= now:
        return 0
    return max(1, math.ceil((until - now).total_seconds() / 60))
