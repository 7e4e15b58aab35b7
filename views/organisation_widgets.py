"""Sections of the organisation page (issue 15): its measurement waves, its invitation code with
the join link and QR code, its department and job title lists, its anonymity threshold, its target
profile and (for admins) its managers. Each section owns its session-state keys and stores only
when its form is submitted: the page body calls the service after the submit button.

The organisation is in the URL (`?org=<id>`), chosen among those the user may see
(`choose_organisation`; the shared chooser of views/management_widgets.py replaces it once it is
there). Names typed by people are shown through `plain` or inside widgets, never inside HTML."""

from __future__ import annotations

import html

import streamlit as st

from assessment.model import STAGE_IDS, Model
from i18n import _, format_date, ngettext
from identity.rules import Role
from reporting.aggregate import DEFAULT_IMPORTANCE, IMPORTANCE_RANGE, Target
from reporting.anonymity import MAX_THRESHOLD, MIN_THRESHOLD
from services import accounts
from services import dashboard as dash
from services import organisations as orgs
from services.accounts import User
from storage.errors import StorageBusy
from views import messages, state
from views.workshop_messages import plain
from views.workshop_widgets import busy_stop, show_qr
from workshops import joining
from workshops.organisations import DEPARTMENT_MAX, DEPARTMENTS_MAX, FieldProblem

_FLASH = "organisation_flash"
_NO_TARGET = ""  # the target select's value for "no target" (a select box cannot hold None and a label)

_CODE_STYLE = (
    "font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-weight: 700; "
    "letter-spacing: 0.12em; font-size: 2.5rem; line-height: 1.1;"
)


# The organisation of the address ------------------------------------------------------------------


def flash(message: str) -> None:
    st.session_state[_FLASH] = message


def show_flash() -> None:
    message = st.session_state.pop(_FLASH, None)
    if message:
        st.success(message)


def manages(user: User) -> bool:
    """Whether the user's role may set the threshold, targets and plan of organisations it sees."""
    return user.role in (Role.MANAGER, Role.ADMIN)


def management_error(error: Exception) -> str:
    """The words for the organisation services' refusals and storage's errors."""
    if isinstance(error, orgs.NotAllowed):
        return _("You may not do this for this organisation: ask one of its managers or an admin.")
    if isinstance(error, orgs.WaveError):
        return wave_error(error)
    if isinstance(error, orgs.OrganisationError):
        return _("No free invitation code was found; please try again.")
    return messages.describe(error)


def wave_error(error: orgs.WaveError) -> str:
    if error.kind == "open":
        return _("A wave is open already: close it before opening a new one.")
    if error.kind == "name":
        if error.detail.startswith("the organisation has"):
            return _("Wave name: the organisation has a wave of that name already; choose another.")
        return _(
            "Wave name: give the wave a name (e.g. Spring 2027) of at most {most} characters, without < or >."
        ).format(most=orgs.WAVE_NAME_MAX)
    if error.kind == "closed":
        return _("This wave is closed already.")
    return _("That wave is not one of this organisation's.")


def settings_of(user: User, organisation: orgs.OrganisationChoice) -> orgs.OrganisationSettings:
    try:
        return orgs.settings(state.engine(), user.id, organisation.id)
    except orgs.NotAllowed as error:
        st.error(management_error(error), icon=":material/block:")
        st.stop()
        raise
    except StorageBusy:
        busy_stop()
        raise


# Waves ------------------------------------------------------------------------------------------------


def respondents_label(count: int, threshold: int) -> str:
    """A wave's respondents, or only that they are fewer than its threshold: under it the count is a
    figure that could single someone out, so it is never shown."""
    if count < threshold:
        return _("fewer than {threshold}").format(threshold=threshold)
    return str(count)


def show_waves(user: User, organisation: orgs.OrganisationChoice) -> None:
    st.subheader(_("Measurement waves"), anchor=False)
    st.caption(
        _(
            "While a wave is open, every round a member of the organisation completes counts in it. "
            "Close it to keep its figures for the trend and the benchmark."
        )
    )
    engine = state.engine()
    try:
        waves = orgs.waves_of(engine, user.id, organisation.id)
    except StorageBusy:
        busy_stop()
        raise
    if waves:
        st.dataframe(
            {
                _("Wave"): [wave.name for wave, _count in waves],
                _("State"): [_("open") if wave.closed_at is None else _("closed") for wave, _count in waves],
                _("Opened"): [format_date(wave.opened_at.date()) for wave, _count in waves],
                _("Closed"): [
                    "" if wave.closed_at is None else format_date(wave.closed_at.date()) for wave, _count in waves
                ],
                _("Respondents"): [respondents_label(count, wave.threshold) for wave, count in waves],
                _("Anonymity threshold"): [wave.threshold for wave, _count in waves],
            },
            hide_index=True,
        )
    else:
        st.info(_("No waves yet. Open the first one below."))
    open_now = next((wave for wave, _count in waves if wave.closed_at is None), None)
    if open_now is None:
        _open_form(user, organisation)
    else:
        _close_form(user, organisation, open_now)


