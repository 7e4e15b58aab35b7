"""Sections of the 90-day plan page (issue 15): the actions the dashboard proposes from the
organisation's prioritised gaps (a manager accepts one, choosing its owner, due date and status and
perhaps editing it), the stored actions with their progress (edit and delete each), a form to add an
action, and the plan as CSV and as an iCalendar file.

Nothing is stored by a widget's callback: each form is submitted and the page body then calls
services.dashboard. Trainers read the plan; managers and admins change it (the services check again).
Each section owns its session-state keys; problems of a form are listed per field (plan_text)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import streamlit as st

from assessment.model import Model
from i18n import _, current_language, date_field_format, format_date
from reporting import plan_text
from reporting.export import slug
from reporting.numbers import Kind, fmt
from reporting.plan import (
    CSV_MIME,
    ICAL_MIME,
    MANUAL,
    PROPOSED,
    Action,
    Progress,
    Status,
    make_action,
    open_proposals,
    plan_csv,
    plan_ical,
)
from reporting.plan import file_name as plan_file_name
from services import dashboard as dash
from services import organisations as orgs
from services.accounts import User
from storage.errors import StorageBusy
from views import state
from views.organisation_widgets import flash, management_error
from views.workshop_messages import plain
from views.workshop_widgets import busy_stop
from workshops.organisations import InvalidValues

_ACCEPTING = "plan_accepting"  # the dimension of the proposal whose accept form is open
_CLEAR_ADD = "plan_clear_add"
_NO_DIMENSION = ""


@dataclass(frozen=True)
class Typed:
    """An action's fields as a form gave them."""

    title: str
    detail: str
    owner: str
    due_on: date | None
    status: str


def plan_of(user: User, organisation: orgs.OrganisationChoice, model: Model) -> dash.Dashboard:
    try:
        return dash.dashboard(state.engine(), user.id, organisation.id, model, state.course())
    except orgs.NotAllowed as error:
        st.error(management_error(error), icon=":material/block:")
        st.stop()
        raise
    except StorageBusy:
        busy_stop()
        raise


def dimension_name(model: Model, dimension: str | None) -> str:
    if dimension is None:
        return ""
    try:
        return model.dimension(dimension).name
    except StopIteration:
        return dimension


def figure(value: float | Decimal | None) -> str:
    return fmt(value, Kind.SCORE, current_language())


def progress_text(item: Progress) -> str:
    """baseline -> now (change), in the shown figures; a dash where a figure is not known (hidden
    under the anonymity threshold, or not measured yet)."""
    if item.baseline is None:
        return ""
    now = "–" if item.now is None else figure(item.now)
    text = f"{figure(item.baseline)} → {now}"
    if item.change is not None:
        text += f" ({'+' if item.change > 0 else ''}{figure(item.change)})"
    return text


def _problems(error: InvalidValues) -> None:
    lines = [plan_text.problem_text(problem) for problem in error.problems]
    st.error(
        _("Not saved. Please correct:") + "\n" + "\n".join(f"- {line}" for line in lines),
        icon=":material/error:",
    )


def _action_fields(prefix: str, action: Action | None) -> Typed:
    """The title, detail, owner, due date and status inputs of an action form, filled from `action`."""
    statuses = [s.value for s in Status]
    title = st.text_input(_("Action"), value=action.title if action else "", key=f"{prefix}_title")
    detail = st.text_area(_("Detail"), value=action.detail if action else "", height=120, key=f"{prefix}_detail")
    owner_column, due_column, status_column = st.columns(3)
    owner = owner_column.text_input(
        _("Owner"),
        value=action.owner if action else "",
        key=f"{prefix}_owner",
        help=_("A role or a person, e.g. Communications lead."),
    )
    due: Any = due_column.date_input(
        _("Due date"), value=action.due_on if action else None, format=date_field_format(), key=f"{prefix}_due"
    )
    status = status_column.selectbox(
        _("Status"),
        statuses,
        index=statuses.index(action.status.value if action else Status.OPEN.value),
        format_func=plan_text.status_label,
        key=f"{prefix}_status",
    )
    return Typed(title, detail, owner, due if isinstance(due, date) else None, status or Status.OPEN.value)


def _save(user: User, organisation: orgs.OrganisationChoice, action: Action, wave_id: int | None) -> bool:
    try:
        dash.save_action(state.engine(), user.id, organisation.id, action, wave_id)
    except (orgs.OrganisationError, StorageBusy) as error:
        st.error(management_error(error), icon=":material/error:")
        return False
    return True


# Proposals ---------------------------------------------------------------------------------------------------


