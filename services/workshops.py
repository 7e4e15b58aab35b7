"""Use cases of organisations and workshops: create an organisation, list them, create a workshop
with a fresh join code, find a trainer's workshops, close and reopen one, join one as a
participant, list its participants.

Each function is one transaction under the retry policy (`storage.engine`). The rules (names,
codes, nicknames, whether a workshop can be joined) are in `workshops`; this module turns the
stored rows into those values and back. Who may do what is checked here, on the user's stored role
and the workshop's owner: a trainer acts on their own workshops only, an admin on all. Nothing of
another workshop is ever returned.

A participant is a respondent (`services.respondents`) with a seat in one workshop
(storage.schema.workshop_participants): their rounds, lesson progress and quiz attempts belong to
that workshop and its organisation through the seat. "Delete my data" deletes the seat with them.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from identity.rules import TRAINING_ROLES, Role
from services.organisations import join_member
from services.rules import check_token, new_token, token_hash
from storage import accounts as accounts_store
from storage import respondents as respondents_store
from storage import workshops as store
from storage.engine import reading, transaction
from storage.respondents import Respondent
from storage.workshops import DeletedWorkshop, ParticipantSummary, StoredOrganisation, StoredWorkshop
from workshops.codes import CodeError, new_code, normalise_code
from workshops.joining import JoinError, check_joinable
from workshops.nicknames import NicknameError, check_unique, clean_nickname, nickname_key
from workshops.organisations import InvalidValues, Workshop, make_organisation, make_workshop

__all__ = [
    "CodeError",
    "DeletedWorkshop",
    "RETENTION_DAYS",
    "RetentionError",
    "InvalidValues",
    "JoinError",
    "NicknameError",
    "NotAllowed",
    "ParticipantSummary",
    "StoredOrganisation",
    "StoredWorkshop",
    "UnknownOrganisation",
    "UnknownWorkshop",
    "WorkshopError",
    "NoFreeCode",
    "as_workshop",
    "close_workshop",
    "create_organisation",
    "create_workshop",
    "delete_workshop",
    "owned_workshop",
    "purge_expired_workshops",
    "retention_days",
    "join_workshop",
    "list_organisations",
    "owned_workshop",
    "participants_of",
    "reopen_workshop",
    "Seat",
    "seat_of_participant",
    "visible_workshops",
    "workshop_by_code",
    "workshop_of_participant",
    "workshops_of_trainer",
]

# How long a workshop's data is kept after its date, unless SMM_WORKSHOP_RETENTION_DAYS says otherwise
# (docs/workshops.md, "Retention").
RETENTION_DAYS = 365
RETENTION_ENV = "SMM_WORKSHOP_RETENTION_DAYS"

# Draws of a join code before giving up; with 31**6 codes a second draw is already rare.
CODE_DRAWS = 20


class WorkshopError(Exception):
    """Base of the errors of this module that pages turn into messages."""


class NotAllowed(WorkshopError):
    """The user may not do this: not a trainer or admin, switched off, or not the workshop's trainer.
    The same error whether the workshop exists or not, so a guessed id tells nothing."""

    def __init__(self, action: str) -> None:
        super().__init__(f"you may not {action}: only the workshop's trainer or an admin may")
        self.action = action


class UnknownOrganisation(WorkshopError):
    def __init__(self, organisation_id: int) -> None:
        super().__init__(f"no organisation with id {organisation_id}; choose one from the list")
        self.organisation_id = organisation_id


class UnknownWorkshop(WorkshopError):
    def __init__(self, workshop_id: int) -> None:
        super().__init__(f"no workshop with id {workshop_id}")
        self.workshop_id = workshop_id


class NoFreeCode(WorkshopError):
    """Every code drawn was taken (not expected before hundreds of millions of workshops)."""

    def __init__(self) -> None:
        super().__init__("no free join code was found; try again")


class RetentionError(WorkshopError):
    """SMM_WORKSHOP_RETENTION_DAYS is set to something that is not a whole number of days, at least 1."""

    def __init__(self, raw: str) -> None:
        super().__init__(f"{RETENTION_ENV}={raw!r} is not a whole number of days of at least 1")
        self.raw = raw


def _now() -> datetime:
    return datetime.now(timezone.utc)


def as_workshop(stored: StoredWorkshop) -> Workshop:
    """The domain value of a stored workshop."""
    return Workshop(
        stored.name, stored.organisation_id, stored.held_on, stored.language, stored.mode, stored.code, stored.open
    )


# Who may do what ---------------------------------------------------------------------------------


def _staff(connection: Connection, user_id: int, action: str) -> accounts_store.StoredUser:
    """An active trainer or admin, else NotAllowed (managers run no workshops)."""
    user = accounts_store.active_user_in(connection, user_id, (role.value for role in TRAINING_ROLES))
    if user is None:
        raise NotAllowed(action)
    return user


def _owned(connection: Connection, user_id: int, workshop_id: int, action: str) -> StoredWorkshop:
    """The workshop when the user is its trainer or an admin; NotAllowed otherwise, also when there
    is no such workshop (except for an admin, who gets UnknownWorkshop)."""
    user = _staff(connection, user_id, action)
    workshop = store.workshop_by_id(connection, workshop_id)
    if user.role == Role.ADMIN.value:
        if workshop is None:
            raise UnknownWorkshop(workshop_id)
        return workshop
    if workshop is None or workshop.trainer_user_id != user.id:
        raise NotAllowed(action)
    return workshop


def owned_workshop(connection: Connection, user_id: int, workshop_id: int, action: str) -> StoredWorkshop:
    """The workshop when the user is its trainer or an admin, inside the caller's transaction;
    NotAllowed (or UnknownWorkshop for an admin) otherwise. For other use cases on a workshop
    (services.assignments, services.room, services.workshop_results)."""
    return _owned(connection, user_id, workshop_id, action)


# Organisations -----------------------------------------------------------------------------------


def create_organisation(
    engine: Engine,
    user_id: int,
    name: str,
    sector: str,
    size_band: str,
    default_language: str,
    departments: Sequence[str] = (),
    now: datetime | None = None,
) -> StoredOrganisation:
    """A new organisation, made by a trainer or an admin; InvalidValues with every problem first."""
    value = make_organisation(name, sector, size_band, default_language, departments)
    at = now or _now()

    def work(connection: Connection) -> StoredOrganisation:
        _staff(connection, user_id, "create an organisation")
        return store.insert_organisation(
            connection, value.name, value.sector, value.size_band, value.language, value.departments, at
        )

    return transaction(engine, work)


def list_organisations(engine: Engine) -> list[StoredOrganisation]:
    """Every organisation with its departments, by name."""
    return reading(engine, store.all_organisations)


# Workshops ---------------------------------------------------------------------------------------


def create_workshop(
    engine: Engine,
    trainer_user_id: int,
    name: str,
    organisation_id: int,
    held_on: date,
    language: str,
    mode: str,
    now: datetime | None = None,
) -> StoredWorkshop:
    """A new open workshop of this trainer (or admin) with a join code no other workshop has.
    InvalidValues with every problem, NotAllowed, or UnknownOrganisation; nothing is written then."""
    value = make_workshop(name, organisation_id, held_on, language, mode)
    at = now or _now()

    def work(connection: Connection) -> StoredWorkshop:
        _staff(connection, trainer_user_id, "create a workshop")
        if store.organisation_by_id(connection, organisation_id) is None:
            raise UnknownOrganisation(organisation_id)
        for _ in range(CODE_DRAWS):
            code = new_code()
            if not store.code_taken(connection, code):
                return store.insert_workshop(
                    connection, organisation_id, trainer_user_id, value.name, value.date, value.language,
                    value.mode, code, at,
                )  # fmt: skip
        raise NoFreeCode()

    # Two creations drawing one code at once: the unique constraint refuses the second; draw again.
    for _ in range(3):
        try:
            return transaction(engine, work)
        except IntegrityError:
            continue
    return transaction(engine, work)


def workshops_of_trainer(engine: Engine, user_id: int) -> list[StoredWorkshop]:
    """The workshops this user is the trainer of (an admin's own too), newest date first."""
    return reading(engine, lambda c: store.workshops_of_trainer(c, user_id))


def visible_workshops(engine: Engine, user_id: int) -> list[StoredWorkshop]:
    """What a user may see: a trainer their own workshops, an admin all; NotAllowed for others."""

    def work(connection: Connection) -> list[StoredWorkshop]:
        user = _staff(connection, user_id, "see workshops")
        if user.role == Role.ADMIN.value:
            return store.all_workshops(connection)
        return store.workshops_of_trainer(connection, user.id)

    return reading(engine, work)


def workshop_by_code(engine: Engine, typed: str) -> StoredWorkshop | None:
    """The workshop of a typed code (any case, spaces, a pasted link), or None. CodeError when the
    text cannot be a code."""
    code = normalise_code(typed)
    return reading(engine, lambda c: store.workshop_by_code(c, code))


def _set_open(
    engine: Engine, user_id: int, workshop_id: int, open_: bool, action: str, now: datetime | None
) -> StoredWorkshop:
    at = now or _now()

    def work(connection: Connection) -> StoredWorkshop:
        workshop = _owned(connection, user_id, workshop_id, action)
        if workshop.open != open_:
            store.set_open(connection, workshop.id, open_, at)
        found = store.workshop_by_id(connection, workshop.id)
        if found is None:  # not reachable: the row was read and locked by the update in this transaction
            raise UnknownWorkshop(workshop.id)
        return found

    return transaction(engine, work)


def close_workshop(engine: Engine, user_id: int, workshop_id: int, now: datetime | None = None) -> StoredWorkshop:
    """Close the workshop's code (nobody new can join); its trainer or an admin only (NotAllowed)."""
    return _set_open(engine, user_id, workshop_id, False, "close this workshop", now)


def reopen_workshop(engine: Engine, user_id: int, workshop_id: int, now: datetime | None = None) -> StoredWorkshop:
    """Open the workshop's code again; its trainer or an admin only (NotAllowed)."""
    return _set_open(engine, user_id, workshop_id, True, "reopen this workshop", now)


def participants_of(engine: Engine, user_id: int, workshop_id: int) -> list[ParticipantSummary]:
    """The workshop's participants (nickname, joined, rounds finished), in the order they joined;
    for its trainer or an admin only (NotAllowed)."""

    def work(connection: Connection) -> list[ParticipantSummary]:
        workshop = _owned(connection, user_id, workshop_id, "see this workshop's participants")
        return store.participants_of(connection, workshop.id)

    return reading(engine, work)


# Joining -----------------------------------------------------------------------------------------


def workshop_of_participant(engine: Engine, respondent_id: int) -> StoredWorkshop | None:
    """The workshop a respondent joined, if any."""

    def work(connection: Connection) -> StoredWorkshop | None:
        seat = store.seat_of(connection, respondent_id)
        return None if seat is None else store.workshop_by_id(connection, seat.workshop_id)

    return reading(engine, work)


@dataclasses.dataclass(frozen=True)
class Seat:
    """A participant's place in a workshop: the workshop and the nickname they joined under."""

    workshop: StoredWorkshop
    nickname: str


def seat_of_participant(engine: Engine, respondent_id: int) -> Seat | None:
    """The workshop a respondent joined and their nickname in it, if they joined one (the join page
    shows a seated visitor where they are instead of the form)."""

    def work(connection: Connection) -> Seat | None:
        seat = store.seat_of(connection, respondent_id)
        if seat is None:
            return None
        workshop = store.workshop_by_id(connection, seat.workshop_id)
        return None if workshop is None else Seat(workshop, seat.nickname)

    return reading(engine, work)


def join_workshop(
    engine: Engine, typed_code: str, nickname: str, token: str | None = None, now: datetime | None = None
) -> tuple[str, Respondent, StoredWorkshop]:
    """Join the workshop of a typed code under a nickname; returns the resume token, the respondent
    and the workshop.

    Refused, with nothing written: a code that is not one (CodeError), unknown or closed (JoinError),
    a nickname the rules refuse or another participant of the workshop has, without case or accents
    (NicknameError).

    `token` is the visitor's resume token, if they have one:
    - already seated in this workshop: their seat back, same token, nickname unchanged (idempotent:
      a double click or a rejoin from another device with the resume link);
    - a visit with no workshop: it joins, with everything it holds; its language is kept if chosen,
      else it gets the workshop's;
    - seated in another workshop, or unknown (deleted): a new respondent with a new token, so the
      other workshop's data never moves into this one.
    A new respondent gets the workshop's language and a first round in the workshop's mode."""
    code = normalise_code(typed_code)
    name = clean_nickname(nickname)
    key = nickname_key(name)
    given = None if token is None else check_token(token)
    fresh = new_token()  # drawn before the transaction: a retried commit finds what it made
    at = now or _now()

    def work(connection: Connection) -> tuple[str, Respondent, StoredWorkshop]:
        workshop = store.workshop_by_code(connection, code)
        check_joinable(None if workshop is None else as_workshop(workshop))
        assert workshop is not None
        if given is not None:
            respondent = respondents_store.by_token_hash(connection, token_hash(given))
            if respondent is not None:
                seat = store.seat_of(connection, respondent.id)
                if seat is not None and seat.workshop_id == workshop.id:
                    return given, respondent, workshop
                if seat is None:
                    check_unique(name, store.nickname_keys(connection, workshop.id))
                    if respondent.language is None:
                        respondents_store.set_language(connection, respondent.id, workshop.language, at)
                        respondent = dataclasses.replace(respondent, language=workshop.language)
                    store.insert_participant(connection, workshop.id, respondent.id, name, key, at)
                    join_member(connection, respondent.id, workshop.organisation_id, at)
                    return given, respondent, workshop
        respondent = respondents_store.by_token_hash(connection, token_hash(fresh))
        if respondent is not None:  # this very call made it before a retry
            return fresh, respondent, workshop
        check_unique(name, store.nickname_keys(connection, workshop.id))
        respondent = respondents_store.insert_respondent(
            connection, token_hash(fresh), None, None, workshop.language, at
        )
        respondents_store.insert_round(connection, respondent.id, 1, workshop.mode, at)
        store.insert_participant(connection, workshop.id, respondent.id, name, key, at)
        join_member(connection, respondent.id, workshop.organisation_id, at)
        return fresh, respondent, workshop

    try:
        return transaction(engine, work)
    except IntegrityError:
        # Two joins at once under one nickname (the unique key refuses the second), or one visit
        # joining twice at once: run again, which now sees the other's seat and says so.
        return transaction(engine, work)


# Deleting and retention --------------------------------------------------------------------------


def delete_workshop(engine: Engine, user_id: int, workshop_id: int) -> DeletedWorkshop:
    """Delete a workshop with all its participants' data (their visits, rounds, answers, lessons and
    quiz attempts), its seats and assignments, in one transaction; its trainer or an admin only
    (NotAllowed, nothing deleted). Its organisation and trainer stay."""

    def work(connection: Connection) -> DeletedWorkshop:
        workshop = _owned(connection, user_id, workshop_id, "delete this workshop's data")
        return store.delete_workshop(connection, workshop)

    return transaction(engine, work)


def retention_days(environ: Mapping[str, str] | None = None) -> int:
    """Days a workshop's data is kept after its date: SMM_WORKSHOP_RETENTION_DAYS, else 365.
    RetentionError when the variable is set to anything but a whole number of at least 1."""
    raw = (os.environ if environ is None else environ).get(RETENTION_ENV, "").strip()
    if not raw:
        return RETENTION_DAYS
    try:
        days = int(raw)
    except ValueError:
        raise RetentionError(raw) from None
    if days < 1:
        raise RetentionError(raw)
    return days


def purge_expired_workshops(
    engine: Engine, now: datetime | None = None, retention: int | None = None
) -> list[DeletedWorkshop]:
    """Delete every workshop whose date is more than `retention` days (default: `retention_days()`)
    before today, with its participants' data, in one transaction. A workshop held exactly
    `retention` days ago is kept until the next day. Returns what was deleted, oldest first."""
    days = retention_days() if retention is None else retention
    if days < 1:
        raise RetentionError(str(days))
    today = (now or _now()).astimezone(timezone.utc).date()
    cutoff = today - timedelta(days=days)

    def work(connection: Connection) -> list[DeletedWorkshop]:
        return [store.delete_workshop(connection, w) for w in store.workshops_held_before(connection, cutoff)]

    return transaction(engine, work)
