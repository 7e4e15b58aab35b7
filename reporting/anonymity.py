"""Anonymity on the management dashboard: which groups may show figures. Pure rules, no wording.

The organisation's threshold k (default 5, never below 3) applies to every figure, counts included:
a group of fewer than k respondents shows nothing. Two rules stop working out a small group by
subtraction from groups that are shown:

- siblings (Viva Glint's rule): among groups that together make up a larger one (the departments of an
  organisation, with "no department" as one of them; the job titles within a department...), every
  group under k is hidden, and while the hidden ones hold fewer than k people in total, the smallest
  group still shown is hidden too (ties by name, "none" first). So the larger group minus the shown
  ones is never a group of 1 to k - 1 people. Groups of size 0 are neither shown nor counted.
- filters (TalentMap's rule): a filtered view (a department x job title, a job title across the
  organisation) whose group differs from a group already shown by 1 to k - 1 people is refused, naming
  that group; the same group (a difference of 0) is fine. "Differs" is the size of the symmetric
  difference of the two sets of members, which for a subset is the larger size minus the smaller.

`dashboard_view` applies both to an organisation's respondents and one requested filter, in this
order (the first that fails decides the reason given):
- a department: under k; hidden among the departments; too close to the organisation or a shown department;
- a job title across the organisation: under k; too close to the organisation or a shown department;
  hidden among the job titles;
- a department x job title: the job title on its own as above; under k; the department hidden; too
  close to the organisation, a shown department or the job title; hidden among the job titles of
  the department, or among the departments of the job title (where the share of every hidden
  department counts as hidden).
Together these keep every two groups a manager can see either equal or at least k apart (the
symmetric difference), and the part of a shown group not covered by its shown subgroups either empty
or at least k (tests/reporting/test_anonymity.py checks both on random organisations). Nothing here
carries a count of a hidden group; a refusal names the group only.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from enum import Enum
from typing import Protocol, TypeVar

DEFAULT_THRESHOLD = 5
MIN_THRESHOLD = 3
MAX_THRESHOLD = 50

K = TypeVar("K", bound="str | None")


def check_threshold(k: int) -> int:
    """k itself when it is a threshold an organisation may set (MIN_THRESHOLD to MAX_THRESHOLD)."""
    if isinstance(k, bool) or not isinstance(k, int) or not MIN_THRESHOLD <= k <= MAX_THRESHOLD:
        raise ValueError(f"the anonymity threshold must be a whole number from {MIN_THRESHOLD} to {MAX_THRESHOLD}")
    return k


def _sibling_order(entry: tuple[str | None, int]) -> tuple[int, int, str]:
    name, size = entry
    return size, 0 if name is None else 1, name or ""


def hidden_siblings(sizes: Mapping[K, int], k: int, already_hidden: AbstractSet[K] = frozenset()) -> frozenset[K]:
    """The sibling groups to hide: those of 1 to k - 1 people and those in `already_hidden` (hidden for
    another reason), then, while the hidden ones hold fewer than k people, the smallest one shown (by
    size, then name, None first). Groups of size 0 are never returned."""
    present = sorted(((name, size) for name, size in sizes.items() if size > 0), key=_sibling_order)
    hidden = {name for name, size in present if size < k or name in already_hidden}
    total = sum(size for name, size in present if name in hidden)
    if hidden:
        for name, size in present:
            if total >= k:
                break
            if name not in hidden:
                hidden.add(name)
                total += size
    return frozenset(hidden)


class GroupKind(str, Enum):
    ORGANISATION = "organisation"
    DEPARTMENT = "department"
    JOB_TITLE = "job_title"
    DEPARTMENT_JOB_TITLE = "department_job_title"


@dataclass(frozen=True)
class GroupRef:
    """A group of the organisation's respondents; a None department or job title is the group of
    those who gave none (for ORGANISATION both are None and mean nothing)."""

    kind: GroupKind
    department: str | None = None
    job_title: str | None = None


ORGANISATION = GroupRef(GroupKind.ORGANISATION)


class Reason(str, Enum):
    UNDER_THRESHOLD = "under_threshold"  # the group has fewer than k respondents
    PROTECTS_SIBLING = "protects_sibling"  # hidden so that a smaller group cannot be worked out from it
    TOO_CLOSE = "too_close"  # differs from a group already shown by 1 to k - 1 respondents


@dataclass(frozen=True)
class Refusal:
    reason: Reason
    near: GroupRef | None = None  # TOO_CLOSE: the shown group it is too close to


def filter_refusal(
    group: AbstractSet[Hashable], visible: Mapping[GroupRef, AbstractSet[Hashable]], k: int
) -> Refusal | None:
    """Why a filtered view of these members may not be shown, or None when it may: under k members,
    or within 1 to k - 1 members (symmetric difference) of a visible group, the nearest one named
    (ties: the first given). Members are any ids (the service's positions, never shown)."""
    if len(group) < k:
        return Refusal(Reason.UNDER_THRESHOLD)
    differences = [(len(group ^ members), ref) for ref, members in visible.items()]
    close = [(difference, ref) for difference, ref in differences if 0 < difference < k]
    if close:
        return Refusal(Reason.TOO_CLOSE, min(close, key=lambda pair: pair[0])[1])
    return None


def size_refusal(size: int, supersets: Mapping[GroupRef, int], k: int) -> Refusal | None:
    """`filter_refusal` when only sizes are known and each visible group contains the filtered one:
    the difference is the superset's size minus the group's."""
    if size < k:
        return Refusal(Reason.UNDER_THRESHOLD)
    close = [(total - size, ref) for ref, total in supersets.items() if 0 < total - size < k]
    if close:
        return Refusal(Reason.TOO_CLOSE, min(close, key=lambda pair: pair[0])[1])
    return None


# The dashboard's view ------------------------------------------------------------------------------


class Placed(Protocol):
    """A respondent as anonymity sees them: where they sit, nothing else."""

    @property
    def department(self) -> str | None: ...

    @property
    def job_title(self) -> str | None: ...


class Status(str, Enum):
    SHOWN = "shown"
    HIDDEN = "hidden"  # under the threshold, or hidden to protect a smaller group
    REFUSED = "refused"  # too close to a group already shown


@dataclass(frozen=True)
class FilterView:
    department: str | None  # None: every department
    job_title: str | None  # None: every job title
    status: Status
    refusal: Refusal | None  # why, unless shown

    @property
    def shown(self) -> bool:
        return self.status is Status.SHOWN


@dataclass(frozen=True)
class Visibility:
    threshold: int
    organisation_shown: bool  # False: the organisation itself is under the threshold, nothing is shown
    departments: tuple[str | None, ...]  # departments with figures: by name, "no department" (None) last
    hidden_departments: tuple[str | None, ...]  # departments with respondents but no figures, same order
    filter: FilterView | None  # None when no filter was asked for

    def department_shown(self, department: str | None) -> bool:
        return department in self.departments


def _name_order(name: str | None) -> tuple[int, str]:
    return (1, "") if name is None else (0, name)


def _status_of(refusal: Refusal | None) -> Status:
    if refusal is None:
        return Status.SHOWN
    return Status.REFUSED if refusal.reason is Reason.TOO_CLOSE else Status.HIDDEN


def dashboard_view(
    people: Sequence[Placed], k: int, department: str | None = None, job_title: str | None = None
) -> Visibility:
    """What the dashboard may show of an organisation's respondents in a wave (everyone whose round
    counts), with the threshold k, for a filter on a department and/or job title (None: no filter
    on it; filtering on "none given" is not offered). The rules are in the module docstring."""
    check_threshold(k)
    by_department: dict[str | None, set[int]] = {}
    by_title: dict[str | None, set[int]] = {}
    for index, person in enumerate(people):
        by_department.setdefault(person.department, set()).add(index)
        by_title.setdefault(person.job_title, set()).add(index)
    everyone = set(range(len(people)))
    names = sorted(by_department, key=_name_order)
    organisation_shown = len(people) >= k
    if organisation_shown:
        hidden = hidden_siblings({name: len(members) for name, members in by_department.items()}, k)
    else:
        hidden = frozenset(names)
    shown = [name for name in names if name not in hidden]
    view = None
    if department is not None or job_title is not None:
        refusal: Refusal | None = Refusal(Reason.UNDER_THRESHOLD)
        if organisation_shown:
            visible: dict[GroupRef, AbstractSet[Hashable]] = {ORGANISATION: everyone}
            visible |= {GroupRef(GroupKind.DEPARTMENT, name): by_department[name] for name in shown}
            refusal = _filter_refusal(by_department, by_title, hidden, visible, k, department, job_title)
        view = FilterView(department, job_title, _status_of(refusal), refusal)
    return Visibility(
        threshold=k,
        organisation_shown=organisation_shown,
        departments=tuple(shown),
        hidden_departments=tuple(name for name in names if name in hidden),
        filter=view,
    )


def _filter_refusal(
    by_department: Mapping[str | None, AbstractSet[int]],
    by_title: Mapping[str | None, AbstractSet[int]],
    hidden_departments: AbstractSet[str | None],
    visible: Mapping[GroupRef, AbstractSet[Hashable]],
    k: int,
    department: str | None,
    job_title: str | None,
) -> Refusal | None:
    nobody: frozenset[int] = frozenset()
    if job_title is None:  # a department on its own: as shown among the departments
        members = by_department.get(department, nobody)
        if len(members) < k:
            return Refusal(Reason.UNDER_THRESHOLD)
        if department in hidden_departments:
            return Refusal(Reason.PROTECTS_SIBLING)
        return filter_refusal(members, visible, k)
    title_refusal = _job_title_refusal(by_title, visible, k, job_title)
    if department is None or title_refusal is not None:
        return title_refusal
    members = by_department.get(department, nobody) & by_title.get(job_title, nobody)
    if len(members) < k:
        return Refusal(Reason.UNDER_THRESHOLD)
    if department in hidden_departments:
        return Refusal(Reason.PROTECTS_SIBLING)
    titled = by_title[job_title]
    too_close = filter_refusal(members, {**visible, GroupRef(GroupKind.JOB_TITLE, job_title=job_title): titled}, k)
    if too_close is not None:
        return too_close
    in_department = by_department[department]
    titles_there = {title: len(in_department & people) for title, people in by_title.items()}
    departments_there = {name: len(titled & people) for name, people in by_department.items()}
    if job_title in hidden_siblings(titles_there, k) or department in hidden_siblings(
        departments_there, k, frozenset(hidden_departments)
    ):
        return Refusal(Reason.PROTECTS_SIBLING)
    return None


def _job_title_refusal(
    by_title: Mapping[str | None, AbstractSet[int]],
    visible: Mapping[GroupRef, AbstractSet[Hashable]],
    k: int,
    job_title: str,
) -> Refusal | None:
    """A job title across the organisation: shown when not hidden among the job titles and not too
    close to a shown group."""
    members = by_title.get(job_title, frozenset())
    too_close = filter_refusal(members, visible, k)  # under the threshold, or too close to a shown group
    if too_close is not None:
        return too_close
    if job_title in hidden_siblings({title: len(people) for title, people in by_title.items()}, k):
        return Refusal(Reason.PROTECTS_SIBLING)
    return None
