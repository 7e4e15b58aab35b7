"""Use cases of an organisation's management side (issue 15): who may see and run it, its members
(joined through a workshop or its invitation code, with a department and job title from its own
lists), its settings (lists, anonymity threshold, invitation code), its managers and its measurement
waves; and the step that puts a completed round into its organisation's open wave.

Who may do what, checked here on the stored user every time (pages check again, views/staff.py):
- see an organisation's dashboard: an admin; a manager of that organisation; a trainer who holds a
  workshop of it;
- open and close waves, edit the department and job title lists, the invitation code: the same people;
- set the anonymity threshold, the target profile and the plan: a manager of it or an admin;
- choose an organisation's managers: an admin.
The same NotAllowed whether the organisation exists or not, so a guessed id tells nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from assessment import response_summary
from assessment.model import Mode, Model
from assessment.scoring import AnswerValue, Result
from identity.rules import Role
from reporting.anonymity import DEFAULT_THRESHOLD, MAX_THRESHOLD, MIN_THRESHOLD
from services.rules import check_token, new_token, token_hash
from storage import accounts as accounts_store
from storage import management as store
from storage import respondents as respondents_store
from storage import workshops as workshops_store
from storage.engine import reading, transaction
from storage.management import OrganisationSettings, StoredWave
from storage.respondents import Respondent
from storage.schema import workshops as workshops_table
from workshops.codes import CodeError, new_code, normalise_code
from workshops.organisations import DEPARTMENT_MAX, DEPARTMENTS_MAX, FieldProblem, InvalidValues

__all__ = [
    "ListProblem",
    "MAX_THRESHOLD",
    "InvalidValues",
    "NotAllowed",
    "OrganisationChoice",
    "OrganisationSettings",
    "StoredWave",
    "WaveError",
    "close_wave",
    "join_by_invite",
    "may_manage",
    "open_wave",
    "record_completion",
    "set_invite",
    "set_lists",
    "set_manager",
    "set_member_profile",
    "set_threshold",
    "settings",
    "visible_organisations",
    "waves_of",
]

WAVE_NAME_MAX = 80
CODE_DRAWS = 20


class OrganisationError(Exception):
    """Base of the errors of this module that pages turn into messages."""


class NotAllowed(OrganisationError):
    def __init__(self, action: str) -> None:
        super().__init__(f"you may not {action}")
        self.action = action


class WaveError(OrganisationError):
    """A wave that cannot be opened or closed: kind "open" (another wave is open), "name" (empty,
    too long, or another wave has it), "closed" (already closed), "unknown"."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail


@dataclass(frozen=True)
class OrganisationChoice:
    id: int
    name: str
    sector: str


def _now() -> datetime:
    return datetime.now(timezone.utc)


# Who may do what ---------------------------------------------------------------------------------


def _user(connection: Connection, user_id: int, action: str) -> accounts_store.StoredUser:
    user = accounts_store.user_by_id(connection, user_id)
    if user is None or not user.active:
        raise NotAllowed(action)
    return user


def _trains(connection: Connection, user_id: int, organisation_id: int) -> bool:
    return (
        connection.execute(
            select(workshops_table.c.id).where(
                workshops_table.c.organisation_id == organisation_id, workshops_table.c.trainer_user_id == user_id
            )
        ).first()
        is not None
    )


def may_see(connection: Connection, user_id: int, organisation_id: int, action: str) -> accounts_store.StoredUser:
    """The user when they may see the organisation's dashboard and run its waves; else NotAllowed."""
    user = _user(connection, user_id, action)
    if user.role == Role.ADMIN.value:
        if store.settings_of(connection, organisation_id) is None:
            raise NotAllowed(action)
        return user
    if user.role == Role.MANAGER.value and organisation_id in store.managed_organisations(connection, user.id):
        return user
    if user.role == Role.TRAINER.value and _trains(connection, user.id, organisation_id):
        return user
    raise NotAllowed(action)


def may_manage(connection: Connection, user_id: int, organisation_id: int, action: str) -> accounts_store.StoredUser:
    """The user when they may set the organisation's threshold, targets and plan: a manager of it or
    an admin; else NotAllowed."""
    user = may_see(connection, user_id, organisation_id, action)
    if user.role not in (Role.ADMIN.value, Role.MANAGER.value):
        raise NotAllowed(action)
    return user


