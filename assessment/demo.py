"""Sample answers for a demonstration: an organisation that has reached Walk.

Used by the start page's "try it with sample answers" so a trainer can show the
results page before anyone has filled in the assessment. Deterministic, and
varied enough that the radar, the gaps and the checklist all have something to show.
"""

from __future__ import annotations

from assessment.model import Model

# Per stage, a cycle of answers applied to the dimensions in model order.
_STAGE_PATTERN = {
    "crawl": ("fully", "largely", "fully", "largely", "fully"),
    "walk": ("largely", "fully", "largely", "partly", "fully"),
    "run": ("partly", "largely", "none", "partly", "dont_know"),
    "fly": ("none", "partly", "none", "none", "partly"),
}
_TEE_PATTERN = (4, 3, 5, 2)
_CHECKLIST_PATTERN = ("yes", "yes", "partly", "yes", "no", "yes", "na")


def demo_answers(model: Model) -> dict[str, str]:
    answers: dict[str, str] = {}
    for index, dimension in enumerate(model.dimensions):
        for position, statement in enumerate(dimension.statements):
            pattern = _STAGE_PATTERN[statement.stage]
            answers[statement.id] = pattern[(index + position) % len(pattern)]
    for index, tee_statement in enumerate(model.tee_statements()):
        value = _TEE_PATTERN[index % len(_TEE_PATTERN)]
        answers[tee_statement.id] = str(6 - value if tee_statement.reverse else value)
    for index, item in enumerate(model.checklist):
        answers[item.id] = _CHECKLIST_PATTERN[index % len(_CHECKLIST_PATTERN)]
    return answers
