"""python -m learning check: all content, the model, lessons and quiz banks, and their links.

Exit 0 when the model, every lesson and every bank load, every id they name
exists, every maturity cell, T and checklist item is taught by a lesson and
checked by a question, nothing is left unlinked, and the content rules find no
error (stage ladders and placement keys agree with the model, every lesson has
an exercise, no near-duplicate questions across banks, no option-length cue;
docs/content-format.md); exit 1 otherwise. Every problem is printed as
file:line: key: message, warnings marked "warning:" (they never fail the check).
The model file is `--model`, else `SMM_MODEL_PATH`, else the bundled one: the
file the site would use.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assessment.loader import model_path
from content.overlay import language_argument
from learning.check import check_content


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m learning", description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, help="model file (default: SMM_MODEL_PATH, else the bundled one)")
    parser.add_argument(
        "--language", type=language_argument, help="check this language's overlays only (default: every one found)"
    )
    parser.add_argument("command", choices=["check"])
    args = parser.parse_args(argv)
    languages = [args.language] if args.language else None
    return check_content(args.model or model_path(), sys.stdout, sys.stderr, languages)


if __name__ == "__main__":
    sys.exit(main())
