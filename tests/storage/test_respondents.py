"""Deleting a respondent follows the schema's foreign keys, so a table added later is covered
without anyone remembering to list it."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, func, insert, select

from storage import schema
from storage.respondents import delete_respondent, owned_tables

AT = datetime(2026, 12, 1, tzinfo=timezone.utc)
# Tables of staff accounts (trainers, managers, admins), not of respondents: a respondent's
# "Delete my data" has nothing to delete there; an admin removes an account.
NOT_A_RESPONDENTS = {
    "users",
    "auth_sessions",
    "login_failures",
    # Organisations and workshops are the trainers'; a participant's seat (workshop_participants) is
    # theirs and is owned.
    "organisations",
    "organisation_departments",
    "workshops",
    "workshop_assignments",
    # A live run is the trainer's; its players and answers are the participants' and are owned.
    "live_runs",
    # Management (issue 15): an organisation's lists, managers, waves, targets and plan are its own;
    # a summary layout is a list of item ids. A member's row and wave responses are owned.
    "organisation_job_titles",
    "organisation_managers",
    "waves",
    "summary_layouts",
    "organisation_targets",
    "plan_actions",
    # Quiz banks a trainer imported (issue 17) are the site's content.
    "imported_banks",
}


def test_every_table_of_the_schema_is_owned_by_a_respondent() -> None:
    """Every respondent table holds personal data; a table that is not a respondent's must be named
    here on purpose (NOT_A_RESPONDENTS)."""
    assert {table.name for table, _ in owned_tables()} == set(schema.metadata.tables) - NOT_A_RESPONDENTS


def _extended_metadata() -> MetaData:
    """A copy of the schema with two tables a later feature might add: one under respondents,
    one two steps down (under rounds), neither with ON DELETE CASCADE."""
    copy = MetaData(naming_convention=schema.metadata.naming_convention)
    for table in schema.metadata.sorted_tables:
        table.to_metadata(copy)
    Table(
        "workshop_members",
        copy,
        Column("id", Integer, primary_key=True),
        Column("respondent_id", Integer, ForeignKey("respondents.id"), nullable=False),
        Column("join_code", String(16), nullable=False),
    )
    Table(
        "round_notes",
        copy,
        Column("id", Integer, primary_key=True),
        Column("round_id", Integer, ForeignKey("rounds.id"), nullable=False),
        Column("text", String(200), nullable=False),
    )
    return copy


def test_a_new_table_that_refers_to_a_respondent_is_emptied_too(database_url: str) -> None:
    from storage.engine import make_engine

    copy = _extended_metadata()
    assert {"workshop_members", "round_notes"} <= {table.name for table, _ in owned_tables(copy)}
    engine = make_engine(database_url)
    try:
        tables = copy.tables
        with engine.begin() as connection:
            copy.create_all(connection)
            # A workshop both respondents joined: each seat is its respondent's, the workshop is not.
            connection.execute(
                insert(tables["users"]).values(
                    id=1, username="anna", display_name="Anna", password_hash="x", role="trainer", active=True,
                    created_at=AT, updated_at=AT, password_changed_at=AT,
                )
            )  # fmt: skip
            connection.execute(
                insert(tables["organisations"]).values(
                    id=1, name="Acme", sector="retail", size_band="1-9", default_language="en",
                    created_at=AT, updated_at=AT,
                )
            )  # fmt: skip
            connection.execute(
                insert(tables["workshops"]).values(
                    id=1, organisation_id=1, trainer_user_id=1, name="W", held_on=AT.date(), language="en",
                    mode="quick", code="ABC234", open=True, created_at=AT,
                )
            )  # fmt: skip
            connection.execute(
                insert(tables["live_runs"]).values(
                    id=1, workshop_id=1, bank_id="b", started_by_user_id=1, question_ids='["q"]',
                    seconds_per_question=20, streak_bonus=False, phase="open", question_index=0, version=2,
                    created_at=AT,
                )
            )  # fmt: skip
            connection.execute(
                insert(tables["waves"]).values(id=1, organisation_id=1, name="Spring", threshold=5, opened_at=AT)
            )
            for person in (1, 2):
                connection.execute(
                    insert(tables["respondents"]).values(
                        id=person, token_hash=str(person) * 64, created_at=AT, updated_at=AT
                    )
                )
                connection.execute(
                    insert(tables["rounds"]).values(
                        id=person, respondent_id=person, number=1, mode="full", started_at=AT
                    )
                )
                connection.execute(
                    insert(tables["answers"]).values(round_id=person, item_id="x", value="fully", answered_at=AT)
                )
                connection.execute(
                    insert(tables["retired_answers"]).values(
                        round_id=person, item_id="old", value="fully", answered_at=AT, retired_by="0005"
                    )
                )
                connection.execute(
                    insert(tables["lessons_done"]).values(respondent_id=person, lesson_id="l", done_at=AT)
                )
                connection.execute(
                    insert(tables["quiz_attempts"]).values(
                        id=person, respondent_id=person, bank_id="b", seed=1, started_at=AT
                    )
                )
                connection.execute(
                    insert(tables["quiz_responses"]).values(
                        attempt_id=person, question_id="q", response="{}", answered_at=AT
                    )
                )
                connection.execute(
                    insert(tables["workshop_participants"]).values(
                        workshop_id=1, respondent_id=person, nickname=f"P{person}", nickname_key=f"p{person}",
                        joined_at=AT,
                    )
                )  # fmt: skip
                connection.execute(
                    insert(tables["live_players"]).values(
                        run_id=1, respondent_id=person, joined_at=AT, first_question_index=0, score=0, streak=0
                    )
                )
                connection.execute(
                    insert(tables["live_answers"]).values(
                        run_id=1, question_id="q", respondent_id=person, response='"a"', answered_at=AT,
                        elapsed_ms=900, credit=1.0,
                    )
                )  # fmt: skip
                connection.execute(
                    insert(tables["organisation_members"]).values(
                        respondent_id=person, organisation_id=1, department="Sales", joined_at=AT
                    )
                )
                connection.execute(
                    insert(tables["wave_responses"]).values(
                        wave_id=1, respondent_id=person, round_id=person, department="Sales", completed_at=AT,
                        summary="{}",
                    )
                )  # fmt: skip
                connection.execute(insert(tables["workshop_members"]).values(respondent_id=person, join_code="ABC"))
                connection.execute(insert(tables["round_notes"]).values(round_id=person, text="note"))
        with engine.begin() as connection:
            delete_respondent(connection, 1, copy)
        with engine.connect() as connection:
            for table in copy.sorted_tables:
                if table.name in NOT_A_RESPONDENTS:
                    continue
                assert connection.execute(select(func.count()).select_from(table)).scalar_one() == 1, (
                    f"{table.name}: respondent 1's rows must be gone and respondent 2's kept"
                )
    finally:
        engine.dispose()
