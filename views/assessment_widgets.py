"""Sections of the assessment page: the note on how this round began (with the switch's undo), one
step's questions, and the way between steps. Each owns its session-state keys."""

from __future__ import annotations

import zlib

import streamlit as st

from assessment.model import Mode, Model, TeeStatement
from assessment.scoring import AnswerValue
from i18n import _, ngettext
from services import respondents as visits
from storage.errors import DataDeleted, StorageBusy
from views import answer_widgets, messages, state, steps, widgets

_UNDO_OUTCOME = "assessment_undo_switch"
STEP_PARAM = "step"

# On a narrow screen the six answers of the 4 T's scale wrapped, "5 Strongly agree" under
# "1 Strongly disagree"; there they form a compact list, in the scale's order. A style-only
# st.html takes no space on the page.
TEE_SCALE_CSS = """<style>
@media (max-width: 640px) {
  [class*="st-key-tee-scale-"] [role="radiogroup"] { flex-direction: column; align-items: flex-start; gap: 0.25rem; }
}
</style>"""


def go_to(target: int) -> None:
    st.query_params[STEP_PARAM] = str(target + 1)


def _undo_switch(respondent_id: int, round_id: int) -> None:
    try:
        st.session_state[_UNDO_OUTCOME] = visits.undo_switch(state.engine(), respondent_id, round_id)
    except (StorageBusy, DataDeleted) as error:
        st.session_state[_UNDO_OUTCOME] = messages.describe(error)


def show_round_start(session: state.Session) -> None:
    """How an open round began: carried over from the last one, or switched from a quick scan (with an
    undo until the first new answer; only a switch opens a full round after a quick one)."""
    outcome = st.session_state.pop(_UNDO_OUTCOME, None)
    if outcome is True:  # undone: the quick scan is the current round again, with its result
        st.switch_page("views/results.py", query_params={state.TOKEN_PARAM: session.token})
    previous = session.previous_round
    if previous is None or session.round.completed_at is not None:
        return
    if not (previous.mode == Mode.QUICK.value and session.mode is Mode.FULL):
        st.info(
            _(
                "This round started from your answers in round {previous}: they are filled in already, so you "
                "only change what has moved since."
            ).format(previous=previous.number),
            icon=":material/content_copy:",
        )
        return
    with st.container(border=True):
        st.markdown(
            _(
                "You switched your quick scan to the full assessment. Its result stays as round {previous}; "
                "this round {round} starts from its answers. Until you answer a new question you can undo "
                "the switch."
            ).format(previous=previous.number, round=session.round.number)
        )
        st.button(_("Undo the switch"), on_click=_undo_switch, args=(session.respondent.id, session.round.id))
    if outcome is False:
        st.warning(
            _(
                "You have answered new questions in this round, so the switch can no longer be undone. "
                "Your quick-scan result stays on the results page as round {previous}."
            ).format(previous=previous.number)
        )
    elif isinstance(outcome, str):
        st.error(_("Could not undo the switch: {reason}").format(reason=outcome))


def show_step(model: Model, session: state.Session, step: steps.Step) -> dict[str, AnswerValue]:
    """The step's title, what to answer, and its questions; returns the answers now stored."""
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
        st.html(TEE_SCALE_CSS)
    else:
        st.caption(_("Does your organisation follow this practice?"))

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
    return answers


def _jump_to(key: str, count: int) -> None:
    chosen = st.session_state.get(key)
    if isinstance(chosen, int) and 0 <= chosen < count:
        go_to(chosen)


def show_navigation(session: state.Session, all_steps: list[steps.Step], index: int, open_per_step: list[int]) -> None:
    """Back, a jump list that shows each step's open count, and Next (or, last, See my results)."""

    def label(i: int) -> str:
        count = open_per_step[i]
        status = "✓" if count == 0 else ngettext("{count} open", "{count} open", count).format(count=count)
        return f"{i + 1}. {all_steps[i].title} · {status}"

    back, jump, forward = st.columns([1, 2, 1], vertical_alignment="bottom")
    back.button(_("← Back"), on_click=go_to, args=(index - 1,), disabled=index == 0, width="stretch")
    labels = [label(i) for i in range(len(all_steps))]
    # The labels change as questions are answered, and a selectbox keeps the label it had, not its
    # index: each set of labels gets a widget of its own.
    jump_key = widgets.versioned_key(f"jump:{index}", zlib.crc32("|".join(labels).encode()))
    jump.selectbox(
        _("Jump to"),
        options=range(len(all_steps)),
        index=index,
        format_func=labels.__getitem__,
        key=jump_key,
        on_change=_jump_to,
        args=(jump_key, len(all_steps)),
        label_visibility="collapsed",
    )
    if index < len(all_steps) - 1:
        forward.button(_("Next →"), on_click=go_to, args=(index + 1,), type="primary", width="stretch")
    elif forward.button(_("See my results"), type="primary", width="stretch"):
        try:
            visits.complete_round(state.engine(), session.round.id, state.model())
        except StorageBusy:
            st.error(_("Could not finish: {reason}").format(reason=messages.busy()))
        else:
            st.switch_page("views/results.py", query_params={state.TOKEN_PARAM: session.token})


def show_open_questions(session: state.Session, all_steps: list[steps.Step], open_per_step: list[int]) -> None:
    """On the last step: how many questions are open, and a link to each step that has some."""
    missing = sum(open_per_step)
    if not missing:
        return
    st.caption(
        ngettext(
            "{missing} question is still open; unanswered statements count as zero.",
            "{missing} questions are still open; unanswered statements count as zero.",
            missing,
        ).format(missing=missing)
    )
    for i, open_count in enumerate(open_per_step):
        if open_count == 0:
            continue
        st.page_link(
            "views/assessment.py",
            label=ngettext(
                "Step {n}, {title}: {count} open question", "Step {n}, {title}: {count} open questions", open_count
            ).format(n=i + 1, title=all_steps[i].title, count=open_count),
            icon=":material/radio_button_unchecked:",
            query_params={state.TOKEN_PARAM: session.token, STEP_PARAM: str(i + 1)},
        )
