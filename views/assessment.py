"""Assessment: one step at a time, each answer saved the moment it is given."""

from __future__ import annotations

import zlib

import streamlit as st

from assessment.model import Mode, TeeStatement
from i18n import _, ngettext
from services import respondents as visits
from storage.errors import DataDeleted, StorageBusy
from views import answer_widgets, messages, page_scripts, state, steps, widgets

model = state.model()
session = state.load_session()
if session is None:
    st.info(_("Start an assessment first, or open your resume link."))
    st.page_link("views/start.py", label=_("Go to the start page"), icon=":material/flag:")
    st.stop()

all_steps = steps.build_steps(model, session.mode)
raw_step = st.query_params.get("step")
if raw_step:
    index = steps.parse_step(raw_step, len(all_steps))
else:
    # Resume where the first open question is, and pin that step in the URL so that
    # answering its last question does not move the page away under the person's hand.
    index = steps.first_open_step(all_steps, session.answers)
    st.query_params["step"] = str(index + 1)
step = all_steps[index]

# A new step opens at its top: after "Next" at the bottom of a step a phone would otherwise show
# the bottom of the next one. The marker changes only with the step, so answering a question
# leaves the page where it is.
page_scripts.scroll_to_top(f"step-{index + 1}")


def go_to(target: int) -> None:
    st.query_params["step"] = str(target + 1)


asked = model.item_ids(session.mode)
mode_label = _("Quick scan") if session.mode is Mode.QUICK else _("Full assessment")
st.caption(
    _("{mode} · round {round} · step {step} of {steps}").format(
        mode=mode_label, round=session.round.number, step=index + 1, steps=len(all_steps)
    )
)
# Filled once this step's radios have stored what the browser holds, so they count what is stored.
progress, storage_warning = st.empty(), st.empty()
previous = session.previous_round
_UNDO_OUTCOME = "assessment_undo_switch"


def undo_switch(respondent_id: int, round_id: int) -> None:
    try:
        st.session_state[_UNDO_OUTCOME] = visits.undo_switch(state.engine(), respondent_id, round_id)
    except (StorageBusy, DataDeleted) as error:
        st.session_state[_UNDO_OUTCOME] = messages.describe(error)


outcome = st.session_state.pop(_UNDO_OUTCOME, None)
if outcome is True:  # the switch is undone: the quick scan is the current round again, with its result
    st.switch_page("views/results.py", query_params={state.TOKEN_PARAM: session.token})
if previous is not None and session.round.completed_at is None:
    if previous.mode == Mode.QUICK.value and session.mode is Mode.FULL:
        # Only a switch opens a full round after a quick one (a new round keeps the mode).
        with st.container(border=True):
            st.markdown(
                _(
                    "You switched your quick scan to the full assessment. Its result stays as round {previous}; "
                    "this round {round} starts from its answers. Until you answer a new question you can undo "
                    "the switch."
                ).format(previous=previous.number, round=session.round.number)
            )
            st.button(_("Undo the switch"), on_click=undo_switch, args=(session.respondent.id, session.round.id))
        if outcome is False:
            st.warning(
                _(
                    "You have answered new questions in this round, so the switch can no longer be undone. "
                    "Your quick-scan result stays on the results page as round {previous}."
                ).format(previous=previous.number)
            )
        elif isinstance(outcome, str):
            st.error(_("Could not undo the switch: {reason}").format(reason=outcome))
    else:
        st.info(
            _(
                "This round started from your answers in round {previous}: they are filled in already, so you "
                "only change what has moved since."
            ).format(previous=previous.number),
            icon=":material/content_copy:",
        )
with st.expander(_("Your resume link: to continue later or on another device"), icon=":material/link:"):
    widgets.resume_link(session.token)

st.header(step.title)
if step.kind == "dimension":
    st.write(model.dimension(step.key).description)
    st.caption(_("How far is each statement true for your organisation today?"))
elif step.kind == "tees":
    reverse_keyed = any(getattr(model.item(item_id), "reverse", False) for item_id in step.item_ids)
    st.caption(
        _("How much do you agree? Some statements are worded negatively on purpose.")
        if reverse_keyed
        else _("How much do you agree?")
    )