def visible_organisations(engine: Engine, user_id: int) -> list[OrganisationChoice]:
    """The organisations whose dashboard the user may see, by name."""

    def work(connection: Connection) -> list[OrganisationChoice]:
        user = accounts_store.user_by_id(connection, user_id)
        if user is None or not user.active:
            return []
        everything = workshops_store.all_organisations(connection)
        if user.role == Role.ADMIN.value:
            chosen = everything
        elif user.role == Role.MANAGER.value:
            managed = set(store.managed_organisations(connection, user.id))
            chosen = [o for o in everything if o.id in managed]
        elif user.role == Role.TRAINER.value:
            trained = {w.organisation_id for w in workshops_store.workshops_of_trainer(connection, user.id)}
            chosen = [o for o in everything if o.id in trained]
        else:
            chosen = []
        return sorted((OrganisationChoice(o.id, o.name, o.sector) for o in chosen), key=lambda o: o.name.casefold())

    return reading(engine, work)


def settings(engine: Engine, user_id: int, organisation_id: int) -> OrganisationSettings:
    def work(connection: Connection) -> OrganisationSettings:
        may_see(connection, user_id, organisation_id, "see this organisation")
        found = store.settings_of(connection, organisation_id)
        assert found is not None  # may_see refuses an organisation that does not exist
        return found

    return reading(engine, work)


# Settings ---------------------------------------------------------------------------------------


def check_threshold(raw: object) -> int:
    """A whole number from MIN_THRESHOLD (3) to MAX_THRESHOLD; InvalidValues naming the field otherwise."""
    if isinstance(raw, bool) or not isinstance(raw, int) or not MIN_THRESHOLD <= raw <= MAX_THRESHOLD:
        raise InvalidValues(
            [FieldProblem("anonymity_threshold", f"must be a whole number from {MIN_THRESHOLD} to {MAX_THRESHOLD}")]
        )
    return raw


def set_threshold(engine: Engine, user_id: int, organisation_id: int, threshold: int) -> None:
    """The threshold for waves opened from now on; an open or closed wave keeps the one it opened with."""
    value = check_threshold(threshold)

    def work(connection: Connection) -> None:
        may_manage(connection, user_id, organisation_id, "set this organisation's anonymity threshold")
        store.set_threshold(connection, organisation_id, value, _now())

    transaction(engine, work)


@dataclass(frozen=True)
class ListProblem(FieldProblem):
    """A problem of a department or job title list: `reason` is "too_long", "characters", "twice" or
    "too_many"; `line` the typed line it is on (None for "too_many")."""

    reason: str = ""
    line: int | None = None


def _clean_names(raw: Sequence[str], field: str) -> tuple[tuple[str, ...], list[FieldProblem]]:
    names: list[str] = []
    problems: list[FieldProblem] = []
    seen: set[str] = set()
    for line_number, typed in enumerate(raw, start=1):
        name = " ".join(unicodedata.normalize("NFC", typed).split())
        if not name:
            continue
        if len(name) > DEPARTMENT_MAX:
            message = f"line {line_number}: longer than {DEPARTMENT_MAX} characters"
            problems.append(ListProblem(field, message, "too_long", line_number))
        elif re.search(r"[<>\x00-\x1f\x7f]", name):
            message = f"line {line_number}: < > and control characters are not allowed"
            problems.append(ListProblem(field, message, "characters", line_number))
        elif name.casefold() in seen:
            problems.append(ListProblem(field, f"line {line_number}: {name!r} is listed twice", "twice", line_number))
        else:
            seen.add(name.casefold())
            names.append(name)
    if len(names) > DEPARTMENTS_MAX:
        problems.append(ListProblem(field, f"at most {DEPARTMENTS_MAX} names", "too_many"))
    return tuple(names), problems


