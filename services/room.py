"""The room view's use case: a workshop's finished participants together, for its trainer or an admin.

One reading transaction: who may see it (`services.workshops.owned_workshop`, the rule of every workshop use
case), how many joined, and each participant's latest completed round with its stored scores and
answers. The figures are `reporting.room`'s; nothing here carries a nickname.

A round's stored scores are used as they are (`assessment.stored_result`), as the results page does
for a completed round. The room is drawn on the current model, so a round without readable stored
scores, or scored by a model with other dimensions, is scored again here from its answers with the
current model (in memory, nothing is written: this is a read).
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from assessment import stored_result
from assessment.model import Model
from assessment.scoring import Gap, Result
from learning.content import Course
from learning.path import links_for_gap
from lessons.loader import Lesson
from reporting.room import Finished, RoomSummary, summarise
from services.results import normalised, scores_of
from services.workshops import owned_workshop
from storage import workshops as store
from storage.engine import reading
from storage.workshops import FinishedRound

__all__ = ["RoomSummary", "room_summary"]


def _fits(model: Model, result: Result) -> bool:
    """The stored result has the model's dimensions, each with a cell per stage."""
    ids = [d.id for d in result.dimensions]
    return ids == [d.id for d in model.dimensions] and all(len(d.cells) == len(model.stages) for d in result.dimensions)


def _result(model: Model, finished: FinishedRound) -> Result:
    if finished.scores is not None:
        try:
            result = stored_result.load(finished.scores)
        except stored_result.StoredResultError:
            result = None
        if result is not None and _fits(model, result):
            return result
    result, _text = scores_of(model, finished.answers, finished.mode)
    return result


def room_summary(engine: Engine, user_id: int, workshop_id: int, model: Model, course: Course) -> RoomSummary:
    """The room of a workshop: the counts, and below reporting.room.MIN_FINISHED finished participants
    nothing else. NotAllowed unless the user is the workshop's trainer or an admin (UnknownWorkshop for
    an admin and an id that is no workshop)."""

    def work(connection: Connection) -> tuple[int, list[FinishedRound]]:
        workshop = owned_workshop(connection, user_id, workshop_id, "see this workshop's room")
        return store.joined_count(connection, workshop.id), store.finished_rounds(connection, workshop.id)

    joined, rounds = reading(engine, work)
    finished = [Finished(_result(model, r), normalised(model, r.answers)) for r in rounds]

    def lesson_for(gap: Gap) -> Lesson | None:
        lessons = links_for_gap(gap, course.lessons, course.banks).lessons
        return lessons[0] if lessons else None

    return summarise(model, joined, finished, lesson_for)
