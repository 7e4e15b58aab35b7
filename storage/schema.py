"""The tables, as they are at the newest migration (`storage/migrations/versions`).

A test compares these definitions with a database upgraded to head, on SQLite and PostgreSQL,
so a change here needs a migration and a migration needs a change here.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
    true,
)

ORGANISATION_MAX = 120
JOB_TITLE_MAX = 80
LANGUAGE_MAX = 16
ID_MAX = 80
RESPONSE_MAX = 4000
VERSION_MAX = 64  # a model version: the SHA-256 of the model file, in hex
USERNAME_MAX = 40
DISPLAY_NAME_MAX = 80
ROLE_MAX = 16
HASH_MAX = 255  # an argon2 hash string with its parameters and salt (about 100 characters today)
SHA256_HEX = 64
# Organisations and workshops (issue 13): the limits of `workshops.organisations` and
# `workshops.nicknames`, with room for the key (a nickname's key can be longer than the nickname:
# æ is "ae").
NAME_MAX = 120
DEPARTMENT_MAX = 60
SECTOR_MAX = 32
SIZE_BAND_MAX = 16
MODE_MAX = 8
CODE_MAX = 6
NICKNAME_MAX = 24
NICKNAME_KEY_MAX = 96
EMAIL_MAX = 254
ASSIGNMENT_KIND_MAX = 16


class UtcDateTime(TypeDecorator[datetime]):
    """A moment, handed out in UTC by both databases. SQLite keeps no time zone and gives back naive
    values (written in UTC); PostgreSQL gives them in the session's zone. Pages and exports then
    see the same values whichever database is behind them."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


# One naming convention so constraint names are the same on SQLite and PostgreSQL
# and migrations can drop or alter them by name.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