def show_proposals(user: User, organisation: orgs.OrganisationChoice, model: Model, shown: dash.Dashboard) -> None:
    st.subheader(_("Proposed actions"), anchor=False)
    proposals = open_proposals(model, shown.plan_gaps, shown.actions, date.today())
    if not proposals:
        if shown.figures is None:
            st.info(
                _(
                    "No proposals yet: they come from a wave's figures, once enough people have responded "
                    "and targets are set (Organisation page)."
                )
            )
        else:
            st.info(_("No proposals: every dimension with a target has reached it, or its proposal is in the plan."))
        return
    st.caption(
        _("From the largest gaps between the latest figures and the targets, weighted by importance.")
        if shown.may_manage
        else _("From the largest gaps between the latest figures and the targets. Managers accept them into the plan.")
    )
    accepting = st.session_state.get(_ACCEPTING)
    for proposal in proposals:
        with st.container(border=True):
            st.markdown(f"**{plain(proposal.title)}**")
            if proposal.due_on is not None:
                st.caption(_("Due {date}").format(date=format_date(proposal.due_on)))
            if accepting == proposal.dimension and shown.may_manage:
                _accept_form(user, organisation, proposal, shown)
                continue
            detail_column, accept_column = st.columns([4, 1], vertical_alignment="top")
            with detail_column.expander(_("Detail")):
                st.text(proposal.detail)
            if shown.may_manage and accept_column.button(
                _("Accept"), key=f"accept_{proposal.dimension}", icon=":material/add_task:", width="stretch"
            ):
                st.session_state[_ACCEPTING] = proposal.dimension
                st.rerun()


def _accept_form(user: User, organisation: orgs.OrganisationChoice, proposal: Action, shown: dash.Dashboard) -> None:
    prefix = f"accept_{proposal.dimension}"
    with st.form(f"{prefix}_form"):
        typed = _action_fields(prefix, proposal)
        save_column, cancel_column, _rest = st.columns([1, 1, 2])
        submitted = save_column.form_submit_button(_("Add to the plan"), type="primary")
        cancelled = cancel_column.form_submit_button(_("Cancel"))
    if cancelled:
        st.session_state.pop(_ACCEPTING, None)
        st.rerun()
    if not submitted:
        return
    try:
        action = make_action(
            typed.title,
            typed.detail,
            typed.owner,
            typed.due_on,
            typed.status,
            date.today(),
            dimension=proposal.dimension,
            source=PROPOSED,
            lesson_id=proposal.lesson_id,
            bank_id=proposal.bank_id,
            baseline=proposal.baseline,
        )
    except InvalidValues as error:
        _problems(error)
        return
    if _save(user, organisation, action, shown.wave.id if shown.wave else None):
        st.session_state.pop(_ACCEPTING, None)
        flash(_("Added to the plan: {title}.").format(title=plain(action.title)))
        st.rerun()


# The plan ----------------------------------------------------------------------------------------------------


def show_plan(user: User, organisation: orgs.OrganisationChoice, model: Model, shown: dash.Dashboard) -> None:
    st.subheader(_("The plan"), anchor=False)
    if not shown.actions:
        st.info(_("The plan has no actions yet."))
        return
    plan_table(model, shown)
    if not shown.may_manage:
        return
    for action in shown.actions:
        with st.expander(_("Edit or delete: {title}").format(title=action.title), icon=":material/edit:"):
            _edit_form(user, organisation, action)
            _delete_form(user, organisation, action)


def plan_table(model: Model, shown: dash.Dashboard) -> None:
    """The plan's actions with their status and each one's progress against the latest wave (also on
    the dashboard, where the plan is tracked)."""
    st.dataframe(
        {
            _("Action"): [a.title for a in shown.actions],
            _("Dimension"): [dimension_name(model, a.dimension) for a in shown.actions],
            _("Owner"): [a.owner for a in shown.actions],
            _("Due date"): [a.due_on for a in shown.actions],
            _("Status"): [plan_text.status_label(a.status.value) for a in shown.actions],
            _("Progress"): [progress_text(p) for p in shown.progress],
        },
        hide_index=True,
        # Widths that fit the page's column at 1280 px; a phone scrolls the table sideways.
        column_config={
            _("Action"): st.column_config.TextColumn(width=180),
            _("Dimension"): st.column_config.TextColumn(width=130),
            _("Owner"): st.column_config.TextColumn(width=105),
            _("Due date"): st.column_config.DateColumn(format=date_field_format(), width=90),
            _("Status"): st.column_config.TextColumn(width=85),
            _("Progress"): st.column_config.TextColumn(width=110),
        },
    )
    st.caption(_("Progress: the dimension's median score (0 to 4) when the action was accepted → now, and the change."))


