"""storage.quiz_banks on SQLite and PostgreSQL: add, list, get, replace and delete imported banks;
the stamp a cache compares moves with each of them; an id is taken once; a bank is "in use" while a
live run of it has not ended."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from storage import live, workshops
from storage import quiz_banks as store
from storage.accounts import insert_user
from storage.schema import live_runs

AT = datetime(2026, 12, 20, 9, 0, tzinfo=timezone.utc)
BIG = "x" * 3_000_000  # an image-heavy bank: several MB of text


def _user(engine: Engine) -> int:
    with engine.begin() as connection:
        return insert_user(connection, "anna", "Anna", "$argon2id$x", "trainer", AT).id


def _bank(user: int, bank_id: str, title: str, minutes: int = 0, text: str = "") -> store.StoredImportedBank:
    info = store.ImportedBankInfo(bank_id, title, "gift", f"{bank_id}.gift", user, AT + timedelta(minutes=minutes))
    return store.StoredImportedBank(info, text or f'id = "{bank_id}"\ntitle = "{title}"\n')


def test_add_list_get_replace_delete(engine: Engine) -> None:
    user = _user(engine)
    with engine.begin() as connection:
        store.insert_bank(connection, _bank(user, "week-2", "Week 2"))
        store.insert_bank(connection, _bank(user, "week-1", "Week 1", 1, BIG))
    with engine.connect() as connection:
        assert [b.id for b in store.list_banks(connection)] == ["week-1", "week-2"]  # by title
        assert [b.info.id for b in store.all_banks(connection)] == ["week-1", "week-2"]
        found = store.bank_by_id(connection, "week-1")
        assert found is not None and found.bank_toml == BIG and found.info.imported_at == AT + timedelta(minutes=1)
        assert store.bank_by_id(connection, "week-3") is None
        assert store.stamp(connection) == (2, AT + timedelta(minutes=1))

    replaced = store.StoredImportedBank(
        store.ImportedBankInfo("week-2", "Week two", "xml", "w2.xml", user, AT + timedelta(minutes=5)), "new"
    )
    with engine.begin() as connection:
        assert store.replace_bank(connection, replaced)
        assert not store.replace_bank(connection, _bank(user, "nobody", "Nobody"))
    with engine.connect() as connection:
        assert store.bank_by_id(connection, "week-2") == replaced
        assert store.stamp(connection) == (2, AT + timedelta(minutes=5))

    with engine.begin() as connection:
        assert store.delete_bank(connection, "week-2")
        assert not store.delete_bank(connection, "week-2")
    with engine.connect() as connection:
        assert [b.id for b in store.list_banks(connection)] == ["week-1"]
        assert store.stamp(connection) == (1, AT + timedelta(minutes=1))


def test_an_id_is_taken_once(engine: Engine) -> None:
    user = _user(engine)
    with engine.begin() as connection:
        store.insert_bank(connection, _bank(user, "week-1", "Week 1"))
    with pytest.raises(IntegrityError), engine.begin() as connection:
        store.insert_bank(connection, _bank(user, "week-1", "Another"))
    with engine.connect() as connection:
        assert [b.title for b in store.list_banks(connection)] == ["Week 1"]


def test_a_bank_is_in_use_while_a_live_run_of_it_has_not_ended(engine: Engine) -> None:
    user = _user(engine)
    with engine.begin() as connection:
        organisation = workshops.insert_organisation(connection, "Acme", "retail", "10-49", "en", ("Sales",), AT)
        workshop = workshops.insert_workshop(
            connection, organisation.id, user, "Kick-off", date(2026, 12, 21), "en", "quick", "ABC234", AT
        )
        store.insert_bank(connection, _bank(user, "week-1", "Week 1"))
        live.insert_run(connection, workshop.id, "week-1", user, ["q1"], 20, False, "lobby", AT)
    with engine.connect() as connection:
        assert store.active_runs_using(connection, "week-1", "ended") == 1
        assert store.active_runs_using(connection, "week-2", "ended") == 0
    with engine.begin() as connection:
        connection.execute(live_runs.update().values(phase="ended"))
    with engine.connect() as connection:
        assert store.active_runs_using(connection, "week-1", "ended") == 0
