"""The assessment's steps: one per dimension, then the 4 T's, then the checklist by group.

Plain Python (no streamlit) so the step logic can be tested directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.model import Mode, Model
from i18n import _


@dataclass(frozen=True)
class Step:
    kind: str  # "dimension", "tees" or "checklist"
    key: str  # dimension id, "tees", or checklist group
    title: str
    item_ids: tuple[str, ...]


def build_steps(model: Model, mode: Mode) -> list[Step]:
    steps = [
        Step("dimension", d.id, d.name, tuple(s.id for s in d.statements if mode is Mode.FULL or s.quick))
        for d in model.dimensions
    ]
    steps.append(Step("tees", "tees", _("The 4 T's"), tuple(s.id for s in model.tee_statements(mode))))
    # The groups and their titles come from the model (content, translated with it), in its order.
    for group in model.checklist_groups:
        items = tuple(i.id for i in model.checklist if i.group == group.id)
        if items:
            steps.append(Step("checklist", group.id, group.title, items))
    return steps


def parse_step(raw: str | None, count: int) -> int:
    """A 0-based step index from the URL's 1-based `step`; anything odd means the first step."""
    try:
        number = int(raw) if raw is not None else 1
    except ValueError:
        return 0
    return min(max(number, 1), count) - 1


def first_open_step(steps: list[Step], answers: dict[str, object]) -> int:
    """Where to resume: the first step with an unanswered question, else the last step."""
    for index, step in enumerate(steps):
        if any(item_id not in answers for item_id in step.item_ids):
            return index
    return len(steps) - 1
