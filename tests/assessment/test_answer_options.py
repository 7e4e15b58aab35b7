"""The maturity radio offers "Not applicable" only for statements marked may_not_apply, and the
checklist steps take their titles from the model (views code that offers maturity answers)."""

from __future__ import annotations

from assessment.model import Mode, Model
from views.answer_widgets import _options
from views.steps import build_steps


def test_not_applicable_is_offered_only_where_the_statement_may_not_apply(synthetic_model: Model) -> None:
    options, label_of, _label = _options(synthetic_model, "c.run.2")
    assert options == ["none", "partly", "largely", "fully", "dont_know", "na"]
    assert label_of("na") == "Not applicable"
    options, _label_of, _label = _options(synthetic_model, "c.run.1")
    assert options == ["none", "partly", "largely", "fully", "dont_know"]


def test_every_offered_value_is_one_the_statement_takes(real_model: Model) -> None:
    for statement in real_model.maturity_statements():
        assert tuple(_options(real_model, statement.id)[0]) == statement.values(), statement.id


def test_checklist_steps_are_titled_by_the_model(synthetic_model: Model) -> None:
    checklist_steps = [s for s in build_steps(synthetic_model, Mode.FULL) if s.kind == "checklist"]
    assert [(s.key, s.title, s.item_ids) for s in checklist_steps] == [
        ("workshop", "Do's and don'ts", ("check.a",)),
        ("facebook", "Your Facebook page", ("check.b",)),
        ("accounts", "Accounts and policy", ("check.c",)),
    ]
