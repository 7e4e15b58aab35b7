"""What the management report shows of one organisation's wave: plain values the use case
(`services.reports`) takes from the dashboard, and `reporting.management_report` words and draws.
Apart from the wording so the use cases, which never translate, can make it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone

from reporting.aggregate import Benchmark, GroupFigures, OtherGaps, PriorityGap, Target, Trend
from reporting.plan import Action, LinkRef, PlanGap, Progress


@dataclass(frozen=True)
class WaveRef:
    name: str
    opened_at: datetime
    closed_at: datetime | None
    respondents: int | None  # None when under the wave's threshold


@dataclass(frozen=True)
class ReportInput:
    """What the report shows of one organisation's wave; made by `services.reports` from the dashboard.

    `figures` is None when the wave's group is hidden (under its threshold) or there is no wave; a
    department's figures are None when it is hidden (its name is then all the report says of it).
    `departments` name None for the respondents who gave no department."""

    organisation: str
    wave: WaveRef | None
    threshold: int
    figures: GroupFigures | None
    departments: tuple[tuple[str | None, GroupFigures | None], ...] = ()
    previous: GroupFigures | None = None
    previous_wave: str | None = None
    benchmark: Benchmark | None = None
    benchmark_scope: str = "all"  # "all" other organisations, or the same "sector"
    targets: Mapping[str, Target] = field(default_factory=dict)
    priorities: tuple[PriorityGap, ...] = ()
    others: OtherGaps | None = None
    trend: Trend | None = None
    actions: tuple[Action, ...] = ()
    progress: tuple[Progress, ...] = ()
    plan_gaps: tuple[PlanGap, ...] = ()  # what proposals not yet accepted come from (`reporting.plan.open_proposals`)
    # dimension -> the lesson and the quiz to schedule for its gap
    links: Mapping[str, tuple[LinkRef | None, LinkRef | None]] = field(default_factory=dict)
    lesson_titles: Mapping[str, str] = field(default_factory=dict)
    bank_titles: Mapping[str, str] = field(default_factory=dict)
    created: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    language: str = "en"  # the organisation's: the report's language unless another is asked for

    @property
    def shown(self) -> bool:
        return self.figures is not None
