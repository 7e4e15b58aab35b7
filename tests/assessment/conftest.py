"""Small synthetic models written as TOML into a temporary directory.

The scoring tests use these instead of the real assessment/model.toml so that
their hand-computed numbers do not change when trainers edit the content.

The synthetic model (`SYNTHETIC_TOML`):

    dimension "people"                     dimension "content"
      crawl  p.crawl.1 (quick)               crawl  c.crawl.1 (quick), c.crawl.2
      walk   p.walk.1 (quick), p.walk.2      walk   c.walk.1 (quick)
      run    p.run.1 (quick)                 run    c.run.1 (quick), c.run.2 (may_not_apply)
      fly    p.fly.1 (quick)                 fly    c.fly.1 (quick)

    statements per stage, full mode: crawl 3, walk 3, run 3, fly 2
    statements per stage, quick mode: 2 at every stage

    T's: credibility  t.cred.1 (quick), t.cred.2 (reverse-keyed)
         trust        t.trust.1 (quick)
         tone         t.tone.1 (quick, reverse-keyed), t.tone.2
         patience     t.pat.1 (quick)

    checklist groups: workshop, facebook, accounts
    checklist: check.a (workshop), check.b (facebook), check.c (accounts), in that order
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assessment.loader import DEFAULT_MODEL_PATH, load_model
from assessment.model import Model

SYNTHETIC_TOML = """\
schema_version = 1

[meta]
title = "Synthetic test model"
intro = "Two dimensions, four stages, four T's, three checklist items."

[timing]
seconds_per_maturity = 12
seconds_per_tee = 8
seconds_per_checklist = 6

[[stages]]
id = "crawl"
name = "Crawl"
tagline = "Getting ready"
description = "Inside the organisation first."
next_step = "Start listening."

[[stages]]
id = "walk"
name = "Walk"
tagline = "Taking part"
description = "Joining conversations."
next_step = "Make it routine."

[[stages]]
id = "run"
name = "Run"
tagline = "Routine"
description = "Social is part of the work."
next_step = "Let customers lead."

[[stages]]
id = "fly"
name = "Fly"
tagline = "Social business"
description = "Customers and staff shape the business."
next_step = "Keep learning."

[[dimensions]]
id = "people"
name = "People"
description = "Who does the work."

[[dimensions.statements]]
id = "p.crawl.1"
stage = "crawl"
text = "Someone is responsible for social media."
help = "A named person."
quick = true

[[dimensions.statements]]
id = "p.walk.1"
stage = "walk"
text = "Staff have been trained."
help = "At least the basics."
quick = true

[[dimensions.statements]]
id = "p.walk.2"
stage = "walk"
text = "There is time in the week for it."
help = "Planned, not left over."

[[dimensions.statements]]
id = "p.run.1"
stage = "run"
text = "Several teams take part."
help = "Not only marketing."
quick = true

[[dimensions.statements]]
id = "p.fly.1"
stage = "fly"
text = "Everyone may speak for the organisation."
help = "Within the guidelines."
quick = true

[[dimensions]]
id = "content"
name = "Content"
description = "What gets posted."

[[dimensions.statements]]
id = "c.crawl.1"
stage = "crawl"
text = "We know what we want to say."
help = "A few key messages."
quick = true

[[dimensions.statements]]
id = "c.crawl.2"
stage = "crawl"
text = "We know who we talk to."
help = "Target groups."

[[dimensions.statements]]
id = "c.walk.1"
stage = "walk"
text = "We post on a schedule."
help = "A content calendar."
quick = true

[[dimensions.statements]]
id = "c.run.1"
stage = "run"
text = "Content is made with customers."
help = "User-generated content."
quick = true

[[dimensions.statements]]
id = "c.run.2"
stage = "run"
text = "We measure what works."
help = "And change course."
may_not_apply = true

[[dimensions.statements]]
id = "c.fly.1"
stage = "fly"
text = "Customers create most content."
help = "Communities."
quick = true

[[tees]]
id = "credibility"
name = "Credibility"
description = "Do people believe you?"