def set_lists(
    engine: Engine, user_id: int, organisation_id: int, departments: Sequence[str], job_titles: Sequence[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Replace the department and job title lists a respondent chooses from; every problem of both
    lists at once (InvalidValues). Members keep what they chose (a removed name stays on their rows
    and in past waves, and counts as its own group)."""
    cleaned_departments, problems = _clean_names(departments, "departments")
    cleaned_titles, title_problems = _clean_names(job_titles, "job_titles")
    if problems or title_problems:
        raise InvalidValues([*problems, *title_problems])

    def work(connection: Connection) -> None:
        may_see(connection, user_id, organisation_id, "edit this organisation's lists")
        store.set_lists(connection, organisation_id, cleaned_departments, cleaned_titles, _now())

    transaction(engine, work)
    return cleaned_departments, cleaned_titles


def set_invite(engine: Engine, user_id: int, organisation_id: int, open_: bool, new: bool = False) -> str | None:
    """Open or close the organisation's invitation code (drawing one when it has none, or a new one
    when `new`); returns the code."""

    def work(connection: Connection) -> str | None:
        may_see(connection, user_id, organisation_id, "change this organisation's invitation")
        found = store.settings_of(connection, organisation_id)
        assert found is not None
        code = found.invite_code
        if code is None or new:
            for _attempt in range(CODE_DRAWS):
                drawn = new_code()
                if not workshops_store.code_taken(connection, drawn):
                    code = drawn
                    break
            else:
                raise OrganisationError("no free invitation code was found; try again")
        store.set_invite(connection, organisation_id, code, open_, _now())
        return code

    return transaction(engine, work)


def set_manager(engine: Engine, admin_id: int, user_id: int, organisation_id: int, manages: bool) -> None:
    """An admin makes a manager account a manager of the organisation, or no longer."""

    def work(connection: Connection) -> None:
        admin = _user(connection, admin_id, "choose an organisation's managers")
        if admin.role != Role.ADMIN.value:
            raise NotAllowed("choose an organisation's managers")
        manager = accounts_store.user_by_id(connection, user_id)
        if manager is None or manager.role != Role.MANAGER.value:
            raise InvalidValues([FieldProblem("manager", "choose an account with the manager role")])
        if store.settings_of(connection, organisation_id) is None:
            raise InvalidValues([FieldProblem("organisation", "no such organisation")])
        store.set_manager(connection, user_id, organisation_id, manages)

    transaction(engine, work)


def managers(engine: Engine, admin_id: int, organisation_id: int) -> list[int]:
    def work(connection: Connection) -> list[int]:
        admin = _user(connection, admin_id, "see an organisation's managers")
        if admin.role != Role.ADMIN.value:
            raise NotAllowed("see an organisation's managers")
        return store.managers_of(connection, organisation_id)

    return reading(engine, work)


# Members ----------------------------------------------------------------------------------------


def _check_choice(value: str | None, allowed: Sequence[str], field: str) -> str | None:
    if value is None or value == "":
        return None
    if value not in allowed:
        raise InvalidValues([FieldProblem(field, f"{value!r} is not on the organisation's list")])
    return value


def join_member(connection: Connection, respondent_id: int, organisation_id: int, at: datetime) -> None:
    """Inside a workshop join: the respondent becomes a member of the workshop's organisation,
    keeping the department and job title they gave if they were a member already."""
    member = store.member_of(connection, respondent_id)
    if member is not None and member.organisation_id == organisation_id:
        return
    store.put_member(connection, respondent_id, organisation_id, None, None, at)


def join_by_invite(
    engine: Engine,
    typed_code: str,
    department: str | None,
    job_title: str | None,
    token: str | None = None,
    now: datetime | None = None,
) -> tuple[str, Respondent, OrganisationSettings]:
    """Join an organisation by its invitation code; returns the resume token, the respondent and the
    organisation. CodeError for a code that is not one; InvalidValues for an unknown or closed code
    or a department or job title not on the organisation's lists. With a resume token of a known
    respondent, that respondent joins (what they answered comes along); else a new respondent with a
    first full round in the organisation's language."""
    code = normalise_code(typed_code)
    given = None if token is None else check_token(token)
    fresh = new_token()
    at = now or _now()

    def work(connection: Connection) -> tuple[str, Respondent, OrganisationSettings]:
        organisation = store.organisation_by_invite(connection, code)
        if organisation is None or not organisation.invite_open:
            raise InvalidValues([FieldProblem("code", "no organisation is open for joining with this code")])
        chosen_department = _check_choice(department, organisation.departments, "department")
        chosen_title = _check_choice(job_title, organisation.job_titles, "job_title")
        respondent = None
        if given is not None:
            respondent = respondents_store.by_token_hash(connection, token_hash(given))
        if respondent is not None:
            assert given is not None
            store.put_member(connection, respondent.id, organisation.id, chosen_department, chosen_title, at)
            return given, respondent, organisation
        respondent = respondents_store.by_token_hash(connection, token_hash(fresh))
        if respondent is None:
            respondent = respondents_store.insert_respondent(
                connection, token_hash(fresh), None, None, organisation.default_language, at
            )
            respondents_store.insert_round(connection, respondent.id, 1, Mode.FULL.value, at)
        store.put_member(connection, respondent.id, organisation.id, chosen_department, chosen_title, at)
        return fresh, respondent, organisation

    try:
        return transaction(engine, work)
    except IntegrityError:
        return transaction(engine, work)


@dataclass(frozen=True)
class Membership:
    organisation: OrganisationSettings
    department: str | None
    job_title: str | None


def membership_of(engine: Engine, respondent_id: int) -> Membership | None:
    def work(connection: Connection) -> Membership | None:
        member = store.member_of(connection, respondent_id)
        if member is None:
            return None
        organisation = store.settings_of(connection, member.organisation_id)
        return None if organisation is None else Membership(organisation, member.department, member.job_title)

    return reading(engine, work)


def set_member_profile(engine: Engine, respondent_id: int, department: str | None, job_title: str | None) -> None:
    """A member chooses (or clears) their department and job title from the organisation's lists;
    it applies to rounds they complete from now on."""

    def work(connection: Connection) -> None:
        member = store.member_of(connection, respondent_id)
        if member is None:
            raise InvalidValues([FieldProblem("organisation", "you are not a member of an organisation")])
        organisation = store.settings_of(connection, member.organisation_id)
        assert organisation is not None
        store.put_member(
            connection,
            respondent_id,
            member.organisation_id,
            _check_choice(department, organisation.departments, "department"),
            _check_choice(job_title, organisation.job_titles, "job_title"),
            member.joined_at,
        )

    transaction(engine, work)


# Waves ------------------------------------------------------------------------------------------


def _clean_wave_name(raw: str) -> str:
    name = " ".join(unicodedata.normalize("NFC", raw).split())
    if not name:
        raise WaveError("name", "a wave needs a name, e.g. Spring 2027")
    if len(name) > WAVE_NAME_MAX or re.search(r"[<>\x00-\x1f\x7f]", name):
        raise WaveError("name", f"at most {WAVE_NAME_MAX} characters, no < > or control characters")
    return name


def waves_of(engine: Engine, user_id: int, organisation_id: int) -> list[tuple[StoredWave, int]]:
    """The organisation's waves, oldest first, each with its number of responses."""

    def work(connection: Connection) -> list[tuple[StoredWave, int]]:
        may_see(connection, user_id, organisation_id, "see this organisation's waves")
        found = store.waves_of(connection, organisation_id)
        counts = store.response_counts(connection, [w.id for w in found])
        return [(wave, counts[wave.id]) for wave in found]

    return reading(engine, work)


def open_wave(engine: Engine, user_id: int, organisation_id: int, name: str, now: datetime | None = None) -> StoredWave:
    """Open a measurement wave; from now on rounds completed by the organisation's members count in
    it. Its anonymity threshold is the organisation's, fixed now. WaveError when a wave is open
    already or the name is taken."""
    cleaned = _clean_wave_name(name)
    at = now or _now()

    def work(connection: Connection) -> StoredWave:
        may_see(connection, user_id, organisation_id, "open a wave for this organisation")
        if store.open_wave_of(connection, organisation_id) is not None:
            raise WaveError("open", "close the open wave first")
        if any(w.name.casefold() == cleaned.casefold() for w in store.waves_of(connection, organisation_id)):
            raise WaveError("name", f"the organisation has a wave called {cleaned!r} already")
        settings_now = store.settings_of(connection, organisation_id)
        assert settings_now is not None
        return store.insert_wave(connection, organisation_id, cleaned, settings_now.anonymity_threshold, at, user_id)

    try:
        return transaction(engine, work)
    except IntegrityError as error:
        raise WaveError("name", f"the organisation has a wave called {cleaned!r} already") from error


def close_wave(
    engine: Engine,
    user_id: int,
    organisation_id: int,
    wave_id: int,
    statistics: str | None,
    now: datetime | None = None,
) -> None:
    """Close the wave; `statistics` is its figures for other organisations' benchmark (JSON, made by
    services.dashboard from the same responses)."""
    at = now or _now()

    def work(connection: Connection) -> None:
        may_see(connection, user_id, organisation_id, "close this organisation's wave")
        wave = store.wave_by_id(connection, wave_id)
        if wave is None or wave.organisation_id != organisation_id:
            raise WaveError("unknown")
        if wave.closed_at is not None:
            raise WaveError("closed", "the wave is closed already")
        store.close_wave(connection, wave_id, at, statistics)

    transaction(engine, work)


# Completion -------------------------------------------------------------------------------------


def record_completion(
    connection: Connection,
    model: Model,
    respondent_id: int,
    round_id: int,
    result: Result,
    answers: Mapping[str, AnswerValue | str],
    at: datetime,
) -> bool:
    """Inside the transaction that completes a round: when the respondent is a member of an
    organisation with an open wave, the round's summary becomes their response in it (replacing an
    earlier one of that wave). True when it was recorded."""
    member = store.member_of(connection, respondent_id)
    if member is None:
        return False
    wave = store.open_wave_of(connection, member.organisation_id)
    if wave is None or wave.opened_at > at:
        return False
    layout = model.item_ids(Mode.FULL)
    summary = response_summary.summarise(result, answers, layout)
    store.ensure_layout(connection, summary.layout, layout)
    store.put_response(
        connection,
        wave.id,
        respondent_id,
        round_id,
        member.department,
        member.job_title,
        at,
        response_summary.dump(summary),
    )
    return True


__all__ += ["DEFAULT_THRESHOLD", "CodeError", "Membership", "OrganisationError", "join_member", "managers",
            "membership_of", "check_threshold", "may_see"]  # fmt: skip
