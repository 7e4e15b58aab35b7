"""Every concept of ../shared/CONTENT-MAP.md is in its lesson and in a question of its quiz bank.

Each module's concepts are listed as search patterns (case-insensitive regular
expressions) over the English content: the lesson file, and the bank file's prompts,
options, feedback and explanations. A pattern that a rewrite drops fails here with
the module and concept named. The fun quiz of source 000 has no lesson.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

PROJECT = Path(__file__).resolve().parents[2]

CONCEPTS = {
    "what-social-media-are": [
        "participation",
        "conversation",
        "community",
        "openness",
        "blog",
        "microblog",
        "forum",
        "media-sharing|media sharing",
        "social news",
        "bookmarking",
        "review",
        "profile",
        "connect",
        "share",
        "MySpace",
        "Flickr",
        "Instagram",
        "Pinterest",
        "LinkedIn",
    ],
    "four-stages": [
        "crawl",
        "walk",
        "run",
        "fly",
        "people, process|process",
        "properties",
        "start slowly|slowly",
        "ecosystem",
        "innovation",
    ],
    "why-social-media": [
        "new customers",
        "educat",
        "sales",
        "brand",
        "support|service",
        "93",
        "85",
        "1 %",
        "Normann",
        "IdeaStorm",
        "JetBlue",
        "Patent",
    ],
    "four-ts-dos-donts": ["credibility", "trust", "tone", "patience", "eye level", "Facebook"],
    "building-a-strategy": [
        "observe|listen",
        "purpose",
        "users",
        "resources",
        "measure",
        "pot boiling|keep the pot",
        "eight",
        "awareness",
        "influence",
        "engagement",
        "action",
        "Golden Circle",
        "mission",
        "vision",
        "values",
        "integrated marketing",
        "content calendar",
        "newsjacking",
    ],
    "listening-audience": [
        "monitor",
        "search",
        "tone",
        "persona",
        "customer journey",
        "orientation",
        "consideration",
        "purchase",
        "loyalty",
        "pre-service",
        "post-service",
        "service design",
    ],
    "policy-governance": [
        "policy",
        "protocol",
        "private account",
        "account name",
        "marketing law|law",
        "influencer",
        "recognisable",
        "children",
        "Joneses",
        "Lonelygirl15",
    ],
    "content-attention": [
        "attention",
        "relevan",
        "context",
        "shiny",
        "engagement",
        "dwell",
        "thumb",
        "visual",
        "timing",
        "white paper",
        "video",
        "content calendar",
        "dark social",
        "research",
    ],
    "conversation-webcare": [
        "listen",
        "activate",
        "dialogue",
        "KLM",
        "1 hour|one hour",
        "24 hours",
        "delete",
        "censor",
        "campaign",
        "24/7",
    ],
    "community-advocates": [
        "fan type",
        "ambassador",
        "opinion leader",
        "two-step",
        "superpromoter",
        "community manag",
        "advocate",
        "ten influencer|10 influencer|influencer persona",
        "return on relationship",
        "word of mouth",
    ],
    "measuring-what-matters": [
        "return on investment",
        "return on involvement",
        "KPI",
        "conversion",
        "reputation",
        "likes",
        "management",
        "small wins",
    ],
    "organising-for-social": [
        "management support",
        "train",
        "motivat",
        "hub",
        "ING",
        "community manager",
        "content manager",
        "budget",
        "intranet",
        "whole company|whole organisation",
    ],
    "innovation-co-creation": ["co-creation", "crowdsourc", "IdeaStorm", "network speed|speed", "apps", "improve"],
    "cases": [
        "KLM",
        "ash",
        "Meet & Seat|Meet and Seat",
        "three goals",
        "Old Spice",
        "Pepsi",
        "ING",
        "staff",
        "dialogue",
        "goal",
        "transparen",
        "embrac",
    ],
    "fun-quiz": ["Xt3", "Snabbo", "TheSphere", "pinning", "planking"],
}


def _by_id(folder: Path, pattern: str, read_id) -> dict[str, str]:  # noqa: ANN001 - a small callable
    return {read_id(path): path.read_text(encoding="utf-8") for path in sorted(folder.glob(pattern))}


LESSONS = _by_id(
    PROJECT / "lessons" / "content",
    "*.md",
    lambda p: re.search(r'^id = "([^"]+)"', p.read_text("utf-8"), re.M).group(1),
)
BANKS = _by_id(PROJECT / "quizzes" / "bank", "*.toml", lambda p: tomllib.loads(p.read_text("utf-8"))["id"])


def test_every_module_of_the_map_has_a_lesson_and_a_bank() -> None:
    assert set(CONCEPTS) - {"fun-quiz"} <= set(LESSONS), "a module of the content map has no lesson"
    assert set(CONCEPTS) <= set(BANKS), "a module of the content map has no quiz bank"


@pytest.mark.parametrize(
    ("module", "concept"), [(module, concept) for module, concepts in CONCEPTS.items() for concept in concepts]
)
def test_concept_is_taught_and_asked(module: str, concept: str) -> None:
    pattern = re.compile(concept, re.IGNORECASE)
    if module != "fun-quiz":
        assert pattern.search(LESSONS.get(module, "")), f"lesson {module}: the concept {concept!r} is missing"
    assert pattern.search(BANKS.get(module, "")), f"quiz bank {module}: no question asks about {concept!r}"
