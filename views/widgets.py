"""Reusable page pieces. Each owns its session-state keys."""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qs, urlparse

import streamlit as st

from assessment.model import CHECKLIST_VALUES, MATURITY_VALUES, NOT_APPLICABLE, TEE_VALUES, Model
from i18n import N_, _
from lessons.directives import DirectiveLabels
from lessons.loader import Lesson
from lessons.render import Rendered, render_markdown
from services import respondents as visits
from services.rules import JOB_TITLE_MAX, ORGANISATION_MAX
from storage.errors import StorageBusy, TextFieldError
from views import messages, state

# Answer labels are marked here and translated where they are shown, in the visitor's language.
_MATURITY_LABELS = {
    "none": N_("Not at all"),
    "partly": N_("Partly"),
    "largely": N_("Largely"),
    "fully": N_("Fully"),
    "dont_know": N_("Don't know"),
}
_TEE_LABELS = {
    1: N_("1 Strongly disagree"),
    2: "2",
    3: "3",
    4: "4",
    5: N_("5 Strongly agree"),
    "dont_know": N_("Don't know"),
}
_CHECKLIST_LABELS = {"yes": N_("Yes"), "partly": N_("Partly"), "no": N_("No"), "na": N_("Not applicable")}
assert set(_MATURITY_LABELS) == set(MATURITY_VALUES)
assert set(_TEE_LABELS) == set(TEE_VALUES)
assert set(_CHECKLIST_LABELS) == set(CHECKLIST_VALUES)


def _translated(labels: dict) -> dict:
    """Bare numbers ("2") are shown as they are; everything else is a marked label."""
    return {value: label if label.isdigit() else _(label) for value, label in labels.items()}


def maturity_labels(may_not_apply: bool = False) -> dict[str, str]:
    """Answer value -> label for a maturity statement, in the order offered; "Not applicable" comes
    last and only for a statement marked may_not_apply (any other statement refuses it)."""
    labels = _translated(_MATURITY_LABELS)
    if may_not_apply:
        labels[NOT_APPLICABLE] = _(_CHECKLIST_LABELS[NOT_APPLICABLE])
    return labels


def tee_labels() -> dict[int | str, str]:
    """Answer value -> label for a 4 T's statement (1 to 5, or don't know), in the order offered."""
    return _translated(_TEE_LABELS)


def checklist_labels() -> dict[str, str]:
    """Answer value -> label for a checklist item, in the order offered."""
    return _translated(_CHECKLIST_LABELS)


# After the connection to the server comes back (a restart, a redeploy, a crash, a phone waking up),
# Streamlit's page keeps showing the widgets as they were but runs nothing until the next click, and a
# new server session has not seen the answers clicked while the old one was away. This script asks for
# a run as soon as the connection is back: the run receives every value the page shows and stores what
# is missing (answer_widgets.answer_radio), so nothing stays ticked on screen and missing in storage.
_RECONNECT_JS = """
export default function(component) {
  const { setTriggerValue } = component;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return;
  let away = false;
  const observer = new MutationObserver(() => {
    const connection = app.getAttribute('data-test-connection-state');
    if (connection !== 'CONNECTED') { away = true; return; }
    if (away) { away = false; setTriggerValue('reconnected', Date.now()); }
  });
  observer.observe(app, { attributes: true, attributeFilter: ['data-test-connection-state'] });
  return () => observer.disconnect();
}
"""
_reconnect_component = st.components.v2.component("smm_rerun_on_reconnect", js=_RECONNECT_JS)


def rerun_on_reconnect() -> None:
    """Mount on a page whose widgets hold answers: a run follows every reconnection to the server.

    Without a key: a keyed component's state is part of what every keyed widget of the page reads
    (Streamlit presents the whole session state for each radio), and presenting this component's
    state builds a class each time, ten times per answer click, each one garbage for the collector.
    Nothing reads its state; its id is stable without a key, as its arguments never change."""
    _reconnect_component(on_reconnected_change=lambda: None)


_VERSIONED = "versioned_keys"  # prefix -> the key versioned_key gave it last, in this session
_SHOWABLE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")


def versioned_key(prefix: str, version: object) -> str:
    """A widget key that names the stored value the widget was drawn from, and the only one of its kind.

    When the stored value changes elsewhere (another tab or device), the key changes, so the widget is
    drawn afresh from storage instead of keeping, and later writing back, the value the browser still
    holds. Streamlit may carry a keyed widget's value past the runs that do not draw it, so the other
    versions are forgotten here: a value that returns to an earlier one (done, not done, done) must not
    bring back what the browser held then."""
    key = f"{prefix}@{version}"
    # The key each prefix had last, so the stale one is dropped without a scan of the session state
    # per widget (reading the state presents every value in it; a step draws a dozen such widgets).
    current: dict[str, str] = st.session_state.setdefault(_VERSIONED, {})
    stale = current.get(prefix)
    if stale is not None and stale != key:
        st.session_state.pop(stale, None)
    current[prefix] = key
    return key