def _edit_form(user: User, organisation: orgs.OrganisationChoice, action: Action) -> None:
    prefix = f"edit_{action.id}"
    with st.form(f"{prefix}_form"):
        typed = _action_fields(prefix, action)
        submitted = st.form_submit_button(_("Save the action"), type="primary")
    if not submitted:
        return
    try:
        edited = make_action(
            typed.title,
            typed.detail,
            typed.owner,
            typed.due_on,
            typed.status,
            date.today(),
            id=action.id,
            dimension=action.dimension,
            source=action.source,
            lesson_id=action.lesson_id,
            bank_id=action.bank_id,
            baseline=action.baseline,
        )
    except InvalidValues as error:
        _problems(error)
        return
    if _save(user, organisation, edited, None):
        for field in ("title", "detail", "owner", "due", "status"):
            st.session_state.pop(f"{prefix}_{field}", None)
        flash(_("Saved: {title}.").format(title=plain(edited.title)))
        st.rerun()


def _delete_form(user: User, organisation: orgs.OrganisationChoice, action: Action) -> None:
    with st.form(f"delete_{action.id}_form"):
        sure = st.checkbox(_("Yes, delete this action"), key=f"delete_{action.id}_sure")
        submitted = st.form_submit_button(_("Delete the action"), icon=":material/delete:")
    if not submitted:
        return
    if not sure:
        st.warning(_("Tick the box to confirm, then delete the action."))
        return
    assert action.id is not None
    try:
        dash.delete_action(state.engine(), user.id, organisation.id, action.id)
    except (orgs.OrganisationError, StorageBusy) as error:
        st.error(management_error(error), icon=":material/error:")
        return
    flash(_("Deleted: {title}.").format(title=plain(action.title)))
    st.rerun()


def show_add(user: User, organisation: orgs.OrganisationChoice, model: Model, shown: dash.Dashboard) -> None:
    if not shown.may_manage:
        return
    prefix = "add"
    if st.session_state.pop(_CLEAR_ADD, False):
        for field in ("title", "detail", "owner", "due", "status", "dimension"):
            st.session_state.pop(f"{prefix}_{field}", None)
    dimensions = [_NO_DIMENSION, *(d.id for d in model.dimensions)]
    with st.expander(_("Add an action"), icon=":material/add:"):
        with st.form("add_action"):
            typed = _action_fields(prefix, None)
            dimension = st.selectbox(
                _("Dimension (optional)"),
                dimensions,
                format_func=lambda d: _("None") if d == _NO_DIMENSION else dimension_name(model, d),
                key=f"{prefix}_dimension",
            )
            submitted = st.form_submit_button(_("Add the action"), type="primary")
        if not submitted:
            return
        chosen = dimension or None
        baseline = None
        if chosen is not None and shown.figures is not None and not shown.request.filtered:
            baseline = shown.figures.dimension(chosen).median
        try:
            action = make_action(
                typed.title,
                typed.detail,
                typed.owner,
                typed.due_on,
                typed.status,
                date.today(),
                dimension=chosen,
                source=MANUAL,
                baseline=baseline,
            )
        except InvalidValues as error:
            _problems(error)
            return
        if _save(user, organisation, action, shown.wave.id if shown.wave else None):
            st.session_state[_CLEAR_ADD] = True
            flash(_("Added to the plan: {title}.").format(title=plain(action.title)))
            st.rerun()


# Downloads ---------------------------------------------------------------------------------------------------


def csv_bytes(model: Model, shown: dash.Dashboard) -> bytes:
    course = state.course()
    labels = plan_text.csv_labels(
        {d.id: d.name for d in model.dimensions},
        {lesson.id: lesson.title for lesson in course.lessons},
        {bank.id: bank.title for bank in course.banks},
    )
    return plan_csv(shown.actions, plan_text.csv_headings(), labels, shown.progress)


def show_downloads(model: Model, shown: dash.Dashboard) -> None:
    if not shown.actions:
        return
    today = date.today()
    name = slug(shown.organisation.name) or "organisation"
    left, right = st.columns(2)
    left.download_button(
        _("Download the plan (CSV)"),
        csv_bytes(model, shown),
        file_name=plan_file_name(name, today, "csv"),
        mime=CSV_MIME,
        icon=":material/download:",
        key="plan_csv",
    )
    right.download_button(
        _("Due dates for your calendar (iCalendar)"),
        plan_ical(
            shown.actions,
            shown.organisation.name,
            _("90-day plan: {name}").format(name=shown.organisation.name),
            datetime.now(timezone.utc),
        ),
        file_name=plan_file_name(name, today, "ics"),
        mime=ICAL_MIME,
        icon=":material/event:",
        key="plan_ical",
    )
