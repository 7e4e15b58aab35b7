"""Sections of the phone's live quiz page (views/live.py). Each owns its keys.

The option buttons' keys are part of the contract with the load generator
(../SHARED/LIVE-CONTRACT.md): `live_opt_<question>_<option>` (true/false: options `true` and
`false`), checkboxes `live_chk_<question>_<option>`, and `live_submit_<question>` for the types that
are submitted with a button. An answer is stored by the page body on the run that sees the click,
then the page is rebuilt from storage, where the stored answer disables every button.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from i18n import _, format_decimal, ngettext
from quizzes.attempt import decode
from quizzes.grading import Response, answer_feedback
from quizzes.live import Phase, is_right
from quizzes.model import Bank, Question
from quizzes.text import display_markdown
from services import live
from services import respondents as visits
from storage.errors import StorageBusy, TokenError
from views import live_follow, messages, quiz_widgets, state
from views.workshop_messages import plain

LAST_RUN = "live_last_run"  # the run this session played last: its result stays after the trainer ends it
# (token, the live.PlayerView the page showed last): the fragment's runs rebuild the view from it with
# live.seated_view (no seat transaction per run); a full run of the page drops it and takes the seat again.
KNOWN_VIEW = "live_known_view"

# Big, full-width answer buttons: a phone is held in one hand during a live quiz.
BUTTONS_CSS = """<style>
[data-testid="stMain"] [class*="st-key-live_opt_"] button { min-height: 4.5rem; }
[data-testid="stMain"] [class*="st-key-live_opt_"] button p { font-size: 1.25rem; font-weight: 600; }
/* The answer given stays readable among the disabled buttons: full colour and a thick outline. */
[data-testid="stMain"] [class*="st-key-live_opt_"] [data-testid="stBaseButton-primary"]:disabled {
  opacity: 1; color: inherit; outline: 3px solid currentColor; outline-offset: 2px;
}
[data-testid="stMain"] [class*="st-key-live_opt_"] [data-testid="stBaseButton-primary"]:disabled p { font-weight: 800; }
</style>"""


def show_not_seated(problem: str | None) -> None:
    """No token, a token that works no more, or a visitor in no workshop: say so and where to go."""
    st.info(
        _(
            "Live quizzes are played in a workshop. Join your workshop with the code your trainer shows, "
            "then open this page again."
        ),
        icon=":material/group_add:",
    )
    if problem:
        st.caption(problem)
    st.page_link("views/join.py", label=_("Join a workshop"), icon=":material/group_add:")


def not_seated_reason(token: str) -> str:
    """Why a visitor with this token has no seat: the link works for no one, or the visit joined no workshop."""
    try:
        visits.find_respondent(state.engine(), token)
    except TokenError as error:
        return _("This resume link does not work: {reason}.").format(reason=messages.token(error))
    return _("This visit has not joined a workshop yet.")


def show_waiting() -> None:
    st.info(
        _("Waiting for the trainer to start a live quiz. This page follows by itself."), icon=":material/hourglass_top:"
    )


def show_lobby(view: live.PlayerView) -> None:
    st.success(
        _("You are in, {nickname}. The quiz starts when the trainer opens the first question.").format(
            nickname=plain(view.seat.nickname)
        ),
        icon=":material/check_circle:",
    )


def question_caption(view: live.PlayerView) -> None:
    index = view.state.question_index
    assert index is not None
    # Exact English text: the load generator recognises the question by it.
    st.caption(_("Question {n} of {count}").format(n=index + 1, count=view.state.question_count))


# A countdown in the browser, from the seconds left when the page was built (the server's clock
# decides; the phone's clock is only used to count down): the page is built once per step, so a
# number written by the server would stand still.
_COUNTDOWN_JS = """
export default function(component) {
  const { data, parentElement } = component;
  let line = parentElement.querySelector('p');
  if (!line) {
    line = document.createElement('p');
    line.setAttribute('aria-live', 'off');
    line.style.cssText = 'margin:0;font-size:0.875rem;opacity:0.7;font-variant-numeric:tabular-nums;';
    parentElement.appendChild(line);
  }
  if (line.smmTimer) clearInterval(line.smmTimer);
  const end = Date.now() + Number(data.left) * 1000;
  const tick = () => {
    const left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
    line.textContent = left > 0 ? String(data.text).replace('{seconds}', String(left)) : String(data.done);
    if (left <= 0 && line.smmTimer) { clearInterval(line.smmTimer); line.smmTimer = null; }
  };
  tick();
  line.smmTimer = setInterval(tick, 250);
  return () => { if (line.smmTimer) clearInterval(line.smmTimer); line.smmTimer = null; };
}
"""
_countdown = st.components.v2.component("smm_live_countdown", js=_COUNTDOWN_JS)


def _seconds_left(view: live.PlayerView) -> None:
    _countdown(
        data={
            "left": round(view.state.seconds_left(), 1),
            "text": _("Time left: {seconds} s"),
            "done": _("Time is up"),
            "version": view.state.version,
        },
    )


def refusal(error: live.AnswerRefused) -> str:
    if error.reason is live.Refusal.LATE:
        return _("Time was up: your answer was not counted.")
    if error.reason is live.Refusal.NOT_YET:
        return _("You joined during this question; the next one is yours.")
    if error.reason is live.Refusal.BAD_RESPONSE:
        return _("That answer cannot be taken for this question; nothing was stored.")
    if error.reason is live.Refusal.NO_SEAT:
        return _("You have no seat in this live quiz; reload the page to take one.")
    return _("This question is not open any more; nothing was stored.")


def _submit(view: live.PlayerView, token: str, bank: Bank, question: Question, response: object) -> None:
    """Store the answer now; on success rebuild the page from storage (buttons disabled)."""
    try:
        ack = live.submit_answer(state.engine(), token, view.state.run_id, question.id, response, bank)
    except live.AnswerRefused as error:
        st.error(refusal(error), icon=":material/block:")
        return
    except live.UnknownRun:
        st.error(_("This live quiz is not your workshop's; reload the page."), icon=":material/block:")
        return
    except StorageBusy:
        st.error(_("Your answer was not stored: {reason}").format(reason=messages.busy()), icon=":material/error:")
        return
    # The answer as stored (the first one, when this was a repeat): the rerun shows it without reading it.
    st.session_state[KNOWN_VIEW] = (token, replace(view, answer=ack.answer))
    live_follow.rerun_view()


def _given(question: Question, view: live.PlayerView) -> Response | None:
    """The stored answer, or None when there is none or it no longer fits the question."""
    return None if view.answer is None else decode(question, view.answer.response)


def show_open(view: live.PlayerView, token: str, bank: Bank, question: Question) -> None:
    question_caption(view)
    quiz_widgets.show_prompt(question, large=True)
    answered = view.answer is not None
    locked = answered or not view.plays_current
    if answered:
        st.success(_("Answer received"), icon=":material/check_circle:")
        st.caption(_("Your answer: {answer}").format(answer=quiz_widgets.describe(question, _given(question, view))))
    elif not view.plays_current:
        st.info(_("You joined during this question; the next one is yours."), icon=":material/schedule:")
    else:
        _seconds_left(view)
    response = _ask(view, question, locked)
    if response is not _NOTHING:
        # Also a click on a button that the page has disabled since it was drawn: the service says
        # why it does not count (a repeat is stored once; a late joiner's is refused).
        _submit(view, token, bank, question, response)


_NOTHING = object()


def _clicked_before_drawn(key: str) -> bool:
    """Whether the browser sent a click of the button `key`, read before the button is drawn: a
    button drawn disabled drops the click it receives (Streamlit refuses values of disabled widgets),
    and a click sent while it was enabled (just before the deadline, or before the page knew of the
    answer) must still be answered."""
    return st.session_state.get(key) is True


def _buttons(question: Question, options: list[tuple[str, str, object]], chosen: object, locked: bool) -> object:
    """One big button per option: (key suffix, label, response). The chosen one is marked."""
    st.html(BUTTONS_CSS)
    clicked: object = _NOTHING
    for suffix, label, response in options:
        picked = chosen is not None and chosen == response
        key = f"live_opt_{question.id}_{suffix}"
        if locked and _clicked_before_drawn(key):
            clicked = response
        if st.button(
            label,
            key=key,
            disabled=locked,
            width="stretch",
            type="primary" if picked else "secondary",
            icon=":material/check:" if picked else None,
        ):
            clicked = response
    return clicked


def _locked_send(view: live.PlayerView, question: Question) -> object:
    """The Send button, disabled; a click sent while it was enabled is still answered ("time was up").
    Without an answer stored the service refuses it by the phase before it reads the response; with
    one, it is the repeat of an answer that counts once, and nothing needs sending."""
    key = f"live_submit_{question.id}"
    late = _clicked_before_drawn(key)
    st.button(_("Send"), key=key, disabled=True, width="stretch")
    return None if late and view.answer is None else _NOTHING


def _ask(view: live.PlayerView, question: Question, locked: bool) -> object:
    """The question's inputs; the response submitted in this run, or _NOTHING."""
    chosen = _given(question, view)
    if question.type == "single":
        options = [(o.id, o.text, o.id) for o in question.options]
        return _buttons(question, options, chosen, locked)
    if question.type == "truefalse":
        return _buttons(question, [("true", _("True"), True), ("false", _("False"), False)], chosen, locked)
    if question.type == "multiple":
        st.caption(_("Choose all that apply, then send."))
        picked_before = chosen if isinstance(chosen, list) else []
        # Once sent, the ticks are drawn afresh from the stored answer under keys of their own: a
        # disabled widget keeps no value the browser sends, so the keys of the answering ticks would
        # show them empty.
        suffix = "_sent" if locked else ""
        picked = [
            o.id
            for o in question.options
            if st.checkbox(
                o.text, key=f"live_chk_{question.id}_{o.id}{suffix}", disabled=locked, value=o.id in picked_before
            )
        ]
        if locked:
            return _locked_send(view, question)
        if st.button(_("Send"), key=f"live_submit_{question.id}", type="primary", width="stretch"):
            return picked
        return _NOTHING
    if locked:
        # The answer given is shown above; the inputs would only invite another.
        return _locked_send(view, question)
    typed = quiz_widgets.ask(question, view.state.run_id, key=f"live_in_{question.id}")
    if st.button(_("Send"), key=f"live_submit_{question.id}", type="primary", width="stretch"):
        if typed is None or typed == []:
            st.warning(_("Answer the question first."), icon=":material/edit:")
            return _NOTHING
        return typed
    return _NOTHING