def directive_labels() -> DirectiveLabels:
    """The words a ```ladder or ```stages block adds to a lesson, in the visitor's language."""
    return DirectiveLabels(
        stage=_("Stage"),
        in_place=_("In place at this stage"),
        tagline=_("In short"),
        description=_("What it means"),
        may_not_apply=_("(may not apply)"),
        none_at_stage="–",
        not_shown=_("This part of the lesson cannot be shown: its source file has a mistake here."),
    )


@functools.lru_cache(maxsize=64)
def _rendered(body: str, model: Model, labels: DirectiveLabels) -> Rendered:
    return render_markdown(body, model, labels)


def rendered_lesson(body: str, model: Model | None = None) -> Rendered:
    """A lesson's Markdown as sanitised HTML with its contents, its ```ladder and ```stages blocks
    filled in from `model` (the visit's), rendered once per process, text, model and language:
    rendering took about half of a lesson page's run, on every rerun, for text that never changes
    while the site runs (the course is loaded once per process)."""
    model = model or state.model()
    try:
        hash(model)
    except TypeError:  # a model that cannot be a cache key is rendered every time rather than not at all
        return render_markdown(body, model, directive_labels())
    return _rendered(body, model, directive_labels())


def lesson_timing(lesson: Lesson) -> str:
    """The same words for a lesson's time on its page, in the lesson list and on the learning path."""
    if lesson.minutes > lesson.reading_minutes + 2:
        return _("{reading} min read, about {minutes} min with the exercise").format(
            reading=lesson.reading_minutes, minutes=lesson.minutes
        )
    return _("{reading} min read").format(reading=lesson.reading_minutes)


def showable_id(raw: str) -> str | None:
    """An id taken from the URL, as a markdown code span, if it looks like an id; else None.

    Messages are markdown: echoed as it came, a crafted link's `[sign in](https://...)`, bare URL or
    `**...**` would become a link or formatting in the site's own error box. A code span shows an id
    literally, and the pattern keeps out backticks and line breaks that could close it."""
    return f"`{raw}`" if _SHOWABLE_ID.fullmatch(raw) else None


def token_from_link(link: str) -> str:
    """Accept a whole resume link or a bare token; return what looks like the token."""
    link = link.strip()
    if "?" in link or "://" in link:
        values = parse_qs(urlparse(link).query).get(state.TOKEN_PARAM)
        return values[0] if values else ""
    return re.sub(r"\s+", "", link)


def resume_link(token: str) -> None:
    st.markdown(
        _(
            "**Your resume link.** Bookmark it or copy it somewhere safe: it is the only way back to "
            "your answers, from any browser."
        )
    )
    st.code(state.resume_url(token), language=None, wrap_lines=True)


def profile_form(session: state.Session) -> None:
    with st.expander(_("Organisation and job title"), icon=":material/apartment:"), st.form("profile"):
        organisation = st.text_input(
            _("Organisation (optional)"), value=session.respondent.organisation or "", max_chars=ORGANISATION_MAX
        )
        job_title = st.text_input(
            _("Your job title (optional)"), value=session.respondent.job_title or "", max_chars=JOB_TITLE_MAX
        )
        if st.form_submit_button(_("Save")):
            try:
                visits.update_profile(state.engine(), session.respondent.id, organisation, job_title)
            except TextFieldError as error:
                st.error(messages.text_field(error))
            except StorageBusy:
                st.error(_("Not saved: {reason}").format(reason=messages.busy()))
            else:
                st.success(_("Saved."))


def not_me(session: state.Session) -> None:
    """A shared laptop in a workshop: the next person forgets the previous one's link in this browser.
    Nothing is deleted; the link itself still opens the answers wherever it was kept."""
    with st.expander(_("This is not me: start fresh"), icon=":material/person_off:"):
        st.write(
            _(
                "This browser remembers someone's resume link (round {round}). Start fresh to forget it here. "
                "Nothing is deleted: whoever holds the link can still open those answers."
            ).format(round=session.round.number)
        )
        if st.button(_("Forget this link and start fresh"), key="not_me"):
            state.forget_token()
            st.rerun()


def delete_data(session: state.Session) -> None:
    with st.expander(_("Delete my data"), icon=":material/delete:"):
        st.write(_("This removes every round and every answer stored under your resume link. It cannot be undone."))
        sure = st.checkbox(_("Yes, delete everything"), key="confirm_delete")
        if st.button(_("Delete my data"), type="primary", disabled=not sure):
            try:
                visits.delete_respondent(state.engine(), session.respondent.id)
            except StorageBusy:
                st.error(_("Not deleted: {reason}").format(reason=messages.busy()))
                return
            state.forget_token()
            st.session_state["deleted"] = True
            st.switch_page("views/start.py")
