"""The respondent use cases on SQLite and PostgreSQL: tokens, profiles, answers, rounds, the
quick-to-full switch and its undo, deletion, and what two tabs or a double click do."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import Engine, event, func, select

from services import learning
from services import respondents as visits
from services.rules import JOB_TITLE_MAX, ORGANISATION_MAX, TOKEN_PATTERN, clean_text, new_token, token_hash
from storage import schema
from storage.engine import make_engine
from storage.errors import DataDeleted, TextFieldError, TextProblem, TokenError, TokenProblem


def count(engine: Engine, table) -> int:  # noqa: ANN001
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def rounds_of(engine: Engine, token: str) -> list[visits.Round]:
    return visits.load_visit(engine, token).rounds


# Respondents and tokens ----------------------------------------------------------------------


def test_a_respondent_is_found_by_token_and_the_token_is_never_stored(engine: Engine) -> None:
    token, respondent, first_round = visits.start_assessment(engine, "quick", "Acme Ltd", "Marketing lead", "nl")
    assert TOKEN_PATTERN.match(token)
    found = visits.find_respondent(engine, token)
    assert (found.id, found.organisation, found.job_title, found.language) == (
        respondent.id,
        "Acme Ltd",
        "Marketing lead",
        "nl",
    )
    assert first_round.number == 1 and first_round.mode == "quick" and first_round.completed_at is None
    with engine.connect() as connection:
        stored = connection.execute(select(schema.respondents)).mappings().one()
    assert token not in [str(value) for value in stored.values()]
    assert stored["token_hash"] == token_hash(token)


def test_tokens_are_unique(engine: Engine) -> None:
    tokens = {visits.start_assessment(engine, "full")[0] for _ in range(20)}
    assert len(tokens) == 20


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("", TokenProblem.MISSING),
        (None, TokenProblem.MISSING),
        ("short", TokenProblem.MALFORMED),
        ("<script>alert(1)</script>xxxxxxxxxxxxx", TokenProblem.MALFORMED),
        ("a" * 31 + "!", TokenProblem.MALFORMED),
        ("a" * 33, TokenProblem.MALFORMED),
        ("a" * 32 + "\n", TokenProblem.MALFORMED),
    ],
)
def test_a_malformed_token_is_named_as_such(engine: Engine, token: object, reason: TokenProblem) -> None:
    for call in (visits.find_respondent, visits.load_visit):
        with pytest.raises(TokenError) as error:
            call(engine, token)  # type: ignore[arg-type]
        assert error.value.reason is reason


def test_an_unknown_token_belongs_to_nobody(engine: Engine) -> None:
    visits.start_assessment(engine, "full")
    for call in (visits.find_respondent, visits.load_visit):
        with pytest.raises(TokenError) as error:
            call(engine, new_token())
        assert error.value.reason is TokenProblem.UNKNOWN


@pytest.mark.parametrize(
    ("organisation", "job_title", "field", "problem"),
    [
        ("<b>Acme</b>", None, "organisation", TextProblem.HTML),
        ("Acme", "<script>alert(1)</script>", "job_title", TextProblem.HTML),
        ("x" * (ORGANISATION_MAX + 1), None, "organisation", TextProblem.TOO_LONG),
        ("Acme", "r" * (JOB_TITLE_MAX + 1), "job_title", TextProblem.TOO_LONG),
        ("Acme\x00Corp", None, "organisation", TextProblem.CONTROL),
    ],
)
def test_bad_text_is_refused_and_nothing_is_written(
    engine: Engine, organisation: str, job_title: str, field: str, problem: TextProblem
) -> None:
    with pytest.raises(TextFieldError) as error:
        visits.start_assessment(engine, "full", organisation, job_title)
    assert (error.value.field, error.value.problem) == (field, problem)
    assert count(engine, schema.respondents) == 0


def test_text_errors_carry_what_a_message_needs() -> None:
    with pytest.raises(TextFieldError) as long:
        clean_text("x" * 81, "job_title", 80)
    assert (long.value.length, long.value.limit) == (81, 80)
    with pytest.raises(TextFieldError) as html:
        clean_text("Acme <img src=x onerror=alert(1)>", "organisation", 120)
    assert html.value.tag == "<img src=x onerror=alert(1)>"


def test_text_that_merely_mentions_angle_brackets_is_plain_text() -> None:
    assert clean_text("R&D < 5 people > none", "job_title", 80) == "R&D < 5 people > none"
    assert clean_text("   ", "job_title", 80) is None


def test_profile_updates_keep_the_old_values_when_refused(engine: Engine) -> None:
    token, respondent, _ = visits.start_assessment(engine, "full", "Acme", "Trainer")
    visits.update_profile(engine, respondent.id, "  Acme Europe  ", "")
    found = visits.find_respondent(engine, token)
    assert (found.organisation, found.job_title) == ("Acme Europe", None)
    with pytest.raises(TextFieldError):
        visits.update_profile(engine, respondent.id, "<img src=x onerror=alert(1)>", "Trainer")
    found = visits.find_respondent(engine, token)
    assert (found.organisation, found.job_title) == ("Acme Europe", None)


def test_the_chosen_language_is_kept_with_the_token(engine: Engine) -> None:
    token, respondent, _ = visits.start_assessment(engine, "full")
    assert visits.find_respondent(engine, token).language is None
    visits.set_language(engine, respondent.id, "da")
    assert visits.load_visit(engine, token).respondent.language == "da"
    visits.set_language(engine, respondent.id, None)
    assert visits.find_respondent(engine, token).language is None
    with pytest.raises(ValueError, match="language"):
        visits.set_language(engine, respondent.id, "<script>")


def test_a_retried_start_finds_the_respondent_it_already_made(engine: Engine) -> None:
    """The commit went through but the connection died before the answer came back: the retry must
    not make a second respondent. The hash of the token drawn before the first try finds the first."""
    from storage import engine as storage_engine

    original = storage_engine.transaction
    runs: list[object] = []

    def commit_then_lose_the_answer(engine_: Engine, work):  # noqa: ANN001, ANN202
        first = original(engine_, work)
        runs.append(first)
        return original(engine_, work)  # the retry policy running the same work again

    visits_transaction = visits.transaction
    visits.transaction = commit_then_lose_the_answer  # type: ignore[assignment]
    try:
        token, respondent, first_round = visits.start_assessment(engine, "full", "Acme")
    finally:
        visits.transaction = visits_transaction  # type: ignore[assignment]
    assert runs and runs[0] == (respondent, first_round)
    assert count(engine, schema.respondents) == 1 and count(engine, schema.rounds) == 1
    assert visits.find_respondent(engine, token).id == respondent.id


# Answers and rounds ---------------------------------------------------------------------------


def test_each_answer_is_stored_at_once_and_can_be_changed_or_cleared(engine: Engine) -> None:
    token, _, first_round = visits.start_assessment(engine, "full")
    visits.save_answer(engine, first_round.id, "strategy.crawl.1", "partly")
    visits.save_answer(engine, first_round.id, "tee.trust.1", "4")
    assert visits.load_visit(engine, token).answers == {"strategy.crawl.1": "partly", "tee.trust.1": "4"}
    visits.save_answer(engine, first_round.id, "strategy.crawl.1", "fully")
    assert visits.round_answers(engine, first_round.id)["strategy.crawl.1"] == "fully"
    visits.save_answer(engine, first_round.id, "strategy.crawl.1", None)
    assert visits.round_answers(engine, first_round.id) == {"tee.trust.1": "4"}
    assert count(engine, schema.answers) == 1


def test_a_visit_is_read_on_one_connection(engine: Engine) -> None:
    token, respondent, first_round = visits.start_assessment(engine, "quick", "Acme", "Head of comms", "da")
    visits.save_answer(engine, first_round.id, "strategy.crawl.1", "partly")
    second = visits.start_new_round(engine, respondent.id, "quick", seen_round_number=1)
    checkouts: list[object] = []
    statements: list[str] = []

    def count_checkout(*args: object) -> None:
        checkouts.append(args)

    def count_statement(_connection: object, _cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    event.listen(engine.pool, "checkout", count_checkout)
    event.listen(engine, "before_cursor_execute", count_statement)
    try:
        visit = visits.load_visit(engine, token)
    finally:
        event.remove(engine.pool, "checkout", count_checkout)
        event.remove(engine, "before_cursor_execute", count_statement)
    assert len(checkouts) == 1
    # Every page run reads a visit: the respondent with their rounds (one join), then the answers.
    assert len(statements) == 2, statements
    assert visit.respondent == respondent
    assert [r.number for r in visit.rounds] == [1, 2] and visit.round == second
    assert visit.answers == {"strategy.crawl.1": "partly"}


def test_answers_survive_a_new_engine_as_after_a_server_restart(engine: Engine, database_url: str) -> None:
    token, _, first_round = visits.start_assessment(engine, "full")
    visits.save_answer(engine, first_round.id, "checklist.policy", "yes")
    engine.dispose()
    second = make_engine(database_url)
    try:
        assert visits.load_visit(second, token).answers == {"checklist.policy": "yes"}
    finally:
        second.dispose()


def test_answers_of_one_round_do_not_leak_into_another(engine: Engine) -> None:
    _, _, mine = visits.start_assessment(engine, "full")
    _, _, theirs = visits.start_assessment(engine, "full")
    visits.save_answer(engine, mine.id, "strategy.crawl.1", "none")
    visits.save_answer(engine, theirs.id, "strategy.crawl.1", "fully")
    assert visits.round_answers(engine, mine.id) == {"strategy.crawl.1": "none"}
    assert visits.round_answers(engine, theirs.id) == {"strategy.crawl.1": "fully"}


def test_a_new_round_carries_the_previous_answers_over(engine: Engine) -> None:
    token, respondent, first_round = visits.start_assessment(engine, "quick")
    visits.save_answer(engine, first_round.id, "strategy.crawl.1", "largely")
    visits.complete_round(engine, first_round.id)
    second = visits.start_new_round(engine, respondent.id, "full", seen_round_number=1)
    assert (second.number, second.mode) == (2, "full")
    assert visits.round_answers(engine, second.id) == {"strategy.crawl.1": "largely"}
    visits.save_answer(engine, second.id, "strategy.crawl.1", "fully")
    assert visits.round_answers(engine, first_round.id) == {"strategy.crawl.1": "largely"}, "the old round is history"
    assert [r.number for r in rounds_of(engine, token)] == [1, 2]


def test_moments_come_back_in_utc_from_both_databases(engine: Engine) -> None:
    token, _respondent, first_round = visits.start_assessment(engine, "full")
    visits.complete_round(engine, first_round.id)
    stored = rounds_of(engine, token)[0]
    assert stored.started_at == first_round.started_at
    for moment in (stored.started_at, stored.completed_at, visits.find_respondent(engine, token).created_at):
        assert moment is not None and moment.tzinfo is not None and moment.utcoffset() == timedelta(0)


def test_two_tabs_showing_round_1_both_starting_a_new_round_get_one_round_2(engine: Engine) -> None:
    token, respondent, _ = visits.start_assessment(engine, "full")
    first_tab = visits.start_new_round(engine, respondent.id, "full", seen_round_number=1)
    second_tab = visits.start_new_round(engine, respondent.id, "full", seen_round_number=1)
    assert first_tab == second_tab and first_tab.number == 2
    assert [r.number for r in rounds_of(engine, token)] == [1, 2]
    third = visits.start_new_round(engine, respondent.id, "full", seen_round_number=2)
    assert third.number == 3


def test_two_tabs_starting_a_new_round_at_the_same_moment_get_the_same_new_round(
    engine: Engine, database_url: str
) -> None:
    """The other tab inserts its round between this one's read of the last number and its insert:
    the unique (respondent, number) refuses this insert, and the round the other tab opened is the new one."""
    token, respondent, first_round = visits.start_assessment(engine, "full")
    visits.save_answer(engine, first_round.id, "strategy.crawl.1", "largely")
    other_tab = make_engine(database_url)
    opened_by_other_tab: list[visits.Round] = []

    def other_tab_gets_there_first(conn, cursor, statement: str, *args: object) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith("INSERT INTO ROUNDS") and not opened_by_other_tab:
            opened_by_other_tab.append(visits.start_new_round(other_tab, respondent.id, "full", 1))

    event.listen(engine, "before_cursor_execute", other_tab_gets_there_first)
    try:
        mine = visits.start_new_round(engine, respondent.id, "full", seen_round_number=1)
    finally:
        event.remove(engine, "before_cursor_execute", other_tab_gets_there_first)
        other_tab.dispose()

    assert [r.number for r in opened_by_other_tab] == [2]
    assert mine == opened_by_other_tab[0]
    assert [r.number for r in rounds_of(engine, token)] == [1, 2]
    assert visits.round_answers(engine, mine.id) == {"strategy.crawl.1": "largely"}


def test_completing_a_round_keeps_the_first_completion_time(engine: Engine) -> None:
    token, _respondent, first_round = visits.start_assessment(engine, "full")
    visits.complete_round(engine, first_round.id)
    completed = rounds_of(engine, token)[0].completed_at
    assert completed is not None
    time.sleep(0.01)
    visits.complete_round(engine, first_round.id)
    assert rounds_of(engine, token)[0].completed_at == completed


# Quick to full ------------------------------------------------------------------------------------


def test_switching_to_full_keeps_the_quick_round_and_opens_a_full_one_with_its_answers(engine: Engine) -> None:
    token, respondent, quick = visits.start_assessment(engine, "quick")
    visits.save_answer(engine, quick.id, "strategy.crawl.1", "partly")
    full = visits.switch_to_full(engine, respondent.id, quick.id, seen_round_number=1)
    assert (full.number, full.mode, full.completed_at) == (2, "full", None)
    kept, opened = rounds_of(engine, token)
    assert (kept.id, kept.mode) == (quick.id, "quick") and kept.completed_at is not None
    assert opened == full
    assert (
        visits.round_answers(engine, quick.id)
        == visits.round_answers(engine, full.id)
        == {"strategy.crawl.1": "partly"}
    )
    again = visits.switch_to_full(engine, respondent.id, quick.id, seen_round_number=1)  # the other tab, or a retry
    assert again == full and len(rounds_of(engine, token)) == 2


def test_a_switch_can_be_undone_until_the_first_new_answer(engine: Engine) -> None:
    token, respondent, quick = visits.start_assessment(engine, "quick")
    visits.save_answer(engine, quick.id, "strategy.crawl.1", "partly")
    full = visits.switch_to_full(engine, respondent.id, quick.id, seen_round_number=1)
    assert visits.undo_switch(engine, respondent.id, full.id) is True
    assert [r.id for r in rounds_of(engine, token)] == [quick.id]
    assert visits.round_answers(engine, quick.id) == {"strategy.crawl.1": "partly"}
    assert visits.undo_switch(engine, respondent.id, full.id) is True, "already undone (another tab)"

    full = visits.switch_to_full(engine, respondent.id, quick.id, seen_round_number=1)
    visits.save_answer(engine, full.id, "strategy.walk.1", "largely")
    assert visits.undo_switch(engine, respondent.id, full.id) is False
    assert [r.id for r in rounds_of(engine, token)] == [quick.id, full.id]


def test_changing_a_carried_answer_also_ends_the_undo(engine: Engine) -> None:
    _token, respondent, quick = visits.start_assessment(engine, "quick")
    visits.save_answer(engine, quick.id, "strategy.crawl.1", "partly")
    full = visits.switch_to_full(engine, respondent.id, quick.id, seen_round_number=1)
    visits.save_answer(engine, full.id, "strategy.crawl.1", "fully")
    assert visits.undo_switch(engine, respondent.id, full.id) is False


def test_undo_touches_only_the_newest_round_of_the_same_respondent(engine: Engine) -> None:
    _token, respondent, quick = visits.start_assessment(engine, "quick")
    _other_token, other, _ = visits.start_assessment(engine, "quick")
    full = visits.switch_to_full(engine, respondent.id, quick.id, seen_round_number=1)
    assert visits.undo_switch(engine, other.id, full.id) is True  # not theirs: nothing to undo for them
    assert visits.undo_switch(engine, respondent.id, quick.id) is False, "the first round is never undone"
    third = visits.start_new_round(engine, respondent.id, "full", seen_round_number=2)
    assert visits.undo_switch(engine, respondent.id, full.id) is False, "a later round exists"
    assert third.number == 3


# Deleting ---------------------------------------------------------------------------------------------


def test_deleting_a_respondent_removes_everything_of_theirs_and_nothing_else(engine: Engine) -> None:
    token, respondent, first_round = visits.start_assessment(engine, "full", "Acme")
    other_token, other, other_round = visits.start_assessment(engine, "full", "Other")
    for who, round_ in ((respondent, first_round), (other, other_round)):
        visits.save_answer(engine, round_.id, "strategy.crawl.1", "partly")
        learning.mark_lesson_done(engine, who.id, "four-stages", True)
        attempt = learning.start_attempt(engine, who.id, "four-stages")
        learning.save_response(engine, attempt.id, "q1", "{}")
    visits.start_new_round(engine, respondent.id, "full", seen_round_number=1)

    visits.delete_respondent(engine, respondent.id)

    with pytest.raises(TokenError):
        visits.find_respondent(engine, token)
    assert learning.lessons_completed(engine, respondent.id) == set()
    assert learning.attempts(engine, respondent.id) == []
    assert count(engine, schema.answers) == 1 and count(engine, schema.quiz_responses) == 1
    assert count(engine, schema.rounds) == 1
    assert visits.find_respondent(engine, other_token).id == other.id
    assert visits.round_answers(engine, other_round.id) == {"strategy.crawl.1": "partly"}


def test_writes_for_deleted_data_get_a_clear_error_and_store_nothing(engine: Engine) -> None:
    """A second tab still showing the assessment after "Delete my data" writes to ids that are gone."""
    _token, respondent, first_round = visits.start_assessment(engine, "quick")
    attempt = learning.start_attempt(engine, respondent.id, "four-stages")
    visits.delete_respondent(engine, respondent.id)

    writes = {
        "answer": lambda: visits.save_answer(engine, first_round.id, "strategy.crawl.1", "fully"),
        "quiz response": lambda: learning.save_response(engine, attempt.id, "q1", "{}"),
        "quiz attempt": lambda: learning.start_attempt(engine, respondent.id, "four-stages"),
        "lesson done": lambda: learning.mark_lesson_done(engine, respondent.id, "four-stages", True),
        "new round": lambda: visits.start_new_round(engine, respondent.id, "full", 1),
        "switch": lambda: visits.switch_to_full(engine, respondent.id, first_round.id, 1),
    }
    for name, write in writes.items():
        with pytest.raises(DataDeleted):
            write()
        for table in schema.metadata.sorted_tables:
            assert count(engine, table) == 0, f"{name} left a row in {table.name}"


def test_a_second_start_with_the_same_token_returns_the_first_respondent(engine: Engine) -> None:
    """Reliability D8: a double click on "Start the assessment" made two respondents, one an orphan."""
    chosen = new_token()
    first = visits.start_assessment(engine, "full", "Acme", token=chosen)
    second = visits.start_assessment(engine, "full", "Acme", token=chosen)
    assert first == second and first[0] == chosen
    assert count(engine, schema.respondents) == 1 and count(engine, schema.rounds) == 1
    with pytest.raises(TokenError):
        visits.start_assessment(engine, "full", token="not a token")
