"""python -m learning check: lessons, quiz banks and their coverage of the assessment.

Exit 0 when every lesson and bank loads, every id they name exists, every
maturity cell, T and checklist item is taught by a lesson and checked by a
question, and nothing is left unlinked; exit 1 with file:line: key: messages.
"""

from __future__ import annotations

import argparse
import sys

from assessment.loader import check_model, model_path
from learning.content import load_course
from learning.coverage import course_summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m learning", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["check"])
    parser.parse_args(argv)
    model, problems = check_model(model_path())
    if model is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    course = load_course(model)
    for problem in course.problems:
        print(problem, file=sys.stderr)
    print(course_summary(model, course.lessons, course.banks))
    if course.problems:
        print(f"{len(course.problems)} problem(s) found.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
