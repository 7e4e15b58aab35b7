"""Answer sets for the results-page tests (AppTest and browser), with something to explain.

Round 1: Crawl fully in place everywhere; Walk largely in place in the first seven dimensions that
have two Walk statements and not in place in the other three, so seven of ten dimensions are at
Walk on their own while the organisation (pooled: 28 of the 36 Walk points) is at Crawl. The last
dimension's Walk cell is answered "don't know" throughout. Round 2 closes every open Walk cell
(the organisation reaches Walk) and drops the first dimension's Run cell to "none".
"""

from __future__ import annotations

from assessment.model import Mode, Model

ORGANISATION = "Walkers & Co. BV"


def round_one(model: Model) -> dict[str, str]:
    answers: dict[str, str] = {}
    two_walk = [d.id for d in model.dimensions if len(d.cell("walk")) == 2][:7]
    for index, dimension in enumerate(model.dimensions):
        for statement in dimension.statements:
            if statement.stage == "crawl":
                value = "fully"
            elif statement.stage == "walk":
                value = "largely" if dimension.id in two_walk else "none"
            else:
                value = ("partly", "none", "largely")[index % 3]
            answers[statement.id] = value
    for statement in model.dimensions[-1].cell("walk"):
        answers[statement.id] = "dont_know"
    for index, statement in enumerate(model.tee_statements(Mode.FULL)):
        answers[statement.id] = str((4, 3, 2, 4)[index % 4])
    for index, item in enumerate(model.checklist):
        answers[item.id] = ("yes", "no", "partly", "yes", "na")[index % 5]
    return answers


def round_two(model: Model) -> dict[str, str]:
    answers = round_one(model)
    for dimension in model.dimensions:
        for statement in dimension.cell("walk"):
            if answers[statement.id] in ("none", "dont_know"):
                answers[statement.id] = "fully"
    for statement in model.dimensions[0].cell("run"):
        answers[statement.id] = "none"
    return answers
