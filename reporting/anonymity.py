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
or at least k. They are not enough on their own across two ways of cutting the organisation: a
department hidden only to protect a smaller one can come back as a job title minus its department
x job title views, and the smaller one then as the organisation minus everything else. So
`shown_views` ends with a combinations audit: the views that pass the rules are admitted one at a
time, and one is refused (WORKED_OUT) when, with those already admitted, adding and subtracting
their figures would give the figures of any set of 1 to k - 1 people (a linear-algebra check over
the department x job title cells, `_Span`). tests/reporting/test_anonymity.py checks all three
properties on random organisations, by trying every subtraction of one shown or worked-out group
from another. Nothing here carries a count of a hidden group; a refusal names the group only.

Cost: deciding every view of an organisation takes about 0.03 s for 5 departments x 5 job titles,
0.1 s for 12 x 8 and 0.8 s for 20 x 12 (10,000 respondents; the 2-core development machine). It
depends only on the counts per department and job title, so a service can keep it per wave.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Hashable, Iterable, Mapping, Sequence
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
    WORKED_OUT = "worked_out"  # with the views shown, a smaller group's figures could be worked out


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
    REFUSED = "refused"  # too close to a group already shown, or would let a smaller group be worked out


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


def status_of(refusal: Refusal | None) -> Status:
    if refusal is None:
        return Status.SHOWN
    return Status.REFUSED if refusal.reason in (Reason.TOO_CLOSE, Reason.WORKED_OUT) else Status.HIDDEN


def dashboard_view(
    people: Sequence[Placed], k: int, department: str | None = None, job_title: str | None = None
) -> Visibility:
    """What the dashboard may show of an organisation's respondents in a wave (everyone whose round
    counts), with the threshold k, for a filter on a department and/or job title (None: no filter
    on it; filtering on "none given" is not offered). The rules are in the module docstring.

    The decision does not depend on which views were asked for before: every view there is gets
    decided together (`shown_views`), and the requested one is looked up."""
    views = shown_views(people, k)
    view = None
    if department is not None or job_title is not None:
        refusal = views.refusals.get((department, job_title), Refusal(Reason.UNDER_THRESHOLD))
        view = FilterView(department, job_title, status_of(refusal), refusal)
    return Visibility(
        threshold=k,
        organisation_shown=views.organisation_shown,
        departments=views.departments,
        hidden_departments=views.hidden_departments,
        filter=view,
    )


@dataclass(frozen=True)
class ShownViews:
    """Every view of one organisation's respondents and whether it may be shown; depends only on the
    number of respondents per department and job title and on k, so a service may keep it per wave."""

    organisation_shown: bool
    departments: tuple[str | None, ...]  # shown, by name, "no department" last
    hidden_departments: tuple[str | None, ...]
    # (department, job title) -> None when shown, else why not; department None: the job title
    # across the organisation, job title None: the department. Views nobody is in are not listed.
    refusals: Mapping[tuple[str | None, str | None], Refusal | None]


@dataclass(frozen=True)
class DepartmentViews:
    """Whether the organisation is shown, and which departments: the part of `ShownViews` the
    organisation's own view needs (no filter), without deciding every filter."""

    organisation_shown: bool
    departments: tuple[str | None, ...]  # shown, by name, "no department" last
    hidden_departments: tuple[str | None, ...]


def _departments(sizes: Mapping[str | None, int], everyone: int, k: int) -> DepartmentViews:
    names = sorted(sizes, key=_name_order)
    if everyone < k:
        return DepartmentViews(False, (), tuple(names))
    hidden = hidden_siblings(sizes, k)
    return DepartmentViews(
        True, tuple(name for name in names if name not in hidden), tuple(name for name in names if name in hidden)
    )


def department_views(people: Sequence[Placed], k: int) -> DepartmentViews:
    """The organisation and its departments as `shown_views` decides them (the sibling rule), at a
    fraction of its cost: for a view with no filter."""
    check_threshold(k)
    sizes: dict[str | None, int] = {}
    for person in people:
        sizes[person.department] = sizes.get(person.department, 0) + 1
    return _departments(sizes, len(people), k)