def show_closed(view: live.PlayerView, token: str, bank: Bank, question: Question) -> None:
    question_caption(view)
    quiz_widgets.show_prompt(question, large=True)
    st.warning(_("Time is up"), icon=":material/timer_off:")
    _your_answer(view, question)
    # The options stay, disabled: a click sent just before the deadline reached the page after it.
    response = _ask(view, question, locked=True)
    if response is not _NOTHING:
        _submit(view, token, bank, question, response)


def _your_answer(view: live.PlayerView, question: Question) -> None:
    if not view.plays_current:
        st.caption(_("You joined during this question; the next one is yours."))
    elif view.answer is None:
        st.caption(_("You did not answer this question."))
    else:
        st.caption(_("Your answer: {answer}").format(answer=quiz_widgets.describe(question, _given(question, view))))


def _points(points: int) -> str:
    return ngettext("{points} point", "{points} points", points).format(points=format_decimal(points))


def _standing(view: live.PlayerView) -> None:
    score = _points(view.seat.score)
    if view.place is None:
        st.markdown(_("Your score: **{score}**").format(score=score))
        return
    st.markdown(
        _("Your score: **{score}** · place **{place} of {players}**").format(
            score=score, place=view.place, players=view.players
        )
    )


def show_reveal(view: live.PlayerView, question: Question) -> None:
    question_caption(view)
    quiz_widgets.show_prompt(question, large=True)
    answer = view.answer
    if not view.plays_current:
        st.info(_("You joined during this question; the next one is yours."), icon=":material/schedule:")
    elif answer is None:
        st.warning(_("No answer: 0 points for this question."), icon=":material/do_not_disturb_on:")
    elif is_right(answer.credit):
        st.success(
            _("Right! {points} for this question.").format(points=_points(answer.points or 0)),
            icon=":material/check_circle:",
        )
    elif answer.credit > 0:
        st.warning(
            _("Partly right: {points} for this question.").format(points=_points(answer.points or 0)),
            icon=":material/adjust:",
        )
    else:
        st.error(_("Not right: 0 points for this question."), icon=":material/cancel:")
    if answer is not None:
        _your_answer(view, question)
        # What the author wrote for this answer, then the combined feedback, as the player shows them.
        for note in answer_feedback(question, _given(question, view)):
            st.caption(display_markdown(note))
    st.markdown(_("**Right answer:** {answer}").format(answer=quiz_widgets.right_answer(question)))
    _standing(view)
    if question.explanation:
        st.info(display_markdown(question.explanation), icon=":material/lightbulb:")


def show_final(view: live.PlayerView) -> None:
    ended = view.state.phase is Phase.ENDED
    st.subheader(_("The quiz has ended") if ended else _("The final results"))
    st.metric(_("Your final score"), format_decimal(view.seat.score))
    if view.place is not None:
        st.metric(_("Your place"), _("{place} of {players}").format(place=view.place, players=view.players))


def show_unknown_bank(bank_id: str) -> None:
    st.error(
        _("The quiz of this live run ({id}) is not on this site any more; ask the trainer.").format(id=plain(bank_id))
    )
