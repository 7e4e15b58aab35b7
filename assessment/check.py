"""The model step of every content check, worded the same by `python -m assessment check`
and `python -m learning check` (which goes on to the lessons and quiz banks)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from assessment.loader import check_model
from assessment.model import Model
from content.report import report_problems


def check_model_file(path: Path, out: TextIO, err: TextIO) -> Model | None:
    """Print the model's problems to `err`, or a line of counts to `out`; the model when it is usable."""
    model, problems = check_model(path)
    if problems or model is None:
        report_problems(problems, err)
        return None
    print(
        f"{path.name}: OK - {len(model.maturity_statements())} maturity statements in "
        f"{len(model.dimensions)} dimensions, {len(model.tee_statements())} 4 T statements, "
        f"{len(model.checklist)} checklist items.",
        file=out,
    )
    return model