def _open_form(user: User, organisation: orgs.OrganisationChoice) -> None:
    with st.form("open_wave"):
        name = st.text_input(_("Name of the new wave"), key="wave_name", placeholder=_("e.g. Spring 2027"))
        submitted = st.form_submit_button(_("Open the wave"), type="primary")
    if not submitted:
        return
    try:
        opened = orgs.open_wave(state.engine(), user.id, organisation.id, name)
    except (orgs.OrganisationError, StorageBusy) as error:
        st.error(management_error(error), icon=":material/error:")
        return
    st.session_state.pop("wave_name", None)
    flash(_("Wave opened: {name}.").format(name=plain(opened.name)))
    st.rerun()


def _close_form(user: User, organisation: orgs.OrganisationChoice, wave: orgs.StoredWave) -> None:
    with st.form("close_wave"):
        st.markdown(_("**{name}** is open.").format(name=plain(wave.name)))
        sure = st.checkbox(
            _("Yes, close this wave: rounds completed from now on no longer count in it."), key="close_wave_sure"
        )
        submitted = st.form_submit_button(_("Close the wave"))
    if not submitted:
        return
    if not sure:
        st.warning(_("Tick the box to confirm, then close the wave."))
        return
    try:
        dash.close_wave(state.engine(), user.id, organisation.id, wave.id, state.model())
    except (orgs.OrganisationError, StorageBusy) as error:
        st.error(management_error(error), icon=":material/error:")
        return
    st.session_state.pop("close_wave_sure", None)
    flash(_("Wave closed: {name}. Its figures are kept.").format(name=plain(wave.name)))
    st.rerun()


# Invitation ---------------------------------------------------------------------------------------------


def invitation_link(code: str) -> str | None:
    """The join link of an invitation code, built as a workshop's (`<site>/join?code=...`)."""
    try:
        return joining.join_url(state.site_url(), code)
    except ValueError:
        return None


def show_invitation(user: User, organisation: orgs.OrganisationChoice, found: orgs.OrganisationSettings) -> None:
    st.subheader(_("Invitation"), anchor=False)
    st.caption(
        _(
            "Members join the organisation with its invitation code, without a workshop: they choose their "
            "department and job title, and their rounds count in the open wave."
        )
    )
    left, right = st.columns([3, 1], vertical_alignment="center")
    if found.invite_open and found.invite_code:
        left.success(_("Open: people can join with the code."), icon=":material/lock_open:")
        if right.button(_("Close the invitation"), key="invite_close"):
            _set_invite(user, organisation, False, False)
    else:
        left.info(_("Closed: nobody can join with a code now."), icon=":material/lock:")
        if right.button(_("Open the invitation"), key="invite_open", type="primary"):
            _set_invite(user, organisation, True, False)
    code = found.invite_code
    if code is None:
        return
    st.html(f'<div class="invite-code" style="{_CODE_STYLE}">{html.escape(code)}</div>')
    link = invitation_link(code)
    if link is None:
        st.warning(_("The site's address is not known here, so there is no join link or QR code: use the code."))
    else:
        st.code(link, language=None, wrap_lines=True)
        show_qr(link, 0.35)
    if st.button(_("New code"), key="invite_new", help=_("The old code stops working at once.")):
        _set_invite(user, organisation, found.invite_open, True)


def _set_invite(user: User, organisation: orgs.OrganisationChoice, open_: bool, new: bool) -> None:
    try:
        code = orgs.set_invite(state.engine(), user.id, organisation.id, open_, new)
    except (orgs.OrganisationError, StorageBusy) as error:
        st.error(management_error(error), icon=":material/error:")
        return
    if new:
        flash(_("New invitation code: {code}. The old one no longer works.").format(code=code))
    else:
        flash(_("The invitation is open.") if open_ else _("The invitation is closed."))
    st.rerun()


# Lists ------------------------------------------------------------------------------------------------------