def shown_views(people: Sequence[Placed], k: int) -> ShownViews:
    """Every department, job title and department x job title view, decided by the rules in the
    module docstring; then the combinations audit: views that pass are admitted one at a time (job
    titles, then department x job title views; larger first, then by name) unless, together with
    those already admitted, their figures would let a group of 1 to k - 1 people (any union of cells,
    department x job title) be worked out by adding and subtracting (`_Span`); those not admitted
    are refused as WORKED_OUT."""
    check_threshold(k)
    by_department: dict[str | None, set[int]] = {}
    by_title: dict[str | None, set[int]] = {}
    cells: dict[tuple[str | None, str | None], int] = {}
    for index, person in enumerate(people):
        by_department.setdefault(person.department, set()).add(index)
        by_title.setdefault(person.job_title, set()).add(index)
        cell = (person.department, person.job_title)
        cells[cell] = cells.get(cell, 0) + 1
    names = sorted(by_department, key=_name_order)
    titles = sorted((title for title in by_title if title is not None), key=_name_order)
    departments = _departments({name: len(members) for name, members in by_department.items()}, len(people), k)
    organisation_shown = departments.organisation_shown
    hidden = frozenset(departments.hidden_departments)
    shown = list(departments.departments)
    requests: list[tuple[str | None, str | None]] = [(name, None) for name in names if name is not None]
    requests += [(None, title) for title in titles]
    requests += [(name, title) for name in names if name is not None for title in titles if (name, title) in cells]
    refusals: dict[tuple[str | None, str | None], Refusal | None] = {}
    if not organisation_shown:
        refusals = dict.fromkeys(requests, Refusal(Reason.UNDER_THRESHOLD))
        return ShownViews(False, (), tuple(names), refusals)
    visible: dict[GroupRef, AbstractSet[Hashable]] = {ORGANISATION: set(range(len(people)))}
    visible |= {GroupRef(GroupKind.DEPARTMENT, name): by_department[name] for name in shown}
    for name, title in requests:
        refusals[(name, title)] = _filter_refusal(by_department, by_title, hidden, visible, k, name, title)

    # Larger cells first: the echelon form then takes its pivots among them where it can, which leaves
    # the small cells free and the search in `_Span.discloses` short.
    order = sorted(cells, key=lambda cell: (-cells[cell], _name_order(cell[0]), _name_order(cell[1])))
    position = {cell: index for index, cell in enumerate(order)}
    span = _Span([cells[cell] for cell in order])
    span = span.with_group(range(len(order)))
    for name in shown:
        span = span.with_group(position[c] for c in order if c[0] == name)

    def cells_of(name: str | None, title: str | None) -> list[int]:
        return [position[c] for c in order if (name is None or c[0] == name) and (title is None or c[1] == title)]

    def size_of(request: tuple[str | None, str | None]) -> int:
        return sum(cells[order[i]] for i in cells_of(*request))

    candidates = [r for r in requests if r[1] is not None and refusals[r] is None]
    candidates.sort(key=lambda r: (r[0] is not None, -size_of(r), _name_order(r[0]), _name_order(r[1])))
    for request in candidates:
        widened = span.with_group(cells_of(*request))
        if widened.discloses(k):
            refusals[request] = Refusal(Reason.WORKED_OUT)
        else:
            span = widened
    return ShownViews(True, tuple(shown), tuple(name for name in names if name in hidden), refusals)


_PRIME = 2**61 - 1
_SEARCH_LIMIT = 20_000  # sums of cell signatures searched before counting a group as worked out


class _Span:
    """What adding and subtracting the figures of the groups shown gives: the span of their indicator
    vectors over the cells (department x job title with anyone in it), in reduced row echelon form
    modulo a large prime. A group of cells S can be worked out exactly when its indicator is in the
    span, that is when the cells' signatures (their entries in a basis of the kernel) add up to 0.
    Arithmetic modulo the prime is exact here in practice; where it is not, it can only find more
    groups worked out, so it hides more, never less."""

    def __init__(self, sizes: Sequence[int], rows: Sequence[Sequence[int]] = (), pivots: Sequence[int] = ()) -> None:
        self.sizes = tuple(sizes)
        self.rows = [list(row) for row in rows]
        self.pivots = list(pivots)

    def with_group(self, cells: Iterable[int]) -> _Span:
        vector = [0] * len(self.sizes)
        for cell in cells:
            vector[cell] = 1
        for row, pivot in zip(self.rows, self.pivots, strict=True):
            factor = vector[pivot]
            if factor:
                vector = [(v - factor * r) % _PRIME for v, r in zip(vector, row, strict=True)]
        lead = next((index for index, value in enumerate(vector) if value), None)
        if lead is None:
            return self
        inverse = pow(vector[lead], _PRIME - 2, _PRIME)
        vector = [v * inverse % _PRIME for v in vector]
        rows = []
        for row in self.rows:
            factor = row[lead]
            rows.append([(r - factor * v) % _PRIME for r, v in zip(row, vector, strict=True)] if factor else row)
        return _Span(self.sizes, [*rows, vector], [*self.pivots, lead])

    def discloses(self, k: int) -> bool:
        """True when a group of 1 to k - 1 people, of one or more cells, can be worked out: some cells
        of fewer than k people in all whose signatures add up to 0. A signature is folded into one
        number (its dot product with fixed random weights, which keeps sums), so a sum of 0 may, with
        a chance of about 1 in 2**61, be found where there is none: that hides more, never less. The
        search keeps, per sum, the fewest people that reach it; past _SEARCH_LIMIT sums it stops
        and answers True."""
        row_of = {pivot: index for index, pivot in enumerate(self.pivots)}
        free = [cell for cell in range(len(self.sizes)) if cell not in row_of]
        weights = _weights(len(self.sizes))
        # A free cell's signature is its own unit vector: it can only cancel out in a sum with a pivot
        # cell whose row has it. So only small pivot cells and the small free cells in their rows
        # can make up a group worked out.
        small_pivots = [cell for cell in row_of if self.sizes[cell] < k]
        touched = {f for cell in small_pivots for f in free if self.rows[row_of[cell]][f]}
        candidates = sorted({*small_pivots, *(f for f in touched if self.sizes[f] < k)})
        reached: dict[int, int] = {}  # folded sum of signatures -> fewest people
        for cell in candidates:
            size = self.sizes[cell]
            if cell in row_of:
                row = self.rows[row_of[cell]]
                signature = -sum(weights[f] * row[f] for f in free) % _PRIME
            else:
                signature = weights[cell]
            found = {signature: size}
            for total, people in reached.items():
                if people + size < k:
                    combined = (total + signature) % _PRIME
                    if people + size < found.get(combined, k):
                        found[combined] = people + size
            if 0 in found:
                return True
            for total, people in found.items():
                if people < reached.get(total, k):
                    reached[total] = people
            if len(reached) > _SEARCH_LIMIT:
                return True
        return False


@functools.cache
def _weights(count: int) -> tuple[int, ...]:
    generator = random.Random(count)  # fixed, so the same counts always give the same decisions
    return tuple(generator.randrange(1, _PRIME) for _ in range(count))


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