else:
    st.caption(_("Does your organisation follow this practice?"))

# On a narrow screen the six answers of the 4 T's scale wrapped, "5 Strongly agree" under
# "1 Strongly disagree"; there they form a compact list, in the scale's order. A style-only
# st.html takes no space on the page.
TEE_SCALE_CSS = """<style>
@media (max-width: 640px) {
  [class*="st-key-tee-scale-"] [role="radiogroup"] { flex-direction: column; align-items: flex-start; gap: 0.25rem; }
}
</style>"""
if step.kind == "tees":
    st.html(TEE_SCALE_CSS)

widgets.rerun_on_reconnect()
answers = dict(session.answers)
shown_tee = None
for item_id in step.item_ids:
    item = model.item(item_id)
    if isinstance(item, TeeStatement) and item.tee != shown_tee:
        # The 4 T's step is grouped by T, each with its one-line description.
        shown_tee = item.tee
        st.subheader(model.tee(item.tee).name)
        st.write(model.tee(item.tee).description)
    value = answer_widgets.answer_radio(model, session.round.id, item_id, answers.get(item_id))
    if value is not None:
        answers[item_id] = value

answered = sum(1 for item_id in asked if item_id in answers)
progress.progress(
    answered / len(asked), text=_("{answered} of {asked} answered").format(answered=answered, asked=len(asked))
)
with storage_warning.container():
    state.show_storage_warning()
open_per_step = [sum(1 for item_id in s.item_ids if item_id not in answers) for s in all_steps]


def step_choice(i: int) -> str:
    status = (
        "✓"
        if open_per_step[i] == 0
        else ngettext("{count} open", "{count} open", open_per_step[i]).format(count=open_per_step[i])
    )
    return f"{i + 1}. {all_steps[i].title} · {status}"


back, jump, forward = st.columns([1, 2, 1], vertical_alignment="bottom")
back.button(_("← Back"), on_click=go_to, args=(index - 1,), disabled=index == 0, width="stretch")
step_labels = [step_choice(i) for i in range(len(all_steps))]
# The labels carry each step's open count, so they change as questions are answered; a selectbox keeps
# the label it had, not its index, so each set of labels gets a widget of its own.
jump_key = widgets.versioned_key(f"jump:{index}", zlib.crc32("|".join(step_labels).encode()))


def jump_to(key: str) -> None:
    chosen = st.session_state.get(key)
    if isinstance(chosen, int) and 0 <= chosen < len(all_steps):
        go_to(chosen)


jump.selectbox(
    _("Jump to"),
    options=range(len(all_steps)),
    index=index,
    format_func=step_labels.__getitem__,
    key=jump_key,
    on_change=jump_to,
    args=(jump_key,),
    label_visibility="collapsed",
)
if index < len(all_steps) - 1:
    forward.button(_("Next →"), on_click=go_to, args=(index + 1,), type="primary", width="stretch")
elif forward.button(_("See my results"), type="primary", width="stretch"):
    try:
        visits.complete_round(state.engine(), session.round.id)
    except StorageBusy:
        st.error(_("Could not finish: {reason}").format(reason=messages.busy()))
    else:
        st.switch_page("views/results.py", query_params={state.TOKEN_PARAM: session.token})

if answered < len(asked) and index == len(all_steps) - 1:
    st.caption(
        ngettext(
            "{missing} question is still open; unanswered statements count as zero.",
            "{missing} questions are still open; unanswered statements count as zero.",
            len(asked) - answered,
        ).format(missing=len(asked) - answered)
    )
    # Where they are: a link to each step that still has open questions, with the questions named.
    for i, open_count in enumerate(open_per_step):
        if open_count == 0:
            continue
        st.page_link(
            "views/assessment.py",
            label=ngettext(
                "Step {n}, {title}: {count} open question", "Step {n}, {title}: {count} open questions", open_count
            ).format(n=i + 1, title=all_steps[i].title, count=open_count),
            icon=":material/radio_button_unchecked:",
            query_params={state.TOKEN_PARAM: session.token, "step": str(i + 1)},
        )
