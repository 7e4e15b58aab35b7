"""Anonymity: the threshold, the sibling rule (hide the next-smallest until the hidden total reaches k),
the filter rule (refuse a view within 1 to k - 1 people of a shown group), and the subtraction
attacks they stop: the organisation minus its shown departments, a department minus a department x
job title view, a job title minus its departments' views."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reporting.anonymity import (
    DEFAULT_THRESHOLD,
    MIN_THRESHOLD,
    ORGANISATION,
    GroupKind,
    GroupRef,
    Reason,
    Refusal,
    Status,
    check_threshold,
    dashboard_view,
    department_views,
    filter_refusal,
    hidden_siblings,
    shown_views,
    size_refusal,
)


@dataclass(frozen=True)
class Person:
    department: str | None
    job_title: str | None


def people(*groups: tuple[str | None, str | None, int]) -> list[Person]:
    """(department, job title, how many) -> that many people."""
    return [Person(department, title) for department, title, count in groups for _ in range(count)]


# The threshold ------------------------------------------------------------------------------------------


def test_the_threshold_is_five_by_default_and_never_below_three() -> None:
    assert DEFAULT_THRESHOLD == 5 and MIN_THRESHOLD == 3
    assert check_threshold(3) == 3
    assert check_threshold(50) == 50
    for wrong in (2, 0, -5, 51, True):
        with pytest.raises(ValueError):
            check_threshold(wrong)
    with pytest.raises(ValueError):
        dashboard_view(people(("a", None, 10)), 2)


# The sibling rule ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sizes", "k", "hidden"),
    [
        ({"a": 10, "b": 2, "c": 6}, 5, {"b", "c"}),  # b is under 5; c, the next smallest, joins it: 8
        ({"a": 10, "b": 7, "c": 6}, 5, set()),  # nobody under 5: nothing hidden
        ({"a": 2, "x": 6, "y": 6}, 5, {"a", "x"}),  # a tie in size: by name
        ({"a": 1, "b": 1, "c": 1, "d": 9}, 5, {"a", "b", "c", "d"}),  # 3 hidden, then d: all hidden
        ({"a": 4, "b": 4, "c": 20}, 5, {"a", "b"}),  # 8 hidden already reach 5
        ({"a": 0, "b": 7}, 5, set()),  # size 0: neither shown nor counted
        ({"a": 0, "b": 3, "c": 7, "d": 8}, 3, set()),  # 3 is not under 3
        ({None: 1, "a": 6, "b": 9}, 5, {None, "a"}),  # "no department" is a sibling like any other
        ({None: 6, "a": 6, "b": 1}, 5, {None, "b"}),  # ties: "none" first
    ],
)
def test_hidden_siblings_hide_the_next_smallest_until_the_hidden_total_reaches_k(
    sizes: dict[str | None, int], k: int, hidden: set[str | None]
) -> None:
    assert hidden_siblings(sizes, k) == hidden


def test_a_sibling_hidden_for_another_reason_counts_toward_the_hidden_total() -> None:
    assert hidden_siblings({"a": 6, "b": 7, "c": 20}, 5, frozenset({"b"})) == {"b"}
    assert hidden_siblings({"a": 6, "b": 2, "c": 20}, 5, frozenset({"c"})) == {"b", "c"}  # 22 hidden
    assert hidden_siblings({"a": 6, "b": 7}, 5, frozenset()) == set()


sibling_sizes = st.dictionaries(st.text("abcdefg", min_size=1, max_size=2), st.integers(0, 25), max_size=8)


@settings(max_examples=400, deadline=None)
@given(sizes=sibling_sizes, k=st.integers(3, 10))
def test_subtracting_the_shown_siblings_from_the_whole_never_leaves_a_group_under_k(
    sizes: dict[str, int], k: int
) -> None:
    hidden = hidden_siblings(sizes, k)
    shown = {name for name, size in sizes.items() if size > 0} - hidden
    whole = sum(sizes.values())
    remainder = whole - sum(sizes[name] for name in shown)  # the attack: the whole minus what is shown
    assert all(sizes[name] >= k for name in shown)
    assert all(sizes[name] > 0 for name in hidden)
    assert remainder == 0 or remainder >= k or not shown  # everything hidden: the whole is under k itself
    # Deterministic, whatever the order the groups come in.
    assert hidden_siblings(dict(reversed(list(sizes.items()))), k) == hidden


@settings(max_examples=200, deadline=None)
@given(sizes=sibling_sizes, k=st.integers(3, 10))
def test_the_sibling_rule_hides_no_more_than_it_needs(sizes: dict[str, int], k: int) -> None:
    """Each group hidden beyond those under k was needed: without the last one added, the hidden
    total was under k."""
    hidden = hidden_siblings(sizes, k)
    under = {name for name, size in sizes.items() if 0 < size < k}
    extra = sorted(hidden - under, key=lambda name: (sizes[name], name))
    if extra:
        assert sum(sizes[name] for name in hidden) - sizes[extra[-1]] < k
    else:
        assert hidden == under


# The filter rule --------------------------------------------------------------------------------------------


DEPARTMENT_A = GroupRef(GroupKind.DEPARTMENT, "a")


@pytest.mark.parametrize(
    ("department", "filtered", "k", "refusal"),
    [
        (range(8), range(7), 5, Refusal(Reason.TOO_CLOSE, DEPARTMENT_A)),  # differs by 1
        (range(8), range(6), 5, Refusal(Reason.TOO_CLOSE, DEPARTMENT_A)),  # differs by 2
        (range(8), range(8), 5, None),  # the department itself: differs by 0
        (range(12), range(6), 5, None),  # differs by 6
        (range(10), range(5), 5, None),  # differs by exactly k
        (range(8), range(4), 5, Refusal(Reason.UNDER_THRESHOLD)),
        (range(8), range(3), 3, None),
    ],
)
def test_a_filter_within_fewer_than_k_of_a_shown_group_is_refused(
    department: range, filtered: range, k: int, refusal: Refusal | None
) -> None:
    visible = {ORGANISATION: frozenset(range(100)), DEPARTMENT_A: frozenset(department)}
    assert filter_refusal(frozenset(filtered), visible, k) == refusal
    assert size_refusal(len(filtered), {ORGANISATION: 100, DEPARTMENT_A: len(department)}, k) == refusal


def test_a_filter_overlapping_a_shown_group_is_compared_by_the_symmetric_difference() -> None:
    # Department a is people 0-7; the filter is 0-6 and 20: one left out, one added.
    visible = {ORGANISATION: frozenset(range(30)), DEPARTMENT_A: frozenset(range(8))}
    assert filter_refusal(frozenset([*range(7), 20]), visible, 5) == Refusal(Reason.TOO_CLOSE, DEPARTMENT_A)


def test_the_nearest_shown_group_is_named() -> None:
    title = GroupRef(GroupKind.JOB_TITLE, job_title="editor")
    visible = {ORGANISATION: frozenset(range(10)), DEPARTMENT_A: frozenset(range(9)), title: frozenset(range(7))}
    assert filter_refusal(frozenset(range(6)), visible, 5) == Refusal(Reason.TOO_CLOSE, title)


# The dashboard's view: the attacks ------------------------------------------------------------------------


def test_a_department_under_the_threshold_shows_nothing_and_takes_the_next_smallest_with_it() -> None:
    org = people(("sales", None, 9), ("support", None, 8), ("legal", None, 3))
    view = dashboard_view(org, 5)
    assert view.organisation_shown
    assert view.departments == ("sales",)
    assert view.hidden_departments == ("legal", "support")
    # The attack: the organisation (20) minus sales (9) is 11 people, not legal's 3.
    assert view.filter is None


def test_people_without_a_department_are_a_group_of_their_own() -> None:
    org = people(("sales", None, 9), (None, None, 2), ("support", None, 6))
    view = dashboard_view(org, 5)
    assert view.departments == ("sales",)
    assert view.hidden_departments == ("support", None)


def test_an_organisation_under_the_threshold_shows_nothing() -> None:
    view = dashboard_view(people(("sales", "manager", 4)), 5, department="sales")
    assert not view.organisation_shown
    assert view.departments == ()
    assert view.hidden_departments == ("sales",)
    assert view.filter is not None and view.filter.status is Status.HIDDEN
    assert view.filter.refusal == Refusal(Reason.UNDER_THRESHOLD)


@pytest.mark.parametrize("others", [1, 2])
def test_a_department_minus_its_filtered_view_by_one_or_two_is_refused(others: int) -> None:
    org = people(
        ("sales", "manager", 8), ("sales", "editor", others), ("support", "manager", 7), ("support", "editor", 6)
    )
    view = dashboard_view(org, 5, department="sales", job_title="manager")
    assert view.department_shown("sales")
    assert view.filter is not None
    assert view.filter.status is Status.REFUSED
    assert view.filter.refusal == Refusal(Reason.TOO_CLOSE, GroupRef(GroupKind.DEPARTMENT, "sales"))


def test_a_filter_equal_to_its_department_is_shown() -> None:
    org = people(("sales", "manager", 8), ("support", "manager", 6), ("support", "editor", 7))
    view = dashboard_view(org, 5, department="sales", job_title="manager")
    assert view.filter is not None and view.filter.shown and view.filter.refusal is None


def test_a_filter_at_least_k_from_every_shown_group_is_shown() -> None:
    org = people(("sales", "manager", 6), ("sales", "editor", 6), ("support", "manager", 6), ("support", "editor", 6))
    for department, title in [("sales", "manager"), ("support", "editor"), (None, "editor"), ("sales", None)]:
        view = dashboard_view(org, 5, department=department, job_title=title)
        assert view.filter is not None and view.filter.shown, (department, title)


def test_a_job_title_within_k_of_the_organisation_is_refused() -> None:
    org = people(("sales", "manager", 9), ("support", "manager", 9), ("support", "editor", 2))
    view = dashboard_view(org, 5, job_title="manager")
    assert view.filter is not None and view.filter.status is Status.REFUSED
    assert view.filter.refusal == Refusal(Reason.TOO_CLOSE, ORGANISATION)


def test_a_job_title_within_k_of_a_department_is_refused() -> None:
    # Everyone in sales is a manager, and one manager is in support: managers differ from sales by 1.
    org = people(("sales", "manager", 9), ("support", "manager", 1), ("support", "editor", 9))
    view = dashboard_view(org, 5, job_title="manager")
    assert view.filter is not None
    assert view.filter.refusal == Refusal(Reason.TOO_CLOSE, GroupRef(GroupKind.DEPARTMENT, "sales"))


def test_a_job_title_cannot_be_split_to_find_its_share_of_a_hidden_department() -> None:
    # Editors: 6 in sales, 6 in support, 1 in legal (a hidden department). Showing sales x editor and
    # support x editor beside all editors would give legal's one editor by subtraction.
    org = people(
        ("sales", "editor", 6),
        ("sales", "manager", 6),
        ("support", "editor", 6),
        ("support", "manager", 6),
        ("legal", "editor", 1),
        ("legal", "manager", 1),
        ("it", "manager", 9),
    )
    editors = dashboard_view(org, 5, job_title="editor")
    assert "legal" in editors.hidden_departments
    assert editors.filter is not None and editors.filter.shown
    sales = dashboard_view(org, 5, department="sales", job_title="editor")
    support = dashboard_view(org, 5, department="support", job_title="editor")
    assert sales.filter is not None and support.filter is not None
    shown = [v.filter.department for v in (sales, support) if v.filter is not None and v.filter.shown]
    # editors (13) minus the shown department x editor views is never legal's 1 alone.
    assert 13 - 6 * len(shown) >= 5
    assert sales.filter.refusal == Refusal(Reason.PROTECTS_SIBLING)


def test_a_filter_in_a_hidden_department_is_hidden() -> None:
    org = people(("sales", "manager", 9), ("support", "manager", 6), ("legal", "manager", 2))
    view = dashboard_view(org, 5, department="support", job_title="manager")
    assert "support" in view.hidden_departments
    assert view.filter is not None and view.filter.status is Status.HIDDEN
    assert view.filter.refusal == Refusal(Reason.PROTECTS_SIBLING)
    alone = dashboard_view(org, 5, department="legal")
    assert alone.filter is not None and alone.filter.refusal == Refusal(Reason.UNDER_THRESHOLD)


def test_a_filter_with_nobody_in_it_is_hidden() -> None:
    org = people(("sales", "manager", 9), ("support", "editor", 9))
    for department, title in [("sales", "editor"), ("marketing", None), (None, "intern")]:
        view = dashboard_view(org, 5, department=department, job_title=title)
        assert view.filter is not None and view.filter.status is Status.HIDDEN


# Every group a manager can see, on random organisations ---------------------------------------------------

DEPARTMENTS = ("sales", "support", "legal", None)
TITLES = ("manager", "editor", "intern", None)


def shown_groups(org: Sequence[Person], k: int) -> dict[tuple[str, str | None, str | None], frozenset[int]]:
    """Every group with figures a manager can get by asking for every view there is."""
    members = list(enumerate(org))

    def where(department: str | None, title: str | None) -> frozenset[int]:
        return frozenset(
            i
            for i, p in members
            if (department is None or p.department == department) and (title is None or p.job_title == title)
        )

    base = dashboard_view(org, k)
    if not base.organisation_shown:
        return {}
    groups: dict[tuple[str, str | None, str | None], frozenset[int]] = {
        ("organisation", None, None): frozenset(range(len(org)))
    }
    for department in base.departments:
        groups[("department", department, None)] = frozenset(i for i, p in members if p.department == department)
    for department in (None, *DEPARTMENTS[:-1]):
        for title in (None, *TITLES[:-1]):
            if department is None and title is None:
                continue
            view = dashboard_view(org, k, department=department, job_title=title)
            if view.filter is not None and view.filter.shown:
                groups[("filter", department, title)] = where(department, title)
    return groups


organisations = st.lists(st.tuples(st.sampled_from(DEPARTMENTS), st.sampled_from(TITLES)), max_size=45).map(
    lambda pairs: [Person(d, t) for d, t in pairs]
)


@settings(max_examples=300, deadline=None)
@given(org=organisations, k=st.integers(3, 7))
def test_no_two_groups_a_manager_sees_differ_by_fewer_than_k(org: list[Person], k: int) -> None:
    groups = shown_groups(org, k)
    for members in groups.values():
        assert len(members) >= k
    for (name_a, a), (name_b, b) in combinations(groups.items(), 2):
        difference = len(a ^ b)
        assert difference == 0 or difference >= k, (name_a, name_b, difference)


@settings(max_examples=300, deadline=None)
@given(org=organisations, k=st.integers(3, 7))
def test_a_shown_group_minus_its_shown_parts_is_empty_or_at_least_k(org: list[Person], k: int) -> None:
    groups = shown_groups(org, k)
    if not groups:
        assert len(org) < k
        return
    everyone = groups[("organisation", None, None)]
    departments = [m for (kind, _d, _t), m in groups.items() if kind == "department"]
    titles = [m for (kind, d, t), m in groups.items() if kind == "filter" and d is None]
    for parts in (departments, titles):
        remainder = len(everyone) - sum(len(m) for m in parts)
        assert remainder == 0 or remainder >= k
    for (kind, department, title), members in groups.items():
        if kind != "filter":
            continue
        if title is None:  # a department view: minus its shown department x job title views
            parts = [m for (kd, d, t), m in groups.items() if kd == "filter" and d == department and t is not None]
        elif department is None:  # a job title view: minus its shown department x job title views
            parts = [m for (kd, d, t), m in groups.items() if kd == "filter" and t == title and d is not None]
        else:
            continue
        remainder = len(members) - sum(len(m) for m in parts)
        assert remainder == 0 or remainder >= k, (department, title, remainder)


def test_a_department_hidden_to_protect_another_cannot_be_worked_out_through_a_job_title() -> None:
    # hr (1 person) is hidden; legal (5, all editors) is hidden with it so that the hidden total is 6.
    # Editors (17) minus sales x editor (6) minus support x editor (6) would be legal (5), and the
    # organisation minus sales, support and legal would be hr's one person.
    org = people(
        ("sales", "editor", 6),
        ("sales", "manager", 6),
        ("support", "editor", 6),
        ("support", "manager", 6),
        ("legal", "editor", 5),
        ("hr", "manager", 1),
    )
    assert dashboard_view(org, 5).hidden_departments == ("hr", "legal")
    groups = shown_groups(org, 5)
    assert all(len(members) >= 5 for members in worked_out(list(groups.values())))
    refused = [dashboard_view(org, 5, department=d, job_title="editor").filter for d in ("sales", "support")]
    assert any(f is not None and f.refusal == Refusal(Reason.WORKED_OUT) for f in refused)


def worked_out(groups: list[frozenset[int]], limit: int = 4000) -> set[frozenset[int]]:
    """Every group a manager can work out from the shown ones by subtracting a shown or worked-out
    group from another that contains it, and by adding disjoint ones (as far as `limit` groups)."""
    known = {g for g in groups if g}
    changed = True
    while changed and len(known) < limit:
        changed = False
        for a, b in combinations(list(known), 2):
            for found in (a - b if b <= a else None, b - a if a <= b else None, a | b if not a & b else None):
                if found and found not in known:
                    known.add(found)
                    changed = True
    return known


# Organisations where the sibling and filter rules alone let a small group be worked out (found by
# Hypothesis before the combinations audit; kept so that every run tries them).
@example(
    org=[Person(d, t) for d, t in [("sales", "manager"), *[("sales", "editor")] * 3, *[("support", "manager")] * 2]]
    + [Person("legal", "manager")],
    k=3,
)
@example(
    org=[
        Person(d, t)
        for d, t in [
            *[("sales", "editor")] * 2,
            *[("sales", "intern")] * 2,
            ("support", "manager"),
            ("support", "editor"),
            ("support", "intern"),
            *[("legal", "manager")] * 3,
            ("legal", "editor"),
        ]
    ],
    k=4,
)
@settings(max_examples=300, deadline=None)
@given(org=organisations, k=st.integers(3, 6))
def test_no_group_under_k_can_be_worked_out_by_subtraction_from_everything_shown(org: list[Person], k: int) -> None:
    groups = shown_groups(org, k)
    small = [sorted(g) for g in worked_out(list(groups.values())) if len(g) < k]
    assert not small


@settings(max_examples=150, deadline=None)
@given(crowd=organisations, k=st.integers(3, 8))
def test_the_departments_alone_are_decided_as_every_view_decides_them(crowd: list[Person], k: int) -> None:
    """The organisation's own view asks `department_views` only; it must agree with `shown_views`."""
    every = shown_views(crowd, k)
    alone = department_views(crowd, k)
    assert (alone.organisation_shown, alone.departments, alone.hidden_departments) == (
        every.organisation_shown, every.departments, every.hidden_departments,
    )  # fmt: skip