respondents = Table(
    "respondents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("organisation", String(ORGANISATION_MAX)),
    Column("job_title", String(JOB_TITLE_MAX)),
    Column("language", String(LANGUAGE_MAX)),  # the interface language the visitor chose
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# One respondent's own re-takes of the assessment.
rounds = Table(
    "rounds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # No index of its own: the unique (respondent_id, number) index serves lookups by respondent.
    Column("respondent_id", Integer, ForeignKey("respondents.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("mode", String(8), nullable=False),
    Column("started_at", UtcDateTime(), nullable=False),
    Column("completed_at", UtcDateTime()),
    # The round's scores as they were computed (JSON, `assessment.stored_result`), the version of
    # the model that computed them and when: stored when the round completes, so a later model
    # never changes a past result. model_version without scores: a round completed before scores
    # were stored, taken with that model (set by migration 0004); it is scored on its first reading.
    Column("model_version", String(VERSION_MAX)),
    Column("scored_at", UtcDateTime()),
    Column("scores", Text()),
    UniqueConstraint("respondent_id", "number", name="uq_rounds_respondent_number"),
)

answers = Table(
    "answers",
    metadata,
    Column("round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False),
    Column("item_id", String(ID_MAX), nullable=False),
    Column("value", String(16), nullable=False),
    Column("answered_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("round_id", "item_id"),
)

# Answers as they were before a migration changed their item's id (revision in `retired_by`):
# moved_to is the id the answer lives on under in `answers`, or NULL when it left `answers` because
# its item was retired (or its new id was taken). Nothing is dropped, and a round taken with the
# earlier model can still be scored with it (`services.results`).
retired_answers = Table(
    "retired_answers",
    metadata,
    Column("round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False),
    Column("item_id", String(ID_MAX), nullable=False),
    Column("value", String(16), nullable=False),
    Column("answered_at", UtcDateTime(), nullable=False),
    Column("retired_by", String(32), nullable=False),
    Column("moved_to", String(ID_MAX)),
    PrimaryKeyConstraint("round_id", "item_id", "retired_by"),
)

lessons_done = Table(
    "lessons_done",
    metadata,
    Column("respondent_id", Integer, ForeignKey("respondents.id", ondelete="CASCADE"), nullable=False),
    Column("lesson_id", String(ID_MAX), nullable=False),
    Column("done_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("respondent_id", "lesson_id"),
)

quiz_attempts = Table(
    "quiz_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("respondent_id", Integer, ForeignKey("respondents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("bank_id", String(ID_MAX), nullable=False),
    Column("seed", Integer, nullable=False),  # shuffles options the same way after a refresh
    Column("started_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime()),
    Column("score_percent", Integer),
)

quiz_responses = Table(
    "quiz_responses",
    metadata,
    Column("attempt_id", Integer, ForeignKey("quiz_attempts.id", ondelete="CASCADE"), nullable=False),
    Column("question_id", String(ID_MAX), nullable=False),
    Column("response", String(RESPONSE_MAX), nullable=False),  # JSON
    Column("answered_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("attempt_id", "question_id"),
)


# Accounts (issue 13): trainers, managers and admins; participants have none. -------------------

# The username is stored lower-cased (usernames are case-insensitive, `identity.rules`), so the
# plain unique constraint is the case-insensitive one on both databases.
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(USERNAME_MAX), nullable=False, unique=True),
    Column("display_name", String(DISPLAY_NAME_MAX), nullable=False),
    Column("password_hash", String(HASH_MAX), nullable=False),  # argon2id, never the password
    Column("role", String(ROLE_MAX), nullable=False),  # trainer | manager | admin
    Column("active", Boolean(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("password_changed_at", UtcDateTime(), nullable=False),
    # The e-mail a single sign-on provider vouches for (`st.login`), lower-cased; None: password only.
    Column("email", String(EMAIL_MAX)),
    Index("ix_users_email", "email", unique=True),
)

# A login: the browser holds the token, the database its SHA-256 only.
auth_sessions = Table(
    "auth_sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(SHA256_HEX), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_seen_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),  # the absolute end; idle expiry is computed
    Column("ended_at", UtcDateTime()),
    # A login is handed from the page to the HttpOnly cookie once: the SHA-256 of a one-time code
    # the page gives the browser, good until handoff_expires_at (`services.accounts.begin_handoff`).
    Column("handoff_hash", String(SHA256_HEX)),
    Column("handoff_expires_at", UtcDateTime()),
    Index("ix_auth_sessions_handoff_hash", "handoff_hash", unique=True),
)

# Failed logins, for the throttle (`identity.throttle`): kind "account" with the lower-cased
# username, or "address" with the SHA-256 of the client address (no address is stored).
login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(8), nullable=False),
    Column("subject", String(SHA256_HEX), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Index("ix_login_failures_kind_subject_at", "kind", "subject", "at"),
)


# Organisations and workshops (issue 13, part 2). --------------------------------------------------

organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(NAME_MAX), nullable=False),
    Column("sector", String(SECTOR_MAX), nullable=False),  # a key of workshops.organisations.SECTORS
    Column("size_band", String(SIZE_BAND_MAX), nullable=False),
    Column("default_language", String(LANGUAGE_MAX), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    # Issue 15: the smallest group a manager sees a figure for (at least 3; a wave keeps the value it
    # opened with), and the code that joins a respondent to the organisation without a workshop
    # (workshops.codes alphabet; never the same as a workshop's code), usable while invite_open.
    Column("anonymity_threshold", Integer, nullable=False, server_default=text("5")),
    Column("invite_code", String(CODE_MAX)),
    Column("invite_open", Boolean(), nullable=False, server_default=false()),
    Index("ix_organisations_invite_code", "invite_code", unique=True),
)

# An organisation's departments in the order they were typed. Names are unique per organisation
# without case: the services check it (`workshops.organisations.check_organisation`).
organisation_departments = Table(
    "organisation_departments",
    metadata,
    Column("organisation_id", Integer, ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", String(DEPARTMENT_MAX), nullable=False),
    PrimaryKeyConstraint("organisation_id", "position"),
)

# A workshop keeps its organisation and its trainer: neither can be deleted while it exists.
workshops = Table(
    "workshops",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("trainer_user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("name", String(NAME_MAX), nullable=False),
    Column("held_on", Date(), nullable=False),
    Column("language", String(LANGUAGE_MAX), nullable=False),
    Column("mode", String(MODE_MAX), nullable=False),  # quick | full: the participants' first round
    Column("code", String(CODE_MAX), nullable=False, unique=True),  # canonical (workshops.codes)
    Column("open", Boolean(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("closed_at", UtcDateTime()),  # the last closing; None while never closed
    # Whether live quizzes of this workshop show the top five between questions (issue 14); a
    # trainer switches it off for a room that should not compete in public.
    Column("live_leaderboard", Boolean(), nullable=False, server_default=true()),
)

# A participant's seat: the respondent (resume token) who joined a workshop, under a nickname.
# One workshop per respondent (the primary key), so the respondent's rounds, lessons and quiz
# attempts belong to that workshop and its organisation. The nickname's key
# (`workshops.nicknames.nickname_key`) is unique in the workshop. Deleting the respondent ("Delete
# my data") deletes the seat; deleting the workshop deletes the seats, not the respondents.
workshop_participants = Table(
    "workshop_participants",
    metadata,
    Column("respondent_id", Integer, ForeignKey("respondents.id", ondelete="CASCADE"), nullable=False),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("nickname", String(NICKNAME_MAX), nullable=False),
    Column("nickname_key", String(NICKNAME_KEY_MAX), nullable=False),
    Column("joined_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("respondent_id"),
    UniqueConstraint("workshop_id", "nickname_key", name="uq_workshop_participants_workshop_nickname"),
)

# What a trainer assigned to a workshop (issue 13, part 5): kind "assessment" (target "") or "quiz"
# (target: a bank id), with an optional due date. One row per workshop, kind and target.
workshop_assignments = Table(
    "workshop_assignments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(ASSIGNMENT_KIND_MAX), nullable=False),
    Column("target", String(ID_MAX), nullable=False),
    Column("due_on", Date()),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("workshop_id", "kind", "target", name="uq_workshop_assignments_workshop_kind_target"),
)


# Live quizzes (issue 14). ---------------------------------------------------------------------

LIVE_PHASE_MAX = 16
QUESTION_IDS_MAX = 8000  # a JSON list of the run's question ids, in the order they are asked

# A live run of one quiz bank in one workshop. Its state is this row, so any page of any process
# rebuilds it: the phase (`quizzes.live.Phase`), the index of the current question (None in the
# lobby), and for the open question when it opened and its deadline, both in server time.
# `version` goes up by one at every change of phase or question: what the phones follow.
live_runs = Table(
    "live_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("bank_id", String(ID_MAX), nullable=False),
    Column("started_by_user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("question_ids", Text(), nullable=False),
    Column("seconds_per_question", Integer, nullable=False),
    Column("streak_bonus", Boolean(), nullable=False),
    Column("phase", String(LIVE_PHASE_MAX), nullable=False),
    Column("question_index", Integer),
    Column("opened_at", UtcDateTime()),
    Column("deadline_at", UtcDateTime()),
    Column("closed_at", UtcDateTime()),  # when the open question was closed early; None at the deadline
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("ended_at", UtcDateTime()),
)

# A participant's seat in a run: from which question on they play (a late joiner enters at the
# next question) and their points, added at each reveal.
live_players = Table(
    "live_players",
    metadata,
    Column("run_id", Integer, ForeignKey("live_runs.id", ondelete="CASCADE"), nullable=False),
    Column("respondent_id", Integer, ForeignKey("respondents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("joined_at", UtcDateTime(), nullable=False),
    Column("first_question_index", Integer, nullable=False),
    Column("score", Integer, nullable=False),
    Column("streak", Integer, nullable=False),
    PrimaryKeyConstraint("run_id", "respondent_id"),
)

# One answer per run, question and participant: the primary key makes a second submission (a
# double tap, a second tab) count once, whatever the buttons did. Time and credit are the
# server's; points are written at the reveal, never while the question is open.
live_answers = Table(
    "live_answers",
    metadata,
    Column("run_id", Integer, ForeignKey("live_runs.id", ondelete="CASCADE"), nullable=False),
    Column("question_id", String(ID_MAX), nullable=False),
    Column("respondent_id", Integer, ForeignKey("respondents.id", ondelete="CASCADE"), nullable=False),
    Column("response", String(RESPONSE_MAX), nullable=False),  # JSON (quizzes.attempt.encode)
    Column("answered_at", UtcDateTime(), nullable=False),
    Column("elapsed_ms", Integer, nullable=False),
    Column("credit", Float(), nullable=False),
    Column("points", Integer),
    PrimaryKeyConstraint("run_id", "question_id", "respondent_id"),
)


# Management (issue 15): members, measurement waves, targets and the 90-day plan. -------------------

WAVE_NAME_MAX = 80
PLAN_TITLE_MAX = 120
PLAN_OWNER_MAX = 80
PLAN_STATUS_MAX = 16
LAYOUT_HASH_MAX = 16
STAGE_MAX = 8

# An organisation's job titles in the order they were typed (as its departments).
organisation_job_titles = Table(
    "organisation_job_titles",
    metadata,
    Column("organisation_id", Integer, ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", String(DEPARTMENT_MAX), nullable=False),
    PrimaryKeyConstraint("organisation_id", "position"),
)

# Whom a respondent answers for: one organisation per respondent, reached through a workshop or the
# organisation's invitation code, with a department and job title from the organisation's own lists
# (None: not given). Kept when a workshop is deleted; deleted with the respondent.
organisation_members = Table(
    "organisation_members",
    metadata,
    Column("respondent_id", Integer, ForeignKey("respondents.id", ondelete="CASCADE"), nullable=False),
    Column("organisation_id", Integer, ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("department", String(DEPARTMENT_MAX)),
    Column("job_title", String(DEPARTMENT_MAX)),
    Column("joined_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("respondent_id"),
)

# Which organisations a manager account sees (a manager sees only these; an admin sees all).
organisation_managers = Table(
    "organisation_managers",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("organisation_id", Integer, ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False, index=True),
    PrimaryKeyConstraint("user_id", "organisation_id"),
)

# A measurement wave ("Spring 2027"): open from opened_at until closed_at. At most one wave of an
# organisation is open (the services check it). The anonymity threshold is copied from the
# organisation when the wave opens and never changes afterwards.
waves = Table(
    "waves",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(WAVE_NAME_MAX), nullable=False),
    Column("threshold", Integer, nullable=False),
    Column("opened_at", UtcDateTime(), nullable=False),
    Column("closed_at", UtcDateTime()),
    Column("opened_by_user_id", Integer, ForeignKey("users.id", ondelete="SET NULL")),
    # Written when the wave closes: its figures for other organisations' benchmark (JSON, `services.
    # management`), so a benchmark reads one small row per organisation, never their responses.
    Column("statistics", Text()),
    UniqueConstraint("organisation_id", "name", name="uq_waves_organisation_name"),
)

# What a respondent's latest round completed in a wave contributes to it
# (`assessment.response_summary`), with the department and job title they had then. One row per
# wave and respondent: completing again in the same wave replaces it.
wave_responses = Table(
    "wave_responses",
    metadata,
    Column("wave_id", Integer, ForeignKey("waves.id", ondelete="CASCADE"), nullable=False),
    Column("respondent_id", Integer, ForeignKey("respondents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("department", String(DEPARTMENT_MAX)),
    Column("job_title", String(DEPARTMENT_MAX)),
    Column("completed_at", UtcDateTime(), nullable=False),
    Column("summary", Text(), nullable=False),
    PrimaryKeyConstraint("wave_id", "respondent_id"),
)

# The item ids a summary's answer codes follow, stored once per distinct list (by its hash).
summary_layouts = Table(
    "summary_layouts",
    metadata,
    Column("hash", String(LAYOUT_HASH_MAX), nullable=False),
    Column("items", Text(), nullable=False),  # item ids, one per line
    PrimaryKeyConstraint("hash"),
)

# Management's target profile: per dimension a target stage (None: no target) and how much it
# matters (1 to 5), which orders the organisation's gaps.
organisation_targets = Table(
    "organisation_targets",
    metadata,
    Column("organisation_id", Integer, ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
    Column("dimension_id", String(ID_MAX), nullable=False),
    Column("target_stage", String(STAGE_MAX)),
    Column("importance", Integer, nullable=False),
    PrimaryKeyConstraint("organisation_id", "dimension_id"),
)

# The 90-day plan: actions a manager accepted from the proposals or added, tracked by status.
# baseline is the dimension's median in the wave the action was made in, to compare with later waves.
plan_actions = Table(
    "plan_actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("wave_id", Integer, ForeignKey("waves.id", ondelete="SET NULL")),
    Column("dimension_id", String(ID_MAX)),
    Column("title", String(PLAN_TITLE_MAX), nullable=False),
    Column("detail", Text(), nullable=False),
    Column("owner", String(PLAN_OWNER_MAX), nullable=False),
    Column("due_on", Date()),
    Column("status", String(PLAN_STATUS_MAX), nullable=False),
    Column("source", String(PLAN_STATUS_MAX), nullable=False),  # proposed | manual
    Column("lesson_id", String(ID_MAX)),
    Column("bank_id", String(ID_MAX)),
    Column("baseline", Float()),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)


# Quiz banks a trainer imported in the site (issue 17). ---------------------------------------------

BANK_TITLE_MAX = 200
SOURCE_FORMAT_MAX = 8
SOURCE_NAME_MAX = 255

# A bank imported from a GIFT or Moodle XML file, kept as the bank TOML that quizzes.loader reads
# (quizzes.bank_toml.bank_to_toml, images included): it joins the course's banks beside the files.
# The id is the bank's id, never one of a file bank (the services check it). Replacing a bank
# rewrites its row and its imported_at, which is what the course's cache watches.
imported_banks = Table(
    "imported_banks",
    metadata,
    Column("id", String(ID_MAX), nullable=False),
    Column("title", String(BANK_TITLE_MAX), nullable=False),
    Column("source_format", String(SOURCE_FORMAT_MAX), nullable=False),  # gift | xml
    Column("source_name", String(SOURCE_NAME_MAX), nullable=False),  # the uploaded file's name
    Column("bank_toml", Text(), nullable=False),
    Column("imported_by_user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("imported_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("id"),
)
