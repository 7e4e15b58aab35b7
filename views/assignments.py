"""Assignments of a workshop (?w=<workshop id>), for its trainer or an admin: assign the
self-assessment or a quiz with an optional due date, see how many participants completed each,
remove one."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from i18n import _, date_field_format, format_date
from identity.rules import Role
from services import assignments as asg
from services import workshops as ws
from storage.errors import StorageBusy
from views import messages, staff, state
from views.assignment_widgets import assignment_title, due_text, escaped

user = staff.require(Role.TRAINER, Role.ADMIN)
engine = state.engine()
course = state.course()

st.title(_("Assignments"))
visible = ws.visible_workshops(engine, user.id)
raw = st.query_params.get("w")
if raw is not None:
    chosen = next((w for w in visible if str(w.id) == raw.strip()), None)
    if chosen is None:
        st.error(
            _("No workshop of yours has the number in this link (?w=). Choose one of your workshops below instead.")
        )
        if st.button(_("Show my workshops")):
            del st.query_params["w"]
            st.rerun()
        st.stop()
    workshop = chosen
else:
    if not visible:
        st.info(_("You have no workshops yet. Create one first; then assign work to it here."))
        st.stop()
    workshop = st.selectbox(
        _("Workshop"),
        visible,
        format_func=lambda w: f"{w.name} · {format_date(w.held_on)} · {w.code}",
    )
    assert workshop is not None

st.markdown(
    _("**{name}** · held on {date}").format(name=escaped(workshop.name), date=format_date(workshop.held_on, "long"))
)

# Assign -------------------------------------------------------------------------------------------
banks = course.banks_in_course_order()
choices = [f"{asg.ASSESSMENT}:"] + [f"{asg.QUIZ}:{bank.id}" for bank in banks]
titles = {f"{asg.QUIZ}:{bank.id}": _("Quiz: {title}").format(title=bank.title) for bank in banks}
titles[f"{asg.ASSESSMENT}:"] = _("Self-assessment")
with st.form("assign"):
    choice = st.selectbox(_("What to assign"), choices, format_func=lambda c: titles.get(c, c))
    with_due = st.checkbox(_("With a due date"))
    due = st.date_input(
        _("Due on (the workshop's day or later)"),
        value=max(workshop.held_on, date.today()),
        min_value=workshop.held_on,
        format=date_field_format(),
    )
    assigned = st.form_submit_button(_("Assign"), type="primary")
if assigned and choice is not None:
    kind, _sep, target = choice.partition(":")
    due_on = due if with_due and isinstance(due, date) else None
    try:
        made = asg.assign(engine, user.id, workshop.id, kind, target, due_on, {bank.id for bank in course.banks})
    except asg.InvalidValues as invalid:
        fields = {problem.field for problem in invalid.problems}
        lines = []
        if "target" in fields or "kind" in fields:
            lines.append(_("That quiz is not on this site (any more): choose one from the list."))
        if "due_on" in fields:
            lines.append(
                _("The due date is before the workshop's date ({date}): choose that day or later.").format(
                    date=format_date(workshop.held_on)
                )
            )
        st.error("\n\n".join(lines))
    except (asg.NotAllowed, asg.UnknownWorkshop):
        st.error(_("You may not assign work to this workshop: only its trainer or an admin may."))
    except StorageBusy:
        st.error(_("Could not assign: {reason}").format(reason=messages.busy()))
    else:
        st.success(
            _("Assigned: {what}, {due}.").format(what=assignment_title(made, course), due=due_text(made)),
            icon=":material/check:",
        )

# What is assigned, and who completed it ----------------------------------------------------------
st.subheader(_("Assigned to this workshop"))
progress = asg.assignments_of(engine, user.id, workshop.id)
if not progress:
    st.caption(_("Nothing is assigned yet."))
for item in progress:
    with st.container(border=True):
        title = assignment_title(item.assignment, course)
        st.markdown(f"**{escaped(title)}** · {due_text(item.assignment)}")
        st.progress(
            item.completed / item.participants if item.participants else 0.0,
            text=_("{done} of {total} participants completed it").format(done=item.completed, total=item.participants),
        )
        if st.button(_("Remove"), key=f"remove-{item.assignment.id}", icon=":material/delete:"):
            try:
                asg.unassign(engine, user.id, workshop.id, item.assignment.id)
            except asg.UnknownAssignment:
                pass  # removed already (another tab): the list below is read again
            except (asg.NotAllowed, asg.UnknownWorkshop):
                st.error(_("You may not change this workshop's assignments."))
                st.stop()
            except StorageBusy:
                st.error(_("Could not remove it: {reason}").format(reason=messages.busy()))
                st.stop()
            st.rerun()
if progress:
    st.caption(
        _(
            "Completed: the self-assessment when a participant finished a round; a quiz when they "
            "finished an attempt, whatever the score. The same numbers as a table:"
        )
    )
    st.dataframe(
        pd.DataFrame(
            {
                _("Assignment"): [assignment_title(p.assignment, course) for p in progress],
                _("Due"): [p.assignment.due_on for p in progress],
                _("Completed"): [p.completed for p in progress],
                _("Participants"): [p.participants for p in progress],
            }
        ),
        hide_index=True,
    )