def list_problem(problem: FieldProblem) -> str:
    """A problem of the department or job title list, naming the list and the line."""
    label = _("Departments") if problem.field == "departments" else _("Job titles")
    reason = problem.reason if isinstance(problem, orgs.ListProblem) else ""
    line = problem.line if isinstance(problem, orgs.ListProblem) else None
    if reason == "twice":
        return _("{field}, line {line}: this name is listed twice.").format(field=label, line=line)
    if reason == "too_long":
        return _("{field}, line {line}: at most {most} characters.").format(field=label, line=line, most=DEPARTMENT_MAX)
    if reason == "characters":
        return _("{field}, line {line}: < > and control characters are not allowed.").format(field=label, line=line)
    return _("{field}: at most {most} names.").format(field=label, most=DEPARTMENTS_MAX)


def show_lists(user: User, organisation: orgs.OrganisationChoice, found: orgs.OrganisationSettings) -> None:
    st.subheader(_("Departments and job titles"), anchor=False)
    st.caption(
        _(
            "Members choose from these lists. Results per department or job title appear only for groups "
            "that reach the anonymity threshold. Removing a name keeps it on the members who chose it."
        )
    )
    with st.form("lists"):
        left, right = st.columns(2)
        departments = left.text_area(
            _("Departments (one per line)"),
            value="\n".join(found.departments),
            height=180,
            key=f"list_departments_{organisation.id}",
        )
        titles = right.text_area(
            _("Job titles (one per line)"),
            value="\n".join(found.job_titles),
            height=180,
            key=f"list_titles_{organisation.id}",
        )
        submitted = st.form_submit_button(_("Save the lists"))
    if not submitted:
        return
    try:
        saved_departments, saved_titles = orgs.set_lists(
            state.engine(), user.id, organisation.id, departments.splitlines(), titles.splitlines()
        )
    except orgs.InvalidValues as error:
        lines = [list_problem(problem) for problem in error.problems]
        st.error(
            _("Not saved. Please correct:") + "\n" + "\n".join(f"- {line}" for line in lines), icon=":material/error:"
        )
        return
    except (orgs.OrganisationError, StorageBusy) as error:
        st.error(management_error(error), icon=":material/error:")
        return
    for key in (f"list_departments_{organisation.id}", f"list_titles_{organisation.id}"):
        st.session_state.pop(key, None)
    flash(
        _("Lists saved: {departments} and {titles}.").format(
            departments=ngettext("{count} department", "{count} departments", len(saved_departments)).format(
                count=len(saved_departments)
            ),
            titles=ngettext("{count} job title", "{count} job titles", len(saved_titles)).format(
                count=len(saved_titles)
            ),
        )
    )
    st.rerun()


# Anonymity threshold ---------------------------------------------------------------------------------------


def show_threshold(user: User, organisation: orgs.OrganisationChoice, found: orgs.OrganisationSettings) -> None:
    st.subheader(_("Anonymity threshold"), anchor=False)
    st.caption(
        _(
            "No figure is shown for a group smaller than this, not even how many it has. It applies to "
            "waves opened from now on; the current wave keeps the threshold it opened with."
        )
    )
    if not manages(user):
        st.markdown(
            _("The threshold is **{threshold}**. Managers and admins change it.").format(
                threshold=found.anonymity_threshold
            )
        )
        return
    with st.form("threshold"):
        value = st.number_input(
            _("Smallest group shown ({low} to {high})").format(low=MIN_THRESHOLD, high=MAX_THRESHOLD),
            min_value=1,
            max_value=MAX_THRESHOLD,
            value=found.anonymity_threshold,
            step=1,
            key=f"threshold_{organisation.id}",
        )
        submitted = st.form_submit_button(_("Save the threshold"))
    if not submitted:
        return
    try:
        orgs.set_threshold(state.engine(), user.id, organisation.id, int(value))
    except orgs.InvalidValues:
        st.error(
            _(
                "Anonymity threshold: choose a whole number from {low} to {high}; smaller groups could single "
                "someone out."
            ).format(low=MIN_THRESHOLD, high=MAX_THRESHOLD),
            icon=":material/error:",
        )
        return
    except (orgs.OrganisationError, StorageBusy) as error:
        st.error(management_error(error), icon=":material/error:")
        return
    st.session_state.pop(f"threshold_{organisation.id}", None)
    flash(_("Threshold saved: {threshold}. It applies to the next wave you open.").format(threshold=int(value)))
    st.rerun()


# Target profile ------------------------------------------------------------------------------------------


def stored_targets(user: User, organisation: orgs.OrganisationChoice, model: Model) -> dict[str, Target]:
    try:
        shown = dash.dashboard(state.engine(), user.id, organisation.id, model, state.course())
    except StorageBusy:
        busy_stop()
        raise
    return dict(shown.targets)


