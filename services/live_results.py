"""A workshop's live quiz runs for its trainer (or an admin), after the fact: per run its bank, when
it was played, the questions asked, the players, per-question statistics and the final ranking
(`reporting.live_report`), newest run first.

Who may see them is the rule of `services.workshops`: the workshop's trainer or an admin; anyone
else gets NotAllowed, the same whether the workshop exists or not. The rows are read in one
transaction. Each player's answers also became a finished quiz attempt when the run ended
(`services.live`), so the workshop's quiz statistics (`services.workshop_results`) count them too.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from learning.content import Course
from reporting.live_report import LivePlace, LiveQuestion, LiveRunReport, live_report
from services.workshops import NotAllowed, UnknownWorkshop, owned_workshop
from storage import live as store
from storage.engine import reading
from storage.live import StoredAnswer, StoredPlayer, StoredRun

__all__ = ["LivePlace", "LiveQuestion", "LiveRunReport", "NotAllowed", "UnknownWorkshop", "live_results"]


def live_results(engine: Engine, user_id: int, workshop_id: int, course: Course) -> tuple[LiveRunReport, ...]:
    """Every live run of the workshop, of every bank, newest first; NotAllowed for anyone but its
    trainer or an admin (UnknownWorkshop for an admin asking for one that does not exist)."""

    def work(connection: Connection) -> list[tuple[StoredRun, list[StoredPlayer], list[StoredAnswer]]]:
        owned_workshop(connection, user_id, workshop_id, "see this workshop's live quizzes")
        return [
            (run, store.players_of(connection, run.id), store.answers_of_run(connection, run.id))
            for run in store.runs_of_workshop(connection, workshop_id)
        ]

    rows = reading(engine, work)
    rows.sort(key=lambda row: (row[0].created_at, row[0].id), reverse=True)
    return tuple(live_report(run, course.bank(run.bank_id), players, answers) for run, players, answers in rows)
