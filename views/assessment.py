"""Assessment: one step at a time, each answer saved the moment it is given."""

from __future__ import annotations

import streamlit as st

from assessment.model import ChecklistItem, MaturityStatement, Mode, TeeStatement
from i18n import _, ngettext
from storage import db
from views import page_scripts, state, steps, widgets

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


def on_answer(item_id: str, key: str, round_id: int) -> None:
    state.save_answer(round_id, item_id, st.session_state.get(key))


asked = model.item_ids(session.mode)
answered = sum(1 for item_id in asked if item_id in session.answers)
mode_label = _("Quick scan") if session.mode is Mode.QUICK else _("Full assessment")
st.caption(
    _("{mode} · round {round} · step {step} of {steps}").format(
        mode=mode_label, round=session.round.number, step=index + 1, steps=len(all_steps)
    )
)
st.progress(answered / len(asked), text=_("{answered} of {asked} answered").format(answered=answered, asked=len(asked)))
state.show_storage_warning()
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

# Below 640 px the six answers of the 4 T's scale do not fit one line, and wrapping would put
# "5 Strongly agree" under "1 Strongly disagree": there they form a compact list in the scale's
# order. A style-only st.html takes no space on the page.
TEE_SCALE_CSS = """<style>
@media (max-width: 640px) {
  [class*="st-key-tee-scale-"] [role="radiogroup"] { flex-direction: column; align-items: flex-start; gap: 0.25rem; }
}
</style>"""
if step.kind == "tees":
    st.html(TEE_SCALE_CSS)

stage_names = {s.id: s.name for s in model.stages}
shown_tee = None
for item_id in step.item_ids:
    item = model.item(item_id)
    if isinstance(item, TeeStatement) and item.tee != shown_tee:
        # The 4 T's step is grouped by T, each with its one-line description.
        shown_tee = item.tee
        st.subheader(model.tee(item.tee).name)
        st.write(model.tee(item.tee).description)
    key = f"answer:{session.round.id}:{item_id}"
    current = session.answers.get(item_id)
    if isinstance(item, MaturityStatement):
        options, labels = list(widgets.MATURITY_LABELS), widgets.MATURITY_LABELS
        # Plain text: the label is also the radio group's accessible name, read aloud as written.
        label = f"{stage_names[item.stage]} · {item.text}"
    elif isinstance(item, TeeStatement):
        options, labels = list(widgets.TEE_LABELS), widgets.TEE_LABELS
        label = item.text
    else:
        assert isinstance(item, ChecklistItem)
        options, labels = list(widgets.CHECKLIST_LABELS), widgets.CHECKLIST_LABELS
        label = item.text
    # The key lets TEE_SCALE_CSS find the 4 T's questions.
    with st.container(border=True, key=f"tee-scale-{item_id}" if isinstance(item, TeeStatement) else None):
        st.radio(
            label,
            options=options,
            index=options.index(current) if current in options else None,
            format_func=labels.__getitem__,
            horizontal=True,
            help=item.help,
            key=key,
            on_change=on_answer,
            args=(item_id, key, session.round.id),
        )

back, jump, forward = st.columns([1, 2, 1], vertical_alignment="bottom")
back.button(_("← Back"), on_click=go_to, args=(index - 1,), disabled=index == 0, width="stretch")
jump.selectbox(
    _("Jump to"),
    options=range(len(all_steps)),
    index=index,
    format_func=lambda i: f"{i + 1}. {all_steps[i].title}",
    key=f"jump:{index}",
    on_change=lambda: go_to(st.session_state[f"jump:{index}"]),
    label_visibility="collapsed",
)
if index < len(all_steps) - 1:
    forward.button(_("Next →"), on_click=go_to, args=(index + 1,), type="primary", width="stretch")
elif forward.button(_("See my results"), type="primary", width="stretch"):
    try:
        db.complete_round(state.engine(), session.round.id)
    except db.StorageBusy as error:
        st.error(_("Could not finish: {reason}").format(reason=error))
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
