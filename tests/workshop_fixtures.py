"""A workshop with participants who answered, completed rounds, marked lessons and took a small
quiz, stored through the services, for the workshop results tests (services, pages, exports)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import Engine

from assessment.demo import demo_answers
from assessment.model import Model
from learning.content import Course
from quizzes.attempt import encode
from quizzes.model import Bank, Option, Question, ShortAnswer
from services import accounts, learning, respondents
from services import workshops as ws

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)
DAY = date(2026, 12, 3)
PASSWORD = "correct horse battery"

BANK = Bank(
    id="mini",
    title="Mini quiz",
    lesson="",
    feedback="end",
    pass_percent=50,
    questions=(
        Question(
            id="q1",
            type="single",
            prompt="Pick A",
            options=(Option("a", "A", correct=True), Option("b", "B"), Option("c", "C")),
        ),
        Question(id="q2", type="truefalse", prompt="Is it true?", answer=True),
        Question(id="q3", type="short", prompt="Say yes", accept=(ShortAnswer("yes"),)),
    ),
)
COURSE = Course(lessons=(), banks=(BANK,), problems=())


def user(engine: Engine, name: str, role: str = "trainer") -> int:
    return accounts.create_user(engine, name, None, role, PASSWORD, now=T0).id


def make_workshop(engine: Engine, trainer: int, held_on: date = DAY, name: str = "Kick-off") -> ws.StoredWorkshop:
    org = ws.create_organisation(engine, trainer, "Acme", "retail", "10-49", "en", [], now=T0)
    return ws.create_workshop(engine, trainer, name, org.id, held_on, "en", "quick", now=T0)


def take_quiz(engine: Engine, respondent_id: int, responses: dict[str, object], percent: int) -> None:
    attempt = learning.start_attempt(engine, respondent_id, BANK.id)
    for question_id, response in responses.items():
        learning.save_response(engine, attempt.id, question_id, encode(response))  # type: ignore[arg-type]
    learning.finish_attempt(engine, attempt.id, percent)


@dataclass(frozen=True)
class Seated:
    token: str
    respondent_id: int
    round_id: int


def join(engine: Engine, workshop: ws.StoredWorkshop, nickname: str) -> Seated:
    token, respondent, _workshop = ws.join_workshop(engine, workshop.code, nickname)
    visit = respondents.load_visit(engine, token)
    return Seated(token, respondent.id, visit.rounds[-1].id)


def fill(engine: Engine, model: Model, workshop: ws.StoredWorkshop) -> tuple[Seated, Seated, Seated]:
    """Three participants: "Ann" completed her round, did two lessons and took the quiz twice
    (100 %, then 33 %); "-cmd" took it once (33 %, answered q1 with b and q2 false); "Bo" only joined."""
    ann, evil, bo = join(engine, workshop, "Ann"), join(engine, workshop, "-cmd"), join(engine, workshop, "Bo")
    for item_id, value in demo_answers(model).items():
        respondents.save_answer(engine, ann.round_id, item_id, value)
    respondents.complete_round(engine, ann.round_id, model)
    learning.mark_lesson_done(engine, ann.respondent_id, "l1", True)
    learning.mark_lesson_done(engine, ann.respondent_id, "l2", True)
    take_quiz(engine, ann.respondent_id, {"q1": "a", "q2": True, "q3": "Yes"}, 100)
    take_quiz(engine, ann.respondent_id, {"q1": "c", "q2": False, "q3": "yes"}, 33)
    take_quiz(engine, evil.respondent_id, {"q1": "b", "q2": False}, 33)
    learning.start_attempt(engine, bo.respondent_id, BANK.id)  # unfinished: not counted
    return ann, evil, bo