def stage_label(model: Model, stage: str) -> str:
    return _("No target") if stage == _NO_TARGET else model.stage(stage).name


def show_targets(user: User, organisation: orgs.OrganisationChoice, model: Model) -> None:
    st.subheader(_("Target profile"), anchor=False)
    st.caption(
        _(
            "Per dimension, the stage the organisation aims for and how much it matters (1 a little, 5 very "
            "much). The dashboard puts the largest weighted gaps first and proposes the plan's actions from them."
        )
    )
    targets = stored_targets(user, organisation, model)
    default = Target(None, DEFAULT_IMPORTANCE)
    if not manages(user):
        st.dataframe(
            {
                _("Dimension"): [d.name for d in model.dimensions],
                _("Target stage"): [
                    stage_label(model, targets.get(d.id, default).stage or _NO_TARGET) for d in model.dimensions
                ],
                _("Importance"): [targets.get(d.id, default).importance for d in model.dimensions],
            },
            hide_index=True,
        )
        st.caption(_("Managers and admins set the targets."))
        return
    stages = [_NO_TARGET, *STAGE_IDS]
    importances = list(IMPORTANCE_RANGE)
    chosen: dict[str, tuple[str, int]] = {}
    with st.form("targets"):
        for dimension in model.dimensions:
            target = targets.get(dimension.id, default)
            name, stage_column, importance_column = st.columns([2, 2, 1], vertical_alignment="bottom")
            name.markdown(f"**{plain(dimension.name)}**")
            stage = stage_column.selectbox(
                _("Target stage"),
                stages,
                index=stages.index(target.stage or _NO_TARGET),
                format_func=lambda stage_id: stage_label(model, stage_id),
                key=f"target_stage_{organisation.id}_{dimension.id}",
            )
            importance = importance_column.selectbox(
                _("Importance"),
                importances,
                index=importances.index(target.importance),
                key=f"target_importance_{organisation.id}_{dimension.id}",
            )
            chosen[dimension.id] = (stage or _NO_TARGET, int(importance or DEFAULT_IMPORTANCE))
        submitted = st.form_submit_button(_("Save the targets"), type="primary")
    if not submitted:
        return
    try:
        dash.set_targets(
            state.engine(),
            user.id,
            organisation.id,
            model,
            {
                d: Target(None if stage == _NO_TARGET else stage, importance)
                for d, (stage, importance) in chosen.items()
            },
        )
    except (orgs.OrganisationError, StorageBusy) as error:
        st.error(management_error(error), icon=":material/error:")
        return
    flash(_("Targets saved."))
    st.rerun()


# Managers -----------------------------------------------------------------------------------------------------


def show_managers(user: User, organisation: orgs.OrganisationChoice) -> None:
    st.subheader(_("Managers"), anchor=False)
    st.caption(_("Accounts with the manager role that see and run this organisation's dashboard, plan and settings."))
    engine = state.engine()
    try:
        candidates = [u for u in accounts.list_users(engine) if u.role == Role.MANAGER]
        current = set(orgs.managers(engine, user.id, organisation.id))
    except StorageBusy:
        busy_stop()
        raise
    if not candidates:
        st.info(_("No account has the manager role yet: give one that role on the Accounts page."))
        return
    by_id = {u.id: u for u in candidates}

    def label(user_id: int) -> str:
        found = by_id[user_id]
        shown = (
            f"{found.display_name} ({found.username})"
            if found.display_name and found.display_name != found.username
            else found.username
        )
        return shown if found.active else _("{name} (switched off)").format(name=shown)

    key = f"managers_{organisation.id}"
    with st.form("managers"):
        picked = st.multiselect(
            _("Managers of this organisation"),
            list(by_id),
            default=[i for i in by_id if i in current],
            format_func=label,
            key=key,
        )
        submitted = st.form_submit_button(_("Save the managers"))
    if not submitted:
        return
    wanted = set(picked)
    try:
        for manager_id in sorted(wanted - current):
            orgs.set_manager(engine, user.id, manager_id, organisation.id, True)
        for manager_id in sorted(current - wanted):
            orgs.set_manager(engine, user.id, manager_id, organisation.id, False)
    except orgs.InvalidValues:
        st.error(_("Managers: choose accounts with the manager role."), icon=":material/error:")
        return
    except (orgs.OrganisationError, StorageBusy) as error:
        st.error(management_error(error), icon=":material/error:")
        return
    st.session_state.pop(key, None)
    flash(_("Managers saved."))
    st.rerun()