[[tees.statements]]
id = "t.cred.1"
text = "We only promise what we deliver."
help = "1 = never, 5 = always."
quick = true

[[tees.statements]]
id = "t.cred.2"
text = "We sometimes exaggerate."
help = "Reverse-keyed."
reverse = true

[[tees]]
id = "trust"
name = "Trust"
description = "Do people rely on you?"

[[tees.statements]]
id = "t.trust.1"
text = "We answer every question."
help = "1 = never, 5 = always."
quick = true

[[tees]]
id = "tone"
name = "Tone"
description = "How you sound."

[[tees.statements]]
id = "t.tone.1"
text = "We sound like a brochure."
help = "Reverse-keyed."
reverse = true
quick = true

[[tees.statements]]
id = "t.tone.2"
text = "We sound like people."
help = "1 = never, 5 = always."

[[tees]]
id = "patience"
name = "Patience"
description = "Do you give it time?"

[[tees.statements]]
id = "t.pat.1"
text = "We plan for the long term."
help = "1 = never, 5 = always."
quick = true

[[checklist_groups]]
id = "workshop"
title = "Do's and don'ts"

[[checklist_groups]]
id = "facebook"
title = "Your Facebook page"

[[checklist_groups]]
id = "accounts"
title = "Accounts and policy"

[[checklist]]
id = "check.a"
kind = "do"
group = "workshop"
source = "003"
text = "Answer questions within a day."
help = "Also at weekends."

[[checklist]]
id = "check.b"
kind = "dont"
group = "facebook"
source = "005"
text = "Keep private accounts separate."
help = "Use a page, not a profile."

[[checklist]]
id = "check.c"
kind = "do"
group = "accounts"
source = "006"
text = "Two people can log in to every account."
help = "Passwords in a shared vault."
"""

# Ids in model order, for tests that enumerate them.
MATURITY_IDS = (
    "p.crawl.1", "p.walk.1", "p.walk.2", "p.run.1", "p.fly.1",
    "c.crawl.1", "c.crawl.2", "c.walk.1", "c.run.1", "c.run.2", "c.fly.1",
)  # fmt: skip
QUICK_MATURITY_IDS = ("p.crawl.1", "p.walk.1", "p.run.1", "p.fly.1", "c.crawl.1", "c.walk.1", "c.run.1", "c.fly.1")
TEE_IDS = ("t.cred.1", "t.cred.2", "t.trust.1", "t.tone.1", "t.tone.2", "t.pat.1")
QUICK_TEE_IDS = ("t.cred.1", "t.trust.1", "t.tone.1", "t.pat.1")
REVERSE_TEE_IDS = ("t.cred.2", "t.tone.1")
CHECKLIST_IDS = ("check.a", "check.b", "check.c")

REAL_MODEL_MISSING = f"{DEFAULT_MODEL_PATH} does not exist yet (the content is being written separately)"


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the `occurrence`-th line that contains `needle`."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} (occurrence {occurrence}) not in the text")


def replace_once(text: str, old: str, new: str, occurrence: int = 1) -> str:
    """Replace the `occurrence`-th `old` in `text`; fail loudly when it is not there."""
    start = -1
    for _ in range(occurrence):
        start = text.find(old, start + 1)
        assert start >= 0, f"{old!r} (occurrence {occurrence}) not in the text"
    return text[:start] + new + text[start + len(old) :]


@pytest.fixture
def write_model(tmp_path: Path) -> Callable[[str], Path]:
    """Write TOML text to a fresh file in tmp_path and return its path."""
    counter = iter(range(1_000_000))

    def write(text: str) -> Path:
        path = tmp_path / f"model-{next(counter)}.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def synthetic_model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synthetic") / "model.toml"
    path.write_text(SYNTHETIC_TOML, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def synthetic_model(synthetic_model_path: Path) -> Model:
    return load_model(synthetic_model_path)


@pytest.fixture(scope="session")
def real_model() -> Model:
    if not DEFAULT_MODEL_PATH.exists():
        pytest.skip(REAL_MODEL_MISSING)
    return load_model(DEFAULT_MODEL_PATH)
